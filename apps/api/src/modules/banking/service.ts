import {
  automaticMatch,
  BankFileError,
  type BankStatement,
  type OpenItem,
  parseBankCsv,
  parseCamt053,
  parseMt940,
  type Suggestion,
  suggestMatches,
  transactionFingerprints,
} from '@invoiceflow/bank';
import type { Db } from '@invoiceflow/db';
import { roundMoney, subtractMoney, sumMoney } from '@invoiceflow/totals';
import { parse as parseCsv } from 'csv-parse/sync';
import type { z } from 'zod';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { auditorFor } from '../../lib/audit';
import { AppError, defineErrors, validationError } from '../../lib/errors';
import { createPayment } from '../payments/service';
import * as q from './queries';
import {
  type bankAccountCreateSchema,
  csvMappingSchema,
  type matchSchema,
  type statementImportSchema,
} from './schemas';

defineErrors({
  BANK_ACCOUNT_NOT_FOUND: [404, 'Bank account not found.'],
  BANK_ACCOUNT_EXISTS: [409, 'The company already has a bank account with this IBAN.'],
  BANK_STATEMENT_OTHER_ACCOUNT: [422, 'The statement is of another account.'],
});

const audit = auditorFor('bank');

export function presentBankAccount(row: q.BankAccountRow) {
  return {
    id: row.id,
    name: row.name,
    iban: row.iban,
    currency: row.currency,
    created_at: row.createdAt.toISOString(),
  };
}

export async function createBankAccount(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  input: z.output<typeof bankAccountCreateSchema>,
) {
  return ctx.db.transaction(async (tx) => {
    const row = await q.insertBankAccount(tx, {
      companyId,
      name: input.name,
      iban: input.iban ?? null,
      currency: input.currency,
    });
    if (!row) throw new AppError('BANK_ACCOUNT_EXISTS');
    await audit(tx, companyId, actor, 'bank_account.created', row.id);
    return row;
  });
}

type CsvMappingInput = NonNullable<z.output<typeof statementImportSchema>['mapping']>;

function readStatements(
  input: z.output<typeof statementImportSchema>,
  mapping: CsvMappingInput | undefined,
): BankStatement[] {
  try {
    if (input.format === 'camt.053') return parseCamt053(input.content);
    if (input.format === 'mt940') return parseMt940(input.content);
    if (!mapping) {
      throw validationError([
        {
          path: 'mapping',
          code: 'REQUIRED',
          message: 'A CSV needs its column mapping (none is saved for this account yet).',
        },
      ]);
    }
    let rows: string[][];
    try {
      rows = parseCsv(input.content, { delimiter: mapping.delimiter, bom: true, relax_column_count: true });
    } catch {
      throw new BankFileError('BANK_FILE_INVALID', 'The CSV cannot be read with this delimiter.');
    }
    const result = parseBankCsv(rows, mapping);
    if (!result.statement) {
      throw validationError(
        result.errors.map((e) => ({
          path: `content.rows.${e.row}.${e.column}`,
          code: 'BANK_ROW_INVALID',
          message: `Row ${e.row}: ${e.message}`,
        })),
        'Rows of the file cannot be read; nothing was imported.',
      );
    }
    return [result.statement];
  } catch (error) {
    if (!(error instanceof BankFileError)) throw error;
    throw validationError([
      {
        path: 'content',
        code: error.code,
        message: error.at ? `${error.message} (${error.at})` : error.message,
      },
    ]);
  }
}

interface OpenInvoice extends OpenItem {
  customerId: string | null;
}

async function openItemsOf(db: Db, companyId: string, currencies: string[]): Promise<OpenInvoice[]> {
  const [rows, ibans] = await Promise.all([
    q.listOpenInvoices(db, { companyId, currencies }),
    q.customerIbans(db, { companyId }),
  ]);
  return rows.map((row) => ({
    id: row.id,
    kind: 'invoice' as const,
    number: row.number,
    amount_due: roundMoney(row.due, row.currency),
    currency: row.currency,
    counterparty_name: row.customerName,
    counterparty_ibans: row.customerId ? (ibans.get(row.customerId) ?? []) : [],
    payment_reference: null,
    customerId: row.customerId,
  }));
}

function toBankTransaction(row: q.BankTransactionRow) {
  return {
    booking_date: row.bookingDate,
    value_date: row.valueDate,
    amount: row.amount,
    currency: row.currency,
    reference: row.reference,
    remittance: row.remittance,
    counterparty:
      row.counterpartyName || row.counterpartyIban
        ? { name: row.counterpartyName, iban: row.counterpartyIban }
        : null,
    bank_reference: row.bankReference,
    transaction_code: row.transactionCode,
    is_reversal: false,
  };
}

