import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/actor';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';
import { settingsInputSchema, settingsSchema, transmissionSchema } from './schemas';
import { readSettings, readTransmission, resubmitTransmission, saveSettings } from './service';

/** The company's access point or service provider, and each invoice's transmission. */
export async function transmissionRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['transmission'];

  r.get(
    '/api/v1/transmission/settings',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags,
        summary: 'The company transmission provider and base URL (never the credentials)',
        response: { 200: settingsSchema, ...problemResponses },
      },
    },
    async (request) => readSettings(ctx, request.auth.companyId),
  );

  r.put(
    '/api/v1/transmission/settings',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags,
        summary: 'Choose and configure the provider; a harmless call is made first (422 when it fails)',
        body: settingsInputSchema,
        response: { 200: settingsSchema, ...problemResponses },
      },
    },
    async (request) => saveSettings(ctx, request.auth.companyId, actorOf(request), request.body),
  );

  r.get(
    '/api/v1/invoices/:id/transmission',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'The invoice transmission: exchange and reporting statuses with reasons, and every attempt',
        params: uuidParamSchema,
        response: { 200: transmissionSchema, ...problemResponses },
      },
    },
    async (request) => readTransmission(ctx, request.auth.companyId, request.params.id),
  );

  r.post(
    '/api/v1/invoices/:id/transmission/resubmit',
    {
      config: { permission: 'invoices:write' },
      schema: {
        tags,
        summary: 'Submit a failed transmission again (a new instance id); 409 unless it failed',
        params: uuidParamSchema,
        response: { 202: transmissionSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(await resubmitTransmission(ctx, request.auth.companyId, actorOf(request), request.params.id)),
  );
}
