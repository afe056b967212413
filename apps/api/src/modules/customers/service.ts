import type { Db } from '@invoiceflow/db';
import type { PostalAddress } from '@invoiceflow/db/schema';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { auditorFor } from '../../lib/audit';
import { pgErrorCode } from '../../lib/db-errors';
import { AppError, defineErrors } from '../../lib/errors';
import { parseOrThrow } from '../../lib/field-errors';
import * as q from './queries';
import { type CUSTOMER_ID_SCHEMES, type CustomerInput, customerCreateSchema } from './schemas';

defineErrors({ CUSTOMER_NOT_FOUND: [404, 'Customer not found.'] });

export function presentCustomer(row: q.CustomerRow) {
  return {
    id: row.id,
    kind: row.kind,
    name_en: row.nameEn,
    name_ar: row.nameAr,
    vat_number: row.vatNumber,
    registration_number: row.registrationNumber,
    id_scheme: row.idScheme as (typeof CUSTOMER_ID_SCHEMES)[number] | null,
    id_number: row.idNumber,
    registration_authority: row.registrationAuthority,
    peppol_endpoint:
      row.peppolEndpointScheme && row.peppolEndpointId
        ? { scheme: row.peppolEndpointScheme, id: row.peppolEndpointId }
        : null,
    email: row.email,
    phone: row.phone,
    address: row.address as unknown as Record<string, string>,
    contacts: row.contacts,
    payment_terms_days: row.paymentTermsDays,
    currency: row.currency,
    notes: row.notes,
    is_archived: row.archivedAt !== null,
    archived_at: row.archivedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export type CustomerValues = ReturnType<typeof customerValues>;

/** A validated customer as the row's values (the API's create and the importer). */
export function customerValues(input: CustomerInput) {
  return {
    kind: input.kind,
    nameEn: input.name_en,
    nameAr: input.name_ar ?? null,
    vatNumber: input.vat_number ?? null,
    registrationNumber: input.registration_number ?? null,
    idScheme: input.id_scheme ?? null,
    idNumber: input.id_number ?? null,
    registrationAuthority: input.registration_authority ?? null,
    peppolEndpointScheme: input.peppol_endpoint?.scheme ?? null,
    peppolEndpointId: input.peppol_endpoint?.id ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    address: input.address as PostalAddress,
    contacts: input.contacts,
    paymentTermsDays: input.payment_terms_days ?? null,
    currency: input.currency ?? null,
    notes: input.notes ?? null,
  };
}

export async function createCustomer(ctx: AppContext, companyId: string, actor: Actor, input: CustomerInput) {
  return ctx.db.transaction(async (tx) => {
    const row = await q.insertCustomer(tx, { companyId, values: customerValues(input) });
    await audit(tx, companyId, actor, 'customer.created', row.id);
    return row;
  });
}

export async function getCustomerOrThrow(db: Db, companyId: string, id: string) {
  const row = await q.getCustomer(db, { companyId, id });
  if (!row) throw new AppError('CUSTOMER_NOT_FOUND');
  return row;
}

/** PATCH: the stored customer with the changes applied is validated as a whole, as a create would be. */
export async function updateCustomer(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  patch: Record<string, unknown>,
) {
  return ctx.db.transaction(async (tx) => {
    const current = await q.getCustomer(tx, { companyId, id, forUpdate: true });
    if (!current) throw new AppError('CUSTOMER_NOT_FOUND');
    const {
      id: _id,
      is_archived,
      archived_at,
      created_at,
      updated_at,
      ...editable
    } = presentCustomer(current);
    const merged = parseOrThrow(customerCreateSchema, { ...editable, ...patch });
    const row = await q.updateCustomer(tx, { companyId, id, values: customerValues(merged) });
    if (!row) throw new AppError('CUSTOMER_NOT_FOUND');
    await audit(tx, companyId, actor, 'customer.updated', id, { fields: Object.keys(patch) });
    return row;
  });
}

/**
 * A customer named on an issued invoice stays (the invoice's snapshot keeps its own copy, but history and
 * reports link to it): it is archived and hidden from lists. One nobody used is deleted.
 */
export async function deleteCustomer(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
): Promise<{ deleted: true } | { deleted: false; row: q.CustomerRow }> {
  return ctx.db.transaction(async (tx) => {
    const current = await q.getCustomer(tx, { companyId, id, forUpdate: true });
    if (!current) throw new AppError('CUSTOMER_NOT_FOUND');
    if (current.usedAt === null) {
      try {
        if (await tx.transaction((sp) => q.deleteUnusedCustomer(sp, { companyId, id }))) {
          await audit(tx, companyId, actor, 'customer.deleted', id);
          return { deleted: true as const };
        }
      } catch (error) {
        // 23503: an invoice committed meanwhile references the customer; archive it instead.
        if (pgErrorCode(error) !== '23503') throw error;
      }
    }
    const row =
      current.archivedAt === null
        ? await q.updateCustomer(tx, { companyId, id, values: { archivedAt: new Date() } })
        : current;
    if (!row) throw new AppError('CUSTOMER_NOT_FOUND');
    await audit(tx, companyId, actor, 'customer.archived', id);
    return { deleted: false as const, row };
  });
}

const audit = auditorFor('customer');
