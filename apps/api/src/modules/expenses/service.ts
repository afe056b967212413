import { createHash, randomUUID } from 'node:crypto';
import { type Db, schema } from '@invoiceflow/db';
import { and, desc, eq, gte, lte, sql } from '@invoiceflow/db/orm';
import type { ExpenseReceiptRow, ExpenseRow } from '@invoiceflow/db/schema';
import {
  compareMoney,
  convertMoney,
  fitsCurrency,
  fromMinorUnits,
  includedVat,
  roundMoney,
  subtractMoney,
  toMinorUnits,
} from '@invoiceflow/totals';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { auditorFor } from '../../lib/audit';
import { AppError, defineErrors, type FieldError } from '../../lib/errors';
import { getCompany } from '../companies/queries';
import { checkedFileName } from '../files/file-name';
import { RECEIPT_TYPES, type ReceiptType, sniffReceiptType } from '../files/sniff';
import { configuredStorage, storageNamed } from '../files/storage';
import { assertStorageAvailable } from '../plans/limits';
import type { ExpenseCreateInput, ExpenseUpdateInput } from './schemas';

defineErrors({
  EXPENSE_NOT_FOUND: [404, 'Expense not found.'],
  RECEIPT_NOT_FOUND: [404, 'This expense has no receipt.'],
  RECEIPT_TYPE_NOT_ALLOWED: [415, 'A receipt is a JPEG or PNG image or a PDF.'],
  RECEIPT_TYPE_MISMATCH: [415, 'The file is not of the type it was sent as.'],
});

const audit = auditorFor('expense');

export interface ExpenseWithReceipt {
  expense: ExpenseRow;
  receipt: ExpenseReceiptRow | null;
}

export function presentExpense({ expense: e, receipt }: ExpenseWithReceipt, companyCurrency: string) {
  return {
    id: e.id,
    expense_date: e.expenseDate,
    vendor: e.vendor,
    category: e.category,
    description: e.description,
    amount: roundMoney(e.amount, e.currency),
    amount_cents: toMinorUnits(e.amount, e.currency),
    vat_amount: roundMoney(e.vatAmount, e.currency),
    vat_amount_cents: toMinorUnits(e.vatAmount, e.currency),
    net_amount: subtractMoney(e.amount, e.vatAmount, e.currency),
    vat_rate: e.vatRate,
    vat_category: e.vatCategory,
    is_vat_recoverable: e.isVatRecoverable,
    currency: e.currency,
    exchange_rate: e.exchangeRate,
    company_currency: companyCurrency,
    amount_in_company_currency: convertMoney(e.amount, e.exchangeRate, companyCurrency),
    vat_in_company_currency: convertMoney(e.vatAmount, e.exchangeRate, companyCurrency),
    status: e.status,
    receipt: receipt
      ? {
          file_name: receipt.fileName,
          content_type: receipt.contentType,
          byte_size: receipt.byteSize,
          sha256: receipt.sha256,
          uploaded_at: receipt.createdAt.toISOString(),
        }
      : null,
    created_at: e.createdAt.toISOString(),
    updated_at: e.updatedAt.toISOString(),
  };
}

const canonicalRate = (rate: string) =>
  rate
    .replace(/^\+/, '')
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');

interface Amounts {
  amount: string;
  vatAmount: string;
  vatRate: string;
  currency: string;
  exchangeRate: string;
}

