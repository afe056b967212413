// Purchase orders: what the company orders from a vendor, with lines read and totalled as an invoice's are (the
// same reader, catalogue defaults and totals engine), numbered on their own series (PO-2026-0001), mailed to the
// vendor with the PDF, and received through goods receipts (receipts.ts).
//
// draft → sent → partially_received → received → closed; draft or sent → cancelled. Only a draft changes; every
// other move out of order is a coded 409.

import type { Db } from '@invoiceflow/db';
import { profileFor } from '@invoiceflow/jurisdictions';
import type { InvoicePdfInput } from '@invoiceflow/pdf';
import { computeTotals, formatAmount, type TotalsResult } from '@invoiceflow/totals';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { auditorFor } from '../../lib/audit';
import { AppError, defineErrors, type FieldError } from '../../lib/errors';
import { requireApprovedCompany } from '../companies/approval';
import { type CompanyRow, getCompany } from '../companies/queries';
import { engineErrors, readDocument } from '../invoices/document-input';
import { nextNumber } from '../invoices/queries';
import { applyCatalogue } from '../invoices/service';
import { enqueueMail, lockAndCountMailToday } from '../mail/queries';
import { companyDate } from '../payments/company-date';
import { renderPdf } from '../pdf/render-pool';
import { getVendor, type VendorRow } from '../vendors/queries';
import * as q from './queries';
import type { PurchaseOrderBody, PurchaseOrderPatch } from './schemas';

defineErrors({
  PURCHASE_ORDER_NOT_FOUND: [404, 'Purchase order not found.'],
  PURCHASE_ORDER_INVALID: [422, 'The purchase order cannot be saved as it is; see errors.'],
  PURCHASE_ORDER_NOT_EDITABLE: [409, 'Only a draft purchase order can be changed.'],
  PURCHASE_ORDER_NOT_SENDABLE: [409, 'Only a draft or sent purchase order can be sent.'],
  PURCHASE_ORDER_NOT_CANCELLABLE: [
    409,
    'Only a draft or sent purchase order with nothing received can be cancelled; close it instead.',
  ],
  PURCHASE_ORDER_NOT_CLOSABLE: [409, 'Only a purchase order with goods received can be closed.'],
  VENDOR_EMAIL_MISSING: [422, 'The vendor has no e-mail address; add one or send `to`.'],
});

/** The order series' prefix: PO-2026-0001 (the year of the order's date, four digits at least). */
export const ORDER_SERIES_PREFIX = 'PO';

export function formatDocumentNumber(prefix: string, year: string, value: number): string {
  return `${prefix}-${year}-${String(value).padStart(4, '0')}`;
}

/** The next number of a series (PO, GRN) for the document's year, through the invoice counters. */
export async function allocateNumber(tx: Db, companyId: string, prefix: string, date: string) {
  const year = date.slice(0, 4);
  return formatDocumentNumber(prefix, year, await nextNumber(tx, { companyId, series: `${prefix}-${year}` }));
}

const audit = auditorFor('purchase_order');
const iso = (date: Date | null) => date?.toISOString() ?? null;

