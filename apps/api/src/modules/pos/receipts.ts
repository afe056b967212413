// The till's printouts as 80 mm PDFs: the receipt of a sale or of a return, and a cash session's X and Z reports.
// A receipt is a print of the sale's issued invoice (its frozen snapshot, its stored QR), so a reprint shows the
// same sale; the legal document stays the invoice (its A4 PDF is stored). Receipts are rendered on request from
// those stored values (deterministic, dated by the issue instant), through the render pool like invoices.
import type { Db } from '@invoiceflow/db';
import type { InvoiceSnapshot } from '@invoiceflow/db/schema';
import { findProfile, type JurisdictionProfile } from '@invoiceflow/jurisdictions';
import type {
  CashReportPdfInput,
  PieceCount,
  ReceiptPdfInput,
  SlipLanguage,
  SlipSeller,
} from '@invoiceflow/pdf';
import { compareMoney, roundMoney, unitPriceText } from '@invoiceflow/totals';
import { AppError, defineErrors } from '../../lib/errors';
import { wallClock } from '../../lib/time-zones';
import { getCompany } from '../companies/queries';
import { getInvoice, type InvoiceWithState } from '../invoices/queries';
import { phaseOneQr } from '../pdf/invoice-pdf-input';
import { renderPdf } from '../pdf/render-pool';
import * as q from './queries';
import { getSaleOrThrow } from './service';
import { sessionReport } from './sessions';

defineErrors({
  RETURN_NOT_FOUND: [404, 'This sale has no such return.'],
  Z_REPORT_NOT_YET: [409, 'A Z report is made when the session closes; print an X report meanwhile.'],
});

export interface Slip {
  pdf: Buffer;
  fileName: string;
}

/** "2026-03-15 10:30:00" on the wall clock of the time zone. */
function wallClockText(timeZone: string, instant: Date): string {
  return wallClock(timeZone, instant).toISOString().slice(0, 19).replace('T', ' ');
}

function timeZoneOf(snapshot: InvoiceSnapshot, profile: JurisdictionProfile | undefined): string {
  return snapshot.seller.time_zone ?? profile?.timeZone ?? 'UTC';
}

/** The languages asked for, or the seller's: English beside Arabic where the profile prints both. */
function languageOf(asked: SlipLanguage | undefined, profile: JurisdictionProfile | undefined): SlipLanguage {
  return asked ?? ((profile?.pdf.isBilingual ?? false) ? 'both' : 'en');
}

function sellerOf(snapshot: InvoiceSnapshot, profile: JurisdictionProfile | undefined): SlipSeller {
  return {
    name_en: snapshot.seller.legal_name_en,
    ...(snapshot.seller.legal_name_ar ? { name_ar: snapshot.seller.legal_name_ar } : {}),
    ...(snapshot.seller.vat_number ? { vat_number: snapshot.seller.vat_number } : {}),
    ...(profile?.taxIdLabel ? { tax_id_label: profile.taxIdLabel } : {}),
  };
}

/** The parts of an issued invoice a receipt prints. */
type PrintedInvoice = Pick<InvoiceWithState, 'number' | 'currency' | 'snapshot' | 'createdAt' | 'qrPayload'>;