/** What is left of the line once the payments linked to it are taken away: what a suggestion may use. */
function unmatchedPart(row: q.BankTransactionRow) {
  return { ...toBankTransaction(row), amount: subtractMoney(row.amount, row.matchedAmount, row.currency) };
}

function customerOf(suggestion: Suggestion, open: readonly OpenInvoice[]): string | null | undefined {
  const owners = new Set(
    suggestion.items.map((item) => open.find((o) => o.id === item.id)?.customerId ?? null),
  );
  return owners.size === 1 ? [...owners][0] : undefined;
}

async function matchWith(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  line: q.BankTransactionRow,
  customerId: string | null,
  allocations: { invoice_id: string; amount: string }[],
) {
  return createPayment(ctx, companyId, actor, {
    customer_id: customerId,
    amount: sumMoney(
      allocations.map((a) => a.amount),
      line.currency,
    ),
    currency: line.currency,
    status: 'completed',
    payment_date: line.bookingDate,
    payment_method: 'bank_transfer',
    reference: line.reference ?? line.bankReference ?? null,
    notes: null,
    bank_transaction_id: line.id,
    allocations: allocations.map((a) => ({ invoice_id: a.invoice_id, amount: a.amount, notes: null })),
  });
}

/**
 * Imports a statement file into one account: every line, once (an overlapping file adds only what is new), in one
 * transaction; then each new line that pays an open invoice beyond doubt is matched (a payment linked to it).
 */
export async function importStatement(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  accountId: string,
  input: z.output<typeof statementImportSchema>,
) {
  const account = await q.getBankAccount(ctx.db, { companyId, id: accountId });
  if (!account) throw new AppError('BANK_ACCOUNT_NOT_FOUND');
  // The mapping given is saved for the account's next CSV; without one, the saved one reads the file.
  const mapping =
    input.mapping ?? (account.csvMapping ? csvMappingSchema.parse(account.csvMapping) : undefined);
  const statements = readStatements(input, mapping);
  for (const statement of statements) {
    if (account.iban && statement.account.iban && statement.account.iban !== account.iban) {
      throw new AppError('BANK_STATEMENT_OTHER_ACCOUNT', {
        message: `The statement is of ${statement.account.iban}, this account is ${account.iban}.`,
      });
    }
  }
  const transactions = statements.flatMap((s) => s.transactions);
  const fingerprints = transactionFingerprints(account.id, transactions);
  const { record, inserted } = await ctx.db.transaction(async (tx) => {
    const record = await q.insertImport(tx, {
      companyId,
      bankAccountId: account.id,
      format: input.format,
      filename: input.filename ?? null,
      statementIds: statements.map((s) => s.statement_id).filter((id): id is string => id !== null),
      transactionCount: transactions.length,
      newCount: 0,
      createdBy: actor.userId,
    });
    const inserted = await q.insertTransactions(
      tx,
      transactions.map((t, i) => ({
        companyId,
        bankAccountId: account.id,
        importId: record.id,
        fingerprint: fingerprints[i] as string,
        bookingDate: t.booking_date,
        valueDate: t.value_date,
        amount: t.amount,
        currency: t.currency,
        reference: t.reference,
        remittance: t.remittance,
        counterpartyName: t.counterparty?.name ?? null,
        counterpartyIban: t.counterparty?.iban ?? null,
        bankReference: t.bank_reference,
        transactionCode: t.transaction_code,
      })),
    );
    await q.setImportNewCount(tx, { companyId, id: record.id, newCount: inserted.length });
    if (input.format === 'csv' && input.mapping) {
      await q.saveCsvMapping(tx, { companyId, id: account.id, mapping: input.mapping });
    }
    await audit(tx, companyId, actor, 'bank_statement.imported', record.id, {
      format: input.format,
      transactions: transactions.length,
      new: inserted.length,
    });
    return { record, inserted };
  });

  let matched = 0;
  const credits = inserted.filter((row) => !row.amount.startsWith('-'));
  if (credits.length > 0) {
    const open = await openItemsOf(ctx.db, companyId, [...new Set(credits.map((c) => c.currency))]);
    for (const line of credits) {
      const best = automaticMatch(suggestMatches(toBankTransaction(line), open));
      const customerId = best ? customerOf(best, open) : undefined;
      if (!best || customerId === undefined) continue;
      try {
        await matchWith(
          ctx,
          companyId,
          actor,
          line,
          customerId,
          best.items.map((i) => ({ invoice_id: i.id, amount: i.amount })),
        );
        matched++;
        for (const item of best.items) {
          const entry = open.find((o) => o.id === item.id);
          if (entry) entry.amount_due = subtractMoney(entry.amount_due, item.amount, entry.currency);
        }
      } catch (error) {
        // Someone paid the invoice meanwhile: the line stays for a person to match.
        if (!(error instanceof AppError)) throw error;
      }
    }
  }
  return {
    id: record.id,
    format: record.format,
    statement_ids: record.statementIds,
    transaction_count: transactions.length,
    new_count: inserted.length,
    duplicate_count: transactions.length - inserted.length,
    matched_count: matched,
  };
}

