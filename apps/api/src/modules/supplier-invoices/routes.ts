import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/actor';
import { AppError } from '../../lib/errors';
import { acceptFileBodies } from '../../lib/file-body';
import { offsetOf } from '../../lib/pagination';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';
import { sendReceipt } from '../expenses/routes';
import { idempotencyKeyOf } from '../idempotency/service';
import { approveInvoice, disputeInvoice, rematchInvoice } from './approval';
import * as bills from './bills';
import { presentMatch } from './match';
import * as q from './queries';
import * as s from './schemas';
import * as service from './service';

const XML_TYPES = ['application/xml', 'text/xml', 'application/octet-stream'];

/** Bytes out: only the problems are JSON schemas. */
const fileProblems = {
  401: problemResponses[401],
  403: problemResponses[403],
  404: problemResponses[404],
};

/**
 * Supplier invoices (/api/v1/supplier-invoices), also under the name purchasing systems give them,
 * /api/v1/inward-invoices.
 */
export async function supplierInvoiceRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['payables'];
  const maxBytes = ctx.config.SUPPLIER_INVOICE_MAX_BYTES;

  // The XML arrives as its own bytes, read by the hardened UBL reader only. A body beyond the limit is refused
  // before it is read, under the reader's code for a document too large.
  acceptFileBodies(app, XML_TYPES, maxBytes + 1);
  app.setErrorHandler((error, _request, _reply) => {
    if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      throw new AppError('XML_TOO_LARGE', {
        message: `The XML document is larger than ${maxBytes} bytes.`,
      });
    }
    throw error;
  });

  for (const base of ['/api/v1/supplier-invoices', '/api/v1/inward-invoices']) {
    const isAlias = base.endsWith('inward-invoices');
    const hide = isAlias ? { hide: true } : {};

    r.get(
      base,
      {
        config: { permission: 'payables:read' },
        schema: {
          ...hide,
          tags,
          summary: 'List supplier invoices, newest first (filters: status, vendor, match status)',
          querystring: s.supplierInvoiceListQuerySchema,
          response: { 200: s.supplierInvoiceListSchema, ...problemResponses },
        },
      },
      async (request) => {
        const { page, page_size, status, vendor_id, match_status, matching_status } = request.query;
        const companyId = request.auth.companyId;
        const { total, rows } = await q.listInvoices(ctx.db, {
          companyId,
          status,
          vendorId: vendor_id,
          matchStatus: match_status ?? matching_status,
          limit: page_size,
          offset: offsetOf(request.query),
        });
        return {
          total,
          page,
          page_size,
          supplier_invoices: await service.presentInvoices(ctx.db, companyId, rows),
        };
      },
    );

    r.post(
      base,
      {
        config: { permission: 'payables:write' },
        schema: {
          ...hide,
          tags,
          summary: 'Enter a supplier invoice by hand (matched three ways at once)',
          body: s.supplierInvoiceBodySchema,
          response: { 201: s.supplierInvoiceSchema, ...problemResponses },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await service.createInvoice(ctx, request.auth.companyId, actorOf(request), request.body)),
    );

    r.post(
      `${base}/upload`,
      {
        config: { permission: 'payables:write' },
        bodyLimit: maxBytes + 1,
        schema: {
          ...hide,
          tags,
          summary:
            'Upload a supplier’s UBL invoice or credit note (ZATCA, PINT AE, Peppol BIS 3) as the body',
          description:
            'The body is the XML itself (application/xml, text/xml or application/octet-stream). It is read as ' +
            'untrusted: a DOCTYPE, entities, excessive nesting or size, malformed XML and documents that are not ' +
            'UBL invoices are refused with the reader’s code and nothing is stored. The original is kept as sent.',
          querystring: s.uploadQuerySchema,
          response: { 201: s.supplierInvoiceSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const body = request.body as unknown;
        return reply.code(201).send(
          await service.uploadInvoice(ctx, request.auth.companyId, actorOf(request), {
            bytes: Buffer.isBuffer(body) ? body : undefined,
            fileName: request.query.file_name,
          }),
        );
      },
    );

    r.get(
      `${base}/:id`,
      {
        config: { permission: 'payables:read' },
        schema: {
          ...hide,
          tags,
          summary: 'One supplier invoice with its lines',
          params: uuidParamSchema,
          response: { 200: s.supplierInvoiceSchema, ...problemResponses },
        },
      },
      async (request) => {
        const companyId = request.auth.companyId;
        return service.presentOne(
          ctx.db,
          companyId,
          await service.getInvoiceOrThrow(ctx.db, companyId, request.params.id),
        );
      },
    );

    r.get(
      `${base}/:id/original`,
      {
        config: { permission: 'payables:read' },
        schema: {
          ...hide,
          tags,
          summary: 'Download the uploaded XML as it arrived, byte for byte',
          params: uuidParamSchema,
          response: fileProblems,
        },
      },
      async (request, reply) =>
        sendReceipt(
          reply as unknown as FastifyReply,
          await service.readOriginal(ctx, request.auth.companyId, request.params.id),
        ),
    );

    r.get(
      `${base}/:id/match`,
      {
        config: { permission: 'payables:read' },
        schema: {
          ...hide,
          tags,
          summary: 'The stored three-way match: status, and per line the variances and their reasons',
          params: uuidParamSchema,
          response: { 200: s.matchSchema, ...problemResponses },
        },
      },
      async (request) => {
        const row = await service.getInvoiceOrThrow(ctx.db, request.auth.companyId, request.params.id);
        const match = presentMatch(row);
        if (!match) throw new Error('supplier invoice without a match');
        return match;
      },
    );

    r.post(
      `${base}/:id/match`,
      {
        config: { permission: 'payables:write' },
        schema: {
          ...hide,
          tags,
          summary: 'Match again (after a goods receipt, or a vendor added for an unknown supplier)',
          params: uuidParamSchema,
          response: { 200: s.matchSchema, ...problemResponses },
        },
      },
      async (request) => {
        const row = await rematchInvoice(ctx, request.auth.companyId, actorOf(request), request.params.id);
        const match = presentMatch(row);
        if (!match) throw new Error('supplier invoice without a match');
        return match;
      },
    );

    r.post(
      `${base}/:id/approve`,
      {
        config: { permission: 'payables:approve' },
        schema: {
          ...hide,
          tags,
          summary: 'Approve: a bill to pay. A match with exceptions needs an override_reason (audited)',
          params: uuidParamSchema,
          body: s.approveBodySchema.nullish(),
          response: { 200: s.supplierInvoiceSchema, ...problemResponses },
        },
      },
      async (request) =>
        approveInvoice(ctx, request.auth.companyId, actorOf(request), request.params.id, {
          overrideReason: request.body?.override_reason ?? request.body?.reason,
        }),
    );

    r.post(
      `${base}/:id/dispute`,
      {
        config: { permission: 'payables:approve' },
        schema: {
          ...hide,
          tags,
          summary: 'Dispute with the supplier, giving the reason',
          params: uuidParamSchema,
          body: s.disputeBodySchema,
          response: { 200: s.supplierInvoiceSchema, ...problemResponses },
        },
      },
      async (request) =>
        disputeInvoice(ctx, request.auth.companyId, actorOf(request), request.params.id, request.body.reason),
    );
  }
  r.get(
    '/api/v1/bills',
    {
      config: { permission: 'payables:read' },
      schema: {
        tags,
        summary:
          'Bills to pay: approved supplier invoices with their due date and open amount (earliest due first)',
        querystring: s.billListQuerySchema,
        response: { 200: s.billListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { page, page_size, vendor_id, state } = request.query;
      const companyId = request.auth.companyId;
      const { total, rows } = await q.listBills(ctx.db, {
        companyId,
        vendorId: vendor_id,
        state,
        limit: page_size,
        offset: offsetOf(request.query),
      });
      return { total, page, page_size, bills: await bills.presentBills(ctx.db, companyId, rows) };
    },
  );

  r.get(
    '/api/v1/payables/aging',
    {
      config: { permission: 'payables:read' },
      schema: {
        tags,
        summary: 'Open bills by days past due (current, 1–30, 31–60, 61–90, 90+), per currency',
        querystring: s.agingQuerySchema,
        response: { 200: s.agingSchema, ...problemResponses },
      },
    },
    async (request) => bills.payablesAging(ctx.db, request.auth.companyId, request.query.as_of),
  );

  r.get(
    '/api/v1/supplier-payments',
    {
      config: { permission: 'payables:read' },
      schema: {
        tags,
        summary: 'Payments made to suppliers, newest first',
        querystring: s.billListQuerySchema.pick({ page: true, page_size: true }),
        response: { 200: s.supplierPaymentListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { page, page_size } = request.query;
      const companyId = request.auth.companyId;
      const { total, rows } = await q.listPayments(ctx.db, {
        companyId,
        limit: page_size,
        offset: offsetOf(request.query),
      });
      return {
        total,
        page,
        page_size,
        supplier_payments: await bills.presentPayments(ctx.db, companyId, rows),
      };
    },
  );

  r.post(
    '/api/v1/supplier-payments',
    {
      config: { permission: 'payables:write' },
      schema: {
        tags,
        summary:
          'Record a payment to a supplier, allocated to one or more bills (never beyond what is open); an Idempotency-Key makes a retry answer the first payment',
        body: s.supplierPaymentBodySchema,
        response: { 201: s.supplierPaymentSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const outcome = await bills.recordSupplierPayment(
        ctx,
        request.auth.companyId,
        actorOf(request),
        request.body,
        {
          idempotencyKey: idempotencyKeyOf(request.headers['idempotency-key']),
        },
      );
      if (outcome.isReplay) reply.header('idempotent-replayed', 'true');
      return reply.code(outcome.statusCode).send(outcome.body);
    },
  );

  r.get(
    '/api/v1/supplier-payments/:id',
    {
      config: { permission: 'payables:read' },
      schema: {
        tags,
        summary: 'One supplier payment with its allocations',
        params: uuidParamSchema,
        response: { 200: s.supplierPaymentSchema, ...problemResponses },
      },
    },
    async (request) => bills.getPaymentOrThrow(ctx.db, request.auth.companyId, request.params.id),
  );
}
