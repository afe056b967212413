import { z } from 'zod';

const decimal = z.union([z.string(), z.number()]).meta({ description: 'Decimal string or JSON number' });
const fieldError = z.object({ path: z.string(), code: z.string(), message: z.string() });

const seedLine = z.looseObject({
  description: z.string().optional(),
  quantity: decimal,
  unit_price: decimal,
  vat_rate: decimal.optional(),
  vat_category: z.string().optional(),
});

/**
 * For the documentation only: the preview reads its body by hand (document-input.ts) so a half-typed invoice
 * gets every field error in a 200 answer rather than a 400 at the first one, and to stay lean.
 */
export const previewBodySchema = z
  .looseObject({
    line_items: z.array(seedLine).optional().describe("Seed 000's shape"),
    lines: z.array(z.looseObject({})).optional().describe("The totals engine's LineInput"),
    jurisdiction: z.enum(['SA', 'AE', 'GENERIC']).optional(),
    currency: z.string().optional(),
    tax_currency: z.string().optional(),
    exchange_rate: decimal.optional(),
    allowances_charges: z.array(z.looseObject({})).optional(),
    subtype: z.enum(['standard', 'simplified']).optional(),
    customer_name: z.string().optional(),
    customer_vat_number: z.string().optional(),
    customer_address: z.union([z.string(), z.looseObject({})]).optional(),
  })
  .describe(
    'Seed 000 body ({line_items:[…]}) or the full invoice shape (lines, allowances_charges, currency…)',
  );

export const previewResponseSchema = z.object({
  subtotal: z.string(),
  vat_amount: z.string(),
  total_amount: z.string(),
  is_valid: z.boolean(),
  errors: z.array(fieldError),
  currency: z.string(),
  lines: z.array(z.looseObject({})),
  allowances_charges: z.array(z.looseObject({})),
  vat_breakdown: z.array(z.looseObject({})),
  totals: z.looseObject({}),
});
