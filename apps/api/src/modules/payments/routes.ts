import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { type Actor, actorOf } from '../../lib/actor';
import { AppError } from '../../lib/errors';
import { offsetOf } from '../../lib/pagination';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';
import * as q from './queries';
import * as s from './schemas';
import * as service from './service';

type PaymentChange<Input> = (
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  paymentId: string,
  input: Input,
) => Promise<service.PaymentWithAllocations>;

/** Payments, allocations, the per-invoice payment actions of seed 003, reminder settings (the jobs are `reminderJobs`). */
export async function paymentRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['payments'];

  /** A change to the payment the path names, answered as the payment it leaves. */
  const presentChange = async <Input>(
    request: { id: string; auth: { companyId: string; userId: string }; params: { id: string } },
    change: PaymentChange<Input>,
    input: Input,
  ) =>
    service.presentPayment(
      await change(ctx, request.auth.companyId, actorOf(request), request.params.id, input),
    );

  r.get(
    '/api/v1/payments/:id',
    {
      config: { permission: 'payments:read' },
      schema: {
        tags,
        summary: 'One payment with its allocations',
        params: uuidParamSchema,
        response: { 200: s.paymentSchema, ...problemResponses },
      },
    },
    async (request) => {
      const companyId = request.auth.companyId;
      const row = await q.getPayment(ctx.db, { companyId, id: request.params.id });
      if (!row) throw new AppError('PAYMENT_NOT_FOUND');
      const [payment] = await service.withAllocations(ctx.db, companyId, [row]);
      return service.presentPayment(payment as service.PaymentWithAllocations);
    },
  );

  r.patch(
    '/api/v1/payments/:id',
    {
      config: { permission: 'payments:write' },
      schema: {
        tags,
        summary:
          'Change status (pending → completed, failed or cancelled; completed → reversed), reference or notes',
        params: uuidParamSchema,
        body: s.paymentUpdateSchema,
        response: { 200: s.paymentSchema, ...problemResponses },
      },
    },
    async (request) => presentChange(request, service.updatePayment, request.body),
  );

  r.post(
    '/api/v1/payments/:id/allocations',
    {
      config: { permission: 'payments:write' },
      schema: {
        tags,
        summary:
          'Allocate a payment across invoices (never beyond what remains of it or is outstanding on them)',
        params: uuidParamSchema,
        body: s.allocateBodySchema,
        response: { 200: s.paymentSchema, ...problemResponses },
      },
    },
    async (request) => presentChange(request, service.allocatePayment, request.body.allocations),
  );

  r.delete(
    '/api/v1/payments/:id/allocations/:allocationId',
    {
      config: { permission: 'payments:write' },
      schema: {
        tags,
        summary: 'Remove one allocation; its amount returns to the payment as customer credit',
        params: s.allocationIdParamsSchema,
        response: { 200: s.paymentSchema, ...problemResponses },
      },
    },
    async (request) => presentChange(request, service.removeAllocation, request.params.allocationId),
  );

  const invoiceTags = ['payments', 'invoices'];
  // The same routes under /api/v1/zzp as well, the paths a freelancer's bookkeeping client calls; one
  // handler each, documented once.
  for (const base of ['/api/v1', '/api/v1/zzp']) {
    const hide = base !== '/api/v1';

    r.get(
      `${base}/payments`,
      {
        config: { permission: 'payments:read' },
        schema: {
          tags,
          hide,
          summary: 'List payments (filters: customer, status, payment date range, customer credit)',
          querystring: s.paymentListQuerySchema,
          response: { 200: s.paymentListSchema, ...problemResponses },
        },
      },
      async (request) => {
        const query = request.query;
        const companyId = request.auth.companyId;
        const { rows, total } = await q.listPayments(ctx.db, {
          companyId,
          customerId: query.customer_id,
          status: query.status,
          fromDate: query.from_date,
          toDate: query.to_date,
          hasCredit: query.has_credit,
          limit: query.page_size,
          offset: offsetOf(query),
        });
        const payments = await service.withAllocations(ctx.db, companyId, rows);
        return {
          total,
          page: query.page,
          page_size: query.page_size,
          payments: payments.map(service.presentPayment),
        };
      },
    );

    r.post(
      `${base}/payments`,
      {
        config: { permission: 'payments:write' },
        schema: {
          tags,
          hide,
          summary:
            'Record a payment, optionally allocated at once; what is not allocated stays as customer credit',
          body: s.paymentCreateSchema,
          response: { 201: s.paymentSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const payment = await service.createPayment(
          ctx,
          request.auth.companyId,
          actorOf(request),
          request.body,
        );
        return reply.code(201).send(service.presentPayment(payment));
      },
    );

    r.post(
      `${base}/invoices/:id/mark-paid`,
      {
        config: { permission: 'payments:write' },
        schema: {
          tags: invoiceTags,
          hide,
          summary: 'Record a payment for everything outstanding and allocate it to the invoice',
          params: uuidParamSchema,
          body: s.markPaidBodySchema.optional(),
          response: { 200: s.paymentOutcomeSchema, ...problemResponses },
        },
      },
      async (request) =>
        service.markInvoicePaid(
          ctx,
          request.auth.companyId,
          actorOf(request),
          request.params.id,
          request.body ?? s.markPaidBodySchema.parse({}),
        ),
    );

    r.post(
      `${base}/invoices/:id/partial-payment`,
      {
        config: { permission: 'payments:write' },
        schema: {
          tags: invoiceTags,
          hide,
          summary: 'Record a payment of part of what is outstanding on the invoice',
          params: uuidParamSchema,
          body: s.partialPaymentBodySchema,
          response: { 200: s.paymentOutcomeSchema, ...problemResponses },
        },
      },
      async (request) =>
        service.recordPartialPayment(
          ctx,
          request.auth.companyId,
          actorOf(request),
          request.params.id,
          request.body,
        ),
    );

    r.post(
      `${base}/invoices/:id/mark-unpaid`,
      {
        config: { permission: 'payments:write' },
        schema: {
          tags: invoiceTags,
          hide,
          summary: 'Remove every allocation to the invoice; the payments stay, as customer credit',
          params: uuidParamSchema,
          response: {
            200: s.invoicePaymentSummarySchema.extend({ released_payments: z.array(s.paymentSchema) }),
            ...problemResponses,
          },
        },
      },
      async (request) =>
        service.markInvoiceUnpaid(ctx, request.auth.companyId, actorOf(request), request.params.id),
    );

    r.get(
      `${base}/invoices/:id/payments`,
      {
        config: { permission: 'payments:read' },
        schema: {
          tags: invoiceTags,
          hide,
          summary: 'Payment summary: total, paid, outstanding, is_fully_paid, payments with allocations',
          params: uuidParamSchema,
          response: { 200: s.invoicePaymentSummarySchema, ...problemResponses },
        },
      },
      async (request) => service.invoicePaymentSummary(ctx.db, request.auth.companyId, request.params.id),
    );
  }

  r.get(
    '/api/v1/settings/reminders',
    {
      config: { permission: 'payments:read' },
      schema: {
        tags,
        summary: 'Payment reminder settings (days relative to the due date)',
        response: { 200: s.reminderSettingsSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.presentReminderSettings(
        await q.getReminderSettings(ctx.db, { companyId: request.auth.companyId }),
      ),
  );

  r.put(
    '/api/v1/settings/reminders',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags,
        summary: 'Change the reminder days, turn reminders or overdue notices on or off',
        body: s.reminderSettingsBodySchema,
        response: { 200: s.reminderSettingsSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.saveReminderSettings(ctx, request.auth.companyId, actorOf(request), request.body),
  );
}
