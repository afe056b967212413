import { randomUUID } from 'node:crypto';
import type { Db } from '@invoiceflow/db';
import type { InvoiceSnapshot, PostalAddress } from '@invoiceflow/db/schema';
import {
  buyerIssues,
  issuesZatcaXml,
  NUMBER_SERIES,
  profileFor,
  SERIES_CODE_PATTERN,
} from '@invoiceflow/jurisdictions';
import { computeTotals, type LineInput, type TotalsResult } from '@invoiceflow/totals';
import { z } from 'zod';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { recordAudit } from '../../lib/audit';
import { addDays, issueDateError } from '../../lib/business-dates';
import { isUniqueViolation } from '../../lib/db-errors';
import { AppError, defineErrors, type FieldError } from '../../lib/errors';
import { fieldErrorsFromZod } from '../../lib/field-errors';
import { assertCompanyApproved } from '../companies/approval';
import { type CompanyRow, getCompany } from '../companies/queries';
import { rateListErrors } from '../companies/service';
import { getCustomer, markCustomerUsed } from '../customers/queries';
import { deleteDraft, lockDraft } from '../drafts/queries';
import { type IdempotencyRequest, withIdempotency } from '../idempotency/service';
import { payLinkForPdf } from '../online-payments/service';
import { companyDate } from '../payments/company-date';
import { releaseAllocationsBeyondDue } from '../payments/service';
import { invoicePdfBase64 } from '../pdf/service';
import { takeInvoiceAllowance } from '../plans/limits';
import { getProductsForIssue, markProductsUsed, type ProductRow } from '../products/queries';
import { emitInvoiceEvent } from '../webhooks/events';
import { engineErrors, type LineClassification, type ReadDocument, readDocument } from './document-input';
import {
  AfterCommit,
  type AfterCommitLog,
  queueAfterCommit,
  runIssueExtensions,
  validateIssue,
} from './extensions';
import { describeIssues, splitBySeverity } from './issue-messages';
import { lifecycleOf, transition } from './lifecycle';
import { presentInvoice } from './presenter';
import * as q from './queries';
import { type IssueBody, issueBodySchema } from './schemas';

defineErrors({
  INVOICE_NOT_FOUND: [404, 'Invoice not found.'],
  INVOICE_INVALID: [422, 'The invoice cannot be issued as it is; see errors.'],
  INVOICE_NUMBER_TAKEN: [409, 'This company already has an invoice with this number.'],
  INVOICE_ISSUED: [
    409,
    'An issued invoice is never edited or deleted; issue a credit note to correct or cancel it.',
  ],
  INVOICE_NOT_ISSUED: [409, 'Only an issued invoice can be marked as sent.'],
  CREDIT_EXCEEDS_REMAINING: [
    422,
    'The credit note exceeds what remains to be credited on the original invoice.',
  ],
});

/**
 * Numbers the series hand out (the profiles' prefixes), and drafts' provisional ones; a client-supplied number may
 * not look like one (it would collide later).
 */
const SERIES_NUMBER = new RegExp(
  `^(?:(${Object.values(NUMBER_SERIES).join('|')})-\\d{4}-(?:${SERIES_CODE_PATTERN}-)?\\d{6,}|DRAFT-.*)$`,
);
const DECIMAL_DIGIT = /\p{Nd}/u;
const TRAILING_PUNCTUATION_OR_SPACE = /[\p{P}\p{Z}\s]+$/u;

/**
 * Whether a client-supplied number reads as one of the automatic series once lookalikes are undone: a reader (or
 * a buyer's system) takes "inv-2026-000001", "INV-٢٠٢٦-٠٠٠٠٠١", full-width "ＩＮＶ-２０２６-…" or "INV-2026-000001."
 * for INV-2026-000001, so such a number would be a second invoice under the series' own number.
 */
export function isSeriesLookalike(number: string): boolean {
  let folded = '';
  for (const char of number.normalize('NFKC').toUpperCase()) {
    folded += DECIMAL_DIGIT.test(char) ? String(decimalValue(char.codePointAt(0) as number)) : char;
  }
  return SERIES_NUMBER.test(folded.replace(TRAILING_PUNCTUATION_OR_SPACE, ''));
}

/**
 * Unicode encodes every decimal digit set as one run of ten code points, 0 to 9 (several sets may follow each
 * other), so a digit's value is its distance from the start of the run, modulo ten.
 */
