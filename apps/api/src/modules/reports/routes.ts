import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contentDisposition } from '../../lib/content-disposition';
import { moneySchema } from '../../lib/decimal-input';
import { AppError } from '../../lib/errors';
import { problemResponses } from '../../lib/schemas';
import { sendCsv } from '../../lib/spreadsheet';
import * as exports from './exports';
import { FILE_FORMATS, type ReportKind, type ReportParams, reportData, reportFile } from './report-files';
import * as runs from './runs';

const tags = ['reports'];

const periodQuery = {
  from: z.iso.date().describe('First day of the period (issue dates, expense dates)'),
  to: z.iso.date().describe('Last day of the period'),
  format: z
    .enum(['json', ...FILE_FORMATS])
    .default('json')
    .describe(
      'csv, xlsx, pdf: the same figures as a file. A period with more issued documents and payments than the ' +
        "deployment's REPORT_JOB_ROWS (50,000) is refused with REPORT_TOO_LARGE: start a background run instead",
    ),
};

const asOfQuery = {
  as_of: z.iso
    .date()
    .optional()
    .describe('The day open documents are aged on (default: the company’s today)'),
  format: periodQuery.format,
};

/** The report as JSON, or as a file written on the request when it is small enough. */
async function answer(
  ctx: FastifyInstance['ctx'],
  reply: FastifyReply,
  companyId: string,
  kind: ReportKind,
  format: 'json' | (typeof FILE_FORMATS)[number],
  params: ReportParams,
) {
  if (format === 'json') return reply.send(await reportData(ctx, companyId, kind, params));
  if (await runs.isLarge(ctx, companyId, kind, params)) throw new AppError('REPORT_TOO_LARGE');
  return sendFile(reply, await reportFile(ctx, companyId, kind, params, format));
}

function sendFile(reply: FastifyReply, file: { name: string; contentType: string; body: Buffer }) {
  return reply
    .header('content-disposition', contentDisposition('attachment', file.name))
    .header('x-content-type-options', 'nosniff')
    .type(file.contentType)
    .send(file.body);
}

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

const paymentsReceivedSchema = z.object({
  currency: z.string(),
  from: z.string(),
  to: z.string(),
  group_by: z.enum(['month', 'method', 'customer']),
  rows: z.array(
    z.object({
      key: z.string().nullable().describe('YYYY-MM, the method or the customer id (null: a walk-in buyer)'),
      label: z.string(),
      payments: z.number().int(),
      amount: moneySchema.describe('Received, by payment date'),
      refunded: moneySchema.describe('Paid back of those payments through the gateway'),
      net: moneySchema,
    }),
  ),
  total: z.object({
    payments: z.number().int(),
    amount: moneySchema,
    refunded: moneySchema,
    net: moneySchema,
  }),
  not_in_company_currency: z.number().int().describe('Completed payments in other currencies, left out'),
});

const bucketsSchema = {
  current: moneySchema.describe('Not yet due'),
  days_1_30: moneySchema,
  days_31_60: moneySchema,
  days_61_90: moneySchema,
  days_90_plus: moneySchema,
  total: moneySchema,
};

const agingSchema = z.object({
  side: z.enum(['receivable', 'payable']),
  currency: z.string(),
  as_of: z.string(),
  rows: z.array(
    z.object({
      key: z.string().nullable().describe('The customer or vendor id (null: none on file)'),
      label: z.string(),
      documents: z.number().int(),
      ...bucketsSchema,
    }),
  ),
  total: z.object({ documents: z.number().int(), ...bucketsSchema }),
  not_in_company_currency: z.number().int().describe('Open documents in other currencies, left out'),
});

const runPeriod = { from: z.iso.date(), to: z.iso.date() };
const runBodySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('vat-return'), format: z.enum(FILE_FORMATS), ...runPeriod }),
  z.strictObject({
    kind: z.literal('sales'),
    format: z.enum(FILE_FORMATS),
    ...runPeriod,
    group_by: z.enum(['month', 'customer', 'product']).default('month'),
  }),
  z.strictObject({
    kind: z.literal('payments-received'),
    format: z.enum(FILE_FORMATS),
    ...runPeriod,
    group_by: z.enum(['month', 'method', 'customer']).default('month'),
  }),
  z.strictObject({
    kind: z.enum(['receivables-aging', 'payables-aging']),
    format: z.enum(FILE_FORMATS),
    as_of: z.iso.date().optional(),
  }),
]);

const runSchema = z.object({
  id: z.string(),
  kind: z.string(),
  format: z.string(),
  params: z.record(z.string(), z.string()),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  progress: z.number().int().describe('Percent done'),
  file_name: z.string().nullable(),
  byte_size: z.number().int().nullable(),
  error: z.string().nullable(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
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
      return answer(ctx, reply, request.auth.companyId, 'vat-return', format, period);
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
      return answer(ctx, reply, request.auth.companyId, 'sales', format, query);
    },
  );

  r.get(
    '/api/v1/reports/payments-received',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags,
        summary: 'Completed payments received in a period by month, method or customer, refunds beside',
        querystring: z.strictObject({
          ...periodQuery,
          group_by: z.enum(['month', 'method', 'customer']).default('month'),
        }),
        response: { 200: paymentsReceivedSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { format, ...query } = request.query;
      return answer(ctx, reply, request.auth.companyId, 'payments-received', format, query);
    },
  );

  for (const [kind, summary] of [
    ['receivables-aging', 'What customers owe on a day, by customer and days past due'],
    [
      'payables-aging',
      'What the company owes its vendors on a day (approved bills), by vendor and days past due',
    ],
  ] as const) {
    r.get(
      `/api/v1/reports/${kind}`,
      {
        config: { permission: 'reports:read' },
        schema: {
          tags,
          summary,
          querystring: z.strictObject(asOfQuery),
          response: { 200: agingSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const { format, ...query } = request.query;
        return answer(ctx, reply, request.auth.companyId, kind, format, query);
      },
    );
  }

  r.post(
    '/api/v1/reports/runs',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags,
        summary: 'Start writing a report as a file in the background; poll the run for its progress',
        body: runBodySchema,
        response: { 202: runSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { kind, format, ...params } = request.body;
      if ('from' in params && params.from > params.to) {
        throw new AppError('VALIDATION_FAILED', {
          errors: [{ path: 'body.from', code: 'RANGE_INVALID', message: '`from` is after `to`.' }],
        });
      }
      const run = await runs.startRun(ctx, request.auth.companyId, request.auth.userId, {
        kind,
        format,
        params,
      });
      return reply.status(202).send(run);
    },
  );

  r.get(
    '/api/v1/reports/runs',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags,
        summary: 'The company’s report runs of the last day, newest first',
        response: { 200: z.object({ runs: z.array(runSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ runs: await runs.listRuns(ctx, request.auth.companyId) }),
  );

  r.get(
    '/api/v1/reports/runs/:id',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags,
        summary: 'A report run: its status and progress (percent)',
        params: z.strictObject({ id: z.uuid() }),
        response: { 200: runSchema, ...problemResponses },
      },
    },
    async (request) => runs.runStatus(ctx, request.auth.companyId, request.params.id),
  );

  r.get(
    '/api/v1/reports/runs/:id/file',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags,
        summary: 'The file a finished report run wrote (409 REPORT_RUN_NOT_READY before)',
        params: z.strictObject({ id: z.uuid() }),
      },
    },
    async (request, reply) =>
      sendFile(reply, await runs.runFile(ctx, request.auth.companyId, request.params.id)),
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
