import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { offsetOf } from '../../lib/pagination';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';

// Problems may carry extra members (a conflict's current version): keep them when serializing.

import * as q from './queries';
import * as s from './schemas';
import * as service from './service';

/** Customers, also answered under seed 001's name for them, /api/v1/clients. */
export async function customerRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;

  for (const base of ['/api/v1/customers', '/api/v1/clients']) {
    const isAlias = base.endsWith('clients');
    const tags = ['customers'];
    const hide = isAlias;

    r.get(
      base,
      {
        config: { permission: 'customers:read' },
        schema: {
          tags,
          hide,
          summary: 'List and search customers (archived ones only with include_archived=true)',
          querystring: s.customerListQuerySchema,
          response: { 200: s.customerListSchema, ...problemResponses },
        },
      },
      async (request) => {
        const { page, page_size, q: text, kind, include_archived } = request.query;
        const { total, rows } = await q.listCustomers(ctx.db, {
          companyId: request.auth.companyId,
          q: text || undefined,
          kind,
          includeArchived: include_archived,
          limit: page_size,
          offset: offsetOf(request.query),
        });
        return { total, page, page_size, customers: rows.map(service.presentCustomer) };
      },
    );

    r.post(
      base,
      {
        config: { permission: 'customers:write' },
        schema: {
          tags,
          hide,
          summary: 'Create a customer',
          body: s.customerCreateSchema,
          response: { 201: s.customerSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const row = await service.createCustomer(ctx, request.auth.companyId, actorOf(request), request.body);
        return reply.code(201).send(service.presentCustomer(row));
      },
    );

    r.get(
      `${base}/:id`,
      {
        config: { permission: 'customers:read' },
        schema: {
          tags,
          hide,
          summary: 'One customer',
          params: uuidParamSchema,
          response: { 200: s.customerSchema, ...problemResponses },
        },
      },
      async (request) =>
        service.presentCustomer(
          await service.getCustomerOrThrow(ctx.db, request.auth.companyId, request.params.id),
        ),
    );

    r.patch(
      `${base}/:id`,
      {
        config: { permission: 'customers:write' },
        schema: {
          tags,
          hide,
          summary: 'Change a customer (issued invoices keep their own snapshot)',
          params: uuidParamSchema,
          body: s.customerUpdateSchema,
          response: { 200: s.customerSchema, ...problemResponses },
        },
      },
      async (request) => {
        const row = await service.updateCustomer(
          ctx,
          request.auth.companyId,
          actorOf(request),
          request.params.id,
          request.body,
        );
        return service.presentCustomer(row);
      },
    );

    r.delete(
      `${base}/:id`,
      {
        config: { permission: 'customers:write' },
        schema: {
          tags,
          hide,
          summary: 'Delete a customer, or archive it (200) when an issued invoice names it',
          params: uuidParamSchema,
          response: { 200: s.customerSchema, 204: z.null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        const result = await service.deleteCustomer(
          ctx,
          request.auth.companyId,
          actorOf(request),
          request.params.id,
        );
        if (result.deleted) return reply.code(204).send(null);
        return reply.code(200).send(service.presentCustomer(result.row));
      },
    );
  }
}