export function presentOrder(
  row: q.PurchaseOrderRow,
  lines: q.OrderLineRow[],
  vendor: VendorRow | undefined,
) {
  return {
    id: row.id,
    number: row.number,
    po_number: row.number,
    status: row.status,
    vendor_id: row.vendorId,
    vendor_name: vendor?.nameEn ?? '',
    supplier_trn: vendor?.vatNumber ?? null,
    issue_date: row.issueDate,
    expected_date: row.expectedDate,
    currency: row.currency,
    notes: row.notes,
    subtotal: row.subtotal,
    vat_amount: row.vatAmount,
    total_amount: row.totalAmount,
    expected_total: row.totalAmount,
    lines: lines.map((line) => ({
      id: line.id,
      position: line.position,
      product_id: line.productId,
      description: line.description,
      description_ar: line.descriptionAr,
      quantity: line.quantity,
      unit_code: line.unitCode,
      unit_price: line.unitPrice,
      vat_category: line.vatCategory,
      vat_rate: line.vatRate,
      net_amount: line.netAmount,
      vat_amount: line.vatAmount,
      amount_with_vat: line.amountWithVat,
      received_quantity: line.receivedQuantity,
      billed_quantity: line.billedQuantity,
    })),
    sent_at: iso(row.sentAt),
    closed_at: iso(row.closedAt),
    cancelled_at: iso(row.cancelledAt),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
export type PresentedOrder = ReturnType<typeof presentOrder>;

/** Orders as the API answers them: each with its lines and its vendor's name, in two queries for the page. */
export async function presentOrders(db: Db, companyId: string, rows: q.PurchaseOrderRow[]) {
  const lines = await q.linesOfOrders(db, { companyId, orderIds: rows.map((row) => row.id) });
  const vendors = await q.getVendorsByIds(db, {
    companyId,
    ids: [...new Set(rows.map((row) => row.vendorId))],
  });
  return rows.map((row) => presentOrder(row, lines.get(row.id) ?? [], vendors.get(row.vendorId)));
}

export async function presentOne(db: Db, companyId: string, row: q.PurchaseOrderRow) {
  const [presented] = await presentOrders(db, companyId, [row]);
  if (!presented) throw new Error('purchase order not presented');
  return presented;
}

async function companyOf(tx: Db, companyId: string): Promise<CompanyRow> {
  const company = await getCompany(tx, { companyId });
  if (!company) throw new AppError('COMPANY_NOT_FOUND');
  return company;
}

const invalid = (errors: FieldError[]) => new AppError('PURCHASE_ORDER_INVALID', { errors });

/**
 * The stored columns and lines of an order: a vendor of the company that is not archived, lines read by the
 * invoice reader (catalogue defaults for product lines), amounts by the totals engine under the company's rules.
 */
async function orderColumns(tx: Db, company: CompanyRow, body: PurchaseOrderBody) {
  const vendor = await getVendor(tx, { companyId: company.id, id: body.vendor_id });
  if (!vendor || vendor.archivedAt !== null) {
    throw invalid([{ path: 'vendor_id', code: 'VENDOR_NOT_FOUND', message: 'No such vendor.' }]);
  }
  const linesKey = body.lines === undefined && body.line_items !== undefined ? 'line_items' : 'lines';
  const lines = body.lines ?? body.line_items ?? [];
  if (lines.length === 0) {
    throw invalid([{ path: 'lines', code: 'REQUIRED', message: 'An order needs at least one line.' }]);
  }
  const errors: FieldError[] = [];
  for (const [index, line] of lines.entries()) {
    if (!line.product_id && !line.description) {
      errors.push({
        path: `${linesKey}.${index}.description`,
        code: 'REQUIRED',
        message: 'A line names a product or describes the item.',
      });
    }
  }
  const currency = body.currency ?? vendor.currency ?? company.currency;
  const read = readDocument({ [linesKey]: lines, currency }, profileFor(company.country).rules);
  const products = await applyCatalogue(tx, company.id, read, errors);
  if (errors.length > 0 || read.errors.length > 0) throw invalid([...read.errors, ...errors]);
  for (const [index, line] of read.input.lines.entries()) {
    if (line.unit_price === undefined) {
      errors.push({
        path: `${linesKey}.${index}.unit_price`,
        code: 'REQUIRED',
        message: 'A unit price is needed.',
      });
    }
  }
  if (errors.length > 0) throw invalid(errors);
  read.input.currency = currency;
  const totals = computeTotals(read.input);
  const totalsErrors = engineErrors(totals, read);
  if (totalsErrors.length > 0) throw invalid(totalsErrors);

  const issueDate = body.issue_date ?? companyDate(company.timeZone);
  const expectedDate = body.expected_date ?? null;
  if (expectedDate !== null && expectedDate < issueDate) {
    throw invalid([
      {
        path: 'expected_date',
        code: 'BEFORE_ISSUE_DATE',
        message: 'Goods are expected on or after the order date.',
      },
    ]);
  }
  const orderLines = totals.lines.map((result, index) => {
    const input = read.input.lines[index];
    const productId = read.productIds[index];
    return {
      position: index + 1,
      productId: productId && products.has(productId) ? productId : null,
      description: input?.description ?? null,
      descriptionAr: input?.description_ar ?? null,
      quantity: result.quantity,
      unitCode: result.unit_code,
      unitPrice: result.unit_price,
      vatCategory: result.vat_category,
      vatRate: result.vat_rate,
      netAmount: result.net_amount,
      vatAmount: result.vat_amount,
      amountWithVat: result.amount_with_vat,
    };
  });
  return {
    columns: {
      vendorId: vendor.id,
      issueDate,
      expectedDate,
      currency,
      notes: body.notes ?? null,
      subtotal: totals.totals.tax_exclusive_amount,
      vatAmount: totals.totals.tax_amount,
      totalAmount: totals.totals.tax_inclusive_amount,
      totals,
    } satisfies Partial<q.PurchaseOrderInsert>,
    lines: orderLines,
  };
}

export async function createOrder(ctx: AppContext, companyId: string, actor: Actor, body: PurchaseOrderBody) {
  return ctx.db.transaction(async (tx) => {
    const company = await companyOf(tx, companyId);
    // Read first: a refused request takes no number.
    const { columns, lines } = await orderColumns(tx, company, body);
    const number = await allocateNumber(tx, companyId, ORDER_SERIES_PREFIX, columns.issueDate);
    const row = await q.insertOrder(tx, { ...columns, companyId, number, createdBy: actor.userId });
    await q.replaceOrderLines(tx, { companyId, orderId: row.id, lines });
    await audit(tx, companyId, actor, 'purchase_order.created', row.id, { number });
    return presentOne(tx, companyId, row);
  });
}

export async function getOrderOrThrow(db: Db, companyId: string, id: string) {
  const row = await q.getOrder(db, { companyId, id });
  if (!row) throw new AppError('PURCHASE_ORDER_NOT_FOUND');
  return row;
}

/** What a PATCH keeps of the order: the request it was saved from, rebuilt from its stored lines. */
function bodyOf(row: q.PurchaseOrderRow, lines: q.OrderLineRow[]): PurchaseOrderBody {
  return {
    vendor_id: row.vendorId,
    issue_date: row.issueDate,
    expected_date: row.expectedDate,
    currency: row.currency,
    notes: row.notes,
    lines: lines.map((line) => ({
      ...(line.productId ? { product_id: line.productId } : {}),
      ...(line.description ? { description: line.description } : {}),
      ...(line.descriptionAr ? { description_ar: line.descriptionAr } : {}),
      quantity: line.quantity,
      unit_code: line.unitCode,
      unit_price: line.unitPrice,
      vat_category: line.vatCategory,
      vat_rate: line.vatRate,
    })),
  };
}

/** PATCH: the fields sent replace the draft's (lines as a whole); its number stays. */
export async function updateOrder(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  patch: PurchaseOrderPatch,
) {
  return ctx.db.transaction(async (tx) => {
    const current = await q.lockOrder(tx, { companyId, id });
    if (!current) throw new AppError('PURCHASE_ORDER_NOT_FOUND');
    if (current.status !== 'draft') throw new AppError('PURCHASE_ORDER_NOT_EDITABLE');
    const stored = (await q.linesOfOrders(tx, { companyId, orderIds: [id] })).get(id) ?? [];
    const before = bodyOf(current, stored);
    const { lines: patchLines, line_items: patchItems, ...fields } = patch;
    const body = {
      ...before,
      ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
    } as PurchaseOrderBody;
    // Lines sent replace the order's as a whole, under the name they were sent with (the error paths follow it).
    if (patchLines || patchItems) {
      body.lines = patchLines;
      body.line_items = patchLines ? undefined : patchItems;
    }
    const { columns, lines } = await orderColumns(tx, await companyOf(tx, companyId), body);
    const row = await q.updateOrder(tx, { companyId, id, values: columns });
    await q.replaceOrderLines(tx, { companyId, orderId: id, lines });
    await audit(tx, companyId, actor, 'purchase_order.updated', id, { fields: Object.keys(patch) });
    return presentOne(tx, companyId, row);
  });
}

/**
 * Mails the order to the vendor (PDF attached, rendered when the mail goes) and marks it sent, in one
 * transaction. Sending a sent order again mails it again.
 */
export async function sendOrder(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  id: string,
  input: { to?: string; message?: string },
) {
  return ctx.db.transaction(async (tx) => {
    await requireApprovedCompany(ctx, tx, companyId);
    const current = await q.lockOrder(tx, { companyId, id });
    if (!current) throw new AppError('PURCHASE_ORDER_NOT_FOUND');
    if (current.status !== 'draft' && current.status !== 'sent') {
      throw new AppError('PURCHASE_ORDER_NOT_SENDABLE');
    }
    const company = await companyOf(tx, companyId);
    const vendor = await getVendor(tx, { companyId, id: current.vendorId });
    const to = input.to ?? vendor?.email ?? vendor?.contacts.find((contact) => contact.email)?.email;
    if (!to) throw new AppError('VENDOR_EMAIL_MISSING');

    // An account anyone may register must not become a relay: order mail per company and day is bounded.
    const today = await lockAndCountMailToday(tx, { companyId, kind: 'purchase_order' });
    if (today.count >= ctx.config.MAIL_SENDS_PER_COMPANY_PER_DAY) {
      throw new AppError('MAIL_SEND_LIMIT_REACHED', {
        headers: { 'retry-after': String(today.secondsToMidnight) },
      });
    }
    const row = await q.updateOrder(tx, {
      companyId,
      id,
      values: { status: 'sent', sentAt: current.sentAt ?? new Date() },
    });
    await enqueueMail(tx, {
      companyId,
      to,
      kind: 'purchase_order',
      subject: `Purchase order ${row.number} from ${company.legalNameEn}`,
      text:
        `Dear ${vendor?.nameEn ?? 'supplier'},\n\n` +
        `Please find attached purchase order ${row.number} for ${formatAmount(row.totalAmount, row.currency)}` +
        (row.expectedDate ? `, expected by ${row.expectedDate}` : '') +
        '.\n' +
        (input.message ? `\n${input.message}\n` : '') +
        `\n${company.legalNameEn}`,
      refs: { purchase_order_id: row.id },
    });
    await audit(tx, companyId, actor, 'purchase_order.sent', id, { to });
    return { purchase_order: await presentOne(tx, companyId, row), to, mail_status: 'queued' as const };
  });
}

/** Cancels a draft or a sent order nothing was received against. */
export async function cancelOrder(ctx: AppContext, companyId: string, actor: Actor, id: string) {
  return ctx.db.transaction(async (tx) => {
    const current = await q.lockOrder(tx, { companyId, id });
    if (!current) throw new AppError('PURCHASE_ORDER_NOT_FOUND');
    if (current.status !== 'draft' && current.status !== 'sent') {
      throw new AppError('PURCHASE_ORDER_NOT_CANCELLABLE');
    }
    const row = await q.updateOrder(tx, {
      companyId,
      id,
      values: { status: 'cancelled', cancelledAt: new Date() },
    });
    await audit(tx, companyId, actor, 'purchase_order.cancelled', id, { from: current.status });
    return presentOne(tx, companyId, row);
  });
}

/** Closes an order goods were received against (in part or in full): nothing more is expected. */
export async function closeOrder(ctx: AppContext, companyId: string, actor: Actor, id: string) {
  return ctx.db.transaction(async (tx) => {
    const current = await q.lockOrder(tx, { companyId, id });
    if (!current) throw new AppError('PURCHASE_ORDER_NOT_FOUND');
    if (current.status !== 'partially_received' && current.status !== 'received') {
      throw new AppError('PURCHASE_ORDER_NOT_CLOSABLE');
    }
    const row = await q.updateOrder(tx, {
      companyId,
      id,
      values: { status: 'closed', closedAt: new Date() },
    });
    await audit(tx, companyId, actor, 'purchase_order.closed', id, { from: current.status });
    return presentOne(tx, companyId, row);
  });
}

/**
 * The renderer's input for an order: titled "Purchase Order / أمر شراء", issued by the company (the buyer) to
 * the vendor (the seller of the goods), the expected date in the due date's place; no QR, no e-invoice.
 */
export function orderPdfInput(
  row: q.PurchaseOrderRow,
  lines: q.OrderLineRow[],
  company: CompanyRow,
  vendor: VendorRow | undefined,
): InvoicePdfInput {
  const profile = profileFor(company.country);
  const vendorProfile = vendor ? profileFor(vendor.address.country) : profile;
  return {
    type: 'purchase_order',
    bilingual: profile.pdf.isBilingual,
    ...(profile.pdf.language ? { language: profile.pdf.language } : {}),
    number: row.number,
    issue_date: row.issueDate,
    ...(row.expectedDate ? { due_date: row.expectedDate } : {}),
    currency: row.currency,
    seller: {
      name_en: vendor?.nameEn,
      name_ar: vendor?.nameAr ?? undefined,
      vat_number: vendor?.vatNumber ?? undefined,
      crn: vendor?.registrationNumber ?? undefined,
      address: vendor?.address,
    },
    buyer: {
      name_en: company.legalNameEn,
      name_ar: company.legalNameAr ?? undefined,
      vat_number: company.vatNumber ?? undefined,
      crn: company.registrationNumber ?? undefined,
      address: company.address,
    },
    lines: lines.map((line) => ({
      ...(line.description ? { description: line.description } : {}),
      ...(line.descriptionAr ? { description_ar: line.descriptionAr } : {}),
    })),
    totals: row.totals as TotalsResult,
    ...(row.notes ? { notes: row.notes } : {}),
    tax_id_label: vendorProfile.taxIdLabel ?? profile.taxIdLabel,
    pdfa3: false,
    attachments: [],
  };
}

export async function getOrderPdf(db: Db, { companyId, orderId }: { companyId: string; orderId: string }) {
  const row = await getOrderOrThrow(db, companyId, orderId);
  const lines = (await q.linesOfOrders(db, { companyId, orderIds: [row.id] })).get(row.id) ?? [];
  const company = await companyOf(db, companyId);
  const vendor = await getVendor(db, { companyId, id: row.vendorId });
  const pdf = await renderPdf({ document: orderPdfInput(row, lines, company, vendor) });
  return { number: row.number, pdf };
}