/** Every amount rule at once, with the field paths: what a receipt can say, in the currency's digits. */
function checkedAmounts(
  input: {
    amount?: string;
    amount_cents?: number;
    vat_rate: string;
    vat_amount?: string;
    currency: string;
    exchange_rate?: string;
  },
  companyCurrency: string,
): Amounts {
  const errors: FieldError[] = [];
  const { currency } = input;
  const fromCents =
    input.amount_cents !== undefined ? fromMinorUnits(input.amount_cents, currency) : undefined;
  if (fromCents !== undefined && input.amount !== undefined && compareMoney(fromCents, input.amount) !== 0)
    throw new AppError('VALIDATION_FAILED', {
      status: 422,
      errors: [
        {
          path: 'amount_cents',
          code: 'AMOUNT_MISMATCH',
          message: `amount_cents is ${fromCents} ${currency}.`,
        },
      ],
    });
  const amount = fromCents ?? input.amount;
  if (amount === undefined)
    errors.push({ path: 'amount', code: 'REQUIRED', message: 'Send `amount` or `amount_cents`.' });
  else if (compareMoney(amount, '0') <= 0)
    errors.push({ path: 'amount', code: 'AMOUNT_NOT_POSITIVE', message: 'The amount must be above zero.' });
  else if (!fitsCurrency(amount, currency))
    errors.push({ path: 'amount', code: 'TOO_MANY_DECIMALS', message: `Too many decimals for ${currency}.` });
  if (compareMoney(input.vat_rate, '0') < 0 || compareMoney(input.vat_rate, '100') > 0)
    errors.push({ path: 'vat_rate', code: 'RATE_OUT_OF_RANGE', message: 'A percent from 0 to 100.' });
  if (input.vat_amount !== undefined) {
    if (compareMoney(input.vat_amount, '0') < 0 || (amount && compareMoney(input.vat_amount, amount) > 0))
      errors.push({
        path: 'vat_amount',
        code: 'VAT_OUT_OF_RANGE',
        message: 'The VAT is between zero and the amount.',
      });
    else if (!fitsCurrency(input.vat_amount, currency))
      errors.push({
        path: 'vat_amount',
        code: 'TOO_MANY_DECIMALS',
        message: `Too many decimals for ${currency}.`,
      });
  }
  let exchangeRate = input.exchange_rate;
  if (currency === companyCurrency) {
    if (exchangeRate !== undefined && compareMoney(exchangeRate, '1') !== 0)
      errors.push({
        path: 'exchange_rate',
        code: 'SAME_CURRENCY',
        message: 'The expense is in the company’s currency: the rate is 1.',
      });
    exchangeRate = '1';
  } else if (exchangeRate === undefined)
    errors.push({
      path: 'exchange_rate',
      code: 'REQUIRED',
      message: `The rate from ${currency} to ${companyCurrency} is needed.`,
    });
  else if (compareMoney(exchangeRate, '0') <= 0)
    errors.push({
      path: 'exchange_rate',
      code: 'RATE_NOT_POSITIVE',
      message: 'The rate must be above zero.',
    });
  if (errors.length > 0 || amount === undefined || exchangeRate === undefined)
    throw new AppError('VALIDATION_FAILED', { errors });
  const vatRate = canonicalRate(input.vat_rate);
  return {
    amount: roundMoney(amount, currency),
    vatAmount: roundMoney(input.vat_amount ?? includedVat(amount, vatRate, currency), currency),
    vatRate,
    currency,
    exchangeRate: canonicalRate(exchangeRate),
  };
}

async function companyCurrencyOf(db: Db, companyId: string): Promise<string> {
  const company = await getCompany(db, { companyId });
  if (!company) throw new AppError('COMPANY_NOT_FOUND');
  return company.currency;
}

export async function createExpense(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  input: ExpenseCreateInput,
) {
  return ctx.db.transaction(async (tx) => {
    const companyCurrency = await companyCurrencyOf(tx, companyId);
    const amounts = checkedAmounts(
      { ...input, currency: input.currency ?? companyCurrency },
      companyCurrency,
    );
    const [expense] = await tx
      .insert(schema.expenses)
      .values({
        companyId,
        expenseDate: input.expense_date,
        vendor: input.vendor,
        category: input.category,
        description: input.description,
        ...amounts,
        vatCategory: input.vat_category,
        isVatRecoverable: input.is_vat_recoverable,
        status: input.status,
        createdBy: actor.userId,
      })
      .returning();
    if (!expense) throw new Error('expense insert returned nothing');
    await audit(tx, companyId, actor, 'expense.created', expense.id);
    return presentExpense({ expense, receipt: null }, companyCurrency);
  });
}

async function lockExpense(tx: Db, companyId: string, id: string) {
  const [expense] = await tx
    .select()
    .from(schema.expenses)
    .where(and(eq(schema.expenses.id, id), eq(schema.expenses.companyId, companyId)))
    .for('update');
  if (!expense) throw new AppError('EXPENSE_NOT_FOUND');
  return expense;
}

