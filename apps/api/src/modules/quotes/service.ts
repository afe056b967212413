// Quotations: an offer to a customer with an invoice's lines and totals (the same engine, the same reading of the
// request as a draft invoice), its own number series, a validity date, and a public link the customer accepts or
// declines through. Expired by a job once the validity has passed; converted once into a draft invoice.
//
// The public link's token is 256 random bits, stored only as its SHA-256; each send makes a new one (the old
// link stops working). The customer-facing reads and decisions are functions of the token alone
// (`getPublicQuote`, `decideQuote`) so that a client portal answers with the same calls.

import type { Db } from '@invoiceflow/db';
import type { InvoiceSnapshot } from '@invoiceflow/db/schema';
import { profileFor } from '@invoiceflow/jurisdictions';
import { formatAmount } from '@invoiceflow/totals';
import type { AppContext } from '../../context';
import type { JobDefinition } from '../../jobs/queue';
import type { Actor } from '../../lib/actor';
import { recordAudit } from '../../lib/audit';
import { addDays } from '../../lib/business-dates';
import { hashToken, randomToken } from '../../lib/crypto';
import { AppError, defineErrors, type FieldError } from '../../lib/errors';
import { linkBase } from '../auth/verification';
import { requireApprovedCompany } from '../companies/approval';
import { type CompanyRow, getCompany } from '../companies/queries';
import { getCustomer } from '../customers/queries';
import { draftColumns, insertDraftInvoice } from '../invoices/draft-invoices';
import { nextNumber } from '../invoices/queries';
import type { DraftInvoiceBody } from '../invoices/schemas';
import { enqueueMail, lockAndCountMailToday } from '../mail/queries';
import { companyDate } from '../payments/company-date';
import { renderPdf } from '../pdf/render-pool';
import { emitWebhookEvent } from '../webhooks/events';
import * as q from './queries';
import type { QuoteBody, QuotePatch } from './schemas';

defineErrors({
  QUOTE_NOT_FOUND: [404, 'Quotation not found.'],
  QUOTE_INVALID: [422, 'The quotation cannot be saved as it is; see errors.'],
  QUOTE_INCOMPLETE: [422, 'The quotation cannot be sent as it is; see errors.'],
  QUOTE_NOT_EDITABLE: [409, 'Only a draft quotation can be changed or deleted.'],
  QUOTE_NOT_SENDABLE: [409, 'This quotation can no longer be sent.'],
  QUOTE_EXPIRED: [410, 'This quotation has expired.'],
  QUOTE_ALREADY_DECIDED: [409, 'This quotation has already been answered.'],
  QUOTE_NOT_OPEN: [409, 'This quotation is not open for an answer.'],
  QUOTE_ALREADY_CONVERTED: [409, 'This quotation has already been converted into an invoice.'],
  QUOTE_NOT_CONVERTIBLE: [409, 'A declined or expired quotation cannot be converted.'],
});

export const QUOTE_EXPIRY_JOB = 'quotes.expire';

/** How long a quotation is valid when its request names no date. */
const DEFAULT_VALIDITY_DAYS = 30;

/** Hourly (a company's midnight falls on some hour in UTC), and on demand with `at` in tests. */
export function quoteJobs(ctx: AppContext): JobDefinition[] {
  const expire: JobDefinition<{ at?: string }> = {
    name: QUOTE_EXPIRY_JOB,
    cron: '10 * * * *',
    policy: 'singleton',
    retryLimit: 3,
    handle: async (data) => {
      await expireQuotes(ctx, { now: data.at ? new Date(data.at) : new Date() });
    },
  };
  return [expire];
}

type Line = InvoiceSnapshot['totals']['lines'][number];

