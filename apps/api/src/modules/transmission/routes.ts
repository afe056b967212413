import { TRANSMISSION_PROVIDERS } from '@invoiceflow/db/schema';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';
import { receiveWebhook } from './events';
import { receiveInbound } from './inbound';
import { getSettings } from './queries';
import { providerListSchema, settingsInputSchema, settingsSchema, transmissionSchema } from './schemas';
import {
  adapterOfSettings,
  deleteSettings,
  listProviders,
  readSettings,
  readTransmission,
  resubmitTransmission,
  saveSettings,
} from './service';

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
        summary:
          'The company transmission provider, base URL, the names of the stored credentials (never their ' +
          'values) and the URL to give the provider',
        response: { 200: settingsSchema, ...problemResponses },
      },
    },
    async (request) => readSettings(ctx, request.auth.companyId),
  );

  r.get(
    '/api/v1/transmission/providers',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags,
        summary: 'The providers a company can choose, each with the credentials its settings need',
        response: { 200: providerListSchema, ...problemResponses },
      },
    },
    async () => listProviders(),
  );

  r.delete(
    '/api/v1/transmission/settings',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags,
        summary:
          'Turn transmission off: the settings and credentials are deleted and invoices go by e-mail only; ' +
          'transmissions still queued fail with a reason (resubmit them later), those the provider has keep ' +
          'their status',
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await deleteSettings(ctx, request.auth.companyId, actorOf(request));
      return reply.code(204).send(null);
    },
  );

  r.put(
    '/api/v1/transmission/settings',
    {
      config: { permission: 'settings:write', feature: 'e_invoicing' },
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

  await app.register(inboundRoutes);
  await app.register(webhookRoutes);
}

/** Providers' webhooks: the raw bytes reach the adapter, which checks the signature over them. */
async function webhookRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: 2 * ctx.config.SUPPLIER_INVOICE_MAX_BYTES },
    (_request, body, done) => done(null, body),
  );

  r.post(
    '/api/v1/public/transmission/:provider/:companyId/webhook',
    {
      config: { auth: 'public', noStore: true },
      schema: {
        tags: ['transmission'],
        summary:
          "A provider's webhook (delivery and reporting statuses, received documents): its signature is checked by " +
          'the provider’s adapter (401 when wrong or too old); each event is recorded once',
        params: z.strictObject({ provider: z.enum(TRANSMISSION_PROVIDERS), companyId: z.uuid() }),
        response: {
          200: z.object({ received: z.number().int(), duplicates: z.number().int() }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { provider, companyId } = request.params;
      const settings = await getSettings(ctx.db, { companyId });
      const adapter =
        settings && settings.provider === provider ? adapterOfSettings(ctx, settings) : undefined;
      const body = request.body as unknown;
      return receiveWebhook(ctx, provider, companyId, adapter, {
        headers: request.headers,
        body: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
      });
    },
  );
}

const XML_TYPES = ['application/xml', 'text/xml', 'application/octet-stream'];

/** What the access point forwards: raw XML, authenticated by the company's inbound token. */
async function inboundRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const maxBytes = ctx.config.SUPPLIER_INVOICE_MAX_BYTES;
  app.addContentTypeParser(
    XML_TYPES,
    { parseAs: 'buffer', bodyLimit: maxBytes + 1 },
    (_request, body, done) => done(null, body),
  );

  r.post(
    '/api/v1/public/transmission/:provider/:companyId/inbound',
    {
      config: { auth: 'public', noStore: true },
      schema: {
        tags: ['transmission'],
        summary:
          'A document the access point received over Peppol (UBL, or its Standard Business Document), with the ' +
          "company's inbound token as X-Token: it becomes a supplier invoice; the same one twice is acknowledged once",
        params: z.strictObject({ provider: z.enum(TRANSMISSION_PROVIDERS), companyId: z.uuid() }),
        response: {
          200: z.object({
            received: z.literal(true),
            duplicate: z.boolean(),
            supplier_invoice_id: z.string().nullable(),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const header = request.headers['x-token'];
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const body = request.body as unknown;
      return receiveInbound(
        ctx,
        request.params.provider,
        request.params.companyId,
        typeof header === 'string' ? header : bearer,
        Buffer.isBuffer(body) ? body : undefined,
      );
    },
  );
}