export async function listTransactions(
  ctx: AppContext,
  companyId: string,
  query: { status?: q.BankTransactionRow['status']; bank_account_id?: string; limit: number },
) {
  const rows = await q.listTransactions(ctx.db, {
    companyId,
    status: query.status,
    bankAccountId: query.bank_account_id,
    limit: query.limit,
  });
  const needing = rows.filter((r) => r.status === 'unmatched' && !r.amount.startsWith('-'));
  const open =
    needing.length > 0
      ? await openItemsOf(ctx.db, companyId, [...new Set(needing.map((r) => r.currency))])
      : [];
  const numbers = new Map(open.map((o) => [o.id, o.number]));
  return rows.map((row) => ({
    id: row.id,
    bank_account_id: row.bankAccountId,
    booking_date: row.bookingDate,
    value_date: row.valueDate,
    amount: roundMoney(row.amount, row.currency),
    currency: row.currency,
    reference: row.reference,
    remittance: row.remittance,
    counterparty_name: row.counterpartyName,
    counterparty_iban: row.counterpartyIban,
    bank_reference: row.bankReference,
    status: row.status,
    matched_amount: roundMoney(row.matchedAmount, row.currency),
    suggestions: needing.includes(row)
      ? suggestMatches(unmatchedPart(row), open).map((s) => ({
          items: s.items.map((i) => ({
            invoice_id: i.id,
            invoice_number: numbers.get(i.id) ?? '',
            amount: roundMoney(i.amount, row.currency),
          })),
          confidence: s.confidence,
          reasons: s.reasons,
        }))
      : [],
  }));
}

/** Matches a line by hand: one payment, linked to it, allocated to the invoices chosen. */
export async function matchTransaction(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  input: z.output<typeof matchSchema>,
) {
  const line = await q.getTransaction(ctx.db, { companyId, id });
  if (!line) throw new AppError('BANK_TRANSACTION_NOT_FOUND');
  const open = await openItemsOf(ctx.db, companyId, [line.currency]);
  const owners = new Set<string | null>();
  input.allocations.forEach((a, i) => {
    const invoice = open.find((o) => o.id === a.invoice_id);
    if (!invoice) {
      throw validationError([
        {
          path: `allocations.${i}.invoice_id`,
          code: 'INVOICE_NOT_OPEN',
          message: 'No open invoice of this company in the line’s currency.',
        },
      ]);
    }
    owners.add(invoice.customerId);
  });
  if (owners.size > 1) {
    throw validationError([
      {
        path: 'allocations',
        code: 'CUSTOMERS_DIFFER',
        message: 'One bank line pays the invoices of one customer.',
      },
    ]);
  }
  return matchWith(ctx, companyId, actor, line, [...owners][0] ?? null, input.allocations);
}

export async function ignoreTransaction(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  ignored: boolean,
) {
  return ctx.db.transaction(async (tx) => {
    const line = await q.getTransaction(tx, { companyId, id, forUpdate: true });
    if (!line) throw new AppError('BANK_TRANSACTION_NOT_FOUND');
    if (ignored && roundMoney(line.matchedAmount, line.currency) !== roundMoney('0', line.currency)) {
      throw new AppError('BANK_TRANSACTION_NOT_MATCHABLE', {
        message: 'Payments are linked to this line; it cannot be ignored.',
      });
    }
    const row = await q.updateTransaction(tx, {
      companyId,
      id,
      values: { status: ignored ? 'ignored' : 'unmatched' },
    });
    await audit(tx, companyId, actor, ignored ? 'bank_transaction.ignored' : 'bank_transaction.restored', id);
    return row;
  });
}

export function listBankAccounts(ctx: AppContext, companyId: string) {
  return q.listBankAccounts(ctx.db, { companyId });
}
