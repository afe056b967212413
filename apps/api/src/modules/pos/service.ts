// Point-of-sale: tills, their drawers, and sales. A sale is one transaction: the customer found or created by
// e-mail, the stock moved, the invoice issued through the one pipeline (signed by the till's EGS unit for a Saudi
// company), the change made from the drawer's counts and the counts moved, the sale recorded. Any refusal
// (stock, underpayment, change the drawer cannot make) rolls all of it back: no stock, count, number or chain
// position is spent.
//
// Locks, always in this order so two sales never wait on each other in a circle: the till and its drawer rows, the
// customer's e-mail, what issuing takes (the till's number counter, the signing chain), and last the products sold
// (by id, stock and usage mark in one statement), held only for the few statements before the commit: sales of the
// same goods at four tills sign in parallel and queue only for their stock.

import { makeChange } from '@invoiceflow/change';
import type { Db } from '@invoiceflow/db';
import type { DenominationCount } from '@invoiceflow/db/schema';
import {
  compareMoney,
  Decimal,
  exactMinorUnits,
  fitsCurrency,
  fromMinorUnits,
  parseDecimal,
  roundMoney,
  subtractMoney,
  unitPriceText,
} from '@invoiceflow/totals';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { recordAudit } from '../../lib/audit';
import { isUniqueViolation } from '../../lib/db-errors';
import { AppError, defineErrors, type FieldError, validationError } from '../../lib/errors';
import { getCompany } from '../companies/queries';
import { getCustomer, insertCustomer } from '../customers/queries';
import { getEgs } from '../egs/queries';
import { withIdempotency } from '../idempotency/service';
import { type AfterCommit, type AfterCommitLog, withAfterCommit } from '../invoices/extensions';
import { getInvoice, type InvoiceWithState } from '../invoices/queries';
import { issueBodySchema } from '../invoices/schemas';
import { issueInTransaction } from '../invoices/service';
import type { ProductRow } from '../products/queries';
import { insufficientStock, moveStocks } from '../products/stock';
import * as q from './queries';
import type { DenominationCountInput, DenominationCreate, SaleInput } from './schemas';

defineErrors({
  TILL_NOT_FOUND: [404, 'Till not found.'],
  TILL_NAME_TAKEN: [409, 'Another till of this company has this name.'],
  TILL_SERIES_TAKEN: [409, 'Another till of this company numbers its sales with this code.'],
  SALE_NOT_FOUND: [404, 'Sale not found.'],
  DENOMINATION_EXISTS: [409, 'The drawer already has this denomination; change its count with PUT.'],
  DENOMINATION_NOT_FOUND: [404, 'The drawer has no such denomination.'],
  PAYMENT_TOO_LOW: [422, 'The cash paid is less than the total.'],
  CHANGE_UNAVAILABLE: [409, 'The drawer cannot make this change exactly.'],
  SESSION_OPEN: [409, 'A cash session is open at this till: record cash in or out instead.'],
});

export type SaleOptions = { idempotencyKey?: string; log?: AfterCommitLog };

// ------------------------------------------------------------------------------------------------ tills

export async function resolveTill(db: Db, companyId: string, tillId: string | undefined): Promise<q.TillRow> {
  const till = tillId
    ? await q.getTill(db, { companyId, id: tillId })
    : await q.ensureDefaultTill(db, { companyId });
  if (!till) throw new AppError('TILL_NOT_FOUND');
  return till;
}

/** The till locked until the transaction ends (the default one when none is named). */
async function lockedTill(db: Db, companyId: string, tillId: string | undefined): Promise<q.TillRow> {
  const id = tillId ?? (await resolveTill(db, companyId, undefined)).id;
  const till = await q.lockTill(db, { companyId, id });
  if (!till) throw new AppError('TILL_NOT_FOUND');
  return till;
}

