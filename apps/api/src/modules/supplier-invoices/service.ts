// Supplier (inward) invoices: typed in, or read from the supplier's UBL XML (ZATCA, PINT AE, Peppol BIS 3) by the
// hardened reader, the original kept byte for byte in the file storage. The vendor is found by the supplier's VAT
// number; a supplier's number is stored once (unique indexes, so two uploads at once cannot both land). Every
// invoice is matched three ways on arrival and on request (match.ts); approval and disputes are approval.ts, bills
// and supplier payments bills.ts.

import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '@invoiceflow/db';
import { currencyDigits, Decimal, parseDecimal } from '@invoiceflow/totals';
import { type ReadDocument, readUblDocument, UblReadError } from '@invoiceflow/ubl';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { auditorFor } from '../../lib/audit';
import { isUniqueViolation } from '../../lib/db-errors';
import { AppError, defineErrors, type FieldError } from '../../lib/errors';
import { getCompany } from '../companies/queries';
import { configuredStorage, storageNamed } from '../files/storage';
import { assertStorageAvailable } from '../plans/limits';
import { findVendorByVatNumber, getVendor } from '../vendors/queries';
import { matchAndStore } from './match';
import * as q from './queries';
import type { SupplierInvoiceBody } from './schemas';

defineErrors({
  SUPPLIER_INVOICE_NOT_FOUND: [404, 'Supplier invoice not found.'],
  SUPPLIER_INVOICE_INVALID: [422, 'The supplier invoice cannot be saved as it is; see errors.'],
  DUPLICATE_SUPPLIER_INVOICE: [409, 'This supplier’s invoice with this number is already recorded.'],
  SUPPLIER_INVOICE_NO_ORIGINAL: [404, 'This supplier invoice was typed in: there is no original file.'],
  XML_TOO_LARGE: [413, 'The XML document is larger than allowed.'],
  XML_DOCTYPE_REFUSED: [422, 'XML with a DOCTYPE (DTD or entities) is refused.'],
  XML_TOO_DEEP: [422, 'The XML document is nested too deeply.'],
  XML_MALFORMED: [422, 'The document is not well-formed XML.'],
  NOT_UBL_INVOICE: [422, 'The document is not a UBL 2.1 Invoice or CreditNote.'],
  UBL_FIELD_MISSING: [422, 'The UBL document lacks a required element.'],
  UBL_FIELD_INVALID: [422, 'An element of the UBL document has a value that cannot be read.'],
});

const audit = auditorFor('supplier_invoice');
const iso = (date: Date | null) => date?.toISOString() ?? null;
const ZERO = Decimal.of(0);

function dec(value: string): Decimal {
  return parseDecimal(value) ?? ZERO;
}

/** An amount in the currency's digits ("1436.50"); a value with more digits than the currency keeps them all. */
export function moneyText(value: string, currency: string): string {
  const parsed = parseDecimal(value);
  if (!parsed) return value;
  const digits = currencyDigits(currency);
  return parsed.decimalPlaces() > digits ? parsed.toPlain() : parsed.toFixed(digits);
}

