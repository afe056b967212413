import { type Db, schema } from '@invoiceflow/db';
import { and, asc, eq, inArray, sql } from '@invoiceflow/db/orm';
import { formatAmount, roundMoney } from '@invoiceflow/totals';
import type { AppContext } from '../../context';
import type { JobDefinition } from '../../jobs/queue';
import { recordAudit } from '../../lib/audit';
import { enqueueMail } from '../mail/queries';
import { emitInvoiceEvent } from '../webhooks/events';
import { addDays, companyDate, daysBetween } from './company-date';
import { getReminderSettings } from './queries';
import { presentReminderSettings } from './service';

const { companies, customers, invoices, invoiceReminders, invoiceOverdueNotices, memberships, users } =
  schema;

export const RECEIVABLES_JOB = 'receivables.daily';

/** The daily pass, at 03:00 UTC (06:00 in Riyadh, 07:00 in Dubai), before people start their day. */
export function reminderJobs(ctx: AppContext): JobDefinition[] {
  const daily: JobDefinition<{ at?: string }> = {
    name: RECEIVABLES_JOB,
    cron: '0 3 * * *',
    policy: 'singleton',
    retryLimit: 3,
    handle: async (data) => {
      await runReceivablesPass(ctx.db, { now: data.at ? new Date(data.at) : new Date() });
    },
  };
  return [daily];
}

const outstandingSql = sql<string>`(${invoices.payableAmount} - ${invoices.creditedAmount} - ${invoices.paidAmount})`;

/** Invoices that someone still owes: issued, not a credit note, with money outstanding and a due date. */
const openReceivable = (companyId: string) =>
  and(
    eq(invoices.companyId, companyId),
    inArray(invoices.status, ['issued', 'approved', 'sent']),
    inArray(invoices.type, ['invoice', 'debit_note']),
    sql`${invoices.dueDate} IS NOT NULL`,
    sql`${outstandingSql} > 0`,
  );

export interface PassResult {
  reminders: number;
  overdueNotices: number;
}

/**
 * The overdue pass and the reminders for every company. Each effect is a unique row (invoice_overdue_notices,
 * invoice_reminders) inserted in the transaction that writes its mail: a rerun, a retry after a crash or a
 * concurrent run in another process inserts nothing and sends nothing.
 */
export async function runReceivablesPass(
  db: Db,
  { now = new Date() }: { now?: Date } = {},
): Promise<PassResult> {
  const result: PassResult = { reminders: 0, overdueNotices: 0 };
  const all = await db
    .select({ id: companies.id, timeZone: companies.timeZone, name: companies.legalNameEn })
    .from(companies)
    .orderBy(asc(companies.id));
  for (const company of all) {
    const settings = presentReminderSettings(await getReminderSettings(db, { companyId: company.id }));
    const today = companyDate(company.timeZone, now);
    if (settings.is_overdue_notice_enabled) result.overdueNotices += await overduePass(db, company, today);
    if (settings.is_enabled && settings.days.length > 0) {
      result.reminders += await reminderPass(db, company, today, settings.days);
    }
  }
  return result;
}

interface CompanyRef {
  id: string;
  name: string;
}

/** The reminder level due today: the latest configured day already reached. Earlier missed levels are not sent. */
export function currentLevel(dueDate: string, today: string, days: readonly number[]): number | undefined {
  const elapsed = daysBetween(dueDate, today);
  const reached = days.filter((day) => day <= elapsed);
  return reached.length > 0 ? Math.max(...reached) : undefined;
}

async function reminderPass(db: Db, company: CompanyRef, today: string, days: number[]): Promise<number> {
  const earliest = Math.min(...days);
  const candidates = await db
    .select({
      id: invoices.id,
      dueDate: invoices.dueDate,
    })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(
      and(
        openReceivable(company.id),
        sql`${customers.email} IS NOT NULL`,
        sql`${invoices.dueDate} <= ${addDays(today, -earliest)}::date`,
      ),
    )
    .orderBy(asc(invoices.id));
  let sent = 0;
  for (const candidate of candidates) {
    const level = currentLevel(candidate.dueDate as string, today, days);
    if (level === undefined) continue;
    if (await sendReminder(db, company, candidate.id, level)) sent++;
  }
  return sent;
}

