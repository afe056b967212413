import { ITEM_TYPES, STOCK_MOVEMENT_KINDS } from '@invoiceflow/db/schema';
import { HS_CODE_PATTERN, SERVICE_CODE_PATTERN } from '@invoiceflow/ubl';
import { z } from 'zod';
import { decimalSchema } from '../../lib/decimal-input';
import { booleanQuerySchema, paginationQuerySchema } from '../../lib/pagination';

export { VAT_CATEGORIES } from '@invoiceflow/totals';

import { VAT_CATEGORIES } from '@invoiceflow/totals';

/**
 * GS1 check digit: from the right, digits weigh 3, 1, 3, …; the check digit makes the sum a multiple of 10.
 * The same rule for GTIN-8, -12, -13 and -14.
 */
export function isGtin(code: string): boolean {
  if (!/^(\d{8}|\d{12,14})$/.test(code)) return false;
  let sum = 0;
  for (let index = code.length - 2, weight = 3; index >= 0; index--, weight = 4 - weight) {
    sum += (code.charCodeAt(index) - 48) * weight;
  }
  return (10 - (sum % 10)) % 10 === code.charCodeAt(code.length - 1) - 48;
}

/** A GTIN as printed under the bars (8, 12, 13 or 14 digits), its check digit right. */
export const barcodeSchema = z
  .string()
  .trim()
  .max(14)
  .refine(isGtin, {
    message: 'A GTIN (EAN-8, UPC-A, EAN-13 or GTIN-14) with its check digit.',
    params: { code: 'INVALID_GTIN' },
  });

/**
 * What PINT AE asks of an item (BTAE-13, IBT-158, BTAE-17): goods carry their HS code, services their service
 * accounting code, both kinds both. Shared with the invoice lines, which override a product's.
 */
export const itemClassificationFields = {
  item_type: z.enum(ITEM_TYPES).nullish().describe('PINT AE BTAE-13: goods, services or both'),
  hs_code: z
    .string()
    .trim()
    .regex(HS_CODE_PATTERN, 'An HS code: 6 to 12 digits.')
    .nullish()
    .describe('Goods: the Harmonized System code (IBT-158)'),
  service_code: z
    .string()
    .trim()
    .regex(SERVICE_CODE_PATTERN, 'A service accounting code: up to 20 letters and digits.')
    .nullish()
    .describe('Services: the service accounting code (PINT AE BTAE-17)'),
};

const productFields = {
  name_en: z.string().trim().min(1).max(300),
  name_ar: z.string().trim().max(300).nullish(),
  description: z.string().trim().max(2000).nullish(),
  sku: z
    .string()
    .trim()
    .max(64)
    .nullish()
    .transform((value) => (value ? value : null)),
  barcode: barcodeSchema.nullish().transform((value) => value ?? null),
  /** UN/ECE Recommendation 20 (PCE piece, HUR hour, KGM kilogram, …). */
  unit_code: z
    .string()
    .regex(/^[A-Z0-9]{1,3}$/, 'A UN/ECE Rec. 20 unit code such as PCE, HUR or KGM.')
    .default('PCE'),
  unit_price: decimalSchema,
  vat_category: z.enum(VAT_CATEGORIES).default('S'),
  /** Percent; defaults from the company's country and the category (S: 15 in SA, 5 in the UAE). */
  vat_rate: decimalSchema.optional(),
  ...itemClassificationFields,
};

/** A stock quantity: goods counted in their unit (pieces, kilograms), never below zero. */
const stockSchema = decimalSchema.refine((text) => !text.startsWith('-'), {
  message: 'Stock cannot be negative.',
  params: { code: 'STOCK_NEGATIVE' },
});

/**
 * Names a billing system's catalogue uses, accepted beside ours: `name` (name_en), `price` (unit_price),
 * `tax_percent` (vat_rate), `stock` (stock_quantity). One of each pair; both with different values is refused.
 */
const ALIASES = [
  ['name', 'name_en'],
  ['price', 'unit_price'],
  ['tax_percent', 'vat_rate'],
  ['stock', 'stock_quantity'],
] as const;
const aliasFields = {
  name: productFields.name_en.optional().describe('Alias of name_en'),
  price: decimalSchema.optional().describe('Alias of unit_price'),
  tax_percent: decimalSchema.optional().describe('Alias of vat_rate'),
  stock: stockSchema.nullish().describe('Alias of stock_quantity'),
};

