import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { contentDisposition } from '../../lib/content-disposition';
import { offsetOf } from '../../lib/pagination';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';
import { pdfQuerySchema } from '../pdf/schemas';
import * as q from './queries';
import * as s from './schemas';
import * as service from './service';

/** The PDF answer: a private document, never kept by a shared cache. */
function sendPdf(reply: FastifyReply, pdf: Buffer, fileName: string, disposition: 'inline' | 'attachment') {
  return reply
    .type('application/pdf')
    .header('cache-control', 'private, no-store, max-age=0')
    .header('x-content-type-options', 'nosniff')
    .header('content-length', String(pdf.length))
    .header('content-disposition', contentDisposition(disposition, fileName))
    .send(pdf);
}

/** Quotations (the company's routes) and their public link (the customer's, by its token alone). */
export async function quoteRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const base = '/api/v1/quotes';
  const tags = ['quotes'];

  r.get(
    base,
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'List quotations, newest first',
        querystring: s.quoteListQuerySchema,
        response: { 200: s.quoteListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { page, page_size, status, customer_id } = request.query;
      const { total, rows } = await q.listQuotes(ctx.db, {
        companyId: request.auth.companyId,
        status,
        customerId: customer_id,
        limit: page_size,
        offset: offsetOf(request.query),
      });
      return { total, page, page_size, quotes: rows.map(service.presentQuote) };
    },
  );

  r.post(
    base,
    {
      config: { permission: 'invoices:write' },
      schema: {
        tags,
        summary: 'Create a quotation (a draft, numbered on the quotation series: Q-2026-0001)',
        body: s.quoteBodySchema,
        response: { 201: s.quoteSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const row = await service.createQuote(ctx, request.auth.companyId, actorOf(request), request.body);
      return reply.code(201).send(service.presentQuote(row));
    },
  );

  r.get(
    `${base}/:id`,
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'One quotation',
        params: uuidParamSchema,
        response: { 200: s.quoteSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.presentQuote(await service.getQuoteOrThrow(ctx.db, request.auth.companyId, request.params.id)),
  );

  r.patch(
    `${base}/:id`,
    {
      config: { permission: 'invoices:write' },
      schema: {
        tags,
        summary: 'Change a draft quotation (the fields sent replace its own)',
        params: uuidParamSchema,
        body: s.quotePatchSchema,
        response: { 200: s.quoteSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.presentQuote(
        await service.updateQuote(
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
      config: { permission: 'invoices:write' },
      schema: {
        tags,
        summary: 'Delete a draft quotation',
        params: uuidParamSchema,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await service.deleteQuote(ctx, request.auth.companyId, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.post(
    `${base}/:id/send`,
    {
      config: { permission: 'invoices:write', noStore: true },
      schema: {
        tags,
        summary: 'E-mail the quotation (PDF attached) with the customer’s link to accept or decline it',
        params: uuidParamSchema,
        body: s.quoteSendBodySchema,
        response: { 202: s.quoteSentSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const sent = await service.sendQuote(
        ctx,
        request.auth.companyId,
        actorOf(request),
        request.params.id,
        request.body,
      );
      return reply.code(202).send(sent);
    },
  );

  r.post(
    `${base}/:id/convert`,
    {
      config: { permission: 'invoices:write' },
      schema: {
        tags,
        summary:
          'Make a draft invoice with the quotation’s lines (once: again answers 409 with its invoice_id)',
        params: uuidParamSchema,
        response: { 201: s.convertedSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const converted = await service.convertQuote(
        ctx,
        request.auth.companyId,
        actorOf(request),
        request.params.id,
      );
      return reply.code(201).send(converted);
    },
  );

  r.get(
    `${base}/:id/pdf`,
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'The quotation PDF (the invoice layout titled Quotation; no QR, no e-invoice)',
        params: uuidParamSchema,
        querystring: pdfQuerySchema,
        response: { 404: problemResponses[404] },
      },
    },
    async (request, reply) => {
      const { pdf, number } = await service.getQuotePdf(ctx.db, {
        companyId: request.auth.companyId,
        quoteId: request.params.id,
      });
      return sendPdf(reply as unknown as FastifyReply, pdf, `${number}.pdf`, request.query.disposition);
    },
  );

  // The customer's link: the token is the credential (256 random bits), so these are public routes under the
  // application's rate limit; nothing here reveals whether another token exists.
  const publicBase = '/api/v1/public/quotes/:token';
  const publicTags = ['public quotes'];

  r.get(
    publicBase,
    {
      config: { auth: 'public', noStore: true },
      schema: {
        tags: publicTags,
        summary: 'The quotation as its customer sees it (404 unknown link; 410 QUOTE_EXPIRED)',
        params: s.tokenParamSchema,
        response: { 200: s.publicQuoteSchema, 410: problemResponses[404], ...problemResponses },
      },
    },
    async (request) => service.getPublicQuote(ctx, request.params.token),
  );

  r.get(
    `${publicBase}/pdf`,
    {
      config: { auth: 'public', noStore: true },
      schema: {
        tags: publicTags,
        summary: 'The quotation PDF by its link',
        params: s.tokenParamSchema,
        querystring: pdfQuerySchema,
        response: { 404: problemResponses[404] },
      },
    },
    async (request, reply) => {
      const { pdf, number } = await service.getPublicQuotePdf(ctx, request.params.token);
      return sendPdf(reply as unknown as FastifyReply, pdf, `${number}.pdf`, request.query.disposition);
    },
  );

  for (const decision of ['accept', 'decline'] as const) {
    r.post(
      `${publicBase}/${decision}`,
      {
        config: { auth: 'public', noStore: true },
        schema: {
          tags: publicTags,
          summary:
            decision === 'accept'
              ? 'Accept the quotation (again: answered as it is)'
              : 'Decline the quotation, with an optional note (after an acceptance: 409)',
          params: s.tokenParamSchema,
          body: s.decisionBodySchema,
          response: { 200: s.publicQuoteSchema, 410: problemResponses[404], ...problemResponses },
        },
      },
      async (request) =>
        service.decideQuote(ctx, request.params.token, decision, {
          note: request.body.note,
          requestId: request.id,
        }),
    );
  }
}