async function receiptOf(db: Db, companyId: string, expenseId: string) {
  const [receipt] = await db
    .select()
    .from(schema.expenseReceipts)
    .where(
      and(eq(schema.expenseReceipts.expenseId, expenseId), eq(schema.expenseReceipts.companyId, companyId)),
    );
  return receipt ?? null;
}

export async function updateExpense(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  input: ExpenseUpdateInput,
) {
  return ctx.db.transaction(async (tx) => {
    const current = await lockExpense(tx, companyId, id);
    const companyCurrency = await companyCurrencyOf(tx, companyId);
    const touchesAmounts = [
      'amount',
      'amount_cents',
      'vat_rate',
      'vat_amount',
      'currency',
      'exchange_rate',
    ].some((key) => key in input);
    const currency = input.currency ?? current.currency;
    const amounts = touchesAmounts
      ? checkedAmounts(
          {
            amount: input.amount ?? (input.amount_cents === undefined ? current.amount : undefined),
            amount_cents: input.amount_cents,
            vat_rate: input.vat_rate ?? current.vatRate,
            // A new amount or rate recomputes the VAT unless it is sent too.
            vat_amount:
              input.vat_amount ??
              ((input.amount ?? input.amount_cents ?? input.vat_rate ?? input.currency)
                ? undefined
                : current.vatAmount),
            currency,
            exchange_rate:
              input.exchange_rate ?? (currency === current.currency ? current.exchangeRate : undefined),
          },
          companyCurrency,
        )
      : {};
    const [expense] = await tx
      .update(schema.expenses)
      .set({
        expenseDate: input.expense_date,
        vendor: input.vendor,
        category: input.category,
        description: 'description' in input ? input.description : undefined,
        ...amounts,
        vatCategory: input.vat_category,
        isVatRecoverable: input.is_vat_recoverable,
        status: input.status,
        updatedAt: new Date(),
      })
      .where(and(eq(schema.expenses.id, id), eq(schema.expenses.companyId, companyId)))
      .returning();
    if (!expense) throw new AppError('EXPENSE_NOT_FOUND');
    await audit(tx, companyId, actor, 'expense.updated', id, { fields: Object.keys(input) });
    return presentExpense({ expense, receipt: await receiptOf(tx, companyId, id) }, companyCurrency);
  });
}

export async function getExpense(db: Db, companyId: string, id: string) {
  const [row] = await db
    .select({ expense: schema.expenses, receipt: schema.expenseReceipts })
    .from(schema.expenses)
    .leftJoin(schema.expenseReceipts, eq(schema.expenseReceipts.expenseId, schema.expenses.id))
    .where(and(eq(schema.expenses.id, id), eq(schema.expenses.companyId, companyId)));
  if (!row) throw new AppError('EXPENSE_NOT_FOUND');
  return presentExpense(row, await companyCurrencyOf(db, companyId));
}

export async function listExpenses(
  db: Db,
  companyId: string,
  query: {
    from_date?: string;
    to_date?: string;
    status?: ExpenseRow['status'];
    category?: string;
    page: number;
    page_size: number;
  },
) {
  const where = and(
    eq(schema.expenses.companyId, companyId),
    query.from_date ? gte(schema.expenses.expenseDate, query.from_date) : undefined,
    query.to_date ? lte(schema.expenses.expenseDate, query.to_date) : undefined,
    query.status ? eq(schema.expenses.status, query.status) : undefined,
    query.category ? eq(schema.expenses.category, query.category) : undefined,
  );
  const [rows, [count], companyCurrency] = await Promise.all([
    db
      .select({ expense: schema.expenses, receipt: schema.expenseReceipts })
      .from(schema.expenses)
      .leftJoin(schema.expenseReceipts, eq(schema.expenseReceipts.expenseId, schema.expenses.id))
      .where(where)
      .orderBy(desc(schema.expenses.expenseDate), desc(schema.expenses.id))
      .limit(query.page_size)
      .offset((query.page - 1) * query.page_size),
    db.select({ n: sql<number>`count(*)::int` }).from(schema.expenses).where(where),
    companyCurrencyOf(db, companyId),
  ]);
  return {
    total: Number(count?.n ?? 0),
    page: query.page,
    page_size: query.page_size,
    expenses: rows.map((row) => presentExpense(row, companyCurrency)),
  };
}

