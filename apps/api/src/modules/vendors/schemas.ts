import { z } from 'zod';
import { booleanQuerySchema, paginationQuerySchema } from '../../lib/pagination';
import {
  addressSchema,
  checkPartyRules,
  contactSchema,
  ibanSchema,
  optionalTextSchema,
  peppolEndpointSchema,
} from '../../lib/schemas';

const vendorFields = {
  name_en: z.string().trim().min(1).max(300),
  name_ar: optionalTextSchema(300),
  vat_number: optionalTextSchema(20),
  registration_number: optionalTextSchema(50),
  /** The supplier's Peppol electronic address (EAS scheme and id), where its invoices come from. */
  peppol_endpoint: peppolEndpointSchema.nullish(),
  email: z.email().max(254).nullish(),
  phone: optionalTextSchema(40),
  address: addressSchema,
  contacts: z.array(contactSchema).max(20).default([]),
  payment_terms_days: z.number().int().min(0).max(365).nullish(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. SAR')
    .nullish(),
  /** The account the company pays the vendor into; spaces allowed, stored compact. */
  iban: ibanSchema.nullish(),
  bank_name: optionalTextSchema(200),
  notes: optionalTextSchema(2000),
};

/** The vendor's country is its address country; the VAT number/TRN and address follow that country's rules. */
export const vendorCreateSchema = z.strictObject(vendorFields).superRefine((vendor, ctx) => {
  checkPartyRules(
    { country: vendor.address.country, vat_number: vendor.vat_number, address: vendor.address },
    ctx,
    { role: 'seller', requireFullAddress: false },
  );
});
export type VendorInput = z.output<typeof vendorCreateSchema>;

/** PATCH: any subset; the merged vendor is validated again as a whole (country rules span fields). */
export const vendorUpdateSchema = z
  .strictObject({
    name_en: vendorFields.name_en.optional(),
    name_ar: z.string().max(300).nullable().optional(),
    vat_number: z.string().max(20).nullable().optional(),
    registration_number: z.string().max(50).nullable().optional(),
    peppol_endpoint: z.record(z.string(), z.unknown()).nullable().optional(),
    email: z.string().max(254).nullable().optional(),
    phone: z.string().max(40).nullable().optional(),
    address: z.record(z.string(), z.unknown()).optional(),
    contacts: z.array(z.unknown()).max(20).optional(),
    payment_terms_days: z.number().int().nullable().optional(),
    currency: z.string().nullable().optional(),
    iban: z.string().max(50).nullable().optional(),
    bank_name: z.string().max(200).nullable().optional(),
    notes: z.string().max(2000).nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change.' });

export const vendorSchema = z.object({
  id: z.uuid(),
  name_en: z.string(),
  name_ar: z.string().nullable(),
  vat_number: z.string().nullable(),
  registration_number: z.string().nullable(),
  peppol_endpoint: z.object({ scheme: z.string(), id: z.string() }).nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.record(z.string(), z.string()),
  contacts: z.array(contactSchema),
  payment_terms_days: z.number().int().nullable(),
  currency: z.string().nullable(),
  iban: z.string().nullable(),
  bank_name: z.string().nullable(),
  notes: z.string().nullable(),
  is_archived: z.boolean(),
  archived_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const vendorListQuerySchema = z.strictObject({
  ...paginationQuerySchema,
  q: z.string().trim().max(100).optional(),
  include_archived: booleanQuerySchema.default(false),
});

export const vendorListSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
  vendors: z.array(vendorSchema),
});
