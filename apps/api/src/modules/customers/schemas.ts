import { BUYER_ID_SCHEMES, UAE_REGISTRATION_TYPES } from '@invoiceflow/jurisdictions';

/** A buyer's id: ZATCA's schemes (BT-46-1) and the UAE legal registration types (PINT AE BTAE-16). */
export const CUSTOMER_ID_SCHEMES = [...BUYER_ID_SCHEMES, ...UAE_REGISTRATION_TYPES] as const;

import { z } from 'zod';
import { booleanQuerySchema, paginationQuerySchema } from '../../lib/pagination';
import {
  addressSchema,
  checkPartyRules,
  contactSchema,
  optionalTextSchema,
  peppolEndpointSchema,
} from '../../lib/schemas';

export { contactSchema, peppolEndpointSchema };

const customerFields = {
  kind: z.enum(['company', 'individual']).default('company'),
  name_en: z.string().trim().min(1).max(300),
  name_ar: optionalTextSchema(300),
  vat_number: optionalTextSchema(20),
  registration_number: optionalTextSchema(50),
  /** BT-46-1 (ZATCA BR-KSA-14): NAT national ID, IQA iqama, PAS passport, TIN a foreign tax number, … */
  // UAE buyers: the legal registration's type (PINT AE BTAE-16: TL trade licence, EID, PAS, CD cabinet decision).
  id_scheme: z.enum(CUSTOMER_ID_SCHEMES).nullish(),
  /** BT-46: letters and digits only. */
  id_number: optionalTextSchema(50).refine((v) => v == null || /^[A-Za-z0-9]+$/.test(v), {
    message: 'Letters and digits only.',
  }),
  /** Who issued the registration (PINT AE BTAE-12: a UAE trade licence names its authority). */
  registration_authority: optionalTextSchema(200),
  /** The buyer's Peppol electronic address (IBT-049: EAS scheme such as 0106, 9930, 0235, and the id under it). */
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
  notes: optionalTextSchema(2000),
};

/** The buyer's country is the address country; its VAT number and address follow that country's rules. */
export const customerCreateSchema = z.strictObject(customerFields).superRefine((customer, ctx) => {
  // The scheme says what the number is: one without the other identifies nobody.
  if (!customer.id_scheme !== !customer.id_number) {
    const missing = customer.id_scheme ? 'id_number' : 'id_scheme';
    ctx.addIssue({
      code: 'custom',
      path: [missing],
      message: missing === 'id_number' ? 'Give the ID under its scheme.' : 'Name the scheme of the ID.',
      params: { code: 'REQUIRED' },
    });
  }
  checkPartyRules(
    { country: customer.address.country, vat_number: customer.vat_number, address: customer.address },
    ctx,
    { role: 'buyer', requireFullAddress: false },
  );
});
export type CustomerInput = z.output<typeof customerCreateSchema>;

/** PATCH: any subset; the merged customer is validated again as a whole (country rules span fields). */
export const customerUpdateSchema = z
  .strictObject({
    kind: customerFields.kind.optional(),
    name_en: customerFields.name_en.optional(),
    name_ar: z.string().max(300).nullable().optional(),
    vat_number: z.string().max(20).nullable().optional(),
    registration_number: z.string().max(50).nullable().optional(),
    id_scheme: z.string().max(10).nullable().optional(),
    id_number: z.string().max(50).nullable().optional(),
    registration_authority: z.string().max(200).nullable().optional(),
    peppol_endpoint: z.record(z.string(), z.unknown()).nullable().optional(),
    email: z.string().max(254).nullable().optional(),
    phone: z.string().max(40).nullable().optional(),
    address: z.record(z.string(), z.unknown()).optional(),
    contacts: z.array(z.unknown()).max(20).optional(),
    payment_terms_days: z.number().int().nullable().optional(),
    currency: z.string().nullable().optional(),
    notes: z.string().max(2000).nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change.' });

export const customerSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['company', 'individual']),
  name_en: z.string(),
  name_ar: z.string().nullable(),
  vat_number: z.string().nullable(),
  registration_number: z.string().nullable(),
  id_scheme: z.enum(CUSTOMER_ID_SCHEMES).nullable(),
  id_number: z.string().nullable(),
  registration_authority: z.string().nullable(),
  peppol_endpoint: z.object({ scheme: z.string(), id: z.string() }).nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.record(z.string(), z.string()),
  contacts: z.array(contactSchema),
  payment_terms_days: z.number().int().nullable(),
  currency: z.string().nullable(),
  notes: z.string().nullable(),
  is_archived: z.boolean(),
  archived_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const customerListQuerySchema = z.strictObject({
  ...paginationQuerySchema,
  q: z.string().trim().max(100).optional(),
  kind: z.enum(['company', 'individual']).optional(),
  include_archived: booleanQuerySchema.default(false),
});

export const customerListSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
  customers: z.array(customerSchema),
});