export async function deleteExpense(ctx: AppContext, companyId: string, actor: Actor, id: string) {
  await ctx.db.transaction(async (tx) => {
    await lockExpense(tx, companyId, id);
    const receipt = await receiptOf(tx, companyId, id);
    if (receipt)
      await storageNamed(receipt.storage, ctx.config).delete(tx, { companyId, key: receipt.storageKey });
    await tx
      .delete(schema.expenses)
      .where(and(eq(schema.expenses.id, id), eq(schema.expenses.companyId, companyId)));
    await audit(tx, companyId, actor, 'expense.deleted', id);
  });
}

/** Stores (or replaces) the receipt: its type read from its first bytes, its name without any path. */
export async function putReceipt(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  upload: { bytes: Buffer | undefined; declaredType: string; fileName: string | undefined },
) {
  const storage = configuredStorage(ctx.config);
  return ctx.db.transaction(async (tx) => {
    // The expense first: another company's id is not found, whatever was sent with it.
    await lockExpense(tx, companyId, id);
    const fileName = checkedFileName(upload.fileName);
    const bytes = upload.bytes;
    if (!bytes || bytes.length === 0)
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
        message: 'Send the receipt file as the body (image/jpeg, image/png or application/pdf).',
      });
    const type = sniffReceiptType(bytes);
    if (!type) throw new AppError('RECEIPT_TYPE_NOT_ALLOWED', { extra: { allowed: RECEIPT_TYPES } });
    if (upload.declaredType !== 'application/octet-stream' && upload.declaredType !== type)
      throw new AppError('RECEIPT_TYPE_MISMATCH', {
        extra: { declared: upload.declaredType, detected: type },
      });
    const previous = await receiptOf(tx, companyId, id);
    const company = await getCompany(tx, { companyId });
    if (company) await assertStorageAvailable(tx, company, bytes.length - (previous?.byteSize ?? 0));
    const key = `${companyId}/${randomUUID()}`;
    await storage.put(tx, { companyId, key, bytes });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const values = {
      companyId,
      fileName,
      contentType: type,
      byteSize: bytes.length,
      sha256,
      storage: storage.kind,
      storageKey: key,
      createdBy: actor.userId,
      createdAt: new Date(),
    };
    await tx
      .insert(schema.expenseReceipts)
      .values({ expenseId: id, ...values })
      .onConflictDoUpdate({ target: schema.expenseReceipts.expenseId, set: values });
    if (previous)
      await storageNamed(previous.storage, ctx.config).delete(tx, { companyId, key: previous.storageKey });
    await audit(tx, companyId, actor, 'expense.receipt_stored', id, {
      sha256,
      byte_size: bytes.length,
    });
    return {
      file_name: fileName,
      content_type: type,
      byte_size: bytes.length,
      sha256,
      uploaded_at: values.createdAt.toISOString(),
    };
  });
}

export async function readReceipt(
  ctx: AppContext,
  companyId: string,
  id: string,
): Promise<{ bytes: Buffer; fileName: string; contentType: ReceiptType; sha256: string }> {
  const receipt = await receiptOf(ctx.db, companyId, id);
  if (!receipt) {
    const [expense] = await ctx.db
      .select({ id: schema.expenses.id })
      .from(schema.expenses)
      .where(and(eq(schema.expenses.id, id), eq(schema.expenses.companyId, companyId)));
    throw new AppError(expense ? 'RECEIPT_NOT_FOUND' : 'EXPENSE_NOT_FOUND');
  }
  const bytes = await storageNamed(receipt.storage, ctx.config).get(ctx.db, {
    companyId,
    key: receipt.storageKey,
  });
  if (!bytes) throw new Error(`receipt ${receipt.storageKey} missing from ${receipt.storage} storage`);
  return {
    bytes,
    fileName: receipt.fileName,
    contentType: receipt.contentType as ReceiptType,
    sha256: receipt.sha256,
  };
}
