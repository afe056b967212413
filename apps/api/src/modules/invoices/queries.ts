import { type Db, schema } from '@invoiceflow/db';
import { and, asc, desc, eq, gte, inArray, lte, ne, type SQL, sql } from '@invoiceflow/db/orm';
import { statusesAllowing } from './lifecycle';
import { isIndexable, searchProbes } from './search-text';

const { invoices, invoiceNumberCounters, einvoiceDocuments } = schema;

export type InvoiceRow = typeof invoices.$inferSelect;
export type InvoiceInsert = typeof invoices.$inferInsert;
/**
 * A stored invoice with what is derived at read time: the status people see, the amount due, and the QR payload
 * of its e-invoice (ZATCA KSA-14), if it has one.
 */
export type InvoiceWithState = InvoiceRow & {
  derivedStatus: string;
  amountDue: string;
  qrPayload: string | null;
};

/**
 * The status people see, derived at read time so no scheduled job is needed for it to be right:
 * fully credited → credited; paid in full → paid; past the due date and not paid → overdue; partly paid →
 * partially_paid; otherwise the stored state (draft, issued, sent). "Today" is the company's calendar day
 * (in the company's time zone), looked up once per query.
 */
function companyToday(companyId: string): SQL {
  return sql`(SELECT (now() AT TIME ZONE c.time_zone)::date FROM companies c WHERE c.id = ${companyId})`;
}

export function derivedStatusSql(companyId: string): SQL<string> {
  const today = companyToday(companyId);
  return sql<string>`CASE
    WHEN ${invoices.status} = 'draft' THEN 'draft'
    WHEN ${invoices.type} = 'invoice' AND ${invoices.totalAmount} > 0 AND ${invoices.creditedAmount} >= ${invoices.totalAmount} THEN 'credited'
    WHEN ${invoices.paidAmount} > 0 AND ${invoices.paidAmount} >= ${invoices.payableAmount} - ${invoices.creditedAmount} THEN 'paid'
    WHEN ${invoices.type} <> 'credit_note' AND ${invoices.dueDate} < ${today} THEN 'overdue'
    WHEN ${invoices.paidAmount} > 0 THEN 'partially_paid'
    ELSE ${invoices.status} END`;
}

/**
 * Never below zero: a credit note after payment releases the allocations beyond the new due amount into customer
 * credit (payments' releaseAllocationsBeyondDue), and rows from before that rule read as nothing due. `payable × 0`
 * is a zero in the amount's own scale ("0.00", "0.000"). A draft is owed by nobody.
 */
const amountDueSql = sql<string>`CASE WHEN ${invoices.status} = 'draft' THEN ${invoices.payableAmount} * 0 ELSE GREATEST(${invoices.payableAmount} - ${invoices.creditedAmount} - ${invoices.paidAmount}, ${invoices.payableAmount} * 0) END`;

export const listColumns = {
  id: invoices.id,
  number: invoices.number,
  type: invoices.type,
  subtype: invoices.subtype,
  customerId: invoices.customerId,
  customerNameEn: invoices.customerNameEn,
  customerNameAr: invoices.customerNameAr,
  issueDate: invoices.issueDate,
  dueDate: invoices.dueDate,
  currency: invoices.currency,
  subtotal: invoices.subtotal,
  vatAmount: invoices.vatAmount,
  totalAmount: invoices.totalAmount,
  paidAmount: invoices.paidAmount,
  creditedAmount: invoices.creditedAmount,
  amountDue: amountDueSql,
  createdAt: invoices.createdAt,
};

export interface InvoiceListRow {
  id: string;
  number: string;
  type: InvoiceRow['type'];
  subtype: InvoiceRow['subtype'];
  customerId: string | null;
  customerNameEn: string;
  customerNameAr: string | null;
  issueDate: string;
  dueDate: string | null;
  currency: string;
  subtotal: string;
  vatAmount: string;
  totalAmount: string;
  paidAmount: string;
  creditedAmount: string;
  amountDue: string;
  createdAt: Date;
  status: string;
}