export async function createTill(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  input: { name: string; egs_unit_id?: string | null; is_default?: boolean; series_code?: string | null },
): Promise<q.TillRow> {
  return ctx.db.transaction(async (tx) => {
    if (input.egs_unit_id) {
      const unit = await getEgs(tx, { companyId, id: input.egs_unit_id });
      if (!unit || unit.status === 'retired') {
        throw validationError([{ path: 'egs_unit_id', code: 'EGS_NOT_FOUND', message: 'No such EGS unit.' }]);
      }
    }
    const hasDefault = (await q.getDefaultTill(tx, { companyId })) !== undefined;
    const isDefault = input.is_default === true || !hasDefault;
    if (isDefault && hasDefault) await q.clearDefaultTill(tx, { companyId });
    const till = await q
      .insertTill(tx, {
        companyId,
        name: input.name,
        egsUnitId: input.egs_unit_id ?? null,
        isDefault,
        seriesCode: input.series_code ?? null,
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error, 'tills_company_name_key')) throw new AppError('TILL_NAME_TAKEN');
        if (isUniqueViolation(error, 'tills_company_series_code_key')) {
          throw new AppError('TILL_SERIES_TAKEN', {
            errors: [{ path: 'series_code', code: 'TILL_SERIES_TAKEN', message: 'Used by another till.' }],
          });
        }
        throw error;
      });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'till.created',
      entityType: 'till',
      entityId: till.id,
      data: { name: till.name, egs_unit_id: till.egsUnitId, series_code: till.seriesCode },
      requestId: actor.requestId,
    });
    return till;
  });
}

export function presentTill(row: q.TillRow) {
  return {
    id: row.id,
    name: row.name,
    egs_unit_id: row.egsUnitId,
    is_default: row.isDefault,
    series_code: row.seriesCode,
    created_at: row.createdAt.toISOString(),
  };
}

// ------------------------------------------------------------------------------------------------ drawers

async function companyOf(db: Db, companyId: string) {
  const company = await getCompany(db, { companyId });
  if (!company) throw new AppError('COMPANY_NOT_FOUND');
  return company;
}

/** A face value is positive and has no more decimals than the currency (a 0.005 coin does not exist in SAR). */
export function checkFaceValue(value: string, currency: string, path: string): string {
  if (compareMoney(value, '0') <= 0 || !fitsCurrency(value, currency)) {
    throw validationError([
      {
        path,
        code: 'INVALID_DENOMINATION',
        message: `A note or coin of ${currency}: more than zero, at most the currency's decimals.`,
      },
    ]);
  }
  return roundMoney(value, currency);
}

export function presentDrawer(till: q.TillRow, rows: q.DenominationRow[], currency: string) {
  let total = 0n;
  for (const row of rows)
    total += exactMinorUnits(roundMoney(row.value, currency), currency) * BigInt(row.count);
  return {
    till_id: till.id,
    currency,
    total: fromMinorUnits(total, currency),
    denominations: [...rows]
      .sort((a, b) => compareMoney(b.value, a.value))
      .map((row) => ({ value: roundMoney(row.value, currency), available_count: row.count })),
  };
}

export async function getDrawer(ctx: AppContext, companyId: string, tillId: string | undefined) {
  return ctx.db.transaction(async (tx) => {
    const till = await resolveTill(tx, companyId, tillId);
    const company = await companyOf(tx, companyId);
    return presentDrawer(
      till,
      await q.listDenominations(tx, { companyId, tillId: till.id }),
      company.currency,
    );
  });
}

/** A count set by hand is a recount outside any shift; during a session, cash moves in and out instead. */
async function assertNoOpenSession(tx: Db, companyId: string, tillId: string) {
  if (await q.getOpenSession(tx, { companyId, tillId })) throw new AppError('SESSION_OPEN');
}

export async function addDenomination(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  input: DenominationCreate,
) {
  return ctx.db.transaction(async (tx) => {
    const till = await resolveTill(tx, companyId, input.till_id);
    const company = await companyOf(tx, companyId);
    const value = checkFaceValue(input.value, company.currency, 'value');
    await q.listDenominations(tx, { companyId, tillId: till.id, forUpdate: true });
    await assertNoOpenSession(tx, companyId, till.id);
    const added = await q.insertDenomination(tx, {
      companyId,
      tillId: till.id,
      value,
      count: input.available_count,
    });
    if (!added) throw new AppError('DENOMINATION_EXISTS');
    await auditDrawer(tx, companyId, actor, till.id, 'drawer.denomination_added', {
      value,
      count: input.available_count,
    });
    return { value, available_count: input.available_count };
  });
}

export async function setDenomination(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  rawValue: string,
  input: { available_count: number; till_id?: string },
) {
  return ctx.db.transaction(async (tx) => {
    const till = await resolveTill(tx, companyId, input.till_id);
    const company = await companyOf(tx, companyId);
    const value = checkFaceValue(rawValue, company.currency, 'value');
    const drawer = await q.listDenominations(tx, { companyId, tillId: till.id, forUpdate: true });
    if (!drawer.some((row) => compareMoney(row.value, value) === 0))
      throw new AppError('DENOMINATION_NOT_FOUND');
    await assertNoOpenSession(tx, companyId, till.id);
    await q.setDenominationCount(tx, { companyId, tillId: till.id, value, count: input.available_count });
    await auditDrawer(tx, companyId, actor, till.id, 'drawer.counted', {
      value,
      count: input.available_count,
    });
    return { value, available_count: input.available_count };
  });
}