/** Moves each alias onto our field; a pair given twice with different values is an issue at the alias. */
function resolveAliases<T extends Record<string, unknown>>(body: T, ctx: z.RefinementCtx): T {
  const merged: Record<string, unknown> = { ...body };
  for (const [alias, ours] of ALIASES) {
    if (!(alias in merged)) continue;
    const value = merged[alias];
    delete merged[alias];
    if (merged[ours] !== undefined && merged[ours] !== value) {
      ctx.addIssue({
        code: 'custom',
        path: [alias],
        message: `Give ${alias} or ${ours}, not both.`,
        params: { code: 'ALIAS_CONFLICT' },
      });
      continue;
    }
    if (value !== undefined) merged[ours] = value;
  }
  return merged as T;
}

export const productCreateSchema = z
  .strictObject({
    ...productFields,
    name_en: productFields.name_en.optional(),
    unit_price: decimalSchema.optional(),
    /** Goods: the opening stock (recorded as a stock movement); absent or null for a service. */
    stock_quantity: stockSchema.nullish(),
    ...aliasFields,
  })
  .transform((body, ctx) => {
    const { name, price, tax_percent, stock, ...merged } = resolveAliases(body, ctx);
    for (const [field, alias] of [
      ['name_en', 'name'],
      ['unit_price', 'price'],
    ] as const) {
      if (merged[field] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `Give ${field} (or ${alias}).`,
          params: { code: 'REQUIRED' },
        });
      }
    }
    return merged as typeof merged & { name_en: string; unit_price: string };
  });
export type ProductInput = z.output<typeof productCreateSchema>;

/** PATCH and PUT: the fields sent replace the stored ones; a new stock is recorded as an adjustment. */
export const productUpdateSchema = z
  .strictObject({
    name_en: productFields.name_en.optional(),
    name_ar: productFields.name_ar,
    description: productFields.description,
    // No transform here: an absent SKU leaves the stored one alone ("" or null clears it).
    sku: z.string().trim().max(64).nullish(),
    /** null clears it. */
    barcode: barcodeSchema.nullish(),
    unit_code: productFields.unit_code.optional(),
    unit_price: decimalSchema.optional(),
    vat_category: z.enum(VAT_CATEGORIES).optional(),
    vat_rate: decimalSchema.optional(),
    ...itemClassificationFields,
    /** The counted stock: the difference is recorded as an adjustment; null stops keeping stock. */
    stock_quantity: stockSchema.nullish(),
    ...aliasFields,
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change.' })
  .transform((body, ctx) => {
    const { name, price, tax_percent, stock, ...merged } = resolveAliases(body, ctx);
    return merged;
  });
export type ProductPatch = z.output<typeof productUpdateSchema>;

export const productSchema = z.object({
  id: z.uuid(),
  name_en: z.string(),
  name_ar: z.string().nullable(),
  description: z.string().nullable(),
  sku: z.string().nullable(),
  barcode: z.string().nullable().describe('GTIN (EAN/UPC), check digit verified'),
  unit_code: z.string(),
  unit_price: z.string(),
  vat_category: z.string(),
  vat_rate: z.string(),
  stock_quantity: z.string().nullable().describe('Goods: the quantity in stock; null for a service'),
  item_type: z.enum(ITEM_TYPES).nullable(),
  hs_code: z.string().nullable(),
  service_code: z.string().nullable(),
  name: z.string().describe('Same as name_en'),
  price: z.string().describe('Same as unit_price'),
  tax_percent: z.string().describe('Same as vat_rate'),
  stock: z.string().nullable().describe('Same as stock_quantity'),
  is_archived: z.boolean(),
  archived_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const productListQuerySchema = z.strictObject({
  ...paginationQuerySchema,
  q: z.string().trim().max(100).optional().describe('Name (English or Arabic, anywhere in it) or SKU'),
  search: z.string().trim().max(100).optional().describe('Same as q'),
  barcode: barcodeSchema.optional().describe('The product with exactly this GTIN (a scanner types it)'),
  include_archived: booleanQuerySchema.default(false),
});

export const productListSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
  products: z.array(productSchema),
});

export const stockMovementSchema = z.object({
  id: z.uuid(),
  product_id: z.uuid(),
  kind: z.enum(STOCK_MOVEMENT_KINDS),
  quantity: z.string().describe('Signed: a sale takes out (-2), a receipt or a return puts in'),
  balance: z.string().describe('The stock after this movement'),
  invoice_id: z.uuid().nullable(),
  note: z.string().nullable(),
  created_at: z.string(),
});

export const stockMovementListSchema = z.object({
  page: z.number().int(),
  page_size: z.number().int(),
  movements: z.array(stockMovementSchema),
});

export const stockMovementCreateSchema = z.strictObject({
  kind: z.enum(['receipt', 'adjustment']),
  quantity: decimalSchema.describe('receipt: what came in (positive); adjustment: signed'),
  note: z.string().trim().max(500).optional(),
});
export type StockMovementInput = z.output<typeof stockMovementCreateSchema>;
