import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { offsetOf, paginationQuerySchema } from '../../lib/pagination';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';

// Problems may carry extra members (a conflict's current version): keep them when serializing.

import * as q from './queries';
import * as s from './schemas';
import * as service from './service';
import * as stock from './stock';

export async function productRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['products'];

  r.get(
    '/api/v1/products',
    {
      config: { permission: 'products:read' },
      schema: {
        tags,
        summary: 'List and search products and services by name, SKU or barcode',
        querystring: s.productListQuerySchema,
        response: { 200: s.productListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { page, page_size, q: text, search, barcode, include_archived } = request.query;
      const { total, rows } = await q.listProducts(ctx.db, {
        companyId: request.auth.companyId,
        q: text || search || undefined,
        barcode,
        includeArchived: include_archived,
        limit: page_size,
        offset: offsetOf(request.query),
      });
      const currency = await service.companyCurrency(ctx.db, request.auth.companyId);
      return { total, page, page_size, products: rows.map((row) => service.presentProduct(row, currency)) };
    },
  );

  r.post(
    '/api/v1/products',
    {
      config: { permission: 'products:write' },
      schema: {
        tags,
        summary: 'Create a product or service',
        body: s.productCreateSchema,
        response: { 201: s.productSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const row = await service.createProduct(ctx, request.auth.companyId, actorOf(request), request.body);
      const currency = await service.companyCurrency(ctx.db, request.auth.companyId);
      return reply.code(201).send(service.presentProduct(row, currency));
    },
  );

  r.get(
    '/api/v1/products/:id',
    {
      config: { permission: 'products:read' },
      schema: {
        tags,
        summary: 'One product',
        params: uuidParamSchema,
        response: { 200: s.productSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.presentProduct(
        await service.getProductOrThrow(ctx.db, request.auth.companyId, request.params.id),
        await service.companyCurrency(ctx.db, request.auth.companyId),
      ),
  );

  const changeProduct = (method: 'PATCH' | 'PUT', summary: string) =>
    r.route({
      method,
      url: '/api/v1/products/:id',
      config: { permission: 'products:write' },
      schema: {
        tags,
        summary,
        params: uuidParamSchema,
        body: s.productUpdateSchema,
        response: { 200: s.productSchema, ...problemResponses },
      },
      handler: async (request) =>
        service.presentProduct(
          await service.updateProduct(
            ctx,
            request.auth.companyId,
            actorOf(request),
            request.params.id,
            request.body,
          ),
          await service.companyCurrency(ctx.db, request.auth.companyId),
        ),
    });
  changeProduct('PATCH', 'Change a product (issued invoices keep their own snapshot)');
  // The same change under PUT, as billing clients send it: the fields sent replace the stored ones.
  changeProduct('PUT', 'Change a product (the fields sent; as PATCH)');

  r.get(
    '/api/v1/products/:id/stock-movements',
    {
      config: { permission: 'products:read' },
      schema: {
        tags,
        summary: "A product's stock movements, newest first: every sale, return, receipt and adjustment",
        params: uuidParamSchema,
        querystring: z.strictObject({ ...paginationQuerySchema }),
        response: { 200: s.stockMovementListSchema, ...problemResponses },
      },
    },
    async (request) => {
      await service.getProductOrThrow(ctx.db, request.auth.companyId, request.params.id);
      const rows = await stock.listStockMovements(ctx.db, {
        companyId: request.auth.companyId,
        productId: request.params.id,
        limit: request.query.page_size,
        offset: offsetOf(request.query),
      });
      return {
        page: request.query.page,
        page_size: request.query.page_size,
        movements: rows.map(stock.presentStockMovement),
      };
    },
  );

  r.post(
    '/api/v1/products/:id/stock-movements',
    {
      config: { permission: 'products:write' },
      schema: {
        tags,
        summary: 'Record goods received (receipt) or a counted correction (adjustment, signed)',
        params: uuidParamSchema,
        body: s.stockMovementCreateSchema,
        response: { 201: s.stockMovementSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const row = await service.recordStockMovement(
        ctx,
        request.auth.companyId,
        actorOf(request),
        request.params.id,
        request.body,
      );
      return reply.code(201).send(stock.presentStockMovement(row));
    },
  );

  r.delete(
    '/api/v1/products/:id',
    {
      config: { permission: 'products:write' },
      schema: {
        tags,
        summary: 'Delete a product, or archive it (200) when an issued invoice used it',
        params: uuidParamSchema,
        response: { 200: s.productSchema, 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const result = await service.deleteProduct(
        ctx,
        request.auth.companyId,
        actorOf(request),
        request.params.id,
      );
      if (result.deleted) return reply.code(204).send(null);
      const currency = await service.companyCurrency(ctx.db, request.auth.companyId);
      return reply.code(200).send(service.presentProduct(result.row, currency));
    },
  );
}
