import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns';
import { companies, type PostalAddress } from './companies';
import type { ContactPerson } from './invoicing';

/** Suppliers the company buys from (accounts payable, seed 004 section 4.2): the mirror of customers. */
export const vendors = pgTable(
  'vendors',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    nameEn: text('name_en').notNull(),
    nameAr: text('name_ar'),
    /** The supplier's VAT number or TRN, checked by its country's rule; how an uploaded invoice finds its vendor. */
    vatNumber: text('vat_number'),
    registrationNumber: text('registration_number'),
    peppolEndpointScheme: text('peppol_endpoint_scheme'),
    peppolEndpointId: text('peppol_endpoint_id'),
    email: text('email'),
    phone: text('phone'),
    address: jsonb('address').$type<PostalAddress>().notNull(),
    contacts: jsonb('contacts').$type<ContactPerson[]>().notNull().default([]),
    paymentTermsDays: integer('payment_terms_days'),
    currency: text('currency'),
    /** ISO 13616 IBAN, stored without spaces and upper-case; checked by its mod-97 digits. */
    iban: text('iban'),
    bankName: text('bank_name'),
    notes: text('notes'),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('vendors_company_name_idx').on(t.companyId, t.nameEn),
    index('vendors_company_vat_idx').on(t.companyId, t.vatNumber),
    check('vendors_payment_terms_range', sql`${t.paymentTermsDays} BETWEEN 0 AND 365`),
    check('vendors_iban_shape', sql`${t.iban} ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'`),
  ],
);

/** A company's matching tolerances (null: that part is not checked). One row per company, defaults when absent. */
export const payablesSettings = pgTable(
  'payables_settings',
  {
    companyId: uuid('company_id')
      .primaryKey()
      .references(() => companies.id, { onDelete: 'cascade' }),
    pricePercent: numeric('price_percent'),
    priceAbsolute: numeric('price_absolute'),
    quantityPercent: numeric('quantity_percent'),
    quantityAbsolute: numeric('quantity_absolute'),
    /** How far beyond the ordered quantity a goods receipt may go, in percent of the ordered quantity. */
    overReceiptPercent: numeric('over_receipt_percent').notNull().default('0'),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      'payables_settings_not_negative',
      sql`coalesce(${t.pricePercent}, 0) >= 0 AND coalesce(${t.priceAbsolute}, 0) >= 0 AND coalesce(${t.quantityPercent}, 0) >= 0 AND coalesce(${t.quantityAbsolute}, 0) >= 0 AND ${t.overReceiptPercent} >= 0`,
    ),
  ],
);
