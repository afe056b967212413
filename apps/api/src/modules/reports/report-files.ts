// Every report as a file: the same rows as its JSON answer, laid out once as a table (title in English and Arabic,
// what it covers, columns, rows, a total) and written as CSV, Excel or PDF from that one table.
import { type ReportColumn, renderReportPdf } from '@invoiceflow/pdf';
import ExcelJS from 'exceljs';
import type { AppContext } from '../../context';
import { AppError } from '../../lib/errors';
import { csvDocument, neutraliseCell } from '../../lib/spreadsheet';
import { getCompany } from '../companies/queries';
import * as service from './service';

export const REPORT_KINDS = [
  'vat-return',
  'sales',
  'payments-received',
  'receivables-aging',
  'payables-aging',
] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const FILE_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export interface ReportParams {
  from?: string | undefined;
  to?: string | undefined;
  as_of?: string | undefined;
  group_by?: string | undefined;
}

type Cell = string | number | null;
interface Column extends ReportColumn {
  key: string;
  /** Money: a number cell in Excel, formatted to the currency. */
  isMoney?: boolean;
}
export interface ReportTable {
  name: string;
  title: { en: string; ar: string };
  lines: string[];
  columns: Column[];
  rows: Cell[][];
  total?: Cell[];
}

const money = (key: string, en: string, ar: string, weight = 1): Column => ({
  key,
  label: { en, ar },
  isNumeric: true,
  isMoney: true,
  weight,
});
const count = (key: string, en: string, ar: string): Column => ({
  key,
  label: { en, ar },
  isNumeric: true,
  weight: 0.7,
});
const text = (key: string, en: string, ar: string, weight = 2): Column => ({
  key,
  label: { en, ar },
  weight,
});

function periodOf(params: ReportParams): service.Period {
  if (!params.from || !params.to) {
    throw new AppError('VALIDATION_FAILED', {
      errors: [{ path: 'query.from', code: 'REQUIRED', message: '`from` and `to` are required.' }],
    });
  }
  return { from: params.from, to: params.to };
}

/** The report's JSON answer (what the GET route returns). */
export async function reportData(
  ctx: AppContext,
  companyId: string,
  kind: ReportKind,
  params: ReportParams,
  onProgress?: service.Progress,
) {
  switch (kind) {
    case 'vat-return':
      return service.vatReturn(ctx, companyId, periodOf(params), onProgress);
    case 'sales':
      return service.salesReport(
        ctx,
        companyId,
        { ...periodOf(params), group_by: (params.group_by ?? 'month') as 'month' | 'customer' | 'product' },
        onProgress,
      );
    case 'payments-received':
      return service.paymentsReceived(
        ctx,
        companyId,
        { ...periodOf(params), group_by: (params.group_by ?? 'month') as 'month' | 'method' | 'customer' },
        onProgress,
      );
    case 'receivables-aging':
    case 'payables-aging': {
      const result = await service.agingReport(
        ctx,
        companyId,
        kind === 'receivables-aging' ? 'receivable' : 'payable',
        params.as_of,
      );
      await onProgress?.(1);
      return result;
    }
  }
}

type Data<K extends ReportKind> = K extends 'vat-return'
  ? Awaited<ReturnType<typeof service.vatReturn>>
  : K extends 'sales'
    ? Awaited<ReturnType<typeof service.salesReport>>
    : K extends 'payments-received'
      ? Awaited<ReturnType<typeof service.paymentsReceived>>
      : Awaited<ReturnType<typeof service.agingReport>>;

const GROUP_LABELS: Record<string, { en: string; ar: string }> = {
  month: { en: 'Month', ar: 'الشهر' },
  customer: { en: 'Customer', ar: 'العميل' },
  product: { en: 'Product', ar: 'المنتج' },
  method: { en: 'Method', ar: 'طريقة الدفع' },
};

