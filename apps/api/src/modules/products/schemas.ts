import { z } from 'zod';
import { decimalSchema } from '../../lib/decimal-input';
import { booleanQuerySchema, paginationQuerySchema } from '../../lib/pagination';

export { VAT_CATEGORIES } from '@invoiceflow/totals';

import { VAT_CATEGORIES } from '@invoiceflow/totals';

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
  /** UN/ECE Recommendation 20 (PCE piece, HUR hour, KGM kilogram, …). */
  unit_code: z
    .string()
    .regex(/^[A-Z0-9]{1,3}$/, 'A UN/ECE Rec. 20 unit code such as PCE, HUR or KGM.')
    .default('PCE'),
  unit_price: decimalSchema,
  vat_category: z.enum(VAT_CATEGORIES).default('S'),
  /** Percent; defaults from the company's country and the category (S: 15 in SA, 5 in the UAE). */
  vat_rate: decimalSchema.optional(),
};

export const productCreateSchema = z.strictObject(productFields);
export type ProductInput = z.output<typeof productCreateSchema>;

export const productUpdateSchema = z
  .strictObject({
    name_en: productFields.name_en.optional(),
    name_ar: productFields.name_ar,
    description: productFields.description,
    // No transform here: an absent SKU leaves the stored one alone ("" or null clears it).
    sku: z.string().trim().max(64).nullish(),
    unit_code: productFields.unit_code.optional(),
    unit_price: decimalSchema.optional(),
    vat_category: z.enum(VAT_CATEGORIES).optional(),
    vat_rate: decimalSchema.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change.' });
export type ProductPatch = z.output<typeof productUpdateSchema>;

export const productSchema = z.object({
  id: z.uuid(),
  name_en: z.string(),
  name_ar: z.string().nullable(),
  description: z.string().nullable(),
  sku: z.string().nullable(),
  unit_code: z.string(),
  unit_price: z.string(),
  vat_category: z.string(),
  vat_rate: z.string(),
  is_archived: z.boolean(),
  archived_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const productListQuerySchema = z.strictObject({
  ...paginationQuerySchema,
  q: z.string().trim().max(100).optional(),
  include_archived: booleanQuerySchema.default(false),
});

export const productListSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
  products: z.array(productSchema),
});
