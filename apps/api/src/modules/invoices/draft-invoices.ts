// Invoices as records: a draft invoice is created (POST /invoices), edited while it is a draft (PUT, PATCH),
// deleted, or issued (POST /invoices/{id}/issue), which turns the same record into the issued document through
// the one issuing pipeline (service.ts issueInvoice's steps, its extensions and idempotency).
//
// A draft is a row of `invoices` in status `draft` with the request it will be issued from (`draft_body`) and a
// preview of it (snapshot, amounts, buyer columns) for lists and reads. It has a provisional number
// (`DRAFT-<id>`, reserved: no client number may look like one), takes no number of a series, has no ZATCA
// document, no PDF (409 INVOICE_PDF_NOT_ISSUED: a draft is not a tax invoice), and is not listed, counted,
// receivable, overdue, payable, creditable or sendable. Not to be confused with the editor's auto-saves
// (modules/drafts), which are free-form editor state.

import { randomUUID } from 'node:crypto';
import type { Db } from '@invoiceflow/db';
import type { InvoiceSnapshot } from '@invoiceflow/db/schema';
import { profileFor } from '@invoiceflow/jurisdictions';
import { computeTotals } from '@invoiceflow/totals';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { recordAudit } from '../../lib/audit';
import { AppError, type FieldError } from '../../lib/errors';
import { type CompanyRow, getCompany } from '../companies/queries';
import { withIdempotency } from '../idempotency/service';
import { readDocument } from './document-input';
import { transition } from './lifecycle';
import { presentInvoice } from './presenter';
import * as q from './queries';
import type { DraftInvoiceBody, IssueBody } from './schemas';
import {
  amountsOf,
  applyCatalogue,
  documentDates,
  type IssueOptions,
  type IssueOutcome,
  issueInTransaction,
  type PresentedInvoice,
  resolveBuyer,
  runIssue,
  sellerOf,
  snapshotBuyer,
  snapshotLines,
} from './service';

/**
 * The preview columns of a draft: what can be read of it now. What it refers to must exist (a customer, a
 * product: 422 with the path) and its numbers must be numbers; missing lines, prices or buyer fields are fine.
 * A quotation is read the same way under its own number (modules/quotes).
 */
export async function draftColumns(tx: Db, company: CompanyRow, number: string, body: DraftInvoiceBody) {
  const errors: FieldError[] = [];
  const companyId = company.id;
  const buyer = await resolveBuyer(tx, companyId, body as IssueBody, undefined, errors);
  const read = readDocument(body as Record<string, unknown>, profileFor(company.country).rules);
  errors.push(...read.errors);
  await applyCatalogue(tx, companyId, read, errors);
  if (errors.length > 0) throw new AppError('INVOICE_INVALID', { errors });

  const currency = body.currency ?? buyer.currency ?? company.currency;
  read.input.currency = currency;
  const totals = computeTotals(read.input);
  const subtype = body.subtype ?? (buyer.vatNumber ? 'standard' : 'simplified');
  const { issueDate, terms, dueDate } = documentDates(body, company.timeZone, buyer);
  const snapshot: InvoiceSnapshot = {
    version: 1,
    number,
    type: body.type,
    subtype,
    issue_date: issueDate,
    // Not issued: the time of the preview.
    issued_at: new Date().toISOString(),
    due_date: dueDate,
    payment_terms_days: terms ?? null,
    currency,
    notes: body.notes ?? null,
    original_invoice: null,
    reason: body.reason ?? null,
    seller: sellerOf(company),
    buyer: snapshotBuyer(buyer),
    lines: snapshotLines(read),
    totals,
  };
  return {
    number,
    type: body.type,
    subtype,
    // Not referenced by the row until issued (the draft's request keeps customer_id): a customer only drafted
    // for may still be deleted, and the issue then says so.
    customerId: null,
    customerNameEn: buyer.nameEn,
    customerNameAr: buyer.nameAr,
    customerVatNumber: buyer.vatNumber,
    issueDate,
    dueDate,
    currency,
    ...amountsOf(totals),
    // A note's original is locked and checked at issue; the draft names it in its request only.
    originalInvoiceId: null,
    reason: body.reason ?? null,
    snapshot,
    draftBody: body as Record<string, unknown>,
  } satisfies Partial<q.InvoiceInsert>;
}

