import { type Db, schema } from '@invoiceflow/db';
import { and, asc, count, eq, inArray, isNull, type SQL, sql } from '@invoiceflow/db/orm';
import { foldSearchText, isIndexable } from '../invoices/search-text';

const { products } = schema;

export type ProductRow = typeof products.$inferSelect;
type ProductValues = Omit<typeof products.$inferInsert, 'id' | 'companyId'>;

export async function getProduct(
  db: Db,
  { companyId, id, forUpdate = false }: { companyId: string; id: string; forUpdate?: boolean },
): Promise<ProductRow | undefined> {
  const query = db
    .select()
    .from(products)
    .where(and(eq(products.companyId, companyId), eq(products.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row;
}

/**
 * Products named on invoice lines, key-share-locked so they cannot be deleted while the invoice is issued; a key
 * share lock does not block an update of the row, so a till's sale may still move their stock afterwards (a share
 * lock would deadlock two sales of the same goods, each waiting for the other's lock to update the stock).
 */
export async function getProductsForIssue(
  db: Db,
  { companyId, ids }: { companyId: string; ids: string[] },
): Promise<ProductRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(products)
    .where(and(eq(products.companyId, companyId), inArray(products.id, ids)))
    .for('key share');
}

export async function insertProduct(
  db: Db,
  { companyId, values }: { companyId: string; values: ProductValues },
): Promise<ProductRow> {
  const [row] = await db
    .insert(products)
    .values({ ...values, companyId })
    .returning();
  if (!row) throw new Error('product insert returned nothing');
  return row;
}

export async function updateProduct(
  db: Db,
  { companyId, id, values }: { companyId: string; id: string; values: Partial<ProductValues> },
): Promise<ProductRow | undefined> {
  const [row] = await db
    .update(products)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(products.companyId, companyId), eq(products.id, id)))
    .returning();
  return row;
}

/** The Arabic name folded as in products_name_ar_prefix_idx (the expression must match the index's exactly). */
const NAME_AR_FOLDED = sql.raw(
  `lower(translate(name_ar, '${schema.ARABIC_FOLD_FROM}', '${schema.ARABIC_FOLD_TO}'))`,
);

/**
 * The till's search over search_text (names folded, SKU), lower-cased: three letters or digits in a row anywhere
 * in it go to the trigram index; the first one or two keystrokes, which no trigram narrows, match the start of
 * the Latin or the Arabic name (two prefix indexes) rather than scan the catalogue.
 */
function productSearch(text: string): SQL {
  const folded = foldSearchText(text.toLowerCase());
  if (isIndexable(folded)) return sql`${products.searchText} LIKE ${`%${folded}%`}`;
  return sql`(${products.searchText} LIKE ${`${folded}%`} OR ${NAME_AR_FOLDED} LIKE ${`${folded}%`})`;
}

export async function listProducts(
  db: Db,
  {
    companyId,
    q,
    barcode,
    includeArchived,
    limit,
    offset,
  }: {
    companyId: string;
    q?: string;
    barcode?: string;
    includeArchived: boolean;
    limit: number;
    offset: number;
  },
): Promise<{ total: number; rows: ProductRow[] }> {
  const conditions: SQL[] = [eq(products.companyId, companyId)];
  if (!includeArchived) conditions.push(isNull(products.archivedAt));
  if (barcode) conditions.push(eq(products.barcode, barcode));
  if (q) conditions.push(productSearch(q));
  const where = and(...conditions);
  const [rows, [counted]] = await Promise.all([
    db
      .select()
      .from(products)
      .where(where)
      .orderBy(asc(products.nameEn), asc(products.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(products).where(where),
  ]);
  return { total: Number(counted?.n ?? 0), rows };
}

/** `used_at IS NULL` is re-checked after a concurrent issue's share lock is released. */
export async function deleteUnusedProduct(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<boolean> {
  const deleted = await db
    .delete(products)
    .where(and(eq(products.companyId, companyId), eq(products.id, id), isNull(products.usedAt)))
    .returning({ id: products.id });
  return deleted.length > 0;
}

export async function markProductsUsed(db: Db, { companyId, ids }: { companyId: string; ids: string[] }) {
  if (ids.length === 0) return;
  // The rows not yet marked are locked in id order, the order a sale moves stock in: two issues of the same new
  // products never hold one each and wait for the other's.
  const unmarked = db
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.companyId, companyId), inArray(products.id, ids), isNull(products.usedAt)))
    .orderBy(asc(products.id))
    .for('no key update');
  await db
    .update(products)
    .set({ usedAt: new Date() })
    .where(and(eq(products.companyId, companyId), inArray(products.id, unmarked)));
}
