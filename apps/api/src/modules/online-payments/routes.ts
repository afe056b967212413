import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';
import * as s from './schemas';
import * as service from './service';

/** The company's gateway account, each invoice's pay link and checkouts, and the public pay link. */
export async function onlinePaymentRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['online payments'];

  r.get(
    '/api/v1/payment-gateway/settings',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags,
        summary:
          'The connected gateway account and the webhook URL to give it (never the keys); 204 while none is',
        response: { 200: s.settingsSchema, 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const settings = await service.readSettings(ctx, request.auth.companyId);
      return settings ?? reply.code(204).send(null);
    },
  );

  r.put(
    '/api/v1/payment-gateway/settings',
    {
      config: { permission: 'settings:write', feature: 'online_payments' },
      schema: {
        tags,
        summary: 'Connect a gateway account; the key is tried with a harmless call first (422 when refused)',
        body: s.settingsInputSchema,
        response: { 200: s.settingsSchema, ...problemResponses },
      },
    },
    async (request) => service.saveSettings(ctx, request.auth.companyId, actorOf(request), request.body),
  );

  r.get(
    '/api/v1/invoices/:id/pay-link',
    {
      config: { permission: 'invoices:read', feature: 'online_payments' },
      schema: {
        tags,
        summary:
          "The invoice's stable pay link (for the e-mail, the PDF footer and the portal); 204 while no gateway is connected",
        params: uuidParamSchema,
        response: { 200: s.payLinkSchema, 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const link = await service.getPayLink(ctx, request.auth.companyId, request.params.id);
      return link ?? reply.code(204).send(null);
    },
  );

  r.post(
    '/api/v1/invoices/:id/checkouts',
    {
      config: { permission: 'payments:write', feature: 'online_payments' },
      schema: {
        tags,
        summary: 'A checkout at the gateway for what is outstanding or a part of it',
        params: uuidParamSchema,
        body: s.checkoutInputSchema,
        response: { 201: s.checkoutSchema, ...problemResponses, 503: problemResponses[409] },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await service.createCheckout(ctx, request.auth.companyId, request.params.id, request.body)),
  );

  r.get(
    '/api/v1/invoices/:id/checkouts',
    {
      config: { permission: 'payments:read' },
      schema: {
        tags,
        summary: "The invoice's checkouts: open, complete or expired, declines, the payment each became",
        params: uuidParamSchema,
        response: { 200: s.checkoutListSchema, ...problemResponses },
      },
    },
    async (request) => service.listCheckouts(ctx, request.auth.companyId, request.params.id),
  );

  // The payer's link: the token is the credential (derived with the data key), under the application's rate limit.
  r.get(
    '/api/v1/public/pay/:token',
    {
      config: { auth: 'public', noStore: true },
      schema: {
        tags,
        summary: 'Follow the pay link: 303 to a checkout for what is outstanding (409 when nothing is)',
        params: s.payTokenParamSchema,
        response: { 404: problemResponses[404], 409: problemResponses[409] },
      },
    },
    async (request, reply) => reply.redirect(await service.openPayLink(ctx, request.params.token), 303),
  );

  r.get(
    '/api/v1/public/pay/:token/status',
    {
      config: { auth: 'public', noStore: true },
      schema: {
        tags,
        summary: 'Where the payer lands after the checkout: what is left to pay',
        params: s.payTokenParamSchema,
        response: { 200: s.payStatusSchema, 404: problemResponses[404] },
      },
    },
    async (request) => service.payLinkStatus(ctx, request.params.token),
  );

  await app.register(webhookRoutes);
}

/** The gateway's webhooks, read as raw bytes: the signature is over them, not over a re-serialised object. */
async function webhookRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: 512 * 1024 },
    (_request, body, done) => done(null, body),
  );

  r.post(
    '/api/v1/public/payment-gateway/:provider/:companyId/webhook',
    {
      config: { auth: 'public', noStore: true },
      schema: {
        tags: ['online payments'],
        summary: "The gateway's signed event (400 GATEWAY_SIGNATURE_INVALID); each event is taken once",
        params: s.webhookParamSchema,
        response: { 200: s.webhookAnswerSchema, 400: problemResponses[400], 404: problemResponses[404] },
      },
    },
    async (request) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const signature = request.headers['stripe-signature'];
      return service.takeWebhook(
        ctx,
        request.params.provider,
        request.params.companyId,
        raw,
        typeof signature === 'string' ? signature : undefined,
      );
    },
  );
}
