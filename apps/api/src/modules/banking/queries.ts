import type { Db } from '@invoiceflow/db';
import {
  bankAccounts,
  bankStatementImports,
  bankTransactions,
  invoices,
  payments,
} from '@invoiceflow/db/schema';
import { and, desc, eq, gt, inArray, isNotNull, ne, sql } from 'drizzle-orm';

export type BankAccountRow = typeof bankAccounts.$inferSelect;
export type BankTransactionRow = typeof bankTransactions.$inferSelect;

export async function insertBankAccount(
  db: Db,
  values: { companyId: string; name: string; iban: string | null; currency: string },
): Promise<BankAccountRow | undefined> {
  const [row] = await db.insert(bankAccounts).values(values).onConflictDoNothing().returning();
  return row;
}

export function listBankAccounts(db: Db, { companyId }: { companyId: string }) {
  return db
    .select()
    .from(bankAccounts)
    .where(eq(bankAccounts.companyId, companyId))
    .orderBy(bankAccounts.name);
}

export async function getBankAccount(db: Db, { companyId, id }: { companyId: string; id: string }) {
  const [row] = await db
    .select()
    .from(bankAccounts)
    .where(and(eq(bankAccounts.companyId, companyId), eq(bankAccounts.id, id)));
  return row;
}

export async function insertImport(db: Db, values: typeof bankStatementImports.$inferInsert) {
  const [row] = await db.insert(bankStatementImports).values(values).returning();
  return row as typeof bankStatementImports.$inferSelect;
}

export async function setImportNewCount(
  db: Db,
  { companyId, id, newCount }: { companyId: string; id: string; newCount: number },
) {
  await db
    .update(bankStatementImports)
    .set({ newCount })
    .where(and(eq(bankStatementImports.companyId, companyId), eq(bankStatementImports.id, id)));
}

/** Inserts what is new; a fingerprint the account already has is skipped. Answers the rows inserted. */
export async function insertTransactions(
  db: Db,
  rows: (typeof bankTransactions.$inferInsert)[],
): Promise<BankTransactionRow[]> {
  const inserted: BankTransactionRow[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    inserted.push(...(await db.insert(bankTransactions).values(chunk).onConflictDoNothing().returning()));
  }
  return inserted;
}

export function listTransactions(
  db: Db,
  {
    companyId,
    status,
    bankAccountId,
    limit,
  }: { companyId: string; status?: BankTransactionRow['status']; bankAccountId?: string; limit: number },
) {
  return db
    .select()
    .from(bankTransactions)
    .where(
      and(
        eq(bankTransactions.companyId, companyId),
        status ? eq(bankTransactions.status, status) : undefined,
        bankAccountId ? eq(bankTransactions.bankAccountId, bankAccountId) : undefined,
      ),
    )
    .orderBy(desc(bankTransactions.bookingDate), desc(bankTransactions.createdAt))
    .limit(limit);
}

export async function getTransaction(
  db: Db,
  { companyId, id, forUpdate = false }: { companyId: string; id: string; forUpdate?: boolean },
) {
  const query = db
    .select()
    .from(bankTransactions)
    .where(and(eq(bankTransactions.companyId, companyId), eq(bankTransactions.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row;
}

export async function updateTransaction(
  db: Db,
  {
    companyId,
    id,
    values,
  }: { companyId: string; id: string; values: Partial<Pick<BankTransactionRow, 'status' | 'matchedAmount'>> },
) {
  const [row] = await db
    .update(bankTransactions)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(bankTransactions.companyId, companyId), eq(bankTransactions.id, id)))
    .returning();
  return row;
}

/** Invoices with something still due, in the given currencies: what money in may pay. */
export function listOpenInvoices(
  db: Db,
  { companyId, currencies }: { companyId: string; currencies: string[] },
) {
  if (currencies.length === 0) return Promise.resolve([]);
  return db
    .select({
      id: invoices.id,
      number: invoices.number,
      customerId: invoices.customerId,
      customerName: invoices.customerNameEn,
      currency: invoices.currency,
      due: sql<string>`(${invoices.payableAmount} - ${invoices.paidAmount})::text`,
    })
    .from(invoices)
    .where(
      and(
        eq(invoices.companyId, companyId),
        ne(invoices.status, 'draft'),
        ne(invoices.type, 'credit_note'),
        inArray(invoices.currency, currencies),
        gt(sql`${invoices.payableAmount} - ${invoices.paidAmount}`, sql`0`),
      ),
    )
    .limit(5000);
}

/** The IBANs each customer paid from before: bank lines linked to their payments. */
export async function customerIbans(db: Db, { companyId }: { companyId: string }) {
  const rows = await db
    .selectDistinct({ customerId: payments.customerId, iban: bankTransactions.counterpartyIban })
    .from(payments)
    .innerJoin(
      bankTransactions,
      and(eq(bankTransactions.id, payments.bankTransactionId), eq(bankTransactions.companyId, companyId)),
    )
    .where(and(eq(payments.companyId, companyId), isNotNull(bankTransactions.counterpartyIban)));
  const byCustomer = new Map<string, string[]>();
  for (const row of rows) {
    if (!row.customerId || !row.iban) continue;
    byCustomer.set(row.customerId, [...(byCustomer.get(row.customerId) ?? []), row.iban]);
  }
  return byCustomer;
}

export async function saveCsvMapping(
  db: Db,
  { companyId, id, mapping }: { companyId: string; id: string; mapping: Record<string, unknown> },
) {
  await db
    .update(bankAccounts)
    .set({ csvMapping: mapping, updatedAt: new Date() })
    .where(and(eq(bankAccounts.companyId, companyId), eq(bankAccounts.id, id)));
}