function linesOf(snapshot: InvoiceSnapshot) {
  return snapshot.totals.lines.map((line: Line, index: number) => ({
    description: snapshot.lines[index]?.description ?? null,
    description_ar: snapshot.lines[index]?.description_ar ?? null,
    quantity: line.quantity,
    unit_code: line.unit_code,
    unit_price: line.unit_price,
    vat_category: line.vat_category,
    vat_rate: line.vat_rate,
    net_amount: line.net_amount,
    vat_amount: line.vat_amount,
    amount_with_vat: line.amount_with_vat,
  }));
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function presentQuote(row: q.QuoteRow) {
  return {
    id: row.id,
    quote_number: row.number,
    status: row.status,
    customer_id: row.customerId,
    customer_name: row.snapshot.buyer.name_en,
    issue_date: row.issueDate,
    valid_until: row.validUntil,
    currency: row.currency,
    subtotal: row.subtotal,
    vat_amount: row.vatAmount,
    total_amount: row.totalAmount,
    lines: linesOf(row.snapshot),
    notes: row.snapshot.notes ?? null,
    body: row.body,
    sent_at: iso(row.sentAt),
    accepted_at: iso(row.acceptedAt),
    declined_at: iso(row.declinedAt),
    decision_note: row.decisionNote,
    expired_at: iso(row.expiredAt),
    converted_at: iso(row.convertedAt),
    invoice_id: row.convertedInvoiceId,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
export type PresentedQuote = ReturnType<typeof presentQuote>;

/** Q-2026-0001: the profile's quotation prefix, the year of the quotation's date, four digits at least. */
export function formatQuoteNumber(prefix: string, year: string, value: number): string {
  return `${prefix}-${year}-${String(value).padStart(4, '0')}`;
}

async function companyOf(tx: Db, companyId: string): Promise<CompanyRow> {
  const company = await getCompany(tx, { companyId });
  if (!company) throw new AppError('COMPANY_NOT_FOUND');
  return company;
}

/** The invoice request a quotation stands for (what a conversion drafts): its body without its own dates. */
function invoiceBodyOf(body: QuoteBody): DraftInvoiceBody {
  const { valid_until: _validUntil, ...rest } = body;
  return { ...rest, type: 'invoice' } as DraftInvoiceBody;
}

/**
 * The stored columns of a quotation: the request read as a draft invoice's is (a customer and products that
 * exist, numbers that are numbers), its date and validity, its totals by the engine.
 */
async function quoteColumns(tx: Db, company: CompanyRow, number: string, body: QuoteBody) {
  const customer = await getCustomer(tx, { companyId: company.id, id: body.customer_id });
  if (!customer || customer.archivedAt !== null) {
    throw new AppError('QUOTE_INVALID', {
      errors: [{ path: 'customer_id', code: 'CUSTOMER_NOT_FOUND', message: 'No such customer.' }],
    });
  }
  let columns: Awaited<ReturnType<typeof draftColumns>>;
  try {
    columns = await draftColumns(tx, company, number, invoiceBodyOf(body));
  } catch (error) {
    if (error instanceof AppError && error.code === 'INVOICE_INVALID') {
      throw new AppError('QUOTE_INVALID', { errors: error.errors });
    }
    throw error;
  }
  const validUntil = body.valid_until ?? addDays(columns.issueDate, DEFAULT_VALIDITY_DAYS);
  if (validUntil < columns.issueDate) {
    throw new AppError('QUOTE_INVALID', {
      errors: [
        { path: 'valid_until', code: 'BEFORE_ISSUE_DATE', message: 'A quotation is valid from its date on.' },
      ],
    });
  }
  // The PDF's "valid until" row is the snapshot's due date.
  const snapshot = { ...columns.snapshot, due_date: validUntil };
  return {
    customerId: body.customer_id,
    issueDate: columns.issueDate,
    validUntil,
    currency: columns.currency,
    subtotal: columns.subtotal,
    vatAmount: columns.vatAmount,
    totalAmount: columns.totalAmount,
    body: body as Record<string, unknown>,
    snapshot,
  } satisfies Partial<q.QuoteInsert>;
}

async function audit(
  tx: Db,
  companyId: string,
  actor: Actor | null,
  action: string,
  quoteId: string,
  data?: Record<string, unknown>,
  requestId?: string,
) {
  await recordAudit(tx, {
    companyId,
    actorUserId: actor?.userId ?? null,
    action,
    entityType: 'quote',
    entityId: quoteId,
    ...(data ? { data } : {}),
    requestId: actor?.requestId ?? requestId ?? null,
  });
}

export async function createQuote(ctx: AppContext, companyId: string, actor: Actor, body: QuoteBody) {
  return ctx.db.transaction(async (tx) => {
    const company = await companyOf(tx, companyId);
    // Read first with a placeholder number: a refused request takes no number.
    const columns = await quoteColumns(tx, company, 'Q', body);
    const prefix = profileFor(company.country).quoteSeries;
    const year = columns.issueDate.slice(0, 4);
    const number = formatQuoteNumber(
      prefix,
      year,
      await nextNumber(tx, { companyId, series: `${prefix}-${year}` }),
    );
    const row = await q.insertQuote(tx, {
      ...columns,
      snapshot: { ...columns.snapshot, number },
      companyId,
      number,
      createdBy: actor.userId,
    });
    await audit(tx, companyId, actor, 'quote.created', row.id, { number });
    return row;
  });
}

export async function getQuoteOrThrow(db: Db, companyId: string, id: string) {
  const row = await q.getQuote(db, { companyId, id });
  if (!row) throw new AppError('QUOTE_NOT_FOUND');
  return row;
}

/** PATCH: the fields sent replace the draft quotation's; its number stays. */
export async function updateQuote(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  patch: QuotePatch,
) {
  return ctx.db.transaction(async (tx) => {
    const current = await q.lockQuote(tx, { companyId, id });
    if (!current) throw new AppError('QUOTE_NOT_FOUND');
    if (current.status !== 'draft') throw new AppError('QUOTE_NOT_EDITABLE');
    const body = { ...(current.body as QuoteBody), ...patch } as QuoteBody;
    const columns = await quoteColumns(tx, await companyOf(tx, companyId), current.number, body);
    const row = await q.updateQuote(tx, { companyId, id, values: columns });
    await audit(tx, companyId, actor, 'quote.updated', id, { fields: Object.keys(patch) });
    return row;
  });
}

export async function deleteQuote(ctx: AppContext, companyId: string, actor: Actor, id: string) {
  await ctx.db.transaction(async (tx) => {
    const current = await q.lockQuote(tx, { companyId, id });
    if (!current) throw new AppError('QUOTE_NOT_FOUND');
    if (current.status !== 'draft') throw new AppError('QUOTE_NOT_EDITABLE');
    await q.deleteQuote(tx, { companyId, id });
    await audit(tx, companyId, actor, 'quote.deleted', id, { number: current.number });
  });
}

/** What a quotation needs before a customer sees it: lines, and amounts the engine could compute. */
function sendErrors(row: q.QuoteRow, today: string): FieldError[] {
  const errors: FieldError[] = [];
  if (row.snapshot.lines.length === 0) {
    errors.push({ path: 'lines', code: 'REQUIRED', message: 'A quotation needs at least one line.' });
  }
  for (const issue of row.snapshot.totals.errors ?? []) {
    errors.push({ path: issue.path, code: issue.code, message: issue.message });
  }
  if (row.validUntil < today) {
    errors.push({ path: 'valid_until', code: 'IN_THE_PAST', message: 'The validity date has passed.' });
  }
  return errors;
}

/**
 * Mails the quotation (PDF attached, with the public link) and marks it sent, in one transaction. A repeated send
 * of a sent quotation mails it again with a new link (the old one stops working).
 */
export async function sendQuote(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  input: { to?: string; message?: string },
) {
  return ctx.db.transaction(async (tx) => {
    await requireApprovedCompany(ctx, tx, companyId);
    const current = await q.lockQuote(tx, { companyId, id });
    if (!current) throw new AppError('QUOTE_NOT_FOUND');
    if (current.status !== 'draft' && current.status !== 'sent') throw new AppError('QUOTE_NOT_SENDABLE');
    const company = await companyOf(tx, companyId);
    const errors = sendErrors(current, companyDate(company.timeZone));
    if (errors.length > 0) throw new AppError('QUOTE_INCOMPLETE', { errors });
    const to = input.to ?? (await q.customerEmail(tx, { companyId, customerId: current.customerId }));
    if (!to) throw new AppError('CUSTOMER_EMAIL_MISSING');

    // An account anyone may register must not become a relay: quotation mail per company and day is bounded.
    const today = await lockAndCountMailToday(tx, { companyId, kind: 'quote' });
    if (today.count >= ctx.config.MAIL_SENDS_PER_COMPANY_PER_DAY) {
      throw new AppError('MAIL_SEND_LIMIT_REACHED', {
        headers: { 'retry-after': String(today.secondsToMidnight) },
      });
    }
    const token = randomToken();
    const publicUrl = `${linkBase(ctx.config)}/q/${token}`;
    const row = await q.updateQuote(tx, {
      companyId,
      id,
      values: { status: 'sent', publicTokenHash: hashToken(token), sentAt: current.sentAt ?? new Date() },
    });
    await enqueueMail(tx, {
      companyId,
      to,
      kind: 'quote',
      subject: `Quotation ${row.number} from ${company.legalNameEn}`,
      text:
        `Dear ${row.snapshot.buyer.name_en},\n\n` +
        `Please find attached quotation ${row.number} for ${formatAmount(row.totalAmount, row.currency)}, ` +
        `valid until ${row.validUntil}.\n` +
        (input.message ? `\n${input.message}\n` : '') +
        `\nYou can accept or decline it here:\n${publicUrl}\n\n${company.legalNameEn}`,
      refs: { quote_id: row.id },
    });
    await audit(tx, companyId, actor, 'quote.sent', id, { to });
    return { quote: presentQuote(row), to, mail_status: 'queued' as const, public_url: publicUrl };
  });
}

/** Whether the quotation's last valid day has passed, in its company's calendar. */
const isPastValidity = (row: q.QuoteRow, timeZone: string, now: Date) =>
  row.validUntil < companyDate(timeZone, now);

function presentPublic(row: q.QuoteRow, isOpen: boolean) {
  const { snapshot } = row;
  return {
    quote_number: row.number,
    status: row.status,
    issue_date: row.issueDate,
    valid_until: row.validUntil,
    currency: row.currency,
    seller: {
      name: snapshot.seller.legal_name_en,
      name_ar: snapshot.seller.legal_name_ar ?? null,
      vat_number: snapshot.seller.vat_number ?? null,
    },
    buyer: { name: snapshot.buyer.name_en, name_ar: snapshot.buyer.name_ar ?? null },
    lines: linesOf(snapshot),
    subtotal: row.subtotal,
    vat_amount: row.vatAmount,
    total_amount: row.totalAmount,
    notes: snapshot.notes ?? null,
    accepted_at: iso(row.acceptedAt),
    declined_at: iso(row.declinedAt),
    decision_note: row.decisionNote,
    can_decide: isOpen,
  };
}
export type PublicQuote = ReturnType<typeof presentPublic>;

/**
 * The quotation as its customer sees it, by the token of its link: 404 for a token that names none (or an old
 * link), 410 once the quotation expired (the job marked it, or its last valid day has passed). A decided or
 * converted quotation is still shown, with its decision.
 */
export async function getPublicQuote(
  ctx: Pick<AppContext, 'db'>,
  token: string,
  { now = new Date() }: { now?: Date } = {},
): Promise<PublicQuote> {
  const found = await q.getQuoteByTokenHash(ctx.db, hashToken(token));
  if (!found) throw new AppError('QUOTE_NOT_FOUND');
  const { quote, timeZone } = found;
  const isUndecided = quote.acceptedAt === null && quote.declinedAt === null;
  if (
    quote.status === 'expired' ||
    (isUndecided && quote.status === 'sent' && isPastValidity(quote, timeZone, now))
  ) {
    throw new AppError('QUOTE_EXPIRED');
  }
  return presentPublic(quote, quote.status === 'sent');
}

/** The quotation's PDF by the token of its link (the same checks as the public read). */
export async function getPublicQuotePdf(ctx: Pick<AppContext, 'db'>, token: string, now = new Date()) {
  await getPublicQuote(ctx, token, { now });
  const found = await q.getQuoteByTokenHash(ctx.db, hashToken(token));
  if (!found) throw new AppError('QUOTE_NOT_FOUND');
  return { number: found.quote.number, pdf: await renderQuotePdf(found.quote) };
}

/**
 * The customer's answer through the link. Accepting an accepted quotation (or declining a declined one) answers it
 * as it is, with no second audit entry or event; the other answer after one is refused (409
 * QUOTE_ALREADY_DECIDED); past its validity 410 QUOTE_EXPIRED.
 */
export async function decideQuote(
  ctx: Pick<AppContext, 'db'>,
  token: string,
  decision: 'accept' | 'decline',
  { note, now = new Date(), requestId }: { note?: string; now?: Date; requestId?: string } = {},
): Promise<PublicQuote> {
  return ctx.db.transaction(async (tx) => {
    const found = await q.lockQuoteByTokenHash(tx, hashToken(token));
    if (!found) throw new AppError('QUOTE_NOT_FOUND');
    const { quote, timeZone } = found;
    const { companyId, id } = quote;
    const same = decision === 'accept' ? quote.acceptedAt : quote.declinedAt;
    const other = decision === 'accept' ? quote.declinedAt : quote.acceptedAt;
    if (same !== null) return presentPublic(quote, false);
    if (other !== null) throw new AppError('QUOTE_ALREADY_DECIDED');
    if (quote.status === 'expired' || isPastValidity(quote, timeZone, now))
      throw new AppError('QUOTE_EXPIRED');
    if (quote.status !== 'sent') throw new AppError('QUOTE_NOT_OPEN');
    const row = await q.updateQuote(tx, {
      companyId,
      id,
      values:
        decision === 'accept'
          ? { status: 'accepted', acceptedAt: now, decisionNote: note || null }
          : { status: 'declined', declinedAt: now, decisionNote: note || null },
    });
    const type = decision === 'accept' ? 'quote.accepted' : 'quote.declined';
    await audit(tx, companyId, null, type, id, { has_note: Boolean(note) }, requestId);
    await emitWebhookEvent(tx, {
      companyId,
      type,
      data: {
        quote: {
          id: row.id,
          number: row.number,
          status: row.status,
          customer_id: row.customerId,
          currency: row.currency,
          total_amount: row.totalAmount,
          valid_until: row.validUntil,
        },
      },
    });
    return presentPublic(row, false);
  });
}

/**
 * A draft invoice with the quotation's lines (its request, dated today), and the quotation marked converted with
 * the link, in one transaction: a second conversion answers 409 QUOTE_ALREADY_CONVERTED naming the invoice.
 */
export async function convertQuote(ctx: AppContext, companyId: string, actor: Actor, id: string) {
  return ctx.db.transaction(async (tx) => {
    const current = await q.lockQuote(tx, { companyId, id });
    if (!current) throw new AppError('QUOTE_NOT_FOUND');
    if (current.status === 'converted') {
      throw new AppError('QUOTE_ALREADY_CONVERTED', { extra: { invoice_id: current.convertedInvoiceId } });
    }
    if (current.status === 'declined' || current.status === 'expired') {
      throw new AppError('QUOTE_NOT_CONVERTIBLE');
    }
    const { issue_date: _issueDate, ...body } = invoiceBodyOf(current.body as QuoteBody);
    const invoice = await insertDraftInvoice(tx, companyId, actor, body as DraftInvoiceBody);
    const row = await q.updateQuote(tx, {
      companyId,
      id,
      values: { status: 'converted', convertedAt: new Date(), convertedInvoiceId: invoice.id },
    });
    await audit(tx, companyId, actor, 'quote.converted', id, { invoice_id: invoice.id });
    return { quote: presentQuote(row), invoice_id: invoice.id };
  });
}

/** Marks every sent quotation past its validity expired, each once, with an audit entry in the same transaction. */
export async function expireQuotes(
  ctx: Pick<AppContext, 'db'>,
  { now = new Date() }: { now?: Date } = {},
): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const expired = await q.expireDueQuotes(tx, { now });
    for (const quote of expired) {
      await audit(
        tx,
        quote.companyId,
        null,
        'quote.expired',
        quote.id,
        { number: quote.number },
        'quotes.expire',
      );
    }
    return expired.length;
  });
}

/** The quotation's PDF: the invoice layout titled "Quotation / عرض سعر", rendered from its snapshot. */
export function renderQuotePdf(row: q.QuoteRow): Promise<Buffer> {
  return renderPdf({ snapshot: row.snapshot, zatca: {}, isQuotation: true });
}

export async function getQuotePdf(db: Db, { companyId, quoteId }: { companyId: string; quoteId: string }) {
  const row = await getQuoteOrThrow(db, companyId, quoteId);
  return { number: row.number, pdf: await renderQuotePdf(row) };
}
