import { type Db, schema } from '@invoiceflow/db';
import { and, desc, eq, gte, inArray, isNotNull, isNull, lte, sql } from '@invoiceflow/db/orm';
import type { TimeEntryRow } from '@invoiceflow/db/schema';
import { compareMoney, convertMoney, fitsCurrency, roundMoney } from '@invoiceflow/totals';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { auditorFor } from '../../lib/audit';
import { AppError, defineErrors, type FieldError } from '../../lib/errors';
import { getCompany } from '../companies/queries';
import { insertDraftInvoice } from '../invoices/draft-invoices';
import { draftInvoiceBodySchema } from '../invoices/schemas';
import type {
  InvoiceTimeBody,
  TimeEntryCreateInput,
  TimeEntryListQuery,
  TimeEntryUpdateInput,
} from './schemas';

defineErrors({
  TIME_ENTRY_NOT_FOUND: [404, 'Time entry not found.'],
  TIME_ENTRY_INVOICED: [409, 'This time entry is on an invoice; it can no longer change.'],
  NOTHING_TO_INVOICE: [409, 'The customer has no unbilled billable hours.'],
});

const audit = auditorFor('time_entry');

type Row = TimeEntryRow & { invoiceNumber: string | null };

export function presentTimeEntry(row: Row, currency: string) {
  return {
    id: row.id,
    customer_id: row.customerId,
    project: row.project,
    entry_date: row.entryDate,
    hours: row.hours,
    hourly_rate: roundMoney(row.hourlyRate, currency),
    amount: convertMoney(row.hours, row.hourlyRate, currency),
    currency,
    is_billable: row.isBillable,
    description: row.description,
    invoice_id: row.invoiceId,
    invoice_number: row.invoiceNumber,
    invoiced_at: row.invoicedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

async function currencyOf(db: Db, companyId: string) {
  const company = await getCompany(db, { companyId });
  if (!company) throw new AppError('COMPANY_NOT_FOUND');
  return company.currency;
}

/** Hours and rate as a freelancer records them: hours in hundredths, the rate in the currency's digits. */
function checkedNumbers(input: { hours?: string; hourly_rate?: string }, currency: string): FieldError[] {
  const errors: FieldError[] = [];
  if (input.hours !== undefined) {
    if (compareMoney(input.hours, '0') <= 0 || compareMoney(input.hours, '24') > 0)
      errors.push({ path: 'hours', code: 'HOURS_OUT_OF_RANGE', message: 'Above 0 and at most 24 hours.' });
    else if (!fitsCurrency(input.hours, 'EUR'))
      errors.push({ path: 'hours', code: 'TOO_MANY_DECIMALS', message: 'Hours have at most 2 decimals.' });
  }
  if (input.hourly_rate !== undefined) {
    if (compareMoney(input.hourly_rate, '0') < 0)
      errors.push({ path: 'hourly_rate', code: 'RATE_NEGATIVE', message: 'The rate cannot be negative.' });
    else if (!fitsCurrency(input.hourly_rate, currency))
      errors.push({
        path: 'hourly_rate',
        code: 'TOO_MANY_DECIMALS',
        message: `Too many decimals for ${currency}.`,
      });
  }
  return errors;
}

async function customerErrors(
  db: Db,
  companyId: string,
  customerId: string | undefined,
): Promise<FieldError[]> {
  if (customerId === undefined) return [];
  const [customer] = await db
    .select({ id: schema.customers.id })
    .from(schema.customers)
    .where(and(eq(schema.customers.id, customerId), eq(schema.customers.companyId, companyId)));
  return customer ? [] : [{ path: 'customer_id', code: 'NOT_FOUND', message: 'No such customer.' }];
}

const canonicalHours = (hours: string) =>
  hours
    .replace(/^\+/, '')
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');

const selection = { entry: schema.timeEntries, invoiceNumber: schema.invoices.number };
const withNumber = (row: { entry: TimeEntryRow; invoiceNumber: string | null }): Row => ({
  ...row.entry,
  invoiceNumber: row.invoiceNumber,
});

async function readEntry(db: Db, companyId: string, id: string): Promise<Row> {
  const [row] = await db
    .select(selection)
    .from(schema.timeEntries)
    .leftJoin(schema.invoices, eq(schema.invoices.id, schema.timeEntries.invoiceId))
    .where(and(eq(schema.timeEntries.id, id), eq(schema.timeEntries.companyId, companyId)));
  if (!row) throw new AppError('TIME_ENTRY_NOT_FOUND');
  return withNumber(row);
}

export async function createTimeEntry(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  input: TimeEntryCreateInput,
) {
  return ctx.db.transaction(async (tx) => {
    const currency = await currencyOf(tx, companyId);
    const errors = [
      ...checkedNumbers(input, currency),
      ...(await customerErrors(tx, companyId, input.customer_id)),
    ];
    if (errors.length > 0) throw new AppError('VALIDATION_FAILED', { status: 422, errors });
    const [entry] = await tx
      .insert(schema.timeEntries)
      .values({
        companyId,
        customerId: input.customer_id,
        project: input.project,
        entryDate: input.entry_date,
        hours: canonicalHours(input.hours),
        hourlyRate: roundMoney(input.hourly_rate, currency),
        isBillable: input.is_billable,
        description: input.description,
        createdBy: actor.userId,
      })
      .returning();
    if (!entry) throw new Error('time entry insert returned nothing');
    await audit(tx, companyId, actor, 'time_entry.created', entry.id);
    return presentTimeEntry({ ...entry, invoiceNumber: null }, currency);
  });
}

/** Locks the entry; one that became an invoice line is refused (409), whatever the change. */
async function lockUninvoiced(tx: Db, companyId: string, id: string) {
  const [entry] = await tx
    .select()
    .from(schema.timeEntries)
    .where(and(eq(schema.timeEntries.id, id), eq(schema.timeEntries.companyId, companyId)))
    .for('update');
  if (!entry) throw new AppError('TIME_ENTRY_NOT_FOUND');
  if (entry.invoiceId) throw new AppError('TIME_ENTRY_INVOICED', { extra: { invoice_id: entry.invoiceId } });
  return entry;
}

export async function updateTimeEntry(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  input: TimeEntryUpdateInput,
) {
  return ctx.db.transaction(async (tx) => {
    await lockUninvoiced(tx, companyId, id);
    const currency = await currencyOf(tx, companyId);
    const errors = [
      ...checkedNumbers(input, currency),
      ...(await customerErrors(tx, companyId, input.customer_id)),
    ];
    if (errors.length > 0) throw new AppError('VALIDATION_FAILED', { status: 422, errors });
    await tx
      .update(schema.timeEntries)
      .set({
        customerId: input.customer_id,
        project: 'project' in input ? input.project : undefined,
        entryDate: input.entry_date,
        hours: input.hours === undefined ? undefined : canonicalHours(input.hours),
        hourlyRate: input.hourly_rate === undefined ? undefined : roundMoney(input.hourly_rate, currency),
        isBillable: input.is_billable,
        description: 'description' in input ? input.description : undefined,
        updatedAt: new Date(),
      })
      .where(and(eq(schema.timeEntries.id, id), eq(schema.timeEntries.companyId, companyId)));
    await audit(tx, companyId, actor, 'time_entry.updated', id, { fields: Object.keys(input) });
    return presentTimeEntry(await readEntry(tx, companyId, id), currency);
  });
}

export async function deleteTimeEntry(ctx: AppContext, companyId: string, actor: Actor, id: string) {
  await ctx.db.transaction(async (tx) => {
    await lockUninvoiced(tx, companyId, id);
    await tx
      .delete(schema.timeEntries)
      .where(and(eq(schema.timeEntries.id, id), eq(schema.timeEntries.companyId, companyId)));
    await audit(tx, companyId, actor, 'time_entry.deleted', id);
  });
}

export async function getTimeEntry(db: Db, companyId: string, id: string) {
  return presentTimeEntry(await readEntry(db, companyId, id), await currencyOf(db, companyId));
}

export async function listTimeEntries(db: Db, companyId: string, query: TimeEntryListQuery) {
  const t = schema.timeEntries;
  const where = and(
    eq(t.companyId, companyId),
    query.customer_id ? eq(t.customerId, query.customer_id) : undefined,
    query.project ? eq(t.project, query.project) : undefined,
    query.from_date ? gte(t.entryDate, query.from_date) : undefined,
    query.to_date ? lte(t.entryDate, query.to_date) : undefined,
    query.is_billable === undefined ? undefined : eq(t.isBillable, query.is_billable),
    query.is_invoiced === undefined
      ? undefined
      : query.is_invoiced
        ? isNotNull(t.invoiceId)
        : isNull(t.invoiceId),
  );
  const [rows, [count], currency] = await Promise.all([
    db
      .select(selection)
      .from(t)
      .leftJoin(schema.invoices, eq(schema.invoices.id, t.invoiceId))
      .where(where)
      .orderBy(desc(t.entryDate), desc(t.id))
      .limit(query.page_size)
      .offset((query.page - 1) * query.page_size),
    db.select({ n: sql<number>`count(*)::int` }).from(t).where(where),
    currencyOf(db, companyId),
  ]);
  return {
    total: Number(count?.n ?? 0),
    page: query.page,
    page_size: query.page_size,
    time_entries: rows.map((row) => presentTimeEntry(withNumber(row), currency)),
  };
}

/**
 * The customer's unbilled billable hours become the lines of a new draft invoice, in one transaction that also
 * links each entry to it: from then on the entries are locked, and the draft opens in the editor like any other
 * (its lines can still be edited there; issuing puts them on the PDF). Deleting the draft releases the entries.
 * Entries are locked in id order so that two concurrent requests cannot bill the same hours twice.
 */
export async function invoiceTimeEntries(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  body: InvoiceTimeBody,
) {
  return ctx.db.transaction(async (tx) => {
    const t = schema.timeEntries;
    const entries = await tx
      .select()
      .from(t)
      .where(
        and(
          eq(t.companyId, companyId),
          eq(t.customerId, body.customer_id),
          body.time_entry_ids
            ? inArray(t.id, body.time_entry_ids)
            : and(eq(t.isBillable, true), isNull(t.invoiceId)),
        ),
      )
      .orderBy(t.id)
      .for('update');
    if (body.time_entry_ids) {
      const found = new Map(entries.map((entry) => [entry.id, entry]));
      const errors = body.time_entry_ids.flatMap((id, index): FieldError[] => {
        const entry = found.get(id);
        const path = `time_entry_ids.${index}`;
        if (!entry) return [{ path, code: 'NOT_FOUND', message: 'No such time entry of this customer.' }];
        if (entry.invoiceId)
          return [{ path, code: 'TIME_ENTRY_INVOICED', message: 'Already on an invoice.' }];
        if (!entry.isBillable) return [{ path, code: 'NOT_BILLABLE', message: 'Not a billable entry.' }];
        return [];
      });
      if (errors.length > 0) throw new AppError('VALIDATION_FAILED', { status: 422, errors });
    }
    if (entries.length === 0) throw new AppError('NOTHING_TO_INVOICE');
    const ordered = [...entries].sort((a, b) =>
      a.entryDate === b.entryDate
        ? a.createdAt.getTime() - b.createdAt.getTime()
        : a.entryDate < b.entryDate
          ? -1
          : 1,
    );
    // Through the draft's own schema: its defaults, as if the editor had sent these lines.
    const draft = draftInvoiceBodySchema.parse({
      customer_id: body.customer_id,
      ...(body.invoice_date ? { invoice_date: body.invoice_date } : {}),
      ...(body.due_date ? { due_date: body.due_date } : {}),
      ...(body.notes ? { notes: body.notes } : {}),
      line_items: ordered.map((entry) => ({
        description: [entry.entryDate, entry.project, entry.description ?? 'Hours']
          .filter(Boolean)
          .join(' · '),
        quantity: entry.hours,
        unit_price: entry.hourlyRate,
        unit_code: 'HUR', // UN/ECE Recommendation 20: hour
        ...(body.vat_rate !== undefined ? { vat_rate: body.vat_rate } : {}),
        ...(body.vat_category ? { vat_category: body.vat_category } : {}),
      })),
    });
    const invoice = await insertDraftInvoice(tx, companyId, actor, draft);
    const now = new Date();
    await tx
      .update(t)
      .set({ invoiceId: invoice.id, invoicedAt: now, updatedAt: now })
      .where(
        and(
          eq(t.companyId, companyId),
          inArray(
            t.id,
            ordered.map((entry) => entry.id),
          ),
        ),
      );
    await audit(tx, companyId, actor, 'time_entry.invoiced', invoice.id, {
      time_entry_ids: ordered.map((entry) => entry.id),
    });
    return { invoice, time_entry_ids: ordered.map((entry) => entry.id) };
  });
}
