// Stock: every change of a product's quantity is a stock movement row written in the statement that moves the
// quantity, so `products.stock_quantity` is always the last movement's balance and can be audited line by line.
// The quantity never goes below zero: the update only matches while enough is left (a concurrent sale of the
// last unit waits on the row, then finds nothing left), and the products_stock_not_negative CHECK refuses
// whatever might get past the code.
import { type Db, schema } from '@invoiceflow/db';
import { and, desc, eq, sql } from '@invoiceflow/db/orm';
import type { StockMovementKind } from '@invoiceflow/db/schema';
import { AppError, defineErrors } from '../../lib/errors';

const { products, stockMovements } = schema;

defineErrors({
  INSUFFICIENT_STOCK: [409, 'Not enough in stock.'],
});

export type StockMovementRow = typeof stockMovements.$inferSelect;

export interface StockChange {
  companyId: string;
  productId: string;
  kind: StockMovementKind;
  /** Signed decimal text: "-2" takes two out, "5" puts five in. */
  quantity: string;
  invoiceId?: string | null;
  note?: string | null;
  userId?: string | null;
}

/**
 * Moves a product's stock and records the movement, in one statement. Answers the new balance; `untracked` when
 * the product keeps no stock (a service); `insufficient` (nothing changed) when it would go below zero.
 */
export async function moveStock(
  db: Db,
  change: StockChange,
): Promise<
  | { status: 'moved'; balance: string; movementId: string }
  | { status: 'untracked' }
  | { status: 'insufficient' }
> {
  const { companyId, productId, kind, quantity } = change;
  const { rows } = (await db.execute(sql`
    WITH moved AS (
      UPDATE ${products}
         SET stock_quantity = stock_quantity + ${quantity}::numeric, updated_at = now()
       WHERE company_id = ${companyId} AND id = ${productId}
         AND stock_quantity IS NOT NULL AND stock_quantity + ${quantity}::numeric >= 0
      RETURNING id, stock_quantity
    )
    INSERT INTO ${stockMovements} (company_id, product_id, kind, quantity, balance, invoice_id, note, created_by)
    SELECT ${companyId}, moved.id, ${kind}, ${quantity}::numeric, moved.stock_quantity,
           ${change.invoiceId ?? null}::uuid, ${change.note ?? null}, ${change.userId ?? null}::uuid
      FROM moved
    RETURNING id, balance::text AS balance`)) as unknown as { rows: { id: string; balance: string }[] };
  const row = rows[0];
  if (row) return { status: 'moved', balance: row.balance, movementId: row.id };
  const [product] = await db
    .select({ stock: products.stockQuantity })
    .from(products)
    .where(and(eq(products.companyId, companyId), eq(products.id, productId)));
  return product && product.stock === null ? { status: 'untracked' } : { status: 'insufficient' };
}

/**
 * A sale's or return's stock, every product in one statement at the end of its transaction: the rows are locked
 * in id order (the one order every caller keeps) only from here to the commit, so sales of the same goods at
 * other tills wait for a few statements rather than across a signing. Each product is also marked used (it can
 * no longer be deleted), tracked or not. Answers the products whose stock would go below zero (nothing is moved
 * then: the caller rolls back).
 */
