import { currencyDigits, roundMoney, subtractMoney, sumMoney } from '@invoiceflow/totals';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { moneySchema } from '../../lib/decimal-input';
import { AppError } from '../../lib/errors';
import { problemResponses } from '../../lib/schemas';
import { getCompany } from '../companies/queries';
import { companyDate } from '../payments/company-date';
import { AGING_BUCKETS, agingRows } from '../reports/aging';
import * as q from './queries';

const countAndAmount = z.object({ count: z.number().int(), amount: moneySchema });

const dashboardSchema = z.object({
  currency: z.string().describe('Figures cover documents and payments in the company currency'),
  from: z.string(),
  to: z.string(),
  as_of: z.string().describe('Receivables are as of this day (the company’s today)'),
  revenue_received: moneySchema.describe('Completed payments allocated to invoices, by payment date'),
  revenue_by_month: z
    .array(z.object({ month: z.string().describe('YYYY-MM'), received: moneySchema }))
    .describe('revenue_received per month of payment (months without payments are left out)'),
  outstanding: countAndAmount,
  overdue: countAndAmount,
  aging: z.object({
    current: countAndAmount.describe('Not yet due'),
    days_0_30: countAndAmount.describe('1 to 30 days past due'),
    days_31_60: countAndAmount,
    days_61_90: countAndAmount,
    days_90_plus: countAndAmount,
  }),
  vat_by_month: z.array(
    z.object({
      month: z.string(),
      vat_invoiced: moneySchema,
      vat_credited: moneySchema,
      vat_due: moneySchema.describe('Invoiced minus credited: output VAT for the month'),
      vat_recoverable: moneySchema.describe(
        'Recoverable input VAT of the month’s booked and paid expenses, in the company currency',
      ),
      vat_payable: moneySchema.describe('Output VAT less recoverable input VAT (negative: a refund)'),
    }),
  ),
  top_customers: z.array(
    z.object({
      customer_id: z.string().nullable(),
      name: z.string(),
      received: moneySchema,
      invoice_count: z.number().int(),
    }),
  ),
});

export async function dashboardRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;

  r.get(
    '/api/v1/dashboard',
    {
      config: { permission: 'payments:read' },
      schema: {
        tags: ['dashboard'],
        summary: 'Revenue received, outstanding, overdue, aging, VAT per month and top customers',
        querystring: z.strictObject({
          from: z.iso.date().optional().describe('Default: 1 January of this year'),
          to: z.iso.date().optional().describe('Default: today'),
        }),
        response: { 200: dashboardSchema, ...problemResponses },
      },
    },
    async (request) => {
      const companyId = request.auth.companyId;
      const company = await getCompany(ctx.db, { companyId });
      if (!company) throw new AppError('COMPANY_NOT_FOUND');
      const today = companyDate(company.timeZone);
      const from = request.query.from ?? `${today.slice(0, 4)}-01-01`;
      const to = request.query.to ?? today;
      if (from > to) {
        throw new AppError('VALIDATION_FAILED', {
          errors: [{ path: 'query.from', code: 'RANGE_INVALID', message: '`from` is after `to`.' }],
        });
      }
      const currency = company.currency;
      const scope = { companyId, currency, from, to, today };
      const [revenue, [open], vat, top] = await Promise.all([
        q.revenueByMonth(ctx.db, scope),
        agingRows(ctx.db, { companyId, side: 'receivable', asOf: today, currency }, 'currency'),
        q.vatByMonth(ctx.db, { ...scope, digits: currencyDigits(currency) }),
        q.topCustomers(ctx.db, scope, 10),
      ]);
      const money = (value: string) => roundMoney(value, currency);
      const pair = (count: number, amount: string) => ({ count: Number(count), amount: money(amount) });
      const sumOf = (buckets: readonly (typeof AGING_BUCKETS)[number][]) =>
        sumMoney(
          buckets.map((b) => open?.amounts[b] ?? '0'),
          currency,
        );
      const bucket = (b: (typeof AGING_BUCKETS)[number]) =>
        pair(open?.counts[b] ?? 0, open?.amounts[b] ?? '0');
      return {
        currency,
        from,
        to,
        as_of: today,
        revenue_received: sumMoney(
          revenue.map((row) => row.received),
          currency,
        ),
        revenue_by_month: revenue.map((row) => ({ month: row.month, received: money(row.received) })),
        outstanding: pair(open?.documents ?? 0, sumOf(AGING_BUCKETS)),
        overdue: pair(
          AGING_BUCKETS.slice(1).reduce((n, b) => n + (open?.counts[b] ?? 0), 0),
          sumOf(AGING_BUCKETS.slice(1)),
        ),
        aging: {
          current: bucket('current'),
          days_0_30: bucket('days_1_30'),
          days_31_60: bucket('days_31_60'),
          days_61_90: bucket('days_61_90'),
          days_90_plus: bucket('days_90_plus'),
        },
        vat_by_month: vat.map((row) => ({
          month: row.month,
          vat_invoiced: money(row.invoiced),
          vat_credited: money(row.credited),
          vat_due: subtractMoney(row.invoiced, row.credited, currency),
          vat_recoverable: money(row.recoverable),
          vat_payable: subtractMoney(
            subtractMoney(row.invoiced, row.credited, currency),
            row.recoverable,
            currency,
          ),
        })),
        top_customers: top.map((row) => ({
          customer_id: row.customer_id,
          name: row.name,
          received: money(row.received),
          invoice_count: Number(row.invoice_count),
        })),
      };
    },
  );
}
