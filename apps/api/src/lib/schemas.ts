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
  .describe('application/problem+json');

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