export async function moveStocks(
  db: Db,
  change: Omit<StockChange, 'productId' | 'quantity'> & {
    moves: readonly { productId: string; quantity: string }[];
  },
): Promise<{ insufficient: string[] }> {
  const { companyId, kind, moves } = change;
  if (moves.length === 0) return { insufficient: [] };
  const wanted = JSON.stringify(moves.map((move) => ({ id: move.productId, quantity: move.quantity })));
  const { rows } = (await db.execute(sql`
    WITH wanted AS MATERIALIZED (
      SELECT w.id, sum(w.quantity) AS quantity
        FROM jsonb_to_recordset(${wanted}::jsonb) AS w(id uuid, quantity numeric)
       GROUP BY w.id
    ), locked AS MATERIALIZED (
      SELECT p.id FROM ${products} AS p
       WHERE p.company_id = ${companyId} AND p.id IN (SELECT id FROM wanted)
       ORDER BY p.id
      FOR NO KEY UPDATE
    ), moved AS (
      UPDATE ${products} AS p
         SET stock_quantity = p.stock_quantity + wanted.quantity,
             used_at = coalesce(p.used_at, now()),
             updated_at = now()
        FROM wanted, locked
       WHERE p.company_id = ${companyId} AND p.id = wanted.id AND locked.id = p.id
         AND (p.stock_quantity IS NULL OR p.stock_quantity + wanted.quantity >= 0)
      RETURNING p.id, p.stock_quantity, wanted.quantity
    ), recorded AS (
      INSERT INTO ${stockMovements} (company_id, product_id, kind, quantity, balance, invoice_id, note, created_by)
      SELECT ${companyId}, moved.id, ${kind}, moved.quantity, moved.stock_quantity,
             ${change.invoiceId ?? null}::uuid, ${change.note ?? null}, ${change.userId ?? null}::uuid
        FROM moved WHERE moved.stock_quantity IS NOT NULL
    )
    SELECT wanted.id::text AS id FROM wanted
     WHERE NOT EXISTS (SELECT 1 FROM moved WHERE moved.id = wanted.id)`)) as unknown as {
    rows: { id: string }[];
  };
  return { insufficient: rows.map((row) => row.id) };
}

/** The refusal of a sale or return that would take more than is left, naming the product. */
export function insufficientStock(
  product: { id: string; nameEn: string; stockQuantity: string | null },
  path: string,
): AppError {
  const left = product.stockQuantity ?? '0';
  return new AppError('INSUFFICIENT_STOCK', {
    message: `Not enough "${product.nameEn}" in stock (${left} left).`,
    errors: [
      {
        path,
        code: 'INSUFFICIENT_STOCK',
        message: `Not enough "${product.nameEn}" in stock (${left} left).`,
      },
    ],
    extra: { product_id: product.id, product_name: product.nameEn, available: left },
  });
}

export async function getStockMovement(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<StockMovementRow | undefined> {
  const [row] = await db
    .select()
    .from(stockMovements)
    .where(and(eq(stockMovements.companyId, companyId), eq(stockMovements.id, id)));
  return row;
}

export async function listStockMovements(
  db: Db,
  {
    companyId,
    productId,
    limit,
    offset,
  }: { companyId: string; productId: string; limit: number; offset: number },
): Promise<StockMovementRow[]> {
  return db
    .select()
    .from(stockMovements)
    .where(and(eq(stockMovements.companyId, companyId), eq(stockMovements.productId, productId)))
    .orderBy(desc(stockMovements.createdAt), desc(stockMovements.id))
    .limit(limit)
    .offset(offset);
}

export function presentStockMovement(row: StockMovementRow) {
  return {
    id: row.id,
    product_id: row.productId,
    kind: row.kind,
    quantity: row.quantity,
    balance: row.balance,
    invoice_id: row.invoiceId,
    note: row.note,
    created_at: row.createdAt.toISOString(),
  };
}

/**
 * Sets a product's stock to a counted quantity; the difference from the stock before (none counts as zero) is one
 * movement of `kind`, and no movement when nothing changed. Answers the new stock.
 */
export async function setStock(
  db: Db,
  change: Omit<StockChange, 'quantity'> & { to: string },
): Promise<string> {
  const { companyId, productId, kind, to } = change;
  const { rows } = (await db.execute(sql`
    WITH before AS (
      SELECT id, coalesce(stock_quantity, 0) AS stock FROM ${products}
       WHERE company_id = ${companyId} AND id = ${productId}
      FOR UPDATE
    ), moved AS (
      UPDATE ${products} AS p SET stock_quantity = ${to}::numeric, updated_at = now()
        FROM before WHERE p.id = before.id
      RETURNING p.id, p.stock_quantity AS after, before.stock AS before
    ), recorded AS (
      INSERT INTO ${stockMovements} (company_id, product_id, kind, quantity, balance, note, created_by)
      SELECT ${companyId}, moved.id, ${kind}, moved.after - moved.before, moved.after,
             ${change.note ?? null}, ${change.userId ?? null}::uuid
        FROM moved WHERE moved.after <> moved.before
    )
    SELECT after::text AS stock FROM moved`)) as unknown as { rows: { stock: string }[] };
  const row = rows[0];
  if (!row) throw new AppError('PRODUCT_NOT_FOUND');
  return row.stock;
}