async function sendReminder(db: Db, company: CompanyRef, invoiceId: string, level: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    // Under the invoice's lock a payment cannot land between the check and the mail.
    const [invoice] = await tx
      .select({
        number: invoices.number,
        dueDate: invoices.dueDate,
        currency: invoices.currency,
        outstanding: outstandingSql,
        email: customers.email,
        customerName: invoices.customerNameEn,
      })
      .from(invoices)
      .innerJoin(customers, eq(customers.id, invoices.customerId))
      .where(and(openReceivable(company.id), eq(invoices.id, invoiceId)))
      .for('update', { of: invoices });
    if (!invoice?.email || !invoice.dueDate) return false;
    const inserted = await tx
      .insert(invoiceReminders)
      .values({
        invoiceId,
        level,
        companyId: company.id,
        toAddress: invoice.email,
        outstandingAmount: roundMoney(invoice.outstanding, invoice.currency),
      })
      .onConflictDoNothing()
      .returning({ level: invoiceReminders.level });
    if (inserted.length === 0) return false;
    const amount = formatAmount(invoice.outstanding, invoice.currency);
    const when =
      level < 0
        ? `is due on ${invoice.dueDate}`
        : level === 0
          ? 'is due today'
          : `was due on ${invoice.dueDate} and is ${level} day${level === 1 ? '' : 's'} overdue`;
    await enqueueMail(tx, {
      companyId: company.id,
      to: invoice.email,
      kind: 'reminder',
      subject: `Payment reminder: invoice ${invoice.number} from ${company.name}`,
      text:
        `Dear ${invoice.customerName},\n\n` +
        `Invoice ${invoice.number} ${when}. The amount outstanding is ${amount}.\n` +
        'If you have already paid, please disregard this reminder.\n\n' +
        `${company.name}`,
      refs: { invoice_id: invoiceId, level: String(level) },
    });
    return true;
  });
}

/**
 * Newly overdue invoices, noticed once each: a row per invoice, an audit entry, and one mail to the company's
 * owners and admins listing them.
 */
async function overduePass(db: Db, company: CompanyRef, today: string): Promise<number> {
  return db.transaction(async (tx) => {
    const noticed = await tx
      .insert(invoiceOverdueNotices)
      .select(
        tx
          .select({
            invoiceId: invoices.id,
            companyId: invoices.companyId,
            dueDate: sql<string>`${invoices.dueDate}`.as('due_date'),
            outstandingAmount: sql<string>`${outstandingSql}`.as('outstanding_amount'),
            detectedOn: sql<string>`${today}::date`.as('detected_on'),
            createdAt: sql<Date>`now()`.as('created_at'),
          })
          .from(invoices)
          .where(and(openReceivable(company.id), sql`${invoices.dueDate} < ${today}::date`)),
      )
      .onConflictDoNothing()
      .returning({ invoiceId: invoiceOverdueNotices.invoiceId });
    if (noticed.length === 0) return 0;
    const rows = await tx
      .select({
        id: invoices.id,
        number: invoices.number,
        customer: invoices.customerNameEn,
        dueDate: invoices.dueDate,
        currency: invoices.currency,
        outstanding: outstandingSql,
      })
      .from(invoices)
      .where(
        and(
          eq(invoices.companyId, company.id),
          inArray(
            invoices.id,
            noticed.map((n) => n.invoiceId),
          ),
        ),
      )
      .orderBy(asc(invoices.dueDate), asc(invoices.number));
    for (const row of rows) {
      await recordAudit(tx, {
        companyId: company.id,
        actorUserId: null,
        action: 'invoice.overdue',
        entityType: 'invoice',
        entityId: row.id,
        // In the currency's digits, as every amount the API answers (the sum may carry another scale).
        data: {
          due_date: row.dueDate,
          outstanding_amount: roundMoney(row.outstanding, row.currency),
          detected_on: today,
        },
      });
      await emitInvoiceEvent(tx, { companyId: company.id, invoiceId: row.id, type: 'invoice.overdue' });
    }
    const recipients = await tx
      .select({ email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.companyId, company.id),
          inArray(memberships.role, ['owner', 'admin']),
          eq(memberships.isSuspended, false),
          eq(users.isActive, true),
        ),
      );
    const lines = rows.map(
      (row) =>
        `- ${row.number}, ${row.customer}: ${formatAmount(row.outstanding, row.currency)} (due ${row.dueDate})`,
    );
    for (const { email } of recipients) {
      await enqueueMail(tx, {
        companyId: company.id,
        to: email,
        kind: 'overdue_notice',
        subject: `${rows.length} invoice${rows.length === 1 ? '' : 's'} became overdue`,
        text: `These invoices of ${company.name} are now past their due date:\n\n${lines.join('\n')}\n`,
        refs: { detected_on: today },
      });
    }
    return rows.length;
  });
}
