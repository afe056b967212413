import { type Db, schema } from '@invoiceflow/db';
import { and, eq, inArray } from '@invoiceflow/db/orm';
import { profileFor, ZATCA_COUNTRY } from '@invoiceflow/jurisdictions';
import { computeTotals } from '@invoiceflow/totals';
import type { FieldError } from '../../lib/errors';
import { getCompany } from '../companies/queries';
import { engineErrors, readDocument } from '../invoices/document-input';
import { issueBodySchema } from '../invoices/schemas';
import { isSeriesLookalike, issueRecord } from '../invoices/service';
import {
  appErrorIssues,
  checkCellTexts,
  type ImportAdapter,
  ImportRowsError,
  type RowIssue,
  zodRowErrors,
} from './adapter';

/** The invoice's own columns, given on its first row (later rows may repeat them or leave them empty). */
const HEAD_FIELDS = [
  'issue_date',
  'due_date',
  'currency',
  'customer_name',
  'customer_name_ar',
  'customer_vat_number',
  'customer_street',
  'customer_building_number',
  'customer_additional_number',
  'customer_district',
  'customer_city',
  'customer_postal_code',
  'customer_country',
  'notes',
  'status',
] as const;
const LINE_FIELDS = [
  'description',
  'quantity',
  'unit_price',
  'vat_category',
  'vat_rate',
  'unit_code',
] as const;
const ADDRESS_PARTS = [
  'street',
  'building_number',
  'additional_number',
  'district',
  'city',
  'postal_code',
] as const;

interface Group {
  number: string;
  head: Record<string, string>;
  firstRow: number;
  rows: number[];
  lines: Record<string, string>[];
}

/** An issue's request path as our column, and the file row it belongs to (a line's row, or the invoice's first). */
function locate(group: Group, path: string): { row: number; field: string } {
  const line = /^(?:lines|line_items)\.(\d+)(?:\.(\w+))?/.exec(path);
  if (line) {
    const index = Number.parseInt(line[1] ?? '0', 10);
    return { row: group.rows[index] ?? group.firstRow, field: line[2] ?? 'description' };
  }
  if (path.startsWith('customer_address.'))
    return { row: group.firstRow, field: `customer_${path.split('.')[1]}` };
  if (path === 'customer_address') return { row: group.firstRow, field: 'customer_country' };
  if (path === 'invoice_date') return { row: group.firstRow, field: 'issue_date' };
  if (path.startsWith('customer_id.'))
    return { row: group.firstRow, field: `customer_${path.split('.')[1]}` };
  return { row: group.firstRow, field: path.split('.')[0] ?? path };
}

function issueBody(group: Group, homeCountry: string) {
  const { head } = group;
  const address: Record<string, string> = { country: (head.customer_country ?? homeCountry).toUpperCase() };
  for (const part of ADDRESS_PARTS) {
    const value = head[`customer_${part}`];
    if (value !== undefined) address[part] = value;
  }
  return {
    ...(head.issue_date ? { issue_date: head.issue_date } : {}),
    ...(head.due_date ? { due_date: head.due_date } : {}),
    ...(head.currency ? { currency: head.currency.toUpperCase() } : {}),
    ...(head.customer_name ? { customer_name: head.customer_name } : {}),
    ...(head.customer_name_ar ? { customer_name_ar: head.customer_name_ar } : {}),
    ...(head.customer_vat_number ? { customer_vat_number: head.customer_vat_number } : {}),
    customer_address: address,
    ...(head.notes ? { notes: head.notes } : {}),
    lines: group.lines.map((line) => ({
      ...line,
      ...(line.vat_category ? { vat_category: line.vat_category.toUpperCase() } : {}),
      ...(line.unit_code ? { unit_code: line.unit_code.toUpperCase() } : {}),
    })),
  };
}

