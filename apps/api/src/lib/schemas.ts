import { EMIRATES, type PartyInput, type PartyRole, partyIssues } from '@invoiceflow/jurisdictions';
import { z } from 'zod';

/** The largest value of a PostgreSQL integer column: a bound for every request integer stored in one. */
export const INT4_MAX = 2_147_483_647;

export const uuidParamSchema = z.strictObject({ id: z.uuid() });

/** Free text that may be left out: trimmed, and blank or absent is stored as null. */
export const optionalTextSchema = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((value) => (value ? value : null));

// Loose: a problem may carry extra members (`remaining_amount`, `current_version`) that clients rely on.
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    message: z.string(),
    request_id: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .loose()
  // An id puts it once in the OpenAPI document's components, referenced by every route's error answers.
  .meta({ id: 'Problem', description: 'application/problem+json' });

/** The problem responses every route may give, for the OpenAPI document (spread into `response`). */
export const problemResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
  422: problemSchema,
  429: problemSchema,
};

const text = (max: number) => z.string().trim().min(1).max(max);

export const addressSchema = z.strictObject({
  street: text(200).optional(),
  building_number: z.string().trim().max(10).optional(),
  additional_number: z.string().trim().max(10).optional(),
  district: text(100).optional(),
  city: text(100).optional(),
  postal_code: z.string().trim().max(10).optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 code, e.g. SA'),
  emirate: z.enum(EMIRATES).optional(),
  /** A region, state or province abroad (IBT-039 / IBT-054, PINT AE asks one of every address). */
  region: text(100).optional(),
});
export type AddressInput = z.infer<typeof addressSchema>;

/**
 * Country rules for a party's address and VAT number (from its jurisdiction profile), added to an object schema
 * with superRefine so the errors carry the exact field path ("address.building_number").
 */
export function checkPartyRules(
  party: PartyInput,
  ctx: z.RefinementCtx,
  options: { role: PartyRole; requireFullAddress: boolean },
): void {
  for (const issue of partyIssues(party, options.role, options)) {
    ctx.addIssue({
      code: 'custom',
      path: issue.path.split('.'),
      message: issue.message,
      params: { code: issue.code },
    });
  }
}

/** A party's contact person (customers and vendors). */
export const contactSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254).optional(),
  phone: z.string().trim().max(40).optional(),
  role: z.string().trim().max(100).optional(),
});

export const peppolEndpointSchema = z.strictObject({
  scheme: z.string().regex(/^\d{4}$/, 'A four-digit EAS code, e.g. 0106'),
  id: z.string().trim().min(1).max(100),
});

/** ISO 13616 check of an IBAN: letters and digits, the country's two letters, two check digits, mod 97 = 1. */
export function ibanIsValid(iban: string): boolean {
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of digits) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

/** An IBAN as people write it (spaces allowed, any case), stored compact and upper-case. */
export const ibanSchema = z
  .string()
  .max(50)
  .transform((value) => value.replace(/ /g, '').toUpperCase())
  .refine(ibanIsValid, {
    message: 'Not a valid IBAN (ISO 13616 check digits).',
    params: { code: 'IBAN_INVALID' },
  });