/** What a sale's or a return's invoice prints: its lines, VAT by rate and totals, as issued. */
function documentPart(invoice: PrintedInvoice, language: SlipLanguage | undefined) {
  const snapshot = invoice.snapshot;
  const profile = findProfile(snapshot.seller.country);
  const issuedAt = snapshot.issued_at ? new Date(snapshot.issued_at) : invoice.createdAt;
  const local = wallClockText(timeZoneOf(snapshot, profile), issuedAt);
  const currency = invoice.currency;
  const { totals } = snapshot;
  // ZATCA: the QR the e-invoice carries (Phase 2, stored at signing), else the Phase 1 QR the PDF would print.
  const qr = profile?.pdf.hasZatcaQr
    ? (invoice.qrPayload ?? phaseOneQr(snapshot, local.slice(11)) ?? undefined)
    : undefined;
  return {
    profile,
    part: {
      language: languageOf(language, profile),
      seller: sellerOf(snapshot, profile),
      number: invoice.number,
      date: local.slice(0, 10),
      time: local.slice(11),
      issued_at: issuedAt.toISOString(),
      currency,
      lines: totals.lines.map((line, index) => {
        const text = snapshot.lines[index];
        return {
          ...(text?.description ? { name: text.description } : {}),
          ...(text?.description_ar ? { name_ar: text.description_ar } : {}),
          quantity: line.quantity,
          unit_price: unitPriceText(line.unit_price, currency),
          amount: line.amount_with_vat,
        };
      }),
      vat_breakdown: totals.vat_breakdown.map((vat) => ({
        category: vat.category,
        rate: vat.rate,
        taxable_amount: vat.taxable_amount,
        vat_amount: vat.vat_amount,
      })),
      tax_exclusive_amount: totals.totals.tax_exclusive_amount,
      vat_total: totals.totals.tax_amount,
      total: totals.totals.payable_amount,
      ...(qr ? { qr_payload: qr } : {}),
    },
  };
}

const fileNameOf = (number: string) => `${number.replace(/[/\\]/g, '_')}-receipt.pdf`;

export async function saleReceiptPdf(
  db: Db,
  { companyId, saleId, language }: { companyId: string; saleId: string; language?: SlipLanguage },
): Promise<Slip> {
  // The till prints one after every sale: the sale, its invoice and the till's name in one statement.
  const found = await q.getSaleReceipt(db, { companyId, id: saleId });
  if (!found) throw new AppError('SALE_NOT_FOUND');
  const { sale, invoice } = found;
  const { profile, part } = documentPart(invoice, language);
  const currency = invoice.currency;
  const receipt: ReceiptPdfInput = {
    ...part,
    title: profile?.pdf.hasTaxInvoiceTitle ? 'simplified_tax_invoice' : 'receipt',
    till: found.tillName ?? '',
    cash: {
      paid: roundMoney(sale.paidAmount, currency),
      change: roundMoney(sale.changeAmount, currency),
      pieces: sale.change,
    },
  };
  return { pdf: await renderPdf({ receipt }), fileName: fileNameOf(invoice.number) };
}

export async function returnReceiptPdf(
  db: Db,
  {
    companyId,
    saleId,
    creditNoteId,
    language,
  }: { companyId: string; saleId: string; creditNoteId: string; language?: SlipLanguage },
): Promise<Slip> {
  const { sale, invoice: original } = await getSaleOrThrow(db, companyId, saleId);
  const note = await getInvoice(db, { companyId, id: creditNoteId });
  if (note?.type !== 'credit_note' || note.originalInvoiceId !== original.id) {
    throw new AppError('RETURN_NOT_FOUND');
  }
  const till = await q.getTill(db, { companyId, id: sale.tillId });
  const refund = await q.getRefundMovement(db, { companyId, creditNoteId });
  const { profile, part } = documentPart(note, language);
  const receipt: ReceiptPdfInput = {
    ...part,
    title: profile?.pdf.hasTaxInvoiceTitle ? 'credit_note' : 'refund_receipt',
    original_number: original.number,
    till: till?.name ?? '',
    refund: {
      amount: part.total,
      pieces: refund?.counts ?? [],
    },
  };
  return { pdf: await renderPdf({ receipt }), fileName: fileNameOf(note.number) };
}

function mergeDrawer(
  expected: { value: string; count: number }[],
  counted: PieceCount[] | null,
  currency: string,
): CashReportPdfInput['drawer'] {
  const rows = new Map<string, { value: string; expected: number; counted?: number; difference?: number }>();
  for (const piece of expected) {
    const value = roundMoney(piece.value, currency);
    rows.set(value, { value, expected: piece.count });
  }
  for (const piece of counted ?? []) {
    const value = roundMoney(piece.value, currency);
    const row = rows.get(value) ?? { value, expected: 0 };
    row.counted = (row.counted ?? 0) + piece.count;
    rows.set(value, row);
  }
  const list = [...rows.values()].sort((a, b) => compareMoney(b.value, a.value));
  if (counted) {
    for (const row of list) {
      row.counted ??= 0;
      row.difference = row.counted - row.expected;
    }
  }
  // A value that never held a piece and was not counted says nothing.
  return list.filter((row) => row.expected !== 0 || (row.counted ?? 0) !== 0);
}

