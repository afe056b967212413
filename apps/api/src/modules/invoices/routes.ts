import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { AppError } from '../../lib/errors';
import { offsetOf } from '../../lib/pagination';
import { uuidParamSchema } from '../../lib/schemas';
import { idempotencyKeyOf } from '../idempotency/service';
import { payLinkForPdf } from '../online-payments/service';
import { invoicePdfBase64 } from '../pdf/service';
import { createDraftInvoice, issueDraftInvoice, updateDraftInvoice } from './draft-invoices';
import { describeIssueProblem } from './issue-messages';
import { presentInvoice, presentListItem } from './presenter';
import * as q from './queries';
import * as s from './schemas';
import { foldSearchText } from './search-text';
import * as service from './service';
import { approveInvoice, finalizeInvoice } from './steps';
import { readTimeline } from './timeline';

/** An idempotent write's answer: the first answer again on a retry, which says it is one. */
function sendOutcome(reply: FastifyReply, outcome: { statusCode: number; body: unknown; isReplay: boolean }) {
  if (outcome.isReplay) reply.header('idempotent-replayed', 'true');
  return reply.code(outcome.statusCode).send(outcome.body as z.infer<typeof s.invoiceSchema>);
}

const problem = s.invoiceProblemSchema;
const problems = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem };

