import { type Db, schema } from '@invoiceflow/db';
import { and, eq, isNotNull, isNull } from '@invoiceflow/db/orm';
import type { Jurisdiction } from '@invoiceflow/totals';
import { productCreateSchema } from '../products/schemas';
import { checkPricing, jurisdictionOf, rateOrDefault } from '../products/service';
import { appErrorIssues, checkCellTexts, type ImportAdapter, type RowIssue, zodRowErrors } from './adapter';

const { products, stockMovements } = schema;

type ProductValues = typeof products.$inferInsert;

const fieldOf = (path: string) => path.split('.')[0] ?? path;

/** The SKUs of the company's products in use (archived ones may be reused, as the unique index allows). */
async function skusInUse(db: Db, companyId: string): Promise<Set<string>> {
  const rows = await db
    .select({ sku: products.sku })
    .from(products)
    .where(and(eq(products.companyId, companyId), isNull(products.archivedAt), isNotNull(products.sku)));
  return new Set(rows.map((row) => row.sku as string));
}

export const productsAdapter: ImportAdapter = {
  type: 'products',
  fields: [
    {
      name: 'name_en',
      aliases: ['name', 'product_name', 'item_name', 'item', 'title'],
      isRequired: true,
      example: 'Consulting hour',
    },
    { name: 'name_ar', aliases: ['arabic_name', 'product_name_ar'], example: 'ساعة استشارة' },
    { name: 'description', aliases: ['details'], example: '' },
    { name: 'sku', aliases: ['code', 'item_code', 'product_code', 'barcode'], example: 'CONS-1' },
    { name: 'unit_code', aliases: ['unit', 'uom', 'unit_of_measure'], example: 'HUR' },
    {
      name: 'unit_price',
      aliases: ['price', 'rate', 'sale_price', 'selling_price'],
      isRequired: true,
      example: '250.00',
    },
    { name: 'vat_category', aliases: ['tax_category', 'vat_code', 'tax_code'], example: 'S' },
    { name: 'vat_rate', aliases: ['tax_percent', 'tax_rate', 'vat_percent', 'vat'], example: '15' },
    { name: 'stock_quantity', aliases: ['stock', 'quantity_on_hand', 'opening_stock', 'qty'], example: '' },
  ],

  async begin(_ctx, db, { companyId, actor, write }) {
    const jurisdiction: Jurisdiction = await jurisdictionOf(db, companyId);
    const existing = await skusInUse(db, companyId);
    const seen = new Map<string, number>(); // SKU → first row that has it
    const duplicates: RowIssue[] = [];
    let pending: ProductValues[] = [];
    let made = 0;
    return {
      accept(values, row) {
        const textIssues = checkCellTexts(values);
        if (textIssues.length > 0) return textIssues;
        const parsed = productCreateSchema.safeParse({
          ...values,
          ...(values.unit_code ? { unit_code: values.unit_code.toUpperCase() } : {}),
          ...(values.vat_category ? { vat_category: values.vat_category.toUpperCase() } : {}),
        });
        if (!parsed.success) return zodRowErrors(parsed.error, fieldOf);
        const input = parsed.data;
        let vatRate: string;
        try {
          vatRate = rateOrDefault(jurisdiction, input.vat_category, input.vat_rate);
          checkPricing(jurisdiction, { ...input, vat_rate: vatRate });
        } catch (error) {
          return appErrorIssues(error, fieldOf);
        }
        if (input.sku) {
          if (existing.has(input.sku)) {
            return [
              { path: 'sku', code: 'SKU_TAKEN', message: 'Another product of this company has this SKU.' },
            ];
          }
          const first = seen.get(input.sku);
          if (first !== undefined) {
            duplicates.push({
              row,
              field: 'sku',
              code: 'SKU_DUPLICATE',
              message: `Row ${first} has the same SKU.`,
            });
          } else seen.set(input.sku, row);
        }
        if (write) {
          pending.push({
            companyId,
            nameEn: input.name_en,
            nameAr: input.name_ar ?? null,
            description: input.description ?? null,
            sku: input.sku,
            unitCode: input.unit_code,
            unitPrice: input.unit_price,
            vatCategory: input.vat_category,
            vatRate,
            stockQuantity: input.stock_quantity ?? null,
          });
        }
        return [];
      },
      finish: () => duplicates,
      async flush(tx) {
        if (pending.length === 0) return;
        const batch = pending;
        pending = [];
        const rows = await tx
          .insert(products)
          .values(batch)
          .returning({ id: products.id, stock: products.stockQuantity });
        // Goods start with their opening stock as their first movement, as a product made through the API does.
        const openings = rows.filter((product) => product.stock !== null && Number(product.stock) !== 0);
        if (openings.length > 0) {
          await tx.insert(stockMovements).values(
            openings.map((product) => ({
              companyId,
              productId: product.id,
              kind: 'opening' as const,
              quantity: product.stock as string,
              balance: product.stock as string,
              createdBy: actor.userId,
            })),
          );
        }
        made += rows.length;
      },
      counts: () => ({ products: made }),
    };
  },
};