async function auditDrawer(
  tx: Db,
  companyId: string,
  actor: Actor,
  tillId: string,
  action: string,
  data: Record<string, unknown>,
) {
  await recordAudit(tx, {
    companyId,
    actorUserId: actor.userId,
    action,
    entityType: 'till',
    entityId: tillId,
    data,
    requestId: actor.requestId,
  });
}

// ------------------------------------------------------------------------------------------------ sales

/** Lines of the issue request keep their item's index, so the pipeline's `lines.N` paths name `items.N`. */
function itemPaths(errors: FieldError[] | undefined): FieldError[] | undefined {
  return errors?.map((error) => ({ ...error, path: error.path.replace(/^lines\./, 'items.') }));
}

/** Counted pieces as minor units, each value checked against the currency. */
function countsInMinorUnits(counts: readonly DenominationCountInput[], currency: string, path: string) {
  return counts.map((piece, index) => {
    const value = checkFaceValue(piece.value, currency, `${path}.${index}.value`);
    return { value, units: exactMinorUnits(value, currency), count: piece.count };
  });
}

export async function createSale(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  input: SaleInput,
  options: SaleOptions = {},
) {
  return withAfterCommit(
    ctx,
    (tx, afterCommit) =>
      withIdempotency(
        tx,
        { companyId, userId: actor.userId, scope: 'pos.sale', key: options.idempotencyKey, request: input },
        async () => {
          const sale = await sellInTransaction(ctx, tx, companyId, actor, input, afterCommit);
          return { statusCode: 201, body: sale };
        },
      ),
    options.log,
    // The till prints the 80 mm receipt; the sale's A4 invoice PDF is rendered on its first download.
    ['pdf'],
  );
}

