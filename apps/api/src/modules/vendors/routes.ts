import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/actor';
import { offsetOf } from '../../lib/pagination';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';
import * as q from './queries';
import * as s from './schemas';
import * as service from './service';

/** Vendors (suppliers) of accounts payable: /api/v1/vendors, archived rather than deleted. */
export async function vendorRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const base = '/api/v1/vendors';
  const tags = ['payables'];

  r.get(
    base,
    {
      config: { permission: 'payables:read' },
      schema: {
        tags,
        summary: 'List and search vendors (archived ones only with include_archived=true)',
        querystring: s.vendorListQuerySchema,
        response: { 200: s.vendorListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { page, page_size, q: text, include_archived } = request.query;
      const { total, rows } = await q.listVendors(ctx.db, {
        companyId: request.auth.companyId,
        q: text || undefined,
        includeArchived: include_archived,
        limit: page_size,
        offset: offsetOf(request.query),
      });
      return { total, page, page_size, vendors: rows.map(service.presentVendor) };
    },
  );

  r.post(
    base,
    {
      config: { permission: 'payables:write' },
      schema: {
        tags,
        summary: 'Create a vendor',
        body: s.vendorCreateSchema,
        response: { 201: s.vendorSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const row = await service.createVendor(ctx, request.auth.companyId, actorOf(request), request.body);
      return reply.code(201).send(service.presentVendor(row));
    },
  );

  r.get(
    `${base}/:id`,
    {
      config: { permission: 'payables:read' },
      schema: {
        tags,
        summary: 'One vendor',
        params: uuidParamSchema,
        response: { 200: s.vendorSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.presentVendor(
        await service.getVendorOrThrow(ctx.db, request.auth.companyId, request.params.id),
      ),
  );

  r.patch(
    `${base}/:id`,
    {
      config: { permission: 'payables:write' },
      schema: {
        tags,
        summary: 'Change a vendor',
        params: uuidParamSchema,
        body: s.vendorUpdateSchema,
        response: { 200: s.vendorSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.presentVendor(
        await service.updateVendor(
          ctx,
          request.auth.companyId,
          actorOf(request),
          request.params.id,
          request.body,
        ),
      ),
  );

  for (const [path, archived, summary] of [
    [`${base}/:id/archive`, true, 'Archive a vendor (hidden from lists; its documents keep it)'],
    [`${base}/:id/restore`, false, 'Bring an archived vendor back'],
  ] as const) {
    r.post(
      path,
      {
        config: { permission: 'payables:write' },
        schema: {
          tags,
          summary,
          params: uuidParamSchema,
          response: { 200: s.vendorSchema, ...problemResponses },
        },
      },
      async (request) =>
        service.presentVendor(
          await service.setVendorArchived(
            ctx,
            request.auth.companyId,
            actorOf(request),
            request.params.id,
            archived,
          ),
        ),
    );
  }

  r.delete(
    `${base}/:id`,
    {
      config: { permission: 'payables:write' },
      schema: {
        tags,
        summary: 'Archive a vendor (vendors are never deleted: their documents point at them)',
        params: uuidParamSchema,
        response: { 200: s.vendorSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.presentVendor(
        await service.setVendorArchived(
          ctx,
          request.auth.companyId,
          actorOf(request),
          request.params.id,
          true,
        ),
      ),
  );
}