/** Which of these numbers the company's invoices already have. */
async function takenNumbers(db: Db, companyId: string, numbers: string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  for (let i = 0; i < numbers.length; i += 1000) {
    const rows = await db
      .select({ number: schema.invoices.number })
      .from(schema.invoices)
      .where(
        and(
          eq(schema.invoices.companyId, companyId),
          inArray(schema.invoices.number, numbers.slice(i, i + 1000)),
        ),
      );
    for (const row of rows) taken.add(row.number);
  }
  return taken;
}

/**
 * Invoices, one row per line, grouped by `invoice_number`. `history`: invoices issued elsewhere, stored under
 * their own numbers (which must not collide with ours or read as our series), issued or paid, with no e-invoice
 * of ours. `issue`: each group is issued now through the one pipeline (numbered, signed, chained); the file's
 * number only groups the lines.
 */
export const invoicesAdapter: ImportAdapter = {
  type: 'invoices',
  fields: [
    {
      name: 'invoice_number',
      aliases: ['number', 'invoice_no', 'invoice_id', 'document_number', 'invoice'],
      isRequired: true,
      example: 'OLD-1001',
    },
    { name: 'issue_date', aliases: ['invoice_date', 'date', 'issued_on'], example: '2026-01-15' },
    { name: 'due_date', aliases: ['due', 'due_on', 'payment_due'], example: '2026-02-14' },
    { name: 'currency', aliases: ['currency_code'], example: 'SAR' },
    {
      name: 'customer_name',
      aliases: ['customer', 'client_name', 'buyer_name', 'name'],
      isRequired: true,
      example: 'Advanced Trading Co.',
    },
    { name: 'customer_name_ar', aliases: ['customer_arabic_name'], example: '' },
    {
      name: 'customer_vat_number',
      aliases: ['customer_vat', 'customer_trn', 'buyer_vat', 'vat_number', 'trn'],
      example: '311111111111113',
    },
    {
      name: 'customer_street',
      aliases: ['customer_address', 'street', 'address'],
      example: 'King Fahd Road',
    },
    { name: 'customer_building_number', aliases: ['building_number'], example: '1234' },
    { name: 'customer_additional_number', aliases: ['additional_number'], example: '' },
    { name: 'customer_district', aliases: ['district'], example: 'Al Olaya' },
    { name: 'customer_city', aliases: ['city'], example: 'Riyadh' },
    { name: 'customer_postal_code', aliases: ['postal_code', 'zip'], example: '12345' },
    { name: 'customer_country', aliases: ['country', 'country_code'], example: ZATCA_COUNTRY },
    {
      name: 'description',
      aliases: ['item', 'item_name', 'product', 'line_description', 'service'],
      isRequired: true,
      example: 'Consulting',
    },
    { name: 'quantity', aliases: ['qty', 'units', 'hours'], isRequired: true, example: '2' },
    { name: 'unit_price', aliases: ['price', 'rate', 'unit_cost'], isRequired: true, example: '250.00' },
    { name: 'vat_category', aliases: ['tax_category', 'vat_code'], example: 'S' },
    { name: 'vat_rate', aliases: ['tax_percent', 'tax_rate', 'vat_percent', 'vat'], example: '15' },
    { name: 'unit_code', aliases: ['unit', 'uom'], example: 'HUR' },
    { name: 'notes', aliases: ['note', 'memo', 'remarks'], example: '' },
    { name: 'status', aliases: ['payment_status', 'state'], example: 'paid' },
  ],

  async begin(ctx, db, { companyId, actor, mode, write, afterCommit }) {
    const company = await getCompany(db, { companyId });
    const homeCountry = company?.country ?? '';
    const jurisdiction = profileFor(homeCountry).rules;
    const isHistory = mode === 'history';
    const groups = new Map<string, Group>();
    let made = 0;
    return {
      accept(values, row) {
        const textIssues = checkCellTexts(values);
        if (textIssues.length > 0) return textIssues;
        const number = values.invoice_number;
        if (!number)
          return [{ path: 'invoice_number', code: 'REQUIRED', message: 'Required: it groups the lines.' }];
        let group = groups.get(number);
        const issues: FieldError[] = [];
        if (!group) {
          group = { number, head: {}, firstRow: row, rows: [], lines: [] };
          groups.set(number, group);
        }
        for (const field of HEAD_FIELDS) {
          const value = values[field];
          if (value === undefined) continue;
          const first = group.head[field];
          if (first === undefined) group.head[field] = value;
          else if (first !== value) {
            issues.push({
              path: field,
              code: 'INVOICE_FIELDS_DIFFER',
              message: `Row ${group.firstRow} of this invoice says "${first}".`,
            });
          }
        }
        if (group.lines.length >= 1000) {
          issues.push({
            path: 'invoice_number',
            code: 'TOO_MANY_LINES',
            message: 'An invoice holds at most 1000 lines.',
          });
        }
        if (issues.length > 0) return issues;
        const line: Record<string, string> = {};
        for (const field of LINE_FIELDS) if (values[field] !== undefined) line[field] = values[field];
        group.lines.push(line);
        group.rows.push(row);
        return [];
      },

      finish() {
        const issues: RowIssue[] = [];
        const add = (group: Group, errors: FieldError[]) => {
          for (const error of errors)
            issues.push({ ...locate(group, error.path), code: error.code, message: error.message });
        };
        for (const group of groups.values()) {
          const body = issueBody(group, homeCountry);
          const status = group.head.status?.toLowerCase();
          if (isHistory && status !== undefined && status !== 'issued' && status !== 'paid') {
            add(group, [{ path: 'status', code: 'INVALID_STATUS', message: 'issued or paid.' }]);
          }
          if (isHistory && !group.head.issue_date) {
            add(group, [
              { path: 'issue_date', code: 'REQUIRED', message: 'An invoice issued elsewhere has its date.' },
            ]);
          }
          if (isHistory && isSeriesLookalike(group.number)) {
            add(group, [
              {
                path: 'invoice_number',
                code: 'INVOICE_NUMBER_RESERVED',
                message: 'Numbers like INV-2026-000001 belong to our own series.',
              },
            ]);
          }
          const parsed = issueBodySchema.safeParse(
            isHistory ? { ...body, invoice_number: group.number } : body,
          );
          if (!parsed.success) {
            add(
              group,
              zodRowErrors(parsed.error, (path) => path),
            );
            continue;
          }
          const read = readDocument(body as Record<string, unknown>, jurisdiction);
          read.input.currency = body.currency ?? company?.currency;
          add(group, engineErrors(computeTotals(read.input), read));
        }
        return issues;
      },

      async flush(tx, isLast) {
        if (!write || !isLast) return;
        if (isHistory) {
          const taken = await takenNumbers(tx, companyId, [...groups.keys()]);
          const clashes: RowIssue[] = [];
          for (const number of taken) {
            const group = groups.get(number) as Group;
            clashes.push({
              row: group.firstRow,
              field: 'invoice_number',
              code: 'INVOICE_NUMBER_TAKEN',
              message: 'Already used by another invoice.',
            });
          }
          if (clashes.length > 0) throw new ImportRowsError(clashes);
        }
        const refused: RowIssue[] = [];
        for (const group of groups.values()) {
          const body = issueBodySchema.parse(
            isHistory
              ? { ...issueBody(group, homeCountry), invoice_number: group.number }
              : issueBody(group, homeCountry),
          );
          try {
            // A savepoint per invoice: a refused one is reported with the others, and the whole import rolls back.
            // The company as read in this transaction at the start (an import's transaction changes no company).
            await tx.transaction((sp) =>
              issueRecord(ctx, sp, companyId, actor, body, afterCommit, undefined, {
                ...(company ? { company } : {}),
                ...(isHistory ? { history: { isPaid: group.head.status?.toLowerCase() === 'paid' } } : {}),
              }),
            );
            made++;
          } catch (error) {
            for (const issue of appErrorIssues(error, (path) => path)) {
              refused.push({ ...locate(group, issue.path), code: issue.code, message: issue.message });
            }
            if (refused.length >= 1000) break;
          }
        }
        if (refused.length > 0) throw new ImportRowsError(refused);
      },
      counts: () => ({ invoices: made }),
    };
  },
};
