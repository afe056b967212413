import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { contentDisposition } from '../../lib/content-disposition';
import { offsetOf } from '../../lib/pagination';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';
import { idempotencyKeyOf } from '../idempotency/service';
import * as q from './queries';
import * as receipts from './receipts';
import * as returns from './returns';
import * as s from './schemas';
import * as service from './service';
import * as sessions from './sessions';

function sendOutcome(reply: FastifyReply, outcome: { statusCode: number; body: unknown; isReplay: boolean }) {
  if (outcome.isReplay) reply.header('idempotent-replayed', 'true');
  return reply.code(outcome.statusCode).send(outcome.body as z.infer<typeof s.saleSchema>);
}

/** A printout: never kept by a shared cache or a browser (a till's tablet is shared). */
function sendSlip(reply: FastifyReply, slip: receipts.Slip, disposition: 'inline' | 'attachment') {
  return reply
    .header('cache-control', 'private, no-store, max-age=0')
    .header('x-content-type-options', 'nosniff')
    .type('application/pdf')
    .header('content-length', String(slip.pdf.length))
    .header('content-disposition', contentDisposition(disposition, slip.fileName))
    .send(slip.pdf);
}

export async function posRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['point of sale'];

  r.post(
    '/api/v1/tills',
    {
      config: { permission: 'invoices:write', feature: 'pos' },
      schema: {
        tags,
        summary: 'Add a till (its own drawer; for a Saudi company, optionally its own EGS unit and chain)',
        body: s.tillCreateSchema,
        response: { 201: s.tillSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const till = await service.createTill(ctx, request.auth.companyId, actorOf(request), request.body);
      return reply.code(201).send(service.presentTill(till));
    },
  );

  r.get(
    '/api/v1/tills',
    {
      config: { permission: 'invoices:read' },
      schema: { tags, summary: 'The tills', response: { 200: s.tillListSchema, ...problemResponses } },
    },
    async (request) => ({
      tills: (await q.listTills(ctx.db, { companyId: request.auth.companyId })).map(service.presentTill),
    }),
  );

  r.get(
    '/api/v1/tills/:id',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'One till',
        params: uuidParamSchema,
        response: { 200: s.tillSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.presentTill(await service.resolveTill(ctx.db, request.auth.companyId, request.params.id)),
  );

  r.get(
    '/api/v1/denominations',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: "The notes and coins in a till's drawer (the default till when none is named)",
        querystring: s.tillQuerySchema,
        response: { 200: s.drawerSchema, ...problemResponses },
      },
    },
    async (request) => service.getDrawer(ctx, request.auth.companyId, request.query.till_id),
  );

  r.post(
    '/api/v1/denominations',
    {
      config: { permission: 'invoices:write', feature: 'pos' },
      schema: {
        tags,
        summary: "Add a note or coin to a till's drawer with its count",
        body: s.denominationCreateSchema,
        response: { 201: s.denominationSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await service.addDenomination(ctx, request.auth.companyId, actorOf(request), request.body)),
  );

  r.put(
    '/api/v1/denominations/:value',
    {
      config: { permission: 'invoices:write', feature: 'pos' },
      schema: {
        tags,
        summary:
          "Set a denomination's count (a recount; during a cash session, record cash in or out instead)",
        params: s.denominationParamSchema,
        body: s.denominationUpdateSchema,
        response: { 200: s.denominationSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.setDenomination(
        ctx,
        request.auth.companyId,
        actorOf(request),
        request.params.value,
        request.body,
      ),
  );

  const idempotencyHeaders = z.looseObject({ 'idempotency-key': z.string().optional() });

  r.post(
    '/api/v1/purchases',
    {
      config: { permission: 'invoices:write', feature: 'pos' },
      schema: {
        tags,
        summary:
          'Record a sale at a till: stock, invoice (signed for a Saudi company), cash and change, at once',
        description:
          'One transaction: any refusal (409 INSUFFICIENT_STOCK naming the product, 422 PAYMENT_TOO_LOW, 409 ' +
          'CHANGE_UNAVAILABLE when no combination of the drawer’s notes and coins pays the change) leaves stock, ' +
          'drawer and numbering as they were. Send an `Idempotency-Key` (the till’s own id for the sale): a retry ' +
          'after a timeout gets the first answer, never a second sale.',
        headers: idempotencyHeaders,
        body: s.saleCreateSchema,
        response: { 201: s.saleSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const outcome = await service.createSale(ctx, request.auth.companyId, actorOf(request), request.body, {
        idempotencyKey: idempotencyKeyOf(request.headers['idempotency-key']),
        log: request.log,
      });
      return sendOutcome(reply, outcome);
    },
  );

  r.get(
    '/api/v1/purchases',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'Sales, newest first',
        querystring: s.saleListQuerySchema,
        response: { 200: s.saleListSchema, ...problemResponses },
      },
    },
    async (request) => ({
      page: request.query.page,
      page_size: request.query.page_size,
      purchases: await service.listSales(ctx.db, request.auth.companyId, {
        tillId: request.query.till_id,
        limit: request.query.page_size,
        offset: offsetOf(request.query),
      }),
    }),
  );

  r.get(
    '/api/v1/purchases/:id',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'One sale: its lines as sold, totals, cash paid and change',
        params: uuidParamSchema,
        response: { 200: s.saleSchema, ...problemResponses },
      },
    },
    async (request) => service.presentSaleById(ctx.db, request.auth.companyId, request.params.id),
  );

  r.get(
    '/api/v1/purchases/:id/receipt.pdf',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary:
          'The sale’s 80 mm receipt: lines, VAT by rate, cash and change, the ZATCA QR for a Saudi sale',
        params: uuidParamSchema,
        querystring: s.slipQuerySchema,
        response: problemResponses,
      },
    },
    async (request, reply) => {
      const slip = await receipts.saleReceiptPdf(ctx.db, {
        companyId: request.auth.companyId,
        saleId: request.params.id,
        language: request.query.lang,
      });
      return sendSlip(reply as unknown as FastifyReply, slip, request.query.disposition);
    },
  );

  r.get(
    '/api/v1/purchases/:id/returns/:credit_note_id/receipt.pdf',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'The 80 mm receipt of a return: its credit note against the sale and the cash paid back',
        params: s.returnParamSchema,
        querystring: s.slipQuerySchema,
        response: problemResponses,
      },
    },
    async (request, reply) => {
      const slip = await receipts.returnReceiptPdf(ctx.db, {
        companyId: request.auth.companyId,
        saleId: request.params.id,
        creditNoteId: request.params.credit_note_id,
        language: request.query.lang,
      });
      return sendSlip(reply as unknown as FastifyReply, slip, request.query.disposition);
    },
  );

  for (const report of ['X', 'Z'] as const) {
    r.get(
      `/api/v1/cash-sessions/:id/${report.toLowerCase()}-report.pdf`,
      {
        config: { permission: 'invoices:read' },
        schema: {
          tags,
          summary:
            report === 'X'
              ? 'The X report of an open session as an 80 mm slip (the shift so far)'
              : 'The Z report of a closed session as an 80 mm slip: expected against counted per piece',
          params: uuidParamSchema,
          querystring: s.slipQuerySchema,
          response: problemResponses,
        },
      },
      async (request, reply) => {
        const slip = await receipts.cashReportPdf(ctx.db, {
          companyId: request.auth.companyId,
          sessionId: request.params.id,
          report,
          language: request.query.lang,
        });
        return sendSlip(reply as unknown as FastifyReply, slip, request.query.disposition);
      },
    );
  }

  r.post(
    '/api/v1/tills/:id/sessions',
    {
      config: { permission: 'invoices:write', feature: 'pos' },
      schema: {
        tags,
        summary: 'Open a cash session at a till with the float counted by denomination',
        params: uuidParamSchema,
        body: s.sessionOpenSchema,
        response: { 201: s.sessionReportSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await sessions.openSession(
            ctx,
            request.auth.companyId,
            actorOf(request),
            request.params.id,
            request.body,
          ),
        ),
  );

  r.get(
    '/api/v1/tills/:id/session',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: "The till's open cash session with its X report (204 when none is open)",
        params: uuidParamSchema,
        response: { 200: s.sessionReportSchema, 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const till = await service.resolveTill(ctx.db, request.auth.companyId, request.params.id);
      const open = await q.getOpenSession(ctx.db, { companyId: request.auth.companyId, tillId: till.id });
      if (!open) return reply.code(204).send(null);
      return sessions.sessionReport(ctx.db, request.auth.companyId, open.id);
    },
  );

  r.get(
    '/api/v1/cash-sessions/:id',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'A cash session with its X report (open) or Z report (closed)',
        params: uuidParamSchema,
        response: { 200: s.sessionReportSchema, ...problemResponses },
      },
    },
    async (request) => sessions.sessionReport(ctx.db, request.auth.companyId, request.params.id),
  );

  r.post(
    '/api/v1/cash-sessions/:id/movements',
    {
      config: { permission: 'invoices:write', feature: 'pos' },
      schema: {
        tags,
        summary: 'Cash put into or taken out of the drawer during the session, by denomination',
        params: uuidParamSchema,
        body: s.cashMovementCreateSchema,
        response: { 201: s.cashMovementSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await sessions.recordCashMovement(
            ctx,
            request.auth.companyId,
            actorOf(request),
            request.params.id,
            request.body,
          ),
        ),
  );

  r.post(
    '/api/v1/cash-sessions/:id/close',
    {
      config: { permission: 'invoices:write' },
      schema: {
        tags,
        summary: 'Close a cash session with the drawer counted: the Z report, expected against counted',
        params: uuidParamSchema,
        body: s.sessionCloseSchema,
        response: { 200: s.sessionReportSchema, ...problemResponses },
      },
    },
    async (request) =>
      sessions.closeSession(ctx, request.auth.companyId, actorOf(request), request.params.id, request.body),
  );

  r.post(
    '/api/v1/purchases/:id/returns',
    {
      config: { permission: 'invoices:write', feature: 'pos' },
      schema: {
        tags,
        summary:
          'Take goods back: a credit note at the prices as sold, stock restored, the refund from the drawer',
        description: 'One transaction, like the sale; send an `Idempotency-Key` to make a retry safe.',
        headers: idempotencyHeaders,
        params: uuidParamSchema,
        body: s.returnCreateSchema,
        response: { 201: s.returnSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const outcome = await returns.returnItems(
        ctx,
        request.auth.companyId,
        actorOf(request),
        request.params.id,
        request.body,
        { idempotencyKey: idempotencyKeyOf(request.headers['idempotency-key']), log: request.log },
      );
      if (outcome.isReplay) reply.header('idempotent-replayed', 'true');
      return reply.code(outcome.statusCode).send(outcome.body);
    },
  );
}