/** The report laid out as a table, ready to be written in any of the file formats. */
export function reportTable(kind: ReportKind, data: unknown, companyName: string): ReportTable {
  switch (kind) {
    case 'vat-return': {
      const d = data as Data<'vat-return'>;
      return {
        name: `vat-return-${d.from}-${d.to}`,
        title: { en: d.name_en, ar: d.name_ar },
        lines: [companyName, `${d.from} – ${d.to}`, `Currency: ${d.currency}`],
        columns: [
          text('box', 'Box', 'البند', 0.6),
          text('label', 'Description', 'الوصف', 4),
          text('label_ar', 'Description (Arabic)', 'الوصف بالعربية', 3),
          money('amount', 'Amount', 'المبلغ'),
          money('adjustment', 'Adjustment', 'التعديلات'),
          money('vat', 'VAT', 'ضريبة القيمة المضافة'),
        ],
        rows: [
          ...d.boxes.map((b) => [b.box, b.label_en, b.label_ar, b.amount, b.adjustment, b.vat]),
          ['', 'Output VAT', 'ضريبة المخرجات', null, null, d.output_vat],
          ['', 'Input VAT', 'ضريبة المدخلات', null, null, d.input_vat],
        ],
        total: ['', 'Net VAT due', 'صافي الضريبة المستحقة', null, null, d.net_vat_due],
      };
    }
    case 'sales': {
      const d = data as Data<'sales'>;
      const group = GROUP_LABELS[d.group_by] ?? { en: d.group_by, ar: d.group_by };
      return {
        name: `sales-by-${d.group_by}-${d.from}-${d.to}`,
        title: { en: `Sales by ${group.en.toLowerCase()}`, ar: `المبيعات حسب ${group.ar}` },
        lines: [companyName, `${d.from} – ${d.to}`, `Currency: ${d.currency}`],
        columns: [
          text('label', group.en, group.ar, 4),
          count('documents', 'Documents', 'المستندات'),
          money('net', 'Net', 'الصافي'),
          money('vat', 'VAT', 'الضريبة'),
          money('total', 'Total', 'الإجمالي'),
        ],
        rows: d.rows.map((r) => [r.label, r.documents, r.net, r.vat, r.total]),
        total: [
          'Total',
          d.rows.reduce((n, r) => n + r.documents, 0),
          d.total.net,
          d.total.vat,
          d.total.total,
        ],
      };
    }
    case 'payments-received': {
      const d = data as Data<'payments-received'>;
      const group = GROUP_LABELS[d.group_by] ?? { en: d.group_by, ar: d.group_by };
      return {
        name: `payments-received-by-${d.group_by}-${d.from}-${d.to}`,
        title: {
          en: `Payments received by ${group.en.toLowerCase()}`,
          ar: `المدفوعات المستلمة حسب ${group.ar}`,
        },
        lines: [companyName, `${d.from} – ${d.to}`, `Currency: ${d.currency}`],
        columns: [
          text('label', group.en, group.ar, 4),
          count('payments', 'Payments', 'المدفوعات'),
          money('amount', 'Received', 'المستلم'),
          money('refunded', 'Refunded', 'المسترد'),
          money('net', 'Net', 'الصافي'),
        ],
        rows: d.rows.map((r) => [r.label || 'Walk-in', r.payments, r.amount, r.refunded, r.net]),
        total: ['Total', d.total.payments, d.total.amount, d.total.refunded, d.total.net],
      };
    }
    case 'receivables-aging':
    case 'payables-aging': {
      const d = data as Data<'receivables-aging'>;
      const isReceivable = d.side === 'receivable';
      return {
        name: `${kind}-${d.as_of}`,
        title: isReceivable
          ? { en: 'Receivables aging', ar: 'أعمار الذمم المدينة' }
          : { en: 'Payables aging', ar: 'أعمار الذمم الدائنة' },
        lines: [companyName, `As of ${d.as_of}`, `Currency: ${d.currency}`],
        columns: [
          isReceivable ? text('label', 'Customer', 'العميل', 3) : text('label', 'Vendor', 'المورد', 3),
          count('documents', 'Documents', 'المستندات'),
          money('current', 'Current', 'غير مستحق'),
          money('days_1_30', '1–30 days', '١–٣٠ يومًا'),
          money('days_31_60', '31–60 days', '٣١–٦٠ يومًا'),
          money('days_61_90', '61–90 days', '٦١–٩٠ يومًا'),
          money('days_90_plus', 'Over 90 days', 'أكثر من ٩٠ يومًا'),
          money('total', 'Total', 'الإجمالي'),
        ],
        rows: d.rows.map((r) => [
          r.label,
          r.documents,
          r.current,
          r.days_1_30,
          r.days_31_60,
          r.days_61_90,
          r.days_90_plus,
          r.total,
        ]),
        total: [
          'Total',
          d.total.documents,
          d.total.current,
          d.total.days_1_30,
          d.total.days_31_60,
          d.total.days_61_90,
          d.total.days_90_plus,
          d.total.total,
        ],
      };
    }
  }
}

/** A decimal of up to 15 digits is a number Excel keeps exactly; a longer one stays text. */
function excelNumber(value: string): number | string {
  return value.replace(/[-.]/g, '').replace(/^0+/, '').length <= 15 ? Number(value) : value;
}

export const CONTENT_TYPES: Record<FileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

export async function renderTable(table: ReportTable, format: FileFormat, datedAt: string): Promise<Buffer> {
  const plain = (cell: Cell) => (cell === null ? '' : String(cell));
  if (format === 'csv') {
    const header = table.columns.map((c) => c.key);
    return Buffer.from(csvDocument([header, ...table.rows, ...(table.total ? [table.total] : [])]), 'utf8');
  }
  if (format === 'pdf') {
    return renderReportPdf({
      title: table.title,
      lines: table.lines,
      columns: table.columns,
      rows: table.rows.map((row) => row.map(plain)),
      ...(table.total ? { total: table.total.map(plain) } : {}),
      author: table.lines[0] ?? 'InvoiceFlow',
      dated_at: datedAt,
    });
  }
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'InvoiceFlow';
  const sheet = workbook.addWorksheet(table.title.en.slice(0, 31));
  for (const line of [table.title.en, ...table.lines]) sheet.addRow([neutraliseCell(line)]);
  sheet.addRow([]);
  sheet.addRow(table.columns.map((c) => c.label.en)).font = { bold: true };
  for (const [index, row] of [...table.rows, ...(table.total ? [table.total] : [])].entries()) {
    const added = sheet.addRow(
      row.map((cell, i) =>
        cell === null
          ? null
          : table.columns[i]?.isMoney && typeof cell === 'string'
            ? excelNumber(cell)
            : typeof cell === 'string'
              ? neutraliseCell(cell)
              : cell,
      ),
    );
    table.columns.forEach((c, i) => {
      if (c.isMoney) added.getCell(i + 1).numFmt = '#,##0.00####';
    });
    if (table.total && index === table.rows.length) added.font = { bold: true };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The report as a file: read, laid out and written. */
export async function reportFile(
  ctx: AppContext,
  companyId: string,
  kind: ReportKind,
  params: ReportParams,
  format: FileFormat,
  onProgress?: service.Progress,
) {
  const data = await reportData(ctx, companyId, kind, params, onProgress);
  const company = await getCompany(ctx.db, { companyId });
  const table = reportTable(kind, data, company?.legalNameEn ?? '');
  const body = await renderTable(table, format, new Date().toISOString());
  return { name: `${table.name}.${format}`, contentType: CONTENT_TYPES[format], body };
}