export async function invoiceRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['invoices'];

  // Per company, after authentication: a till or a bulk run issues many a minute.
  const issueRateLimit = {
    max: ctx.config.ISSUE_RATE_LIMIT_PER_MINUTE,
    timeWindow: '1 minute',
    hook: 'preHandler',
    keyGenerator: (request: FastifyRequest) => `issue:${request.auth.companyId}`,
  } as const;
  const idempotencyHeaders = z.looseObject({ 'idempotency-key': z.string().optional() });

  r.post(
    '/api/v1/invoices/generate',
    {
      config: {
        permission: 'invoices:write',
        rateLimit: issueRateLimit,
        describeProblem: describeIssueProblem,
      },
      schema: {
        tags,
        summary: 'Issue an invoice, credit note or debit note (or a saved draft)',
        description:
          'Send an `Idempotency-Key` header to make retries safe: a retry gets the first answer; the same key with ' +
          'another body is refused (422 IDEMPOTENCY_KEY_REUSED). Validation problems answer 422 INVOICE_INVALID with ' +
          'field paths.',
        headers: idempotencyHeaders,
        body: s.issueBodySchema,
        response: { 201: s.invoiceSchema, 429: problem, ...problems },
      },
    },
    async (request, reply) => {
      const outcome = await service.issueInvoice(
        ctx,
        request.auth.companyId,
        actorOf(request),
        request.body,
        {
          idempotencyKey: idempotencyKeyOf(request.headers['idempotency-key']),
          log: request.log,
        },
      );
      return sendOutcome(reply, outcome);
    },
  );

  r.post(
    '/api/v1/invoices',
    {
      config: { permission: 'invoices:write', describeProblem: describeIssueProblem },
      schema: {
        tags,
        summary: 'Create a draft invoice (the generate body; lines may be incomplete)',
        description:
          'The draft has a provisional number (DRAFT-…), no ZATCA document and no PDF; it is edited with PUT or ' +
          'PATCH, deleted with DELETE and issued with POST /invoices/{id}/issue. Drafts are listed with ' +
          'status=draft only. A customer_id or product_id that does not exist answers 422 INVOICE_INVALID.',
        headers: idempotencyHeaders,
        body: s.draftInvoiceBodySchema,
        response: { 201: s.invoiceSchema, ...problems },
      },
    },
    async (request, reply) => {
      const outcome = await createDraftInvoice(ctx, request.auth.companyId, actorOf(request), request.body, {
        idempotencyKey: idempotencyKeyOf(request.headers['idempotency-key']),
      });
      return sendOutcome(reply, outcome);
    },
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    r.route({
      method,
      url: '/api/v1/invoices/:id',
      config: { permission: 'invoices:write', describeProblem: describeIssueProblem },
      schema: {
        tags,
        summary:
          method === 'PUT'
            ? 'Replace a draft invoice (the whole body); 409 INVOICE_ISSUED once issued'
            : 'Change fields of a draft invoice (the others stay); 409 INVOICE_ISSUED once issued',
        params: uuidParamSchema,
        body: method === 'PUT' ? s.draftInvoiceBodySchema : s.draftInvoicePatchSchema,
        response: { 200: s.invoiceSchema, ...problems },
      },
      handler: async (request) =>
        updateDraftInvoice(
          ctx,
          request.auth.companyId,
          actorOf(request),
          request.params.id,
          request.body,
          method === 'PUT' ? 'replace' : 'merge',
        ) as Promise<z.infer<typeof s.invoiceSchema>>,
    });
  }

  r.post(
    '/api/v1/invoices/:id/issue',
    {
      config: {
        permission: 'invoices:write',
        rateLimit: issueRateLimit,
        describeProblem: describeIssueProblem,
      },
      schema: {
        tags,
        summary: 'Issue a draft invoice: number, ZATCA document, PDF (as generate does)',
        description:
          'The Idempotency-Key rules of generate apply. Every rule is checked now (422 INVOICE_INVALID with paths, ' +
          'nothing held or numbered); an issued invoice answers 409 INVOICE_ISSUED.',
        headers: idempotencyHeaders,
        params: uuidParamSchema,
        response: { 200: s.invoiceSchema, 429: problem, ...problems },
      },
    },
    async (request, reply) => {
      const outcome = await issueDraftInvoice(
        ctx,
        request.auth.companyId,
        actorOf(request),
        request.params.id,
        {
          idempotencyKey: idempotencyKeyOf(request.headers['idempotency-key']),
          log: request.log,
        },
      );
      return sendOutcome(reply, outcome);
    },
  );

  r.get(
    '/api/v1/invoices',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'History: filters, sort and pages (seed InvoiceSearchResponse)',
        querystring: s.invoiceListQuerySchema,
        response: { 200: s.invoiceListSchema, ...problems },
      },
    },
    async (request) => list(request.auth.companyId, request.query),
  );

  r.get(
    '/api/v1/invoices/search',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'Search by number, customer name (Arabic or Latin) or VAT number; partial matches',
        querystring: s.invoiceSearchQuerySchema,
        response: { 200: s.invoiceListSchema, ...problems },
      },
    },
    async (request) => list(request.auth.companyId, request.query, foldSearchText(request.query.q)),
  );

  async function list(companyId: string, query: z.infer<typeof s.invoiceListQuerySchema>, text?: string) {
    const { rows, total, isTotalExact } = await q.listInvoices(ctx.db, {
      companyId,
      status: query.status,
      type: query.type,
      customerId: query.customer_id,
      dateFrom: query.date_from,
      dateTo: query.date_to,
      amountMin: query.amount_min,
      amountMax: query.amount_max,
      text,
      sort: query.sort,
      order: query.order,
      limit: query.page_size,
      offset: offsetOf(query),
    });
    return {
      total,
      total_is_exact: isTotalExact,
      page: query.page,
      page_size: query.page_size,
      invoices: rows.map(presentListItem),
    };
  }

  r.get(
    '/api/v1/invoices/:id/timeline',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary:
          'The invoice’s events, oldest first: issued, sent, paid, credited, reported, transmitted, delivered…',
        params: uuidParamSchema,
        response: { 200: s.invoiceTimelineSchema, ...problems },
      },
    },
    async (request) => readTimeline(ctx, request.auth.companyId, request.params.id),
  );

  r.get(
    '/api/v1/invoices/:id',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'One invoice: the issued snapshot and its current status',
        params: uuidParamSchema,
        querystring: s.invoiceReadQuerySchema,
        response: { 200: s.invoiceSchema, ...problems },
      },
    },
    async (request) => {
      const { companyId } = request.auth;
      const row = await q.getInvoice(ctx.db, { companyId, id: request.params.id });
      if (!row) throw new AppError('INVOICE_NOT_FOUND');
      const invoice = presentInvoice(row);
      if (request.query.include === 'pdf') {
        invoice.pdf_base64 = await invoicePdfBase64(
          ctx.db,
          request.log,
          { companyId, invoiceId: row.id, files: ctx.config },
          payLinkForPdf(ctx),
        );
      }
      return invoice;
    },
  );

  r.post(
    '/api/v1/invoices/:id/finalize',
    {
      config: { permission: 'invoices:write', rateLimit: issueRateLimit },
      schema: {
        tags,
        summary:
          'Finalize a draft where invoices are approved before they are sent (UAE): number, XML, seal, PDF',
        description:
          'The issuing pipeline of /issue: every rule is checked now (422 INVOICE_INVALID with paths); the ' +
          'finalized invoice is immutable. Finalizing a finalized, approved or sent invoice answers it as it is. ' +
          'Elsewhere 409 LIFECYCLE_STEP_NOT_AVAILABLE. The Idempotency-Key rules of generate apply.',
        headers: idempotencyHeaders,
        params: uuidParamSchema,
        response: { 200: s.invoiceSchema, 429: problem, ...problems },
      },
    },
    async (request, reply) => {
      const outcome = await finalizeInvoice(
        ctx,
        request.auth.companyId,
        actorOf(request),
        request.params.id,
        {
          idempotencyKey: idempotencyKeyOf(request.headers['idempotency-key']),
          log: request.log,
        },
      );
      return sendOutcome(reply, outcome);
    },
  );

  r.post(
    '/api/v1/invoices/:id/approve',
    {
      config: { permission: 'invoices:write' },
      schema: {
        tags,
        summary: 'Approve a finalized invoice before it is sent (UAE): owners, admins, or finance if allowed',
        description:
          'Finance approves when the company allows it (`is_finance_approver`); otherwise 403 ' +
          'APPROVAL_NOT_ALLOWED. A draft answers 409 INVOICE_NOT_FINALIZED; approving an approved or sent ' +
          'invoice answers it as it is. Elsewhere 409 LIFECYCLE_STEP_NOT_AVAILABLE. Honours Idempotency-Key.',
        headers: idempotencyHeaders,
        params: uuidParamSchema,
        response: { 200: s.invoiceSchema, ...problems },
      },
    },
    async (request, reply) => {
      const outcome = await approveInvoice(
        ctx,
        request.auth.companyId,
        { ...actorOf(request), role: request.auth.role },
        request.params.id,
        { idempotencyKey: idempotencyKeyOf(request.headers['idempotency-key']) },
      );
      return sendOutcome(reply, outcome);
    },
  );

  r.post(
    '/api/v1/invoices/:id/mark-sent',
    {
      config: { permission: 'invoices:write' },
      schema: {
        tags,
        summary: 'Record that the invoice went to the customer',
        params: uuidParamSchema,
        response: { 200: s.invoiceSchema, ...problems },
      },
    },
    async (request) =>
      presentInvoice(
        await service.markInvoiceSent(ctx, request.auth.companyId, actorOf(request), request.params.id),
      ),
  );

  r.delete(
    '/api/v1/invoices/:id',
    {
      config: { permission: 'invoices:write' },
      schema: {
        tags,
        summary: 'Delete a draft invoice; an issued invoice answers 409 INVOICE_ISSUED (issue a credit note)',
        params: uuidParamSchema,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await service.deleteInvoice(ctx, request.auth.companyId, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