async function companyOf(tx: Db, companyId: string): Promise<CompanyRow> {
  const company = await getCompany(tx, { companyId });
  if (!company) throw new AppError('COMPANY_NOT_FOUND');
  return company;
}

/** POST /invoices: a new draft invoice (201). With an Idempotency-Key, a retry gets the first draft. */
export async function createDraftInvoice(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  body: DraftInvoiceBody,
  { idempotencyKey, tx: callerTx }: { idempotencyKey?: string; tx?: Db } = {},
) {
  // A recurring run makes the draft inside its own transaction, beside its period row.
  const inTransaction = (tx: Db) =>
    withIdempotency(
      tx,
      { companyId, userId: actor.userId, scope: 'invoices.create', key: idempotencyKey, request: body },
      async () => ({ statusCode: 201, body: await insertDraftInvoice(tx, companyId, actor, body) }),
    );
  return callerTx ? inTransaction(callerTx) : ctx.db.transaction(inTransaction);
}

/** A new draft invoice inside the caller's transaction (one that also links what the draft bills). */
export async function insertDraftInvoice(
  tx: Db,
  companyId: string,
  actor: Actor,
  body: DraftInvoiceBody,
): Promise<PresentedInvoice> {
  const id = randomUUID();
  const columns = await draftColumns(tx, await companyOf(tx, companyId), `DRAFT-${id}`, body);
  await q.insertInvoice(tx, { id, companyId, status: 'draft', createdBy: actor.userId, ...columns });
  await recordAudit(tx, {
    companyId,
    actorUserId: actor.userId,
    action: 'invoice.draft_created',
    entityType: 'invoice',
    entityId: id,
    requestId: actor.requestId,
  });
  const created = await q.getInvoice(tx, { companyId, id });
  if (!created) throw new Error('draft invoice vanished');
  return presentInvoice(created) as PresentedInvoice;
}

/**
 * PUT (`replace`: the body is the whole draft) or PATCH (`merge`: the fields sent replace the draft's) of a
 * draft invoice; 409 INVOICE_ISSUED once issued.
 */
export async function updateDraftInvoice(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  body: Partial<DraftInvoiceBody>,
  mode: 'replace' | 'merge',
): Promise<PresentedInvoice> {
  return ctx.db.transaction(async (tx) => {
    const invoice = await q.lockInvoice(tx, { companyId, id });
    if (!invoice) throw new AppError('INVOICE_NOT_FOUND');
    transition(invoice.status, 'edit', { number: invoice.number });
    const next = (
      mode === 'replace' ? body : { ...(invoice.draftBody as DraftInvoiceBody), ...body }
    ) as DraftInvoiceBody;
    next.type ??= 'invoice';
    const columns = await draftColumns(tx, await companyOf(tx, companyId), `DRAFT-${id}`, next);
    await q.updateDraftRow(tx, { companyId, id, values: columns });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'invoice.draft_updated',
      entityType: 'invoice',
      entityId: id,
      requestId: actor.requestId,
    });
    const updated = await q.getInvoice(tx, { companyId, id });
    if (!updated) throw new AppError('INVOICE_NOT_FOUND');
    return presentInvoice(updated);
  });
}

/**
 * POST /invoices/{id}/issue: the draft becomes the issued document (same id) through the issuing pipeline:
 * every rule, the number, the extensions, the PDF after the commit. With an Idempotency-Key, a retry gets the
 * first answer; without one, issuing an issued invoice answers 409 INVOICE_ISSUED.
 */
export async function issueDraftInvoice(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  options: IssueOptions = {},
): Promise<IssueOutcome> {
  const claim = { scope: 'invoices.issue_draft', request: { invoice_id: id } };
  return runIssue(ctx, companyId, actor, options, claim, async (tx, afterCommit) => {
    const draft = await q.lockInvoice(tx, { companyId, id });
    if (!draft) throw new AppError('INVOICE_NOT_FOUND');
    transition(draft.status, 'issue', { number: draft.number });
    const body = { type: 'invoice', ...(draft.draftBody ?? {}) } as IssueBody;
    const issued = await issueInTransaction(ctx, tx, companyId, actor, body, afterCommit, draft);
    return { statusCode: 200, body: presentInvoice(issued) };
  });
}
