import { z } from 'zod';
import { EMIRATES, SA_BUILDING_NUMBER_PATTERN, SA_POSTAL_CODE_PATTERN, vatNumberProblem } from './tax-ids';

/** The largest value of a PostgreSQL integer column: a bound for every request integer stored in one. */
export const INT4_MAX = 2_147_483_647;

export const uuidParamSchema = z.strictObject({ id: z.uuid() });

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
});
export type AddressInput = z.infer<typeof addressSchema>;

/**
 * Country rules for a party's address and VAT number, added to an object schema with superRefine so the
 * errors carry the exact field path ("address.building_number").
 */
export function checkPartyRules(
  party: { country?: string; vat_number?: string | null; address?: AddressInput },
  ctx: z.RefinementCtx,
  options: { requireFullAddress: boolean },
): void {
  const country = party.country ?? party.address?.country;
  if (party.vat_number && country) {
    const problem = vatNumberProblem(country, party.vat_number);
    if (problem)
      ctx.addIssue({
        code: 'custom',
        path: ['vat_number'],
        message: problem,
        params: { code: 'VAT_NUMBER_INVALID' },
      });
  }
  const address = party.address;
  if (!address) return;
  if (country === 'SA') {
    if (address.building_number !== undefined && !SA_BUILDING_NUMBER_PATTERN.test(address.building_number)) {
      ctx.addIssue({
        code: 'custom',
        path: ['address', 'building_number'],
        message: 'A Saudi building number has 4 digits.',
        params: { code: 'BR-KSA-37' },
      });
    }
    if (address.postal_code !== undefined && !SA_POSTAL_CODE_PATTERN.test(address.postal_code)) {
      ctx.addIssue({
        code: 'custom',
        path: ['address', 'postal_code'],
        message: 'A Saudi postal code has 5 digits.',
        params: { code: 'BR-KSA-66' },
      });
    }
  }
  if (country === 'AE' && options.requireFullAddress && !address.emirate) {
    ctx.addIssue({
      code: 'custom',
      path: ['address', 'emirate'],
      message: 'Choose the emirate.',
      params: { code: 'EMIRATE_REQUIRED' },
    });
  }
  if (options.requireFullAddress) {
    for (const field of ['street', 'city'] as const) {
      if (!address[field]) {
        ctx.addIssue({
          code: 'custom',
          path: ['address', field],
          message: 'Required.',
          params: { code: 'REQUIRED' },
        });
      }
    }
  }
}