export async function getInvoice(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<InvoiceWithState | undefined> {
  const [row] = await db
    .select({
      invoice: invoices,
      derivedStatus: derivedStatusSql(companyId),
      amountDue: amountDueSql,
      qrPayload: sql<string | null>`(SELECT ${einvoiceDocuments.qrPayload} FROM ${einvoiceDocuments}
        WHERE ${einvoiceDocuments.companyId} = ${companyId} AND ${einvoiceDocuments.invoiceId} = ${invoices.id}
        AND ${einvoiceDocuments.qrPayload} IS NOT NULL LIMIT 1)`,
    })
    .from(invoices)
    .where(and(eq(invoices.companyId, companyId), eq(invoices.id, id)));
  return row
    ? { ...row.invoice, derivedStatus: row.derivedStatus, amountDue: row.amountDue, qrPayload: row.qrPayload }
    : undefined;
}

/** The original of a credit or debit note, row-locked: concurrent notes against it queue here. */
export async function lockInvoice(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<InvoiceRow | undefined> {
  const [row] = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.companyId, companyId), eq(invoices.id, id)))
    .for('update');
  return row;
}

export async function insertInvoice(db: Db, values: InvoiceInsert): Promise<InvoiceRow> {
  const [row] = await db.insert(invoices).values(values).returning();
  if (!row) throw new Error('invoice insert returned nothing');
  return row;
}

/**
 * A draft invoice becomes the issued document, keeping its id: every column of the issue replaces the preview,
 * the saved request is dropped. Only while it is a draft (the caller holds its row lock).
 */
export async function issueDraftRow(
  db: Db,
  { companyId, id, values }: { companyId: string; id: string; values: Omit<InvoiceInsert, 'id'> },
): Promise<InvoiceRow> {
  const { createdBy: _, ...issued } = values;
  const [row] = await db
    .update(invoices)
    .set({ ...issued, draftBody: null, updatedAt: new Date() })
    .where(and(eq(invoices.companyId, companyId), eq(invoices.id, id), eq(invoices.status, 'draft')))
    .returning();
  if (!row) throw new Error('draft invoice vanished under its lock');
  return row;
}

/** Saves a draft's request and its preview (amounts, buyer, snapshot); only while it is a draft. */
export async function updateDraftRow(
  db: Db,
  { companyId, id, values }: { companyId: string; id: string; values: Partial<InvoiceInsert> },
): Promise<boolean> {
  const rows = await db
    .update(invoices)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(invoices.companyId, companyId), eq(invoices.id, id), eq(invoices.status, 'draft')))
    .returning({ id: invoices.id });
  return rows.length > 0;
}

/**
 * Adds a credit note's total to its original's credited amount, only if it still fits (under the row lock
 * taken by lockInvoice). Returns the amount that remained when it does not fit.
 */
export async function addCredit(
  db: Db,
  { companyId, id, amount }: { companyId: string; id: string; amount: string },
): Promise<{ ok: true } | { ok: false; remaining: string }> {
  const updated = await db
    .update(invoices)
    .set({ creditedAmount: sql`${invoices.creditedAmount} + ${amount}::numeric`, updatedAt: new Date() })
    .where(
      and(
        eq(invoices.companyId, companyId),
        eq(invoices.id, id),
        sql`${invoices.creditedAmount} + ${amount}::numeric <= ${invoices.totalAmount}`,
      ),
    )
    .returning({ id: invoices.id });
  if (updated.length > 0) return { ok: true };
  const [row] = await db
    .select({ remaining: sql<string>`${invoices.totalAmount} - ${invoices.creditedAmount}` })
    .from(invoices)
    .where(and(eq(invoices.companyId, companyId), eq(invoices.id, id)));
  return { ok: false, remaining: row?.remaining ?? '0' };
}