function decimalValue(codePoint: number): number {
  let start = codePoint;
  while (start > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return (codePoint - start) % 10;
}

export function formatNumber(series: string, value: number): string {
  return `${series}-${String(value).padStart(6, '0')}`;
}

/** The company's calendar day in its time zone (an invoice dated "today" in Riyadh is not tomorrow's in UTC). */
export const dateIn = companyDate;

export type PresentedInvoice = ReturnType<typeof presentInvoice>;

export interface IssueOutcome {
  statusCode: number;
  body: PresentedInvoice;
  isReplay: boolean;
}

/**
 * How an issue runs. Alone (no `tx`), it opens its own transaction and, once that committed, runs the
 * extensions' after-commit work (the PDF) and answers with the stored PDF. Inside a caller's transaction (a sale
 * that also moves stock), the caller passes the transaction and an `AfterCommit` collector, which it runs after
 * its own commit (`withAfterCommit` in extensions.ts does both); the answer's pdf_base64 is then null.
 */
export type IssueOptions = {
  /** The client's Idempotency-Key: a retry gets the first answer instead of a second invoice. */
  idempotencyKey?: string;
  /** Where after-commit failures are logged (the request's logger). */
  log?: AfterCommitLog;
  /** A till's own number series (INV-2026-T1-000001): its sales do not queue behind other tills' numbers. */
  seriesCode?: string;
} & (
  | { tx?: undefined; afterCommit?: undefined }
  | ({ tx: Db; afterCommit: AfterCommit } & Pick<IssueRecordOptions, 'company' | 'productsMarkedByCaller'>)
);

/**
 * Issues an invoice, credit note or debit note in one transaction: idempotency claim, validation, the
 * extensions' validate stage, number, snapshot, the extensions' onIssue stage (ZATCA), usage marks, audit entry;
 * then, after the commit, the extensions' afterCommit stage (PDF).
 */
export async function issueInvoice(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  rawBody: IssueBody,
  options: IssueOptions = {},
): Promise<IssueOutcome> {
  const claim = { scope: 'invoices.issue', request: rawBody };
  return runIssue(ctx, companyId, actor, options, claim, async (tx, afterCommit) => {
    const body = await resolveDraft(tx, companyId, actor, rawBody);
    const invoice = await issueInTransaction(ctx, tx, companyId, actor, body, afterCommit, undefined, {
      seriesCode: options.seriesCode,
      ...(options.tx
        ? { company: options.company, productsMarkedByCaller: options.productsMarkedByCaller }
        : {}),
    });
    return { statusCode: 201, body: presentInvoice(invoice) };
  });
}

/**
 * Runs an issue in the caller's transaction or its own (see IssueOptions), under the client's Idempotency-Key
 * for `claim` (the operation and the request a retry must repeat); alone, the after-commit work runs once
 * committed, and a first answer or a replay carries the stored PDF.
 */
export async function runIssue(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  options: IssueOptions,
  claim: Pick<IdempotencyRequest, 'scope' | 'request'>,
  work: (tx: Db, afterCommit: AfterCommit) => Promise<{ statusCode: number; body: PresentedInvoice }>,
): Promise<IssueOutcome> {
  const idempotent = (tx: Db, afterCommit: AfterCommit) =>
    withIdempotency(tx, { companyId, userId: actor.userId, key: options.idempotencyKey, ...claim }, () =>
      work(tx, afterCommit),
    );
  if (options.tx) return idempotent(options.tx, options.afterCommit);
  const afterCommit = new AfterCommit(options.log);
  const outcome = await ctx.db.transaction((tx) => idempotent(tx, afterCommit));
  await afterCommit.run();
  if (outcome.statusCode < 300) {
    // Seed 000: the answer carries the PDF as base64, stored by the PDF's after-commit work (a replay: as stored).
    const body = { ...outcome.body };
    body.pdf_base64 = await invoicePdfBase64(
      ctx.db,
      options.log,
      { companyId, invoiceId: body.id, files: ctx.config },
      payLinkForPdf(ctx),
    );
    return { ...outcome, body };
  }
  return outcome;
}

/** `{ "draft_id": … }` issues the saved draft; fields sent beside draft_id override the draft's. */
async function resolveDraft(tx: Db, companyId: string, actor: Actor, body: IssueBody): Promise<IssueBody> {
  if (!body.draft_id) return body;
  const draft = await lockDraft(tx, { companyId, userId: actor.userId, id: body.draft_id });
  if (!draft) throw new AppError('DRAFT_NOT_FOUND');
  const { draft_id, ...overrides } = body;
  // Editor-only keys in a draft are ignored; the issue fields are validated as in a direct request.
  const parsed = z
    .object(issueBodySchema.shape)
    .safeParse({ ...draft.draftData, ...stripDefaults(overrides) });
  if (!parsed.success) {
    throw new AppError('INVOICE_INVALID', { errors: fieldErrorsFromZod(parsed.error, 'draft_data') });
  }
  await deleteDraft(tx, { companyId, userId: actor.userId, id: draft_id });
  return { ...parsed.data, draft_id };
}

/** The schema's defaults (type: 'invoice') must not override what the draft says. */
function stripDefaults(overrides: Omit<IssueBody, 'draft_id'>): Partial<IssueBody> {
  const { type, ...rest } = overrides;
  return type === 'invoice' ? rest : overrides;
}

export interface Buyer {
  customerId: string | null;
  kind: 'company' | 'individual' | null;
  nameEn: string;
  nameAr: string | null;
  vatNumber: string | null;
  registrationNumber: string | null;
  /** BT-46-1 / BT-46: the buyer's id beside or instead of the VAT number. */
  idScheme: string | null;
  idNumber: string | null;
  address: PostalAddress | string | null;
  paymentTermsDays: number | null;
  currency: string | null;
  /** From the customer record (PINT AE BTAE-11; the Peppol electronic address). */
  registrationAuthority?: string | null;
  peppolEndpoint?: { scheme: string; id: string } | null;
}

/**
 * The issue itself, in `tx`. `draft`: the draft invoice (locked by the caller) that becomes this document, keeping
 * its id; otherwise a new row.
 */
/** How a record is issued: `history` stores one issued elsewhere (its own number; paid there or not). */
export interface IssueRecordOptions {
  history?: { isPaid: boolean };
  /** The code of the series' own branch (a till's), inserted after the year: INV-2026-T1. */
  seriesCode?: string | undefined;
  /** The company as the caller read it in the same transaction; without it, it is read here. */
  company?: CompanyRow | undefined;
  /**
   * The caller marks the products used itself, later in its transaction (a sale, with its stock: `moveStocks`),
   * so the product rows are locked once, last, and not across the signing.
   */
  productsMarkedByCaller?: boolean | undefined;
}

export async function issueInTransaction(
  ctx: AppContext,
  tx: Db,
  companyId: string,
  actor: Actor,
  body: IssueBody,
  afterCommit: AfterCommit,
  draft?: q.InvoiceRow,
  options: IssueRecordOptions = {},
): Promise<q.InvoiceWithState> {
  const invoice = await issueRecord(ctx, tx, companyId, actor, body, afterCommit, draft, options);
  const issued = await q.getInvoice(tx, { companyId, id: invoice.id });
  if (!issued) throw new Error('issued invoice vanished');
  return issued;
}

/**
 * The issue without reading the stored invoice back (its derived status, amount due, QR): for a caller issuing
 * many in one transaction (an import), which needs only that each was made. `company` is the company as that
 * caller read it in the same transaction; without it, it is read here.
 */
export async function issueRecord(
  ctx: AppContext,
  tx: Db,
  companyId: string,
  actor: Actor,
  body: IssueBody,
  afterCommit: AfterCommit,
  draft?: q.InvoiceRow,
  options: IssueRecordOptions = {},
): Promise<q.InvoiceRow> {
  // History (an invoice issued elsewhere, imported): the same rules and snapshot, under its own number, but no
  // e-invoice, chain, seal or PDF of ours, and no "issued" event: it was issued before it came here.
  const isHistory = options.history !== undefined;
  const extensions = isHistory ? [] : (ctx.issueExtensions ?? []);
  const company = options.company ?? (await getCompany(tx, { companyId }));
  if (!company) throw new AppError('COMPANY_NOT_FOUND');
  assertCompanyApproved(ctx, company);
  const errors: FieldError[] = [];
  const type = body.type;
  const isNote = type !== 'invoice';

  // The original of a note is locked first: concurrent notes against one invoice queue here.
  let original: q.InvoiceRow | undefined;
  if (isNote) {
    if (!body.original_invoice_id) {
      // The product's own rule (ZATCA only warns, BR-KSA-56): a note's credit is counted against its invoice.
      errors.push({
        path: 'original_invoice_id',
        code: 'ORIGINAL_INVOICE_REQUIRED',
        message: 'A credit or debit note references the original invoice.',
      });
    } else {
      original = await q.lockInvoice(tx, { companyId, id: body.original_invoice_id });
      if (original?.type !== 'invoice' || original.status === 'draft') {
        errors.push({
          path: 'original_invoice_id',
          code: 'ORIGINAL_NOT_FOUND',
          message: 'No issued invoice with this id.',
        });
        original = undefined;
      }
    }
    if (!body.reason) {
      errors.push({
        path: 'reason',
        code: 'BR-KSA-17',
        message: 'A credit or debit note states its reason.',
      });
    }
  } else {
    if (body.original_invoice_id) {
      errors.push({
        path: 'original_invoice_id',
        code: 'NOT_ALLOWED',
        message: 'Only credit and debit notes reference an invoice.',
      });
    }
  }

  const buyer = await resolveBuyer(tx, companyId, body, original, errors);

  const read = readDocument(body as Record<string, unknown>, profileFor(company.country).rules);
  const products = await applyCatalogue(tx, companyId, read, errors);

  const currency = original?.currency ?? body.currency ?? buyer.currency ?? company.currency;
  if (original && body.currency && body.currency !== original.currency) {
    errors.push({
      path: 'currency',
      code: 'CURRENCY_MISMATCH',
      message: 'A note is in the currency of its invoice.',
    });
  }
  read.input.currency = currency;
  const totals = computeTotals(read.input);
  errors.push(...engineErrors(totals, read));
  errors.push(...(await rateListErrors(tx, company, totals, read.linesKey)));

  // KSA-2 positions 3–7: a note is the transaction its invoice was.
  const flags = original ? original.snapshot.transaction_flags : body.transaction_flags;
  let transactionFlags = flags && Object.values(flags).some(Boolean) ? flags : undefined;
  // Each e-invoice format has its own flags (KSA-2, PINT AE BTAE-02): another country's would be written nowhere.
  const allowedFlags: readonly string[] = profileFor(company.country).transactionFlags;
  const foreignFlags = Object.entries(transactionFlags ?? {}).filter(
    ([flag, isSet]) => isSet && !allowedFlags.includes(flag),
  );
  if (foreignFlags.length > 0) {
    for (const [flag] of allowedFlags.length === 0 ? [['']] : foreignFlags) {
      errors.push({
        path: flag ? `transaction_flags.${flag}` : 'transaction_flags',
        code: 'NOT_ALLOWED',
        message:
          allowedFlags.length === 0
            ? 'Invoices of this country carry no transaction flags.'
            : `Invoices of this country carry only these transaction flags: ${allowedFlags.join(', ')}.`,
      });
    }
    transactionFlags = undefined;
  }
  // Likewise a note is out of scope, for a free zone beneficiary or a principal when its invoice was, unless told.
  const was = original?.snapshot;
  const beneficiaryId = body.beneficiary_id ?? was?.beneficiary_id;
  const principalId = body.principal_id ?? was?.principal_id;
  const einvoiceFields = {
    ...((body.out_of_scope ?? was?.out_of_scope) ? { out_of_scope: true } : {}),
    ...(body.reason_code ? { reason_code: body.reason_code } : {}),
    ...(beneficiaryId ? { beneficiary_id: beneficiaryId } : {}),
    ...(principalId ? { principal_id: principalId } : {}),
  };
  if (
    Object.keys(einvoiceFields).length > 0 &&
    !profileFor(company.country).einvoiceFormats.includes('pint-ae')
  ) {
    for (const field of Object.keys(einvoiceFields)) {
      errors.push({
        path: field,
        code: 'NOT_ALLOWED',
        message: 'This field belongs to UAE (PINT AE) invoices.',
      });
    }
  }
  const subtype =
    original?.subtype ??
    body.subtype ??
    (buyer.vatNumber || transactionFlags?.export ? 'standard' : 'simplified');
  if (original && body.subtype && body.subtype !== original.subtype) {
    errors.push({
      path: 'subtype',
      code: 'SUBTYPE_MISMATCH',
      message: 'A note has the subtype of its invoice.',
    });
  }
  const byCustomer = buyer.customerId !== null && !body.customer_name;
  errors.push(
    ...buyerIssues(
      {
        name_en: buyer.nameEn,
        vat_number: buyer.vatNumber,
        id_number: buyer.idNumber,
        address: buyer.address,
      },
      {
        seller: profileFor(company.country),
        subtype,
        isExport: transactionFlags?.export === true,
        // The customer record's fields under customer_id, as the ZATCA rules name them (zatca/document.ts): one
        // root cause found by both is one entry.
        paths: byCustomer
          ? { name: 'customer_id.name', vat_number: 'customer_id.vat_number', address: 'customer_id.address' }
          : { name: 'customer_name', vat_number: 'customer_vat_number', address: 'customer_address' },
      },
    ),
  );

  const { today, issueDate, terms, dueDate } = documentDates(body, company.timeZone, buyer);
  const issueDateProblem = issueDateError(issueDate, today);
  if (issueDateProblem)
    errors.push({ path: body.issue_date ? 'issue_date' : 'invoice_date', ...issueDateProblem });
  if (original && issueDate < original.issueDate) {
    errors.push({
      path: 'invoice_date',
      code: 'NOTE_BEFORE_ORIGINAL',
      message: 'A note cannot be dated before its invoice.',
    });
  }
  if (dueDate && dueDate < issueDate) {
    errors.push({
      path: 'due_date',
      code: 'DUE_BEFORE_ISSUE',
      message: 'The due date cannot be before the issue date.',
    });
  }
  if (body.invoice_number && isSeriesLookalike(body.invoice_number)) {
    errors.push({
      path: 'invoice_number',
      code: 'INVOICE_NUMBER_RESERVED',
      message:
        'Numbers like INV-2026-000001 belong to the automatic series; leave the number out to get one.',
    });
  }
  const judged = splitBySeverity(errors, issuesZatcaXml(company.country));
  if (judged.errors.length > 0)
    throw new AppError('INVOICE_INVALID', { errors: describeIssues(judged.errors) });

  const issuedAt = new Date();
  const snapshot: InvoiceSnapshot = {
    version: 1,
    number: body.invoice_number ?? formatNumber(seriesOf(company, type, issueDate), 0),
    type,
    subtype,
    issue_date: issueDate,
    issued_at: issuedAt.toISOString(),
    due_date: dueDate,
    payment_terms_days: terms ?? null,
    currency,
    ...(read.input.tax_currency ? { tax_currency: read.input.tax_currency } : {}),
    ...(read.input.exchange_rate !== undefined ? { exchange_rate: String(read.input.exchange_rate) } : {}),
    notes: body.notes ?? null,
    original_invoice: original
      ? { id: original.id, number: original.number, issue_date: original.issueDate }
      : null,
    reason: body.reason ?? null,
    seller: sellerOf(company),
    buyer: snapshotBuyer(buyer),
    ...(transactionFlags ? { transaction_flags: transactionFlags } : {}),
    ...einvoiceFields,
    ...(body.buyer_reference ? { buyer_reference: body.buyer_reference } : {}),
    ...(body.order_reference ? { order_reference: body.order_reference } : {}),
    ...(body.payment_terms ? { payment_terms: body.payment_terms } : {}),
    ...((body.invoice_period ?? was?.invoice_period)
      ? { invoice_period: body.invoice_period ?? was?.invoice_period }
      : {}),
    ...(body.delivery && (body.delivery.date || body.delivery.address) ? { delivery: body.delivery } : {}),
    ...paymentMeansOf(body, company, transactionFlags),
    lines: snapshotLines(read),
    totals,
  };

  // Every rule, the extensions' included, before anything is locked or counted: a refusal holds nothing.
  const invoiceId = draft?.id ?? randomUUID();
  const extensionWarnings = await validateIssue(extensions, tx, {
    invoiceId,
    companyId,
    snapshot,
    seller: company,
    signingUnitId: body.egs_unit_id,
  });
  snapshot.warnings = describeIssues([...judged.warnings, ...extensionWarnings]);

  const total = totals.totals.tax_inclusive_amount;
  if (type === 'credit_note' && original) {
    // Under the lock on the original: the sum of its credit notes never exceeds its total.
    const credited = await q.addCredit(tx, { companyId, id: original.id, amount: total });
    if (!credited.ok) {
      throw new AppError('CREDIT_EXCEEDS_REMAINING', {
        errors: [
          {
            path: 'lines',
            code: 'CREDIT_EXCEEDS_REMAINING',
            message: `At most ${credited.remaining} ${currency} remain to be credited.`,
          },
        ],
        extra: { remaining_amount: credited.remaining },
      });
    }
    await releaseAllocationsBeyondDue(tx, companyId, actor, original.id);
  }

  // Before the number: from the counter row on, the company's issues queue behind this transaction.
  if (buyer.customerId) await markCustomerUsed(tx, { companyId, id: buyer.customerId });
  if (!options.productsMarkedByCaller) await markProductsUsed(tx, { companyId, ids: [...products.keys()] });

  // The number comes last before the insert: the counter row stays locked until commit.
  let number = body.invoice_number;
  // The plan's monthly allowance, counted before the number (its row, then the counter's: one order for all).
  if (!isHistory) await takeInvoiceAllowance(tx, company, issueDate);
  if (!number) {
    const series = seriesOf(company, type, issueDate, options.seriesCode);
    number = formatNumber(series, await q.nextNumber(tx, { companyId, series }));
  }
  snapshot.number = number;

  let invoice: q.InvoiceRow;
  try {
    const values = {
      companyId,
      number,
      type,
      subtype,
      status: 'issued',
      ...(options.history?.isPaid ? { paidAmount: amountsOf(totals).payableAmount } : {}),
      customerId: buyer.customerId,
      customerNameEn: buyer.nameEn,
      customerNameAr: buyer.nameAr,
      customerVatNumber: buyer.vatNumber,
      issueDate,
      dueDate,
      currency,
      ...amountsOf(totals),
      originalInvoiceId: original?.id ?? null,
      reason: body.reason ?? null,
      snapshot,
      createdBy: actor.userId,
      issuedAt,
    } satisfies q.InvoiceInsert;
    invoice = draft
      ? await q.issueDraftRow(tx, { companyId, id: draft.id, values })
      : await q.insertInvoice(tx, { id: invoiceId, ...values });
  } catch (error) {
    if (isUniqueViolation(error, 'invoices_company_number_key')) {
      throw new AppError('INVOICE_NUMBER_TAKEN', {
        errors: [
          {
            path: 'invoice_number',
            code: 'INVOICE_NUMBER_TAKEN',
            message: 'Already used by another invoice.',
          },
        ],
      });
    }
    throw error;
  }

  const artifacts = await runIssueExtensions(extensions, tx, {
    invoice,
    snapshot,
    seller: company,
    signingUnitId: body.egs_unit_id,
  });

  await recordAudit(tx, {
    companyId,
    actorUserId: actor.userId,
    // Where invoices are approved before they are sent, issuing is the finalize step.
    action: isHistory
      ? `${type}.imported`
      : `${type}.${lifecycleOf(company.country) === 'approval' ? 'finalized' : 'issued'}`,
    entityType: 'invoice',
    entityId: invoice.id,
    data: {
      number,
      total_amount: total,
      currency,
      ...(original ? { original_invoice_id: original.id } : {}),
    },
    requestId: actor.requestId,
  });
  if (!isHistory) await emitInvoiceEvent(tx, { companyId, invoiceId: invoice.id, type: 'invoice.issued' });
  queueAfterCommit(extensions, afterCommit, { companyId, invoiceId: invoice.id, number, artifacts });
  return invoice;
}

const isUuid = (value: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/**
 * The series of a document: its kind's prefix in the company's profile and the year (INV-2026), and a till's
 * code when the till numbers its own sales (INV-2026-T1): each series is gapless on its own.
 */
export function seriesOf(
  company: { country: string },
  type: IssueBody['type'],
  issueDate: string,
  code?: string,
): string {
  const series = `${profileFor(company.country).numberSeries[type]}-${issueDate.slice(0, 4)}`;
  return code ? `${series}-${code}` : series;
}

export function toIssueDate(value: string, timeZone: string): string {
  return value.length === 10 ? value : dateIn(timeZone, new Date(value));
}

export function amountsOf(totals: TotalsResult) {
  return {
    subtotal: totals.totals.tax_exclusive_amount,
    vatAmount: totals.totals.tax_amount,
    totalAmount: totals.totals.tax_inclusive_amount,
    payableAmount: totals.totals.payable_amount,
  };
}

export function sellerOf(company: CompanyRow): InvoiceSnapshot['seller'] {
  return {
    company_id: company.id,
    legal_name_en: company.legalNameEn,
    legal_name_ar: company.legalNameAr,
    country: company.country,
    time_zone: company.timeZone,
    vat_number: company.vatNumber,
    registration_number: company.registrationNumber,
    ...(company.registrationScheme ? { registration_scheme: company.registrationScheme } : {}),
    ...(company.registrationAuthority ? { registration_authority: company.registrationAuthority } : {}),
    ...(company.peppolEndpointScheme && company.peppolEndpointId
      ? { peppol_endpoint: { scheme: company.peppolEndpointScheme, id: company.peppolEndpointId } }
      : {}),
    address: company.address,
    ...(company.logoId ? { logo_id: company.logoId } : {}),
  };
}

export function snapshotBuyer(buyer: Buyer): InvoiceSnapshot['buyer'] {
  return {
    customer_id: buyer.customerId,
    kind: buyer.kind,
    name_en: buyer.nameEn,
    name_ar: buyer.nameAr,
    vat_number: buyer.vatNumber,
    registration_number: buyer.registrationNumber,
    ...(buyer.idScheme && buyer.idNumber ? { id_scheme: buyer.idScheme, id_number: buyer.idNumber } : {}),
    ...(buyer.registrationAuthority ? { registration_authority: buyer.registrationAuthority } : {}),
    ...(buyer.peppolEndpoint ? { peppol_endpoint: buyer.peppolEndpoint } : {}),
    address: buyer.address,
  };
}

/**
 * How the invoice is paid: as it says, else into the company's bank account by credit transfer (UNCL 4461 "30").
 * A credit note pays nobody and a deemed supply is paid by nobody: they take no default.
 */
export function paymentMeansOf(
  body: Pick<IssueBody, 'payment_means' | 'type'>,
  company: Pick<CompanyRow, 'bankIban' | 'bankAccountName' | 'bankBic'>,
  flags: InvoiceSnapshot['transaction_flags'],
): Pick<InvoiceSnapshot, 'payment_means'> {
  if (body.payment_means) return { payment_means: body.payment_means };
  if (!company.bankIban || body.type === 'credit_note' || flags?.deemed_supply) return {};
  return {
    payment_means: {
      code: '30',
      account_id: company.bankIban,
      ...(company.bankAccountName ? { account_name: company.bankAccountName } : {}),
      ...(company.bankBic ? { bank_id: company.bankBic } : {}),
    },
  };
}

/** The snapshot keeps which catalogue product each line came from, and its item's classification. */
export function snapshotLines(read: ReadDocument): InvoiceSnapshot['lines'] {
  return read.input.lines.map((line, index) => {
    const productId = read.productIds[index];
    const classification = read.classifications[index] ?? {};
    return { ...line, ...(productId ? { product_id: productId } : {}), ...classification };
  });
}

/**
 * The document's dates in the company's calendar: the issue date (today unless given), and the due date (given,
 * or the payment terms from the issue date; a credit note falls due for nobody).
 */
export function documentDates(
  body: Pick<IssueBody, 'issue_date' | 'invoice_date' | 'due_date' | 'payment_terms_days'> & {
    type?: IssueBody['type'];
  },
  timeZone: string,
  buyer: Pick<Buyer, 'paymentTermsDays'>,
) {
  const today = dateIn(timeZone);
  const issueDate = body.issue_date ?? (body.invoice_date ? toIssueDate(body.invoice_date, timeZone) : today);
  const terms = body.payment_terms_days ?? buyer.paymentTermsDays;
  const dueDate =
    body.due_date ??
    (terms !== null && terms !== undefined && body.type !== 'credit_note' ? addDays(issueDate, terms) : null);
  return { today, issueDate, terms, dueDate };
}

/**
 * Catalogue defaults for the lines naming a product (in place); a product the company does not have, or has
 * archived, is a field error on the line. Returns the products found, by id.
 */
export async function applyCatalogue(
  tx: Db,
  companyId: string,
  read: ReadDocument,
  errors: FieldError[],
): Promise<Map<string, ProductRow>> {
  const productIds = [...new Set(read.productIds.filter((id): id is string => id !== undefined))];
  const products = new Map(
    (await getProductsForIssue(tx, { companyId, ids: productIds.filter(isUuid) })).map((p) => [p.id, p]),
  );
  read.productIds.forEach((productId, index) => {
    if (productId === undefined) return;
    const product = products.get(productId);
    const line = read.input.lines[index];
    if (!product || product.archivedAt !== null || !line) {
      errors.push({
        path: `${read.linesKey}.${index}.product_id`,
        code: 'PRODUCT_NOT_FOUND',
        message: 'No such product.',
      });
      return;
    }
    applyProductDefaults(line, product);
    const classification = read.classifications[index];
    if (classification) applyProductClassification(classification, product);
  });
  return products;
}

/** A line names its item's classification or takes its product's (a line's item type brings its own codes). */
export function applyProductClassification(line: LineClassification, product: ProductRow): void {
  if (line.item_type === undefined && product.itemType) line.item_type = product.itemType;
  if (line.hs_code === undefined && product.hsCode) line.hs_code = product.hsCode;
  if (line.service_code === undefined && product.serviceCode) line.service_code = product.serviceCode;
}

export function applyProductDefaults(line: LineInput, product: ProductRow): void {
  line.description ??= product.nameEn;
  if (product.nameAr) line.description_ar ??= product.nameAr;
  line.unit_code ??= product.unitCode;
  if (line.unit_price === undefined) line.unit_price = product.unitPrice;
  if (line.vat_category === undefined) {
    line.vat_category = product.vatCategory as LineInput['vat_category'];
    line.vat_rate ??= product.vatRate;
  }
}

/** The buyer: the original's for a note, the customer record for customer_id, else the request's fields. */
export async function resolveBuyer(
  tx: Db,
  companyId: string,
  body: IssueBody,
  original: q.InvoiceRow | undefined,
  errors: FieldError[],
): Promise<Buyer> {
  if (original) {
    const buyer = original.snapshot.buyer;
    return {
      customerId: buyer.customer_id,
      kind: buyer.kind,
      nameEn: buyer.name_en,
      nameAr: buyer.name_ar,
      vatNumber: buyer.vat_number,
      registrationNumber: buyer.registration_number,
      idScheme: buyer.id_scheme ?? null,
      idNumber: buyer.id_number ?? null,
      registrationAuthority: buyer.registration_authority ?? null,
      peppolEndpoint: buyer.peppol_endpoint ?? null,
      address: buyer.address,
      paymentTermsDays: null,
      currency: original.currency,
    };
  }
  if (body.customer_id) {
    const customer = await getCustomer(tx, { companyId, id: body.customer_id });
    if (!customer || customer.archivedAt !== null) {
      errors.push({ path: 'customer_id', code: 'CUSTOMER_NOT_FOUND', message: 'No such customer.' });
    } else {
      return {
        customerId: customer.id,
        kind: customer.kind,
        nameEn: body.customer_name || customer.nameEn,
        nameAr: body.customer_name_ar ?? customer.nameAr,
        vatNumber: customer.vatNumber,
        registrationNumber: customer.registrationNumber,
        registrationAuthority: customer.registrationAuthority,
        peppolEndpoint:
          customer.peppolEndpointScheme && customer.peppolEndpointId
            ? { scheme: customer.peppolEndpointScheme, id: customer.peppolEndpointId }
            : null,
        ...buyerIdOf(body, customer.idScheme, customer.idNumber, errors),
        address: customer.address,
        paymentTermsDays: customer.paymentTermsDays,
        currency: customer.currency,
      };
    }
  }
  return {
    customerId: null,
    kind: null,
    nameEn: body.customer_name ?? '',
    nameAr: body.customer_name_ar || null,
    vatNumber: body.customer_vat_number || null,
    registrationNumber: null,
    ...buyerIdOf(body, null, null, errors),
    address: body.customer_address ?? null,
    paymentTermsDays: null,
    currency: null,
  };
}

/** The request's buyer id (scheme and number go together), else the customer record's. */
function buyerIdOf(
  body: IssueBody,
  scheme: string | null,
  number: string | null,
  errors: FieldError[],
): { idScheme: string | null; idNumber: string | null } {
  const given = { scheme: body.customer_id_scheme, number: body.customer_id_number };
  if (given.scheme === undefined && given.number === undefined) return { idScheme: scheme, idNumber: number };
  if (given.scheme === undefined || given.number === undefined) {
    errors.push(
      given.scheme === undefined
        ? { path: 'customer_id_scheme', code: 'REQUIRED', message: 'Name the scheme of the buyer ID.' }
        : { path: 'customer_id_number', code: 'REQUIRED', message: 'Give the buyer ID under its scheme.' },
    );
    return { idScheme: null, idNumber: null };
  }
  return { idScheme: given.scheme, idNumber: given.number };
}

// ------------------------------------------------------------------------------------------------ lifecycle

export async function markInvoiceSent(ctx: AppContext, companyId: string, actor: Actor, id: string) {
  return ctx.db.transaction(async (tx) => {
    const invoice = await q.lockInvoice(tx, { companyId, id });
    if (!invoice) throw new AppError('INVOICE_NOT_FOUND');
    transition(invoice.status, 'mark_sent', { lifecycle: lifecycleOf(invoice.snapshot.seller.country) });
    await q.markSent(tx, { companyId, id });
    if (invoice.status !== 'sent') {
      await recordAudit(tx, {
        companyId,
        actorUserId: actor.userId,
        action: 'invoice.sent',
        entityType: 'invoice',
        entityId: id,
        requestId: actor.requestId,
      });
      await emitInvoiceEvent(tx, { companyId, invoiceId: id, type: 'invoice.sent' });
    }
    const updated = await q.getInvoice(tx, { companyId, id });
    if (!updated) throw new AppError('INVOICE_NOT_FOUND');
    return updated;
  });
}

/** Only a draft-state record is deleted; an issued document is corrected by a credit note. */
export async function deleteInvoice(ctx: AppContext, companyId: string, actor: Actor, id: string) {
  await ctx.db.transaction(async (tx) => {
    const invoice = await q.lockInvoice(tx, { companyId, id });
    if (!invoice) throw new AppError('INVOICE_NOT_FOUND');
    transition(invoice.status, 'delete', { number: invoice.number });
    await q.deleteDraftInvoice(tx, { companyId, id });
    await recordAudit(tx, {
      companyId,
      actorUserId: actor.userId,
      action: 'invoice.deleted',
      entityType: 'invoice',
      entityId: id,
      requestId: actor.requestId,
    });
  });
}
