import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contentDisposition } from '../../lib/content-disposition';
import { moneySchema } from '../../lib/decimal-input';
import { problemResponses } from '../../lib/schemas';
import { csvDocument, sendCsv } from '../../lib/spreadsheet';
import * as exports from './exports';
import * as service from './service';

const tags = ['reports'];

const periodQuery = {
  from: z.iso.date().describe('First day of the period (issue dates, expense dates)'),
  to: z.iso.date().describe('Last day of the period'),
  format: z.enum(['json', 'csv']).default('json').describe('csv: the same figures as a spreadsheet file'),
};

const boxSchema = z.object({
  box: z.string().describe('As the form numbers it'),
  side: z.enum(['output', 'input']),
  label_en: z.string(),
  label_ar: z.string(),
  amount: moneySchema.describe('Invoices and debit notes (sales) or purchases of the period, net of VAT'),
  adjustment: moneySchema.describe('Credit notes of the period (negative)'),
  vat: moneySchema.describe('VAT of amount and adjustment together (input: the recoverable VAT)'),
});

const vatReturnSchema = z.object({
  form: z.enum(['zatca-vat-return', 'fta-vat-201', 'vat-by-rate']),
  name_en: z.string(),
  name_ar: z.string(),
  currency: z.string(),
  from: z.string(),
  to: z.string(),
  boxes: z.array(boxSchema),
  output_vat: moneySchema,
  input_vat: moneySchema,
  net_vat_due: moneySchema.describe(
    'Output VAT less recoverable input VAT (negative: a refund), before corrections',
  ),
  outside_the_return: z
    .object({ amount: moneySchema, vat: moneySchema })
    .describe('Out-of-scope supplies and purchases the form has no box for'),
  documents: z.object({
    invoice: z.number().int(),
    debit_note: z.number().int(),
    credit_note: z.number().int(),
    expense: z.number().int(),
    supplier_invoice: z.number().int(),
    not_in_company_currency: z
      .number()
      .int()
      .describe('Issued documents left out: neither in the company currency nor taxed in it'),
  }),
});

const salesSchema = z.object({
  currency: z.string(),
  from: z.string(),
  to: z.string(),
  group_by: z.enum(['month', 'customer', 'product']),
  rows: z.array(
    z.object({
      key: z.string().nullable().describe('YYYY-MM, the customer id or the product id (null: none on file)'),
      label: z.string(),
      documents: z.number().int(),
      net: moneySchema,
      vat: moneySchema.describe('By product: 0 (VAT is a document’s, not a line’s)'),
      total: moneySchema,
    }),
  ),
  total: z.object({ net: moneySchema, vat: moneySchema, total: moneySchema }),
});

export async function reportRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;

  r.get(
    '/api/v1/reports/vat-return',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags,
        summary: 'The VAT return of a period, in the boxes of the company’s country’s form',
        querystring: z.strictObject(periodQuery),
        response: { 200: vatReturnSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { format, ...period } = request.query;
      const result = await service.vatReturn(ctx, request.auth.companyId, period);
      if (format === 'json') return result;
      const csv = csvDocument([
        ['box', 'label', 'amount', 'adjustment', 'vat', 'currency'],
        ...result.boxes.map((b) => [b.box, b.label_en, b.amount, b.adjustment, b.vat, result.currency]),
        ['', 'Output VAT', '', '', result.output_vat, result.currency],
        ['', 'Input VAT', '', '', result.input_vat, result.currency],
        ['', 'Net VAT due', '', '', result.net_vat_due, result.currency],
      ]);
      return sendCsv(reply, `vat-return-${period.from}-${period.to}.csv`, csv);
    },
  );

  r.get(
    '/api/v1/reports/sales',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags,
        summary: 'Sales of a period by month, customer or product, credit notes taken away',
        querystring: z.strictObject({
          ...periodQuery,
          group_by: z.enum(['month', 'customer', 'product']).default('month'),
        }),
        response: { 200: salesSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { format, ...query } = request.query;
      const result = await service.salesReport(ctx, request.auth.companyId, query);
      if (format === 'json') return result;
      const csv = csvDocument([
        [query.group_by, 'label', 'documents', 'net', 'vat', 'total', 'currency'],
        ...result.rows.map((row) => [
          row.key,
          row.label,
          row.documents,
          row.net,
          row.vat,
          row.total,
          result.currency,
        ]),
        ['total', '', '', result.total.net, result.total.vat, result.total.total, result.currency],
      ]);
      return sendCsv(reply, `sales-${query.from}-${query.to}.csv`, csv);
    },
  );

  const exportQuery = z.strictObject({
    from: z.iso.date().describe('First day (issue dates; payment dates for payments)'),
    to: z.iso.date().describe('Last day; at most 366 days after from'),
    format: z.enum(['csv', 'xlsx']).default('csv'),
  });

  for (const [kind, table, summary] of [
    [
      'documents',
      exports.documentsTable,
      'Invoices, credit and debit notes of a period with what is paid and outstanding',
    ],
    [
      'payments',
      exports.paymentsTable,
      'Payments received in a period with what they pay and what was refunded',
    ],
  ] as const) {
    r.get(
      `/api/v1/exports/${kind}`,
      {
        config: { permission: 'reports:read' },
        schema: { tags, summary: `${summary} (CSV or Excel, streamed)`, querystring: exportQuery },
      },
      async (request, reply) => {
        const { format, ...period } = request.query;
        exports.checkPeriod(period);
        const data = table(ctx, request.auth.companyId, period);
        const name = `${kind}-${period.from}-${period.to}.${format}`;
        if (format === 'csv') return sendCsv(reply, name, exports.csvStream(data));
        return reply
          .header('content-disposition', contentDisposition('attachment', name))
          .header('x-content-type-options', 'nosniff')
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .send(exports.xlsxStream(data, request.log));
      },
    );
  }

  r.get(
    '/api/v1/exports/e-invoices',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags,
        summary:
          "A period's e-invoices as a ZIP: xml/ (as issued, or ZATCA's cleared copy), pdf/ and index.csv (streamed)",
        querystring: exportQuery.omit({ format: true }),
      },
    },
    async (request, reply) => {
      exports.checkPeriod(request.query);
      return reply
        .header(
          'content-disposition',
          contentDisposition('attachment', `e-invoices-${request.query.from}-${request.query.to}.zip`),
        )
        .header('x-content-type-options', 'nosniff')
        .type('application/zip')
        .send(exports.einvoiceZip(ctx, request.auth.companyId, request.query, request.log));
    },
  );
}