async function sellInTransaction(
  ctx: AppContext,
  tx: Db,
  companyId: string,
  actor: Actor,
  input: SaleInput,
  afterCommit: AfterCommit,
) {
  const company = await companyOf(tx, companyId);
  const currency = company.currency;
  // One sale, count or session change at a time per till: the first lock a sale takes.
  const till = await lockedTill(tx, companyId, input.till_id);
  if (!fitsCurrency(input.paid_amount, currency) || compareMoney(input.paid_amount, '0') < 0) {
    throw validationError([
      { path: 'paid_amount', code: 'INVALID_AMOUNT', message: `An amount of ${currency}, zero or more.` },
    ]);
  }
  const tendered = input.tendered ? countsInMinorUnits(input.tendered, currency, 'tendered') : undefined;
  if (tendered) {
    const sum = tendered.reduce((total, piece) => total + piece.units * BigInt(piece.count), 0n);
    if (sum !== exactMinorUnits(roundMoney(input.paid_amount, currency), currency)) {
      throw validationError([
        {
          path: 'tendered',
          code: 'TENDERED_MISMATCH',
          message: 'The pieces handed over add up to paid_amount.',
        },
      ]);
    }
  }

  // The products as they are now, unlocked: their stock is moved, and checked, at the end.
  const ids = [...new Set(input.items.map((item) => item.product_id))].sort();
  const products = new Map<string, ProductRow>(
    (await q.productsForSale(tx, { companyId, ids })).map((row) => [row.id, row]),
  );
  const missing = input.items.flatMap((item, index) => {
    const product = products.get(item.product_id);
    return !product || product.archivedAt !== null
      ? [{ path: `items.${index}.product_id`, code: 'PRODUCT_NOT_FOUND', message: 'No such product.' }]
      : [];
  });
  const badQuantities = input.items.flatMap((item, index) =>
    compareMoney(item.quantity, '0') <= 0
      ? [{ path: `items.${index}.quantity`, code: 'INVALID_QUANTITY', message: 'A quantity above zero.' }]
      : [],
  );
  if (missing.length > 0 || badQuantities.length > 0) {
    throw new AppError('INVOICE_INVALID', { errors: [...missing, ...badQuantities] });
  }
  // Short already as read: refused before anything is counted or signed (the move at the end decides a race).
  for (const productId of ids) {
    const product = products.get(productId) as ProductRow;
    if (product.stockQuantity === null) continue;
    const sold = input.items
      .filter((item) => item.product_id === productId)
      .reduce((total, item) => total.plus(decimalOf(item.quantity)), Decimal.of(0));
    if (sold.gt(decimalOf(product.stockQuantity))) {
      const index = input.items.findIndex((item) => item.product_id === productId);
      throw insufficientStock(product, `items.${index}.quantity`);
    }
  }

  const drawer = await q.listDenominations(tx, { companyId, tillId: till.id, forUpdate: true });
  const session = await q.getOpenSession(tx, { companyId, tillId: till.id });

  let customerId: string | undefined;
  if (input.customer_email) {
    const found = await q.lockCustomerByEmail(tx, { companyId, email: input.customer_email });
    customerId =
      found?.id ??
      (
        await insertCustomer(tx, {
          companyId,
          values: {
            kind: 'individual',
            nameEn: input.customer_name ?? input.customer_email,
            email: input.customer_email,
            address: { country: company.country },
          },
        })
      ).id;
  }

  const unit = till.egsUnitId ?? undefined;
  const issueBody = issueBodySchema.parse({
    subtype: 'simplified',
    ...(customerId ? { customer_id: customerId } : {}),
    ...(input.customer_name ? { customer_name: input.customer_name } : {}),
    lines: input.items.map((item) => ({ product_id: item.product_id, quantity: item.quantity })),
    ...(unit ? { egs_unit_id: unit } : {}),
  });
  // The issue inside the sale's transaction (the sale's own idempotency key covers it), kept as stored: nothing
  // the sale writes after it changes the invoice, so its answer needs no read-back.
  let invoice: InvoiceWithState;
  try {
    invoice = await issueInTransaction(ctx, tx, companyId, actor, issueBody, afterCommit, undefined, {
      company,
      productsMarkedByCaller: true,
      ...(till.seriesCode ? { seriesCode: till.seriesCode } : {}),
    });
  } catch (error) {
    if (error instanceof AppError && error.errors) {
      throw new AppError(error.code, {
        status: error.status,
        message: error.message,
        errors: itemPaths(error.errors),
        extra: error.extra,
      });
    }
    throw error;
  }
  const total = roundMoney(invoice.payableAmount, invoice.currency);

  if (compareMoney(input.paid_amount, total) < 0) {
    throw new AppError('PAYMENT_TOO_LOW', {
      message: `The total is ${total} ${currency}; ${roundMoney(input.paid_amount, currency)} was paid.`,
      errors: [{ path: 'paid_amount', code: 'PAYMENT_TOO_LOW', message: `At least ${total} ${currency}.` }],
      extra: { total_amount: total },
    });
  }
  const changeAmount = subtractMoney(input.paid_amount, total, currency);
  // The customer's own pieces are in the drawer before the change is counted out.
  const available = new Map<string, { units: bigint; count: number }>();
  for (const row of drawer) {
    const value = roundMoney(row.value, currency);
    available.set(value, { units: exactMinorUnits(value, currency), count: row.count });
  }
  for (const piece of tendered ?? []) {
    const held = available.get(piece.value);
    available.set(piece.value, { units: piece.units, count: (held?.count ?? 0) + piece.count });
  }
  const made = makeChange(
    exactMinorUnits(changeAmount, currency),
    [...available.values()].map(({ units, count }) => ({ value: units, count })),
  );
  if (!made.ok) {
    throw new AppError('CHANGE_UNAVAILABLE', {
      message:
        made.reason === 'TOO_LARGE'
          ? `The change of ${changeAmount} ${currency} is more than a till hands back.`
          : `The drawer cannot pay ${changeAmount} ${currency} of change exactly with the notes and coins it holds.`,
      errors: [
        { path: 'paid_amount', code: made.reason, message: `Change due: ${changeAmount} ${currency}.` },
      ],
      extra: { change_amount: changeAmount },
    });
  }
  const change: DenominationCount[] = made.pieces.map((piece) => ({
    value: fromMinorUnits(piece.value, currency),
    count: piece.count,
  }));

  await q.moveDenominations(tx, {
    companyId,
    tillId: till.id,
    moves: [
      ...(tendered ?? []).map((piece) => ({ value: piece.value, delta: piece.count })),
      ...change.map((piece) => ({ value: piece.value, delta: -piece.count })),
    ],
  });

  const sale = await q.insertSale(tx, {
    companyId,
    tillId: till.id,
    sessionId: session?.id ?? null,
    invoiceId: invoice.id,
    customerId: customerId ?? null,
    totalAmount: total,
    paidAmount: roundMoney(input.paid_amount, currency),
    changeAmount,
    change,
    tendered: tendered?.map(({ value, count }) => ({ value, count })) ?? null,
    createdBy: actor.userId,
  });
  // The stock last, all products in one statement. The last unit sold at two tills at once: the second waits
  // for the first's commit, finds none left and rolls back its number and chain position with it.
  const { insufficient } = await moveStocks(tx, {
    companyId,
    kind: 'sale',
    moves: input.items.map((item) => ({ productId: item.product_id, quantity: `-${item.quantity}` })),
    userId: actor.userId,
    invoiceId: invoice.id,
  });
  if (insufficient.length > 0) {
    const productId = [...insufficient].sort()[0] as string;
    const index = input.items.findIndex((item) => item.product_id === productId);
    const left = await q.productsForSale(tx, { companyId, ids: [productId] });
    throw insufficientStock(left[0] ?? (products.get(productId) as ProductRow), `items.${index}.quantity`);
  }
  await recordAudit(tx, {
    companyId,
    actorUserId: actor.userId,
    action: 'sale.recorded',
    entityType: 'sale',
    entityId: sale.id,
    data: { invoice_id: invoice.id, till_id: till.id, total_amount: total, change_amount: changeAmount },
    requestId: actor.requestId,
  });
  return presentSale(sale, invoice, input.customer_email ?? null);
}

