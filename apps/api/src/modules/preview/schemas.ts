import { REGIME_NAMES } from '@invoiceflow/jurisdictions';
import { z } from 'zod';

const decimal = z.union([z.string(), z.number()]).meta({ description: 'Decimal string or JSON number' });
const fieldError = z.object({
  path: z.string(),
  code: z.string(),
  message: z.string(),
  message_ar: z.string().describe('The message in Arabic'),
});

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
    jurisdiction: z
      .enum(REGIME_NAMES as [string, ...string[]])
      .optional()
      .describe(
        "A visitor's regime (default SA); a signed-in caller's invoice is judged by the company's own profile",
      ),
    currency: z.string().optional(),
    tax_currency: z.string().optional(),
    exchange_rate: decimal.optional(),
    allowances_charges: z.array(z.looseObject({})).optional(),
    subtype: z.enum(['standard', 'simplified']).optional(),
    customer_name: z.string().optional(),
    customer_vat_number: z.string().optional(),
    customer_address: z.union([z.string(), z.looseObject({})]).optional(),
    customer_id_scheme: z.string().optional(),
    customer_id_number: z.string().optional(),
    transaction_flags: z.looseObject({ export: z.boolean().optional() }).optional(),
  })
  .describe(
    'Seed 000 body ({line_items:[…]}) or the full invoice shape (lines, allowances_charges, currency…)',
  );

const amount = z.string();
const vatCategory = z.string().describe('UNCL5305 code: S, Z, E, O, AE, K, G, L, M');

const resolvedAllowanceCharge = z.object({
  is_charge: z.boolean(),
  amount,
  percent: z.string().optional(),
  base_amount: amount.optional(),
  reason: z.string().optional(),
  reason_code: z.string().optional(),
  vat_category: vatCategory.optional(),
  vat_rate: z.string().optional(),
  exemption_reason_code: z.string().optional(),
  exemption_reason: z.string().optional(),
});

const lineResult = z.object({
  index: z.number().int(),
  quantity: z.string(),
  unit_code: z.string(),
  unit_price: z.string(),
  base_quantity: z.string(),
  gross_amount: amount,
  allowance_total: amount,
  charge_total: amount,
  net_amount: amount,
  vat_category: vatCategory,
  vat_rate: z.string(),
  vat_amount: amount,
  amount_with_vat: amount,
  allowances_charges: z.array(resolvedAllowanceCharge),
  exemption_reason_code: z.string().optional(),
  exemption_reason: z.string().optional(),
  prepayment: z.object({ taxable_amount: amount, vat_amount: amount }).optional(),
});

const vatBreakdown = z.object({
  category: vatCategory,
  rate: z.string(),
  taxable_amount: amount,
  vat_amount: amount,
  exemption_reason_code: z.string().optional(),
  exemption_reason: z.string().optional(),
});

const documentTotals = z.object({
  currency: z.string(),
  line_extension_amount: amount,
  allowance_total_amount: amount,
  charge_total_amount: amount,
  tax_exclusive_amount: amount,
  tax_amount: amount,
  tax_inclusive_amount: amount,
  prepaid_amount: amount,
  rounding_amount: amount,
  payable_amount: amount,
  tax_currency: z.string().optional(),
  exchange_rate: z.string().optional(),
  tax_amount_in_tax_currency: amount.optional(),
});

/**
 * The answer, field by field (the totals engine's TotalsResult plus the seed's three numbers). Also compiled
 * with fast-json-stringify for the route (routes.ts): a field the engine adds must be added here, or the
 * answer leaves it out (preview.test.ts compares the answer with the engine's result).
 */
export const previewResponseSchema = z.object({
  subtotal: amount,
  vat_amount: amount,
  total_amount: amount,
  is_valid: z.boolean(),
  errors: z.array(fieldError).describe('What refuses the issue'),
  warnings: z
    .array(fieldError)
    .describe('What ZATCA only warns about: returned with the issued invoice, never blocking'),
  currency: z.string(),
  lines: z.array(lineResult),
  allowances_charges: z.array(resolvedAllowanceCharge),
  vat_breakdown: z.array(vatBreakdown),
  totals: documentTotals,
});