/** A lifecycle step's new status (approved, sent), while the row is in `from` (the caller holds its lock). */
export async function setStepStatus(
  db: Db,
  {
    companyId,
    id,
    from,
    to,
  }: { companyId: string; id: string; from: InvoiceRow['status']; to: InvoiceRow['status'] },
): Promise<boolean> {
  const rows = await db
    .update(invoices)
    .set({
      status: to,
      ...(to === 'sent' ? { sentAt: sql`coalesce(${invoices.sentAt}, now())` } : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(invoices.companyId, companyId), eq(invoices.id, id), eq(invoices.status, from)))
    .returning({ id: invoices.id });
  return rows.length > 0;
}

export async function markSent(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<boolean> {
  const rows = await db
    .update(invoices)
    .set({ status: 'sent', sentAt: sql`coalesce(${invoices.sentAt}, now())`, updatedAt: new Date() })
    .where(
      and(
        eq(invoices.companyId, companyId),
        eq(invoices.id, id),
        inArray(invoices.status, statusesAllowing('mark_sent')),
      ),
    )
    .returning({ id: invoices.id });
  return rows.length > 0;
}

export async function deleteDraftInvoice(
  db: Db,
  { companyId, id }: { companyId: string; id: string },
): Promise<boolean> {
  const rows = await db
    .delete(invoices)
    .where(and(eq(invoices.companyId, companyId), eq(invoices.id, id), eq(invoices.status, 'draft')))
    .returning({ id: invoices.id });
  return rows.length > 0;
}

/**
 * The next number of a series, gapless: the counter row is created or incremented by one statement and stays
 * locked until the issuing transaction ends. A rolled-back issue rolls the counter back with it, so no number
 * is skipped; a concurrent issue (in this process or another one on the same database) waits for the lock.
 */
export async function nextNumber(db: Db, { companyId, series }: { companyId: string; series: string }) {
  const [row] = await db
    .insert(invoiceNumberCounters)
    .values({ companyId, series, lastValue: 1 })
    .onConflictDoUpdate({
      target: [invoiceNumberCounters.companyId, invoiceNumberCounters.series],
      set: { lastValue: sql`${invoiceNumberCounters.lastValue} + 1`, updatedAt: sql`now()` },
    })
    .returning({ value: invoiceNumberCounters.lastValue });
  if (!row) throw new Error('counter upsert returned nothing');
  return Number(row.value);
}

// ------------------------------------------------------------------------------------------- list and search

export interface InvoiceFilters {
  companyId: string;
  status?: string;
  type?: string;
  customerId?: string;
  dateFrom?: string;
  dateTo?: string;
  amountMin?: string;
  amountMax?: string;
  /** Folded search text (search.ts), matched anywhere in number, customer names and VAT number. */
  text?: string;
}

export type SortKey = 'issue_date' | 'number' | 'total';

function whereOf(filters: InvoiceFilters): SQL | undefined {
  const conditions: (SQL | undefined)[] = [eq(invoices.companyId, filters.companyId)];
  if (filters.type) conditions.push(eq(invoices.type, filters.type as InvoiceRow['type']));
  if (filters.customerId) conditions.push(eq(invoices.customerId, filters.customerId));
  if (filters.dateFrom) conditions.push(gte(invoices.issueDate, filters.dateFrom));
  if (filters.dateTo) conditions.push(lte(invoices.issueDate, filters.dateTo));
  if (filters.amountMin) conditions.push(sql`${invoices.totalAmount} >= ${filters.amountMin}::numeric`);
  if (filters.amountMax) conditions.push(sql`${invoices.totalAmount} <= ${filters.amountMax}::numeric`);
  // Drafts are not documents yet: listed when asked for (status=draft), never among the others or their count.
  if (filters.status) conditions.push(statusCondition(filters.companyId, filters.status));
  else conditions.push(ne(invoices.status, 'draft'));
  // search_text is stored lower-cased: LIKE on the lower-cased query matches as ILIKE would, and the trigram
  // index serves LIKE as well as ILIKE. lower() runs in the database so both sides fold the same way.
  if (filters.text) conditions.push(searchCondition(filters.text));
  return and(...conditions);
}

/**
 * The trigram index serves `search_text LIKE …`. It is asked only for the selective parts of the text
 * (searchProbes), or for the whole text when it has none, and the full text is rechecked on the candidates by a
 * condition the index cannot serve (`search_text || ''`): the same rows match, without reading the posting lists
 * of trigrams in nearly every row. The recheck also keeps the planner's row estimate low, so a count that stops
 * at its cap reads the trigram bitmap: estimating a common name as dense, it took a sequential scan stopping
 * at the cap, which starts wherever synchronized scans put it and read 0.2–250 ms for the same term.
 */
function searchCondition(text: string): SQL {
  const probes = searchProbes(text);
  const indexed = (probes.length > 0 ? probes : [text]).map(
    (part) => sql`${invoices.searchText} LIKE ${likeAnywhere(part)}`,
  );
  return sql`(${sql.join(indexed, sql` AND `)} AND (${invoices.searchText} || '') LIKE ${likeAnywhere(text)})`;
}

const likeAnywhere = (text: string) => sql`'%' || lower(${text}) || '%'`;

// The derived status's branches as plain conditions (same order of precedence as derivedStatusSql). Spelled
// out, "paid" matches the predicate of invoices_company_paid_idx (literal SQL, no parameters, or the planner
// cannot prove the partial index applies), and "overdue" lets the planner use the due date.
const IS_CREDITED = sql.raw(
  `("invoices"."type" = 'invoice' AND "invoices"."total_amount" > 0 AND "invoices"."credited_amount" >= "invoices"."total_amount")`,
);
const IS_PAID = sql.raw(
  `("invoices"."paid_amount" > 0 AND "invoices"."paid_amount" >= "invoices"."payable_amount" - "invoices"."credited_amount")`,
);

function statusCondition(companyId: string, status: string): SQL {
  const notDraft = sql`${invoices.status} <> 'draft'`;
  if (status === 'paid') return sql`(${notDraft} AND NOT ${IS_CREDITED} AND ${IS_PAID})`;
  if (status === 'overdue') {
    return sql`(${notDraft} AND NOT ${IS_CREDITED} AND NOT ${IS_PAID} AND ${invoices.type} <> 'credit_note' AND ${invoices.dueDate} < ${companyToday(companyId)})`;
  }
  return sql`${derivedStatusSql(companyId)} = ${status}`;
}

const SORT_COLUMNS = { issue_date: invoices.issueDate, number: invoices.number, total: invoices.totalAmount };

/**
 * Counting every match of a broad filter over a million rows costs more than the page itself, and nobody
 * pages that far: the count stops at a cap and says whether it is exact. A search counts less far: each
 * counted match is a heap row rechecked against its pattern.
 */
export const COUNT_CAP = 10_000;
export const SEARCH_COUNT_CAP = 1_000;
/** A search first walks this many newest invoices (see listInvoices). */
const RECENT_WINDOW = 2_000;
/**
 * A text the trigram index cannot narrow (isIndexable) is looked for among this many invoices only: the first
 * ones of the list, sorted and filtered as asked (see listInvoices). Walked in 5–8 ms by date or number at
 * 600,000 invoices (≈ 17 ms by total, in no order on the disk); 10,000 took 25–75 ms.
 */
export const SHORT_TEXT_WINDOW = 5_000;
/** A text found in one invoice in five of the recent window is counted by walking at most this many. */
const COUNT_WALK = 10_000;

type ListQuery = InvoiceFilters & { sort: SortKey; order: 'asc' | 'desc'; limit: number; offset: number };

/**
 * A page of the history, and how many match.
 *
 * Without search text: the page and a count that stops at COUNT_CAP, in parallel.
 *
 * Search (`text`) at a million rows: PostgreSQL misjudges how many rows a trigram pattern matches, and either
 * plan can be the slow one (walking the date index for a rare number scans the whole company; sorting every
 * bitmap match of a common name reads tens of thousands of rows), and the trigram bitmap costs 2–10 ms to build
 * for a large company even from the selective parts of the text (≈ 20 ms for a year, in one invoice in four).
 * So a search builds it at most once, and not at all for a text it cannot narrow:
 * - a text without three letters or digits in a row (`x`, `ab`: the first keystrokes in the search box) has no
 *   trigram to look up, and a substring that short is in a large share of the invoices or in almost none: the
 *   index would have every invoice of the company rechecked (`ab`: ≈ 2 s at 600,000). It is looked for among
 *   the first SHORT_TEXT_WINDOW invoices of the list, sorted and filtered as asked, each matched as the walk
 *   reads it (≈ 5–15 ms). The page is the first matches in that order; the total counts the matches walked
 *   past and says "at least" when the list goes on beyond the window (total_is_exact: false). An exhaustive
 *   answer would need an index of every 1- and 2-character substring, larger than the trigram one and written
 *   at every issue, for a text the next character typed hands to the trigram index over every invoice;
 * - newest first, it walks the company's RECENT_WINDOW newest invoices by the date index (≤ 3 ms), matching
 *   each and counting the matches on the way: a full page there is the exact answer (those are the newest
 *   matches), as is any page when the window holds every invoice (no second statement for a company of up to
 *   2,000); only a window cut short leaves more to count (countCommonSearch);
 * - otherwise one trigram query sorts the matches (`issue_date + 0` keeps the planner off the date-index walk)
 *   and counts them all on the way (`count(*) OVER ()`): the total is exact.
 */
export async function listInvoices(
  db: Db,
  filters: ListQuery,
): Promise<{ rows: InvoiceListRow[]; total: number; isTotalExact: boolean }> {
  const where = whereOf(filters);
  if (filters.text) return searchInvoices(db, filters, where);
  const [rows, counted] = await Promise.all([
    selectList(db, filters.companyId)
      .where(where)
      .orderBy(...orderOf(filters, SORT_COLUMNS[filters.sort]))
      .limit(filters.limit)
      .offset(filters.offset) as Promise<InvoiceListRow[]>,
    cappedCount(db, where, COUNT_CAP),
  ]);
  return { rows, ...counted };
}

const selectList = (db: Db, companyId: string) =>
  db.select({ ...listColumns, status: derivedStatusSql(companyId) }).from(invoices);

const orderOf = (filters: ListQuery, column: SQL | (typeof SORT_COLUMNS)[SortKey]) => {
  const direction = filters.order === 'asc' ? asc : desc;
  return [direction(column), direction(invoices.id)];
};

async function cappedCount(
  db: Db,
  where: SQL | undefined,
  cap: number,
): Promise<{ total: number; isTotalExact: boolean }> {
  const result = (await db.execute(
    sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${invoices} WHERE ${where} LIMIT ${cap + 1}) AS matches`,
  )) as unknown as { rows: { n: number }[] };
  const n = Number(result.rows[0]?.n ?? 0);
  return { total: Math.min(n, cap), isTotalExact: n <= cap };
}

async function searchInvoices(
  db: Db,
  filters: ListQuery,
  where: SQL | undefined,
): Promise<{ rows: InvoiceListRow[]; total: number; isTotalExact: boolean }> {
  // A total past the page's end, however far it is, else SEARCH_COUNT_CAP: "at least" as many as that.
  const countTo = Math.max(SEARCH_COUNT_CAP, filters.offset + filters.limit);
  if (!isIndexable(filters.text as string)) {
    const { rows, matched, isCut } = await walkSearch(db, filters, SHORT_TEXT_WINDOW, countTo);
    return { rows, total: Math.min(matched, countTo), isTotalExact: matched <= countTo && !isCut };
  }
  if (
    filters.sort === 'issue_date' &&
    filters.order === 'desc' &&
    filters.offset + filters.limit <= RECENT_WINDOW
  ) {
    const { rows, matched, isCut } = await walkSearch(db, filters, RECENT_WINDOW, countTo);
    if (matched > countTo) return { rows, total: countTo, isTotalExact: false };
    if (!isCut) return { rows, total: matched, isTotalExact: true };
    if (rows.length === filters.limit) {
      return { rows, ...(await countCommonSearch(db, filters, where, matched, countTo)) };
    }
  }
  // The matches sorted by their key alone (id and sort key: a narrow row to sort and count), then the page's
  // columns for the few that are on the page.
  const sortKey = filters.sort === 'issue_date' ? sql`${invoices.issueDate} + 0` : SORT_COLUMNS[filters.sort];
  const matches = db
    .select({
      id: sql<string>`${invoices.id}`.as('match_id'),
      fullCount: sql<number>`count(*) OVER ()`.as('full_count'),
    })
    .from(invoices)
    .where(where)
    .orderBy(...orderOf(filters, sortKey))
    .limit(filters.limit)
    .offset(filters.offset)
    .as('matches');
  const page = await db
    .select({ ...listColumns, status: derivedStatusSql(filters.companyId), fullCount: matches.fullCount })
    .from(invoices)
    .innerJoin(matches, eq(invoices.id, matches.id))
    .orderBy(...orderOf(filters, SORT_COLUMNS[filters.sort]));
  const first = page[0];
  // A page past the last match carries no count: count them then.
  if (!first) return { rows: [], ...(await cappedCount(db, where, SEARCH_COUNT_CAP)) };
  const rows = page.map(({ fullCount: _, ...row }) => row) as InvoiceListRow[];
  return { rows, total: Number(first.fullCount), isTotalExact: true };
}

/**
 * The first `count` invoices of the list (its filters and order, read from the index of the sort key), with
 * their place in that order and their search text, to be matched as they are read.
 */
function walkInvoices(db: Db, filters: ListQuery, count: number) {
  const order = orderOf(filters, SORT_COLUMNS[filters.sort]);
  return db
    .select({
      id: invoices.id,
      searchText: invoices.searchText,
      position: sql<number>`row_number() OVER (ORDER BY ${sql.join(order, sql`, `)})`.as('position'),
    })
    .from(invoices)
    .where(whereOf({ ...filters, text: undefined }))
    .orderBy(...order)
    .limit(count)
    .as('walk');
}

/**
 * The text's matches among the first `window` invoices of the list, matched row by row as the walk reads them
 * (with the text as a condition of its own, the planner would ask the trigram index for a rare one: the whole
 * bitmap): the page of them, how many there are (the walk stops at the (countTo + 1)-th), and whether the list
 * goes on past the window. One statement that always returns a row: the counts, with the page's invoices.
 */
async function walkSearch(
  db: Db,
  filters: ListQuery,
  window: number,
  countTo: number,
): Promise<{ rows: InvoiceListRow[]; matched: number; isCut: boolean }> {
  const walk = walkInvoices(db, filters, window + 1);
  // The row after the window, when there is one, goes through with the matches: it says the list goes on.
  const walked = db.$with('walked').as(
    db
      .select({ id: walk.id, position: walk.position })
      .from(walk)
      .where(
        sql`(${walk.searchText} LIKE ${likeAnywhere(filters.text as string)} OR ${walk.position} > ${window})`,
      )
      .limit(countTo + 2),
  );
  const counts = db
    .select({
      matched: sql<number>`count(*) FILTER (WHERE ${walked.position} <= ${window})`.as('matched'),
      isCut: sql<boolean>`coalesce(bool_or(${walked.position} > ${window}), false)`.as('is_cut'),
    })
    .from(walked)
    .as('counts');
  const page = db
    .select({ id: walked.id, position: walked.position })
    .from(walked)
    .where(sql`${walked.position} <= ${window}`)
    .orderBy(walked.position)
    .limit(filters.limit)
    .offset(filters.offset)
    .as('page');
  const result = await db
    .with(walked)
    .select({
      ...listColumns,
      status: derivedStatusSql(filters.companyId),
      matched: counts.matched,
      isCut: counts.isCut,
    })
    .from(counts)
    .leftJoin(page, sql`true`)
    .leftJoin(invoices, and(eq(invoices.companyId, filters.companyId), eq(invoices.id, page.id)))
    .orderBy(page.position);
  const first = result[0];
  return {
    rows: result
      .filter((row) => row.id !== null)
      .map(({ matched: _, isCut: __, ...row }) => row) as InvoiceListRow[],
    matched: Number(first?.matched ?? 0),
    isCut: first?.isCut === true,
  };
}

/**
 * How many invoices match a text whose page the walk through the RECENT_WINDOW newest invoices filled,
 * `matched` of them there. Counting from the trigram index costs in proportion to the posting lists of the
 * text's trigrams (≈ 6 ms for a name in one invoice in sixteen of a 600,000-invoice company, 20–30 ms for a
 * year in one in four: 157,611 candidates, ≈ 60 ms for `inv`, in every one), walking in proportion to the rows
 * walked (1–6 µs each). Found in one invoice in five of the window or more, the text is expected to reach the
 * cap within about 5,000 rows: walking on is cheaper (from the newest again, whose rows the window just read:
 * `2025` reaches the cap 4,001 rows in, ≈ 4 ms), and only a walk that falls short (the text thins out in older
 * invoices) leaves the count to the index. The share is taken over the whole window, not over the rows up to
 * the page's last match: `2025` filled its page 449 rows in (one in 22: the newest day's invoices are of
 * another year) but is in 428 of the 2,000.
 */
async function countCommonSearch(
  db: Db,
  filters: ListQuery,
  where: SQL | undefined,
  matched: number,
  countTo: number,
): Promise<{ total: number; isTotalExact: boolean }> {
  if (matched * 5 >= RECENT_WINDOW) {
    const walked = await walkSearch(db, { ...filters, limit: 0, offset: 0 }, COUNT_WALK, countTo);
    if (walked.matched > countTo) return { total: countTo, isTotalExact: false };
    if (!walked.isCut) return { total: walked.matched, isTotalExact: true };
  }
  return cappedCount(db, where, countTo);
}
