import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/actor';
import { contentDisposition } from '../../lib/content-disposition';
import { AppError } from '../../lib/errors';
import { offsetOf } from '../../lib/pagination';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';
import { pdfQuerySchema } from '../pdf/schemas';
import * as q from './queries';
import * as receipts from './receipts';
import * as s from './schemas';
import * as service from './service';

/** Purchase orders (/api/v1/purchase-orders) and the goods receipts against them (/api/v1/goods-receipts). */
export async function purchaseOrderRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const base = '/api/v1/purchase-orders';
  const tags = ['payables'];

  r.get(
    base,
    {
      config: { permission: 'payables:read' },
      schema: {
        tags,
        summary: 'List purchase orders, newest first (filter by status or vendor)',
        querystring: s.purchaseOrderListQuerySchema,
        response: { 200: s.purchaseOrderListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { page, page_size, status, vendor_id } = request.query;
      const companyId = request.auth.companyId;
      const { total, rows } = await q.listOrders(ctx.db, {
        companyId,
        status,
        vendorId: vendor_id,
        limit: page_size,
        offset: offsetOf(request.query),
      });
      return {
        total,
        page,
        page_size,
        purchase_orders: await service.presentOrders(ctx.db, companyId, rows),
      };
    },
  );

  r.post(
    base,
    {
      config: { permission: 'payables:write' },
      schema: {
        tags,
        summary: 'Create a purchase order (a draft, numbered on the order series: PO-2026-0001)',
        body: s.purchaseOrderBodySchema,
        response: { 201: s.purchaseOrderSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await service.createOrder(ctx, request.auth.companyId, actorOf(request), request.body)),
  );

  r.get(
    `${base}/:id`,
    {
      config: { permission: 'payables:read' },
      schema: {
        tags,
        summary: 'One purchase order with its lines and what was received of each',
        params: uuidParamSchema,
        response: { 200: s.purchaseOrderSchema, ...problemResponses },
      },
    },
    async (request) => {
      const companyId = request.auth.companyId;
      return service.presentOne(
        ctx.db,
        companyId,
        await service.getOrderOrThrow(ctx.db, companyId, request.params.id),
      );
    },
  );

  r.patch(
    `${base}/:id`,
    {
      config: { permission: 'payables:write' },
      schema: {
        tags,
        summary: 'Change a draft purchase order (the fields sent replace its own; lines as a whole)',
        params: uuidParamSchema,
        body: s.purchaseOrderPatchSchema,
        response: { 200: s.purchaseOrderSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.updateOrder(ctx, request.auth.companyId, actorOf(request), request.params.id, request.body),
  );

  r.post(
    `${base}/:id/send`,
    {
      config: { permission: 'payables:write' },
      schema: {
        tags,
        summary: 'E-mail the purchase order (PDF attached) to the vendor and mark it sent',
        params: uuidParamSchema,
        body: s.purchaseOrderSendBodySchema,
        response: { 202: s.purchaseOrderSentSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(
          await service.sendOrder(
            ctx,
            request.auth.companyId,
            actorOf(request),
            request.params.id,
            request.body,
          ),
        ),
  );

  for (const action of ['cancel', 'close'] as const) {
    r.post(
      `${base}/:id/${action}`,
      {
        config: { permission: 'payables:write' },
        schema: {
          tags,
          summary:
            action === 'cancel'
              ? 'Cancel a draft or sent purchase order nothing was received against'
              : 'Close a (partly) received purchase order: nothing more is expected',
          params: uuidParamSchema,
          response: { 200: s.purchaseOrderSchema, ...problemResponses },
        },
      },
      async (request) =>
        (action === 'cancel' ? service.cancelOrder : service.closeOrder)(
          ctx,
          request.auth.companyId,
          actorOf(request),
          request.params.id,
        ),
    );
  }

  r.get(
    `${base}/:id/pdf`,
    {
      config: { permission: 'payables:read' },
      schema: {
        tags,
        summary: 'The purchase order PDF (titled Purchase Order; no QR, no e-invoice)',
        params: uuidParamSchema,
        querystring: pdfQuerySchema,
        response: { 404: problemResponses[404] },
      },
    },
    async (request, reply) => {
      const { pdf, number } = await service.getOrderPdf(ctx.db, {
        companyId: request.auth.companyId,
        orderId: request.params.id,
      });
      return (reply as unknown as FastifyReply)
        .type('application/pdf')
        .header('cache-control', 'private, no-store, max-age=0')
        .header('x-content-type-options', 'nosniff')
        .header('content-length', String(pdf.length))
        .header('content-disposition', contentDisposition(request.query.disposition, `${number}.pdf`))
        .send(pdf);
    },
  );

  r.get(
    `${base}/:id/receipts`,
    {
      config: { permission: 'payables:read' },
      schema: {
        tags,
        summary: 'The goods receipts of a purchase order, newest first',
        params: uuidParamSchema,
        querystring: s.goodsReceiptListQuerySchema.pick({ page: true, page_size: true }),
        response: { 200: s.goodsReceiptListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const companyId = request.auth.companyId;
      await service.getOrderOrThrow(ctx.db, companyId, request.params.id);
      const { page, page_size } = request.query;
      const { total, rows } = await q.listReceipts(ctx.db, {
        companyId,
        orderId: request.params.id,
        limit: page_size,
        offset: offsetOf(request.query),
      });
      return {
        total,
        page,
        page_size,
        goods_receipts: await receipts.presentReceipts(ctx.db, companyId, rows),
      };
    },
  );

  r.post(
    `${base}/:id/receipts`,
    {
      config: { permission: 'payables:write' },
      schema: {
        tags,
        summary:
          'Record goods received against the order (quantities per line; stock moves for stocked products)',
        params: uuidParamSchema,
        body: s.receiptBodySchema,
        response: { 201: s.goodsReceiptCreatedSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await receipts.receiveGoods(
            ctx,
            request.auth.companyId,
            actorOf(request),
            request.params.id,
            request.body,
          ),
        ),
  );

  const grnBase = '/api/v1/goods-receipts';

  r.get(
    grnBase,
    {
      config: { permission: 'payables:read' },
      schema: {
        tags,
        summary: 'List goods receipts, newest first (filter by purchase_order_id)',
        querystring: s.goodsReceiptListQuerySchema,
        response: { 200: s.goodsReceiptListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const companyId = request.auth.companyId;
      const { page, page_size } = request.query;
      const { total, rows } = await q.listReceipts(ctx.db, {
        companyId,
        orderId: request.query.purchase_order_id ?? request.query.po_id,
        limit: page_size,
        offset: offsetOf(request.query),
      });
      return {
        total,
        page,
        page_size,
        goods_receipts: await receipts.presentReceipts(ctx.db, companyId, rows),
      };
    },
  );

  r.post(
    grnBase,
    {
      config: { permission: 'payables:write' },
      schema: {
        tags,
        summary: 'Record goods received against the purchase order named in the body',
        body: s.goodsReceiptBodySchema,
        response: { 201: s.goodsReceiptCreatedSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { purchase_order_id, po_id, ...body } = request.body;
      const orderId = purchase_order_id ?? po_id;
      if (!orderId) {
        throw new AppError('GOODS_RECEIPT_INVALID', {
          errors: [{ path: 'purchase_order_id', code: 'REQUIRED', message: 'Name the purchase order.' }],
        });
      }
      return reply
        .code(201)
        .send(await receipts.receiveGoods(ctx, request.auth.companyId, actorOf(request), orderId, body));
    },
  );

  r.get(
    `${grnBase}/:id`,
    {
      config: { permission: 'payables:read' },
      schema: {
        tags,
        summary: 'One goods receipt',
        params: uuidParamSchema,
        response: { 200: s.goodsReceiptSchema, ...problemResponses },
      },
    },
    async (request) => receipts.getReceiptOrThrow(ctx.db, request.auth.companyId, request.params.id),
  );
}
