import type { Db } from '@invoiceflow/db';
import { profileFor } from '@invoiceflow/jurisdictions';
import {
  computeTotals,
  defaultVatRate,
  type Jurisdiction,
  unitPriceText,
  type VatCategory,
} from '@invoiceflow/totals';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { auditorFor } from '../../lib/audit';
import { isUniqueViolation } from '../../lib/db-errors';
import { AppError, defineErrors, type FieldError, validationError } from '../../lib/errors';
import { getCompany } from '../companies/queries';
import * as q from './queries';
import type { ProductInput, ProductPatch, StockMovementInput } from './schemas';
import { getStockMovement, insufficientStock, moveStock, type StockMovementRow, setStock } from './stock';

defineErrors({
  PRODUCT_NOT_FOUND: [404, 'Product not found.'],
  SKU_TAKEN: [409, 'Another product of this company has this SKU.'],
  BARCODE_TAKEN: [409, 'Another product of this company has this barcode.'],
});

/** A product's price is in the company's currency: printed with at least its digits ("45" → "45.00"). */
export function presentProduct(row: q.ProductRow, currency: string) {
  return {
    id: row.id,
    name_en: row.nameEn,
    name_ar: row.nameAr,
    description: row.description,
    sku: row.sku,
    barcode: row.barcode,
    unit_code: row.unitCode,
    unit_price: unitPriceText(row.unitPrice, currency),
    vat_category: row.vatCategory,
    vat_rate: row.vatRate,
    stock_quantity: row.stockQuantity,
    item_type: row.itemType,
    hs_code: row.hsCode,
    service_code: row.serviceCode,
    name: row.nameEn,
    price: unitPriceText(row.unitPrice, currency),
    tax_percent: row.vatRate,
    stock: row.stockQuantity,
    is_archived: row.archivedAt !== null,
    archived_at: row.archivedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export async function companyCurrency(db: Db, companyId: string): Promise<string> {
  const company = await getCompany(db, { companyId });
  if (!company) throw new AppError('COMPANY_NOT_FOUND');
  return company.currency;
}

export async function jurisdictionOf(db: Db, companyId: string): Promise<Jurisdiction> {
  const company = await getCompany(db, { companyId });
  if (!company) throw new AppError('COMPANY_NOT_FOUND');
  return profileFor(company.country).rules;
}

/**
 * Price and VAT are checked by the totals engine, as a one-line invoice of this product would be: the rate must
 * suit the category in the company's country (BR-KSA-84, ibr-190-ae, BR-Z-05, …). Exemption reasons belong to
 * the invoice line, not the catalogue, and are not asked for here.
 */
export function checkPricing(
  jurisdiction: Jurisdiction,
  product: { unit_price: string; vat_category: VatCategory; vat_rate: string },
): void {
  const { errors } = computeTotals({
    jurisdiction,
    lines: [{ quantity: '1', ...product }],
  });
  const fieldErrors: FieldError[] = [];
  for (const error of errors) {
    const field = error.path.replace(/^lines\.0\.?/, '');
    if (field === 'unit_price' || field === 'vat_rate' || field === 'vat_category') {
      fieldErrors.push({ ...error, path: field });
    }
  }
  if (fieldErrors.length > 0) throw validationError(fieldErrors);
}

export function rateOrDefault(
  jurisdiction: Jurisdiction,
  category: VatCategory,
  rate: string | undefined,
): string {
  const value = rate ?? defaultVatRate(jurisdiction, category);
  if (value === undefined) {
    throw validationError([{ path: 'vat_rate', code: 'VAT_RATE_REQUIRED', message: 'Give the VAT rate.' }]);
  }
  return value;
}

function skuConflict(error: unknown): never {
  if (isUniqueViolation(error, 'products_company_sku_key')) throw new AppError('SKU_TAKEN');
  if (isUniqueViolation(error, 'products_company_barcode_key')) throw new AppError('BARCODE_TAKEN');
  throw error;
}

export async function createProduct(ctx: AppContext, companyId: string, actor: Actor, input: ProductInput) {
  return ctx.db.transaction(async (tx) => {
    const jurisdiction = await jurisdictionOf(tx, companyId);
    const vatRate = rateOrDefault(jurisdiction, input.vat_category, input.vat_rate);
    checkPricing(jurisdiction, { ...input, vat_rate: vatRate });
    const row = await q
      .insertProduct(tx, {
        companyId,
        values: {
          nameEn: input.name_en,
          nameAr: input.name_ar ?? null,
          description: input.description ?? null,
          sku: input.sku,
          barcode: input.barcode,
          unitCode: input.unit_code,
          unitPrice: input.unit_price,
          vatCategory: input.vat_category,
          vatRate,
          itemType: input.item_type ?? null,
          hsCode: input.hs_code || null,
          serviceCode: input.service_code || null,
          // Goods start at zero and the opening stock is their first movement.
          stockQuantity: input.stock_quantity == null ? null : '0',
        },
      })
      .catch(skuConflict);
    await audit(tx, companyId, actor, 'product.created', row.id);
    if (input.stock_quantity == null || Number(input.stock_quantity) === 0) return row;
    const moved = await moveStock(tx, {
      companyId,
      productId: row.id,
      kind: 'opening',
      quantity: input.stock_quantity,
      userId: actor.userId,
    });
    return moved.status === 'moved' ? { ...row, stockQuantity: moved.balance } : row;
  });
}

export async function getProductOrThrow(db: Db, companyId: string, id: string) {
  const row = await q.getProduct(db, { companyId, id });
  if (!row) throw new AppError('PRODUCT_NOT_FOUND');
  return row;
}

export async function updateProduct(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  patch: ProductPatch,
) {
  return ctx.db.transaction(async (tx) => {
    const current = await q.getProduct(tx, { companyId, id, forUpdate: true });
    if (!current) throw new AppError('PRODUCT_NOT_FOUND');
    const jurisdiction = await jurisdictionOf(tx, companyId);
    const category = (patch.vat_category ?? current.vatCategory) as VatCategory;
    // A new category without a rate takes the category's default rate rather than keeping an unfit one.
    const vatRate =
      patch.vat_rate ??
      (patch.vat_category ? rateOrDefault(jurisdiction, category, undefined) : current.vatRate);
    const unitPrice = patch.unit_price ?? current.unitPrice;
    checkPricing(jurisdiction, { unit_price: unitPrice, vat_category: category, vat_rate: vatRate });
    const row = await q
      .updateProduct(tx, {
        companyId,
        id,
        values: {
          nameEn: patch.name_en,
          nameAr: patch.name_ar,
          description: patch.description,
          sku: patch.sku === undefined ? undefined : patch.sku || null,
          barcode: patch.barcode,
          unitCode: patch.unit_code,
          unitPrice,
          vatCategory: category,
          vatRate,
          itemType: patch.item_type,
          hsCode: patch.hs_code === undefined ? undefined : patch.hs_code || null,
          serviceCode: patch.service_code === undefined ? undefined : patch.service_code || null,
          ...(patch.stock_quantity === null ? { stockQuantity: null } : {}),
        },
      })
      .catch(skuConflict);
    if (!row) throw new AppError('PRODUCT_NOT_FOUND');
    await audit(tx, companyId, actor, 'product.updated', id, { fields: Object.keys(patch) });
    if (patch.stock_quantity == null) return row;
    // A counted stock: the difference is an adjustment movement (none when it matches).
    const stockQuantity = await setStock(tx, {
      companyId,
      productId: id,
      to: patch.stock_quantity,
      kind: current.stockQuantity === null ? 'opening' : 'adjustment',
      userId: actor.userId,
    });
    return { ...row, stockQuantity };
  });
}

/** A product on an issued invoice is archived (and gives its SKU back); an unused one is deleted. */
export async function deleteProduct(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
): Promise<{ deleted: true } | { deleted: false; row: q.ProductRow }> {
  return ctx.db.transaction(async (tx) => {
    const current = await q.getProduct(tx, { companyId, id, forUpdate: true });
    if (!current) throw new AppError('PRODUCT_NOT_FOUND');
    if (current.usedAt === null && (await q.deleteUnusedProduct(tx, { companyId, id }))) {
      await audit(tx, companyId, actor, 'product.deleted', id);
      return { deleted: true as const };
    }
    const row =
      current.archivedAt === null
        ? await q.updateProduct(tx, { companyId, id, values: { archivedAt: new Date() } })
        : current;
    if (!row) throw new AppError('PRODUCT_NOT_FOUND');
    await audit(tx, companyId, actor, 'product.archived', id);
    return { deleted: false as const, row };
  });
}

/** Goods received or a counted correction, as one stock movement. */
export async function recordStockMovement(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  input: StockMovementInput,
): Promise<StockMovementRow> {
  const quantity = Number(input.quantity);
  if (quantity === 0 || (input.kind === 'receipt' && quantity < 0)) {
    throw validationError([
      {
        path: 'quantity',
        code: 'INVALID_QUANTITY',
        message:
          input.kind === 'receipt'
            ? 'A receipt adds a positive quantity.'
            : 'An adjustment changes the stock.',
      },
    ]);
  }
  return ctx.db.transaction(async (tx) => {
    const product = await q.getProduct(tx, { companyId, id, forUpdate: true });
    if (!product || product.archivedAt !== null) throw new AppError('PRODUCT_NOT_FOUND');
    if (product.stockQuantity === null) {
      throw validationError([
        { path: 'kind', code: 'STOCK_NOT_KEPT', message: 'This product keeps no stock (a service).' },
      ]);
    }
    const moved = await moveStock(tx, {
      companyId,
      productId: id,
      kind: input.kind,
      quantity: input.quantity,
      note: input.note ?? null,
      userId: actor.userId,
    });
    if (moved.status !== 'moved') throw insufficientStock(product, 'quantity');
    await audit(tx, companyId, actor, `product.stock_${input.kind}`, id, { quantity: input.quantity });
    const row = await getStockMovement(tx, { companyId, id: moved.movementId });
    if (!row) throw new Error('stock movement vanished');
    return row;
  });
}

const audit = auditorFor('product');