/** A quantity or stock the schema and the database have checked to be a decimal. */
const decimalOf = (text: string): Decimal => parseDecimal(text) ?? Decimal.of(0);

export function presentSale(sale: q.SaleRow, invoice: InvoiceWithState, customerEmail: string | null) {
  const currency = invoice.currency;
  const snapshot = invoice.snapshot;
  return {
    id: sale.id,
    invoice_id: invoice.id,
    invoice_number: invoice.number,
    invoice_subtype: invoice.subtype,
    till_id: sale.tillId,
    session_id: sale.sessionId,
    customer_id: sale.customerId,
    customer_email: customerEmail,
    currency,
    items: snapshot.totals.lines.map((line, index) => {
      const input = snapshot.lines[index];
      return {
        product_id: input?.product_id ?? null,
        name: input?.description ?? null,
        name_ar: input?.description_ar ?? null,
        quantity: line.quantity,
        unit_price: unitPriceText(line.unit_price, currency),
        tax_percent: line.vat_rate,
        vat_category: line.vat_category,
        net_amount: line.net_amount,
        tax_amount: line.vat_amount,
        total: line.amount_with_vat,
      };
    }),
    subtotal: roundMoney(invoice.subtotal, currency),
    tax_amount: roundMoney(invoice.vatAmount, currency),
    total_amount: roundMoney(sale.totalAmount, currency),
    paid_amount: roundMoney(sale.paidAmount, currency),
    change_amount: roundMoney(sale.changeAmount, currency),
    change: sale.change,
    tendered: sale.tendered,
    qr_code_data: invoice.qrPayload,
    created_at: sale.createdAt.toISOString(),
  };
}

export async function getSaleOrThrow(db: Db, companyId: string, id: string) {
  const sale = await q.getSale(db, { companyId, id });
  if (!sale) throw new AppError('SALE_NOT_FOUND');
  const invoice = await getInvoice(db, { companyId, id: sale.invoiceId });
  if (!invoice) throw new AppError('SALE_NOT_FOUND');
  return { sale, invoice };
}

export async function presentSaleById(db: Db, companyId: string, id: string) {
  const { sale, invoice } = await getSaleOrThrow(db, companyId, id);
  return presentSale(sale, invoice, await customerEmailOf(db, companyId, sale.customerId));
}

async function customerEmailOf(db: Db, companyId: string, customerId: string | null) {
  if (!customerId) return null;
  return (await getCustomer(db, { companyId, id: customerId }))?.email ?? null;
}

export async function listSales(
  db: Db,
  companyId: string,
  { tillId, limit, offset }: { tillId?: string; limit: number; offset: number },
) {
  const rows = await q.listSales(db, { companyId, tillId, limit, offset });
  const presented = [];
  for (const sale of rows) {
    const invoice = await getInvoice(db, { companyId, id: sale.invoiceId });
    if (invoice)
      presented.push(presentSale(sale, invoice, await customerEmailOf(db, companyId, sale.customerId)));
  }
  return presented;
}