/**
 * The X report (the open shift so far) or the Z report (the closed shift) of a cash session as a slip: the float
 * by piece, the sales with VAT by rate, returns, cash in and out, and expected against counted per piece.
 */
export async function cashReportPdf(
  db: Db,
  {
    companyId,
    sessionId,
    report,
    language,
    now = new Date(),
  }: { companyId: string; sessionId: string; report: 'X' | 'Z'; language?: SlipLanguage; now?: Date },
): Promise<Slip> {
  const session = await q.getSession(db, { companyId, id: sessionId });
  if (!session) throw new AppError('SESSION_NOT_FOUND');
  if (report === 'Z' && session.status === 'open') throw new AppError('Z_REPORT_NOT_YET');
  if (report === 'X' && session.status !== 'open') throw new AppError('SESSION_CLOSED');
  const company = await getCompany(db, { companyId });
  if (!company) throw new AppError('COMPANY_NOT_FOUND');
  const currency = company.currency;
  const profile = findProfile(company.country);
  const timeZone = company.timeZone;
  const till = await q.getTill(db, { companyId, id: session.tillId });
  // The same reckoning as the JSON report, and what only the printout shows beside it.
  const json = await sessionReport(db, companyId, sessionId);
  const vat = await q.sessionVatByRate(db, { companyId, sessionId });
  const returns = await q.sessionReturns(db, { companyId, sessionId });
  const expectedPieces = await q.sessionExpectedPieces(db, { companyId, sessionId });
  const uncounted = await q.sessionUncountedCash(db, { companyId, sessionId });
  const dated = session.closedAt ?? now;
  const cashReport: CashReportPdfInput = {
    report,
    language: languageOf(language, profile),
    seller: {
      name_en: company.legalNameEn,
      ...(company.legalNameAr ? { name_ar: company.legalNameAr } : {}),
      ...(company.vatNumber ? { vat_number: company.vatNumber } : {}),
      ...(profile?.taxIdLabel ? { tax_id_label: profile.taxIdLabel } : {}),
    },
    till: till?.name ?? '',
    opened_at: wallClockText(timeZone, session.openedAt),
    ...(session.closedAt ? { closed_at: wallClockText(timeZone, session.closedAt) } : {}),
    ...(report === 'X' ? { printed_at: wallClockText(timeZone, now) } : {}),
    dated_at: dated.toISOString(),
    currency,
    opening_float: json.opening_float,
    opening_counts: json.opening_counts.map((piece) => ({
      value: roundMoney(piece.value, currency),
      count: piece.count,
    })),
    sales_count: json.sales_count,
    sales_total: json.sales_total,
    vat_by_rate: vat.map((row) => ({
      category: row.category,
      rate: row.rate,
      taxable_amount: roundMoney(row.taxable, currency),
      vat_amount: roundMoney(row.vat, currency),
    })),
    cash_received: json.cash_received,
    change_given: json.change_given,
    cash_in: json.cash_in,
    cash_out: json.cash_out,
    returns_count: returns.count,
    returns_total: roundMoney(returns.total, currency),
    expected_cash: json.expected_cash,
    ...(json.counted_cash !== null ? { counted_cash: json.counted_cash } : {}),
    ...(json.difference !== null ? { difference: json.difference } : {}),
    drawer: mergeDrawer(expectedPieces, session.closingCounts, currency),
    uncounted_cash: roundMoney(uncounted, currency),
  };
  const name = `${report === 'X' ? 'x' : 'z'}-report-${(till?.name ?? 'till').replace(/[^\w-]+/g, '_')}-${wallClockText(timeZone, dated).slice(0, 10)}.pdf`;
  return { pdf: await renderPdf({ cashReport }), fileName: name };
}
