import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { offsetOf } from '../../lib/pagination';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';
import { WEBHOOK_EVENTS } from './events';
import * as q from './queries';
import * as s from './schemas';
import * as service from './service';

/**
 * Webhook endpoints, their deliveries and replays. Managed by those who change the company's settings: an
 * endpoint receives the company's invoice data.
 */
export async function webhookRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const base = '/api/v1/webhooks';
  const tags = ['webhooks'];
  const permission = 'settings:write' as const;

  r.get(
    `${base}/event-types`,
    {
      config: { permission },
      schema: {
        tags,
        summary: 'The events an endpoint may subscribe to',
        response: { 200: s.eventTypesSchema, ...problemResponses },
      },
    },
    async () => ({ events: [...WEBHOOK_EVENTS] }),
  );

  r.get(
    base,
    {
      config: { permission },
      schema: {
        tags,
        summary: 'List webhook endpoints',
        response: { 200: s.endpointListSchema, ...problemResponses },
      },
    },
    async (request) => ({
      endpoints: (await q.listEndpoints(ctx.db, { companyId: request.auth.companyId })).map(
        service.presentEndpoint,
      ),
    }),
  );

  r.post(
    base,
    {
      config: { permission, noStore: true, feature: 'webhooks' },
      schema: {
        tags,
        summary: 'Create a webhook endpoint; the answer carries its signing secret, shown once',
        body: s.endpointCreateSchema,
        response: { 201: s.endpointWithSecretSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { row, secret } = await service.createEndpoint(
        ctx,
        request.auth.companyId,
        actorOf(request),
        request.body,
      );
      return reply.code(201).send({ ...service.presentEndpoint(row), secret });
    },
  );

  r.get(
    `${base}/:id`,
    {
      config: { permission },
      schema: {
        tags,
        summary: 'One webhook endpoint',
        params: uuidParamSchema,
        response: { 200: s.endpointSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.presentEndpoint(
        await service.getEndpointOrThrow(ctx.db, request.auth.companyId, request.params.id),
      ),
  );

  r.patch(
    `${base}/:id`,
    {
      config: { permission, feature: 'webhooks' },
      schema: {
        tags,
        summary: 'Change a webhook endpoint (URL, events, description, enabled)',
        params: uuidParamSchema,
        body: s.endpointUpdateSchema,
        response: { 200: s.endpointSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.presentEndpoint(
        await service.updateEndpoint(
          ctx,
          request.auth.companyId,
          actorOf(request),
          request.params.id,
          request.body,
        ),
      ),
  );

  r.delete(
    `${base}/:id`,
    {
      config: { permission },
      schema: {
        tags,
        summary: 'Delete a webhook endpoint and its delivery log',
        params: uuidParamSchema,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await service.deleteEndpoint(ctx, request.auth.companyId, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.post(
    `${base}/:id/rotate-secret`,
    {
      config: { permission, noStore: true, feature: 'webhooks' },
      schema: {
        tags,
        summary: 'A new signing secret, shown once; the old one also signs for 24 hours',
        params: uuidParamSchema,
        response: { 200: s.endpointWithSecretSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { row, secret } = await service.rotateSecret(
        ctx,
        request.auth.companyId,
        actorOf(request),
        request.params.id,
      );
      return { ...service.presentEndpoint(row), secret };
    },
  );

  r.get(
    `${base}/:id/deliveries`,
    {
      config: { permission },
      schema: {
        tags,
        summary: 'The deliveries to an endpoint, newest first',
        params: uuidParamSchema,
        querystring: s.deliveryListQuerySchema,
        response: { 200: s.deliveryListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { companyId } = request.auth;
      await service.getEndpointOrThrow(ctx.db, companyId, request.params.id);
      const { page, page_size, status } = request.query;
      const { total, rows } = await q.listDeliveries(ctx.db, {
        companyId,
        endpointId: request.params.id,
        status,
        limit: page_size,
        offset: offsetOf(request.query),
      });
      return { total, page, page_size, deliveries: rows.map(service.presentDelivery) };
    },
  );

  r.get(
    `${base}/deliveries/:id`,
    {
      config: { permission },
      schema: {
        tags,
        summary: 'One delivery: the body sent and every attempt (status, response excerpt, duration)',
        params: uuidParamSchema,
        response: { 200: s.deliveryDetailSchema, ...problemResponses },
      },
    },
    async (request) => service.getDeliveryOrThrow(ctx.db, request.auth.companyId, request.params.id),
  );

  r.post(
    `${base}/deliveries/:id/replay`,
    {
      config: { permission, feature: 'webhooks' },
      schema: {
        tags,
        summary: 'Send the delivery’s event again, as a new delivery (202: the job sends it)',
        params: uuidParamSchema,
        response: { 202: s.deliverySchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const replay = await service.replayDelivery(
        ctx,
        request.auth.companyId,
        actorOf(request),
        request.params.id,
      );
      return reply.code(202).send(replay);
    },
  );
}