export function presentInvoice(
  row: q.SupplierInvoiceRow,
  lines: q.SupplierInvoiceLineRow[],
  vendorName: string | null,
) {
  const money = (value: string) => moneyText(value, row.currency);
  const open = dec(row.payableAmount).minus(dec(row.paidAmount));
  const match = row.match as { orders?: { id: string }[] } | null;
  return {
    id: row.id,
    number: row.number,
    invoice_number: row.number,
    kind: row.kind,
    source: row.source,
    format: row.format,
    status: row.status,
    vendor_id: row.vendorId,
    vendor_name: vendorName,
    supplier_name: row.supplierName,
    supplier_trn: row.supplierTaxNumber,
    issue_date: row.issueDate,
    due_date: row.dueDate,
    currency: row.currency,
    order_references: row.orderReferences,
    po_id: match?.orders?.[0]?.id ?? null,
    subtotal: money(row.subtotal),
    vat_amount: money(row.vatAmount),
    total_amount: money(row.totalAmount),
    payable_amount: money(row.payableAmount),
    paid_amount: money(row.paidAmount),
    open_amount: money(open.toPlain()),
    match_status: row.matchStatus,
    matching_status: row.matchStatus,
    approved_at: iso(row.approvedAt),
    override_reason: row.overrideReason,
    disputed_at: iso(row.disputedAt),
    dispute_reason: row.disputeReason,
    original:
      row.storageKey && row.fileName && row.contentType && row.byteSize !== null && row.sha256
        ? {
            file_name: row.fileName,
            content_type: row.contentType,
            byte_size: row.byteSize,
            sha256: row.sha256,
          }
        : null,
    notes: row.notes,
    lines: lines.map((line) => ({
      id: line.id,
      position: line.position,
      description: line.description,
      quantity: line.quantity,
      unit_code: line.unitCode,
      unit_price: line.unitPrice,
      vat_rate: line.vatRate,
      net_amount: money(line.netAmount),
      item_code: line.itemCode,
      order_reference: line.orderNumber,
      order_line_ref: line.orderLineRef,
      purchase_order_line_id: line.purchaseOrderLineId,
    })),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export async function presentInvoices(db: Db, companyId: string, rows: q.SupplierInvoiceRow[]) {
  const lines = await q.linesOfInvoices(db, { companyId, ids: rows.map((row) => row.id) });
  const names = await q.vendorNames(db, {
    companyId,
    ids: [...new Set(rows.flatMap((row) => (row.vendorId ? [row.vendorId] : [])))],
  });
  return rows.map((row) =>
    presentInvoice(row, lines.get(row.id) ?? [], row.vendorId ? (names.get(row.vendorId) ?? null) : null),
  );
}

export async function presentOne(db: Db, companyId: string, row: q.SupplierInvoiceRow) {
  const [presented] = await presentInvoices(db, companyId, [row]);
  if (!presented) throw new Error('supplier invoice not presented');
  return presented;
}

export async function getInvoiceOrThrow(db: Db, companyId: string, id: string) {
  const row = await q.getInvoice(db, { companyId, id });
  if (!row) throw new AppError('SUPPLIER_INVOICE_NOT_FOUND');
  return row;
}

type NewInvoice = Omit<q.SupplierInvoiceInsert, 'companyId'>;
type NewLine = Omit<q.SupplierInvoiceLineInsert, 'companyId' | 'supplierInvoiceId'>;

/**
 * Stores the invoice and its lines, keeps the original's bytes, matches it, all in the caller's transaction.
 * The insert comes first: a second upload of the same number waits on the first's index entry and is refused.
 */
async function store(
  ctx: AppContext,
  tx: Db,
  companyId: string,
  actor: Actor,
  invoice: NewInvoice,
  lines: NewLine[],
  original?: { bytes: Buffer; fileName: string; contentType: string },
) {
  let row: q.SupplierInvoiceRow;
  try {
    row = await q.insertInvoice(tx, { ...invoice, companyId, createdBy: actor.userId });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('DUPLICATE_SUPPLIER_INVOICE', { extra: { number: invoice.number } });
    }
    throw error;
  }
  await q.insertLines(
    tx,
    lines.map((line) => ({ ...line, companyId, supplierInvoiceId: row.id })),
  );
  if (original) {
    const company = await getCompany(tx, { companyId });
    if (company) await assertStorageAvailable(tx, company, original.bytes.length);
    const storage = configuredStorage(ctx.config);
    const key = `${companyId}/${randomUUID()}`;
    await storage.put(tx, { companyId, key, bytes: original.bytes });
    row = await q.updateInvoice(tx, {
      companyId,
      id: row.id,
      values: {
        fileName: original.fileName,
        contentType: original.contentType,
        byteSize: original.bytes.length,
        sha256: createHash('sha256').update(original.bytes).digest('hex'),
        storage: storage.kind,
        storageKey: key,
      },
    });
  }
  const matched = await matchAndStore(tx, companyId, row);
  await audit(tx, companyId, actor, 'supplier_invoice.created', row.id, {
    number: row.number,
    source: row.source,
    vendor_id: row.vendorId,
    match_status: matched.row.matchStatus,
  });
  return presentOne(tx, companyId, matched.row);
}

const invalid = (errors: FieldError[]) => new AppError('SUPPLIER_INVOICE_INVALID', { errors });

/** A typed-in invoice: amounts by line (net rounded to the currency, VAT on the net), totals their sums. */
export async function createInvoice(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  body: SupplierInvoiceBody,
) {
  return ctx.db.transaction(async (tx) => {
    const company = await getCompany(tx, { companyId });
    if (!company) throw new AppError('COMPANY_NOT_FOUND');
    const errors: FieldError[] = [];
    let vendor = body.vendor_id ? await getVendor(tx, { companyId, id: body.vendor_id }) : undefined;
    if (body.vendor_id && !vendor) {
      errors.push({ path: 'vendor_id', code: 'VENDOR_NOT_FOUND', message: 'No such vendor.' });
    }
    if (!body.vendor_id && body.supplier_trn) {
      vendor = await findVendorByVatNumber(tx, { companyId, vatNumber: body.supplier_trn });
    }
    if (!body.vendor_id && !body.supplier_trn) {
      errors.push({ path: 'vendor_id', code: 'REQUIRED', message: 'Name the vendor (or its supplier_trn).' });
    }
    const number = body.number ?? body.invoice_number;
    if (!number) errors.push({ path: 'number', code: 'REQUIRED', message: 'The supplier’s invoice number.' });
    const input = body.lines ?? body.line_items ?? [];
    if (input.length === 0) errors.push({ path: 'lines', code: 'REQUIRED', message: 'At least one line.' });
    if (body.due_date && body.due_date < body.issue_date) {
      errors.push({
        path: 'due_date',
        code: 'BEFORE_ISSUE_DATE',
        message: 'Due on or after the issue date.',
      });
    }
    if (errors.length > 0 || !number) throw invalid(errors);

    const currency = body.currency ?? vendor?.currency ?? company.currency;
    const digits = currencyDigits(currency);
    let subtotal = ZERO;
    let vat = ZERO;
    const lines: NewLine[] = input.map((line, index) => {
      const net = dec(line.quantity).times(dec(line.unit_price)).round(digits);
      const rate = line.vat_rate ? dec(line.vat_rate) : ZERO;
      subtotal = subtotal.plus(net);
      vat = vat.plus(net.times(rate).div(Decimal.of(100)).round(digits));
      return {
        position: index + 1,
        description: line.description,
        quantity: line.quantity,
        unitCode: line.unit_code ?? null,
        unitPrice: line.unit_price,
        vatRate: line.vat_rate ?? null,
        netAmount: net.toFixed(digits),
        itemCode: line.item_code ?? null,
        orderNumber: line.order_reference ?? line.po_number ?? null,
        orderLineRef: line.order_line_ref ?? null,
      };
    });
    const references = [
      ...new Set([
        ...(body.order_references ?? []),
        ...(body.po_number ? [body.po_number] : []),
        ...lines.flatMap((line) => (line.orderNumber ? [line.orderNumber] : [])),
      ]),
    ];
    const total = subtotal.plus(vat).toFixed(digits);
    return store(
      ctx,
      tx,
      companyId,
      actor,
      {
        vendorId: vendor?.id ?? null,
        supplierTaxNumber: vendor?.vatNumber ?? body.supplier_trn ?? null,
        supplierName: vendor?.nameEn ?? null,
        number,
        kind: body.kind,
        source: 'manual',
        format: null,
        issueDate: body.issue_date,
        dueDate: body.due_date ?? dueDateOf(body.issue_date, vendor?.paymentTermsDays ?? null),
        currency,
        orderReferences: references,
        subtotal: subtotal.toFixed(digits),
        vatAmount: vat.toFixed(digits),
        totalAmount: total,
        payableAmount: total,
        notes: body.notes ?? null,
      },
      lines,
    );
  });
}

/** The due date from the vendor's payment terms when the document gives none. */
function dueDateOf(issueDate: string, termsDays: number | null): string | null {
  if (termsDays === null) return null;
  const date = new Date(`${issueDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + termsDays);
  return date.toISOString().slice(0, 10);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CURRENCY = /^[A-Z]{3}$/;

/** The reader's refusal as a problem with its code and the element at fault. */
function readError(error: UblReadError): AppError {
  return new AppError(error.code, {
    message: error.message,
    errors: error.path ? [{ path: error.path, code: error.code, message: error.message }] : undefined,
  });
}

/** The unit price of a read line: the price of one base quantity, else the net amount over the quantity. */
function unitPriceOf(line: ReadDocument['lines'][number]): string {
  const net = dec(line.net_amount);
  const quantity = dec(line.quantity);
  if (line.unit_price !== null) {
    const price = dec(line.unit_price);
    const base = line.base_quantity ? dec(line.base_quantity) : undefined;
    return (base && !base.isZero() ? price.div(base) : price).toPlain();
  }
  return quantity.isZero() ? '0' : net.div(quantity).toPlain();
}

/** A supplier's UBL invoice or credit note, uploaded as its bytes. Refused documents store nothing. */
export async function uploadInvoice(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  upload: {
    bytes: Buffer | undefined;
    fileName: string | undefined;
    source?: 'upload' | 'peppol';
    /** Runs in the same transaction once the invoice is stored (a received document's event record). */
    within?: (tx: Db, supplierInvoiceId: string) => Promise<void>;
  },
) {
  const bytes = upload.bytes;
  if (!bytes || bytes.length === 0) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
      message: 'Send the UBL XML document as the body (application/xml).',
    });
  }
  let doc: ReadDocument;
  try {
    doc = readUblDocument(bytes, { maxBytes: ctx.config.SUPPLIER_INVOICE_MAX_BYTES });
  } catch (error) {
    if (error instanceof UblReadError) throw readError(error);
    throw error;
  }
  const errors: FieldError[] = [];
  if (!DATE.test(doc.issue_date)) {
    errors.push({ path: 'IssueDate', code: 'UBL_FIELD_INVALID', message: 'The issue date is not a date.' });
  }
  if (doc.due_date !== null && !DATE.test(doc.due_date)) {
    errors.push({ path: 'DueDate', code: 'UBL_FIELD_INVALID', message: 'The due date is not a date.' });
  }
  if (!CURRENCY.test(doc.currency)) {
    errors.push({
      path: 'DocumentCurrencyCode',
      code: 'UBL_FIELD_INVALID',
      message: 'Not an ISO 4217 code.',
    });
  }
  if (doc.number.length > 100) {
    errors.push({
      path: 'ID',
      code: 'UBL_FIELD_INVALID',
      message: 'The number is longer than 100 characters.',
    });
  }
  if (errors.length > 0) throw new AppError('UBL_FIELD_INVALID', { errors });

  const fileName = (upload.fileName ?? `${doc.number}.xml`).replace(/[\\/]/g, '_');
  const taxNumber = doc.seller.vat_number?.replace(/\s+/g, '') || null;
  const references = doc.order_reference ? [doc.order_reference] : [];
  const lines: NewLine[] = doc.lines.map((line, index) => ({
    position: index + 1,
    description: (line.name ?? line.description ?? `Line ${line.id}`).slice(0, 1000),
    quantity: line.quantity,
    unitCode: line.unit_code,
    unitPrice: unitPriceOf(line),
    vatRate: line.tax_rate,
    netAmount: line.net_amount,
    itemCode: line.seller_item_id ?? line.buyer_item_id,
    orderNumber: null,
    orderLineRef: line.order_line_ref,
  }));
  return ctx.db.transaction(async (tx) => {
    const vendor = taxNumber
      ? await findVendorByVatNumber(tx, { companyId, vatNumber: taxNumber })
      : undefined;
    const stored = await store(
      ctx,
      tx,
      companyId,
      actor,
      {
        vendorId: vendor?.id ?? null,
        supplierTaxNumber: taxNumber,
        supplierName: doc.seller.name ?? doc.seller.trading_name,
        number: doc.number,
        kind: doc.kind,
        source: upload.source ?? 'upload',
        format: doc.format,
        issueDate: doc.issue_date,
        dueDate: doc.due_date ?? dueDateOf(doc.issue_date, vendor?.paymentTermsDays ?? null),
        currency: doc.currency,
        orderReferences: references,
        subtotal: doc.totals.tax_exclusive,
        vatAmount: doc.tax_total ?? '0',
        totalAmount: doc.totals.tax_inclusive,
        payableAmount: doc.totals.payable,
      },
      lines,
      { bytes, fileName, contentType: 'application/xml' },
    );
    await upload.within?.(tx, stored.id);
    return stored;
  });
}

/** The uploaded original as it arrived. */
export async function readOriginal(ctx: AppContext, companyId: string, id: string) {
  const row = await getInvoiceOrThrow(ctx.db, companyId, id);
  if (!row.storage || !row.storageKey || !row.fileName || !row.sha256) {
    throw new AppError('SUPPLIER_INVOICE_NO_ORIGINAL');
  }
  const bytes = await storageNamed(row.storage, ctx.config).get(ctx.db, { companyId, key: row.storageKey });
  if (!bytes) throw new Error(`supplier invoice ${row.storageKey} missing from ${row.storage} storage`);
  return {
    bytes,
    fileName: row.fileName,
    contentType: row.contentType ?? 'application/xml',
    sha256: row.sha256,
  };
}
