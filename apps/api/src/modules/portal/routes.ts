import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { contentDisposition } from '../../lib/content-disposition';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';
import { replyWithPdf } from '../pdf/routes';
import * as s from './schemas';
import * as service from './service';

const tags = ['customer portal'];
const files = { ...problemResponses, 410: problemResponses[404] };

/** The portal caller's company and customer: the membership's, set by the `auth: 'client'` guard. */
function customerOf(request: FastifyRequest): service.Customer {
  return { companyId: request.auth.companyId, customerId: request.auth.customerId as string };
}

function replyWithXml(reply: FastifyReply, { xml, number }: { xml: string; number: string }) {
  return reply
    .type('application/xml; charset=utf-8')
    .header('cache-control', 'private, no-store')
    .header('content-disposition', contentDisposition('attachment', `${number}.xml`))
    .send(xml);
}

/**
 * The customer portal (`/api/v1/portal/…`): a client of the company (membership role `client`) reads its own
 * customer's documents; staff get 403 here, as a client does on every company route. The invoice mail's link is
 * followed at `/api/v1/portal/link`; a read-only view it opens is `/api/v1/public/portal/{token}/…`.
 */
export async function portalRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const config = { auth: 'client' as const };

  r.get(
    '/api/v1/portal/me',
    {
      config,
      schema: {
        tags,
        summary: 'Who the portal is for: the seller and the customer of the client membership',
        response: { 200: s.portalHomeSchema, ...problemResponses },
      },
    },
    async (request) => service.portalHome(ctx, customerOf(request)),
  );

  r.get(
    '/api/v1/portal/invoices',
    {
      config,
      schema: {
        tags,
        summary: "The customer's issued invoices, credit and debit notes, newest first",
        querystring: s.invoiceListQuerySchema,
        response: { 200: s.invoiceListSchema, ...problemResponses },
      },
    },
    async (request) => service.listInvoices(ctx, customerOf(request), request.query),
  );

  r.get(
    '/api/v1/portal/invoices/:id',
    {
      config,
      schema: {
        tags,
        summary: "One of the customer's documents: lines, payments and its pay link",
        params: uuidParamSchema,
        response: { 200: s.invoiceSchema, ...problemResponses },
      },
    },
    async (request) => service.getInvoice(ctx, customerOf(request), request.params.id),
  );

  r.get(
    '/api/v1/portal/invoices/:id/pdf',
    {
      config,
      schema: {
        tags,
        summary: "The document's PDF, the same bytes the seller has",
        params: uuidParamSchema,
        querystring: s.downloadQuerySchema,
        response: files,
      },
    },
    async (request, reply) =>
      replyWithPdf(
        request.headers['if-none-match'],
        reply as unknown as FastifyReply,
        await service.invoicePdf(ctx, customerOf(request), request.params.id),
        request.query.disposition,
      ),
  );

  r.get(
    '/api/v1/portal/invoices/:id/xml',
    {
      config,
      schema: {
        tags,
        summary: "The document's e-invoice XML (ZATCA's cleared one once cleared)",
        params: uuidParamSchema,
        response: files,
      },
    },
    async (request, reply) =>
      replyWithXml(
        reply as unknown as FastifyReply,
        await service.invoiceXml(ctx, customerOf(request), request.params.id),
      ),
  );

  r.get(
    '/api/v1/portal/statement',
    {
      config,
      schema: {
        tags,
        summary: 'The statement of account per currency: documents and payments with the running balance',
        response: { 200: s.statementSchema, ...problemResponses },
      },
    },
    async (request) => service.statement(ctx, customerOf(request)),
  );

  r.get(
    '/api/v1/portal/payments',
    {
      config,
      schema: {
        tags,
        summary: "The customer's payments and the documents each paid",
        querystring: s.paymentListQuerySchema,
        response: { 200: s.paymentListSchema, ...problemResponses },
      },
    },
    async (request) => service.listPayments(ctx, customerOf(request), request.query),
  );

  r.post(
    '/api/v1/portal/link',
    {
      config: { auth: 'public', noStore: true },
      schema: {
        tags,
        summary:
          "Follow an invoice mail's portal link, once: signs in the customer's portal user with the address it " +
          'was sent to, or opens that invoice read-only (404 unknown, 410 PORTAL_LINK_USED / PORTAL_LINK_EXPIRED)',
        body: s.followLinkSchema,
        response: { 200: s.followLinkAnswerSchema, ...problemResponses, 410: problemResponses[404] },
      },
    },
    async (request) => service.followPortalLink(ctx, request.body.token),
  );

  // The read-only view of one invoice a portal link opened: the grant token is the credential.
  r.get(
    '/api/v1/public/portal/:token/invoice',
    {
      config: { auth: 'public', noStore: true },
      schema: {
        tags,
        summary:
          'The invoice a portal link opened read-only (410 PORTAL_VIEW_EXPIRED once the view has ended)',
        params: s.viewTokenParamSchema,
        response: { 200: s.invoiceSchema, ...problemResponses, 410: problemResponses[404] },
      },
    },
    async (request) => {
      const grant = await service.grantOf(ctx, request.params.token);
      return service.getInvoice(ctx, grant, grant.invoiceId);
    },
  );

  r.get(
    '/api/v1/public/portal/:token/invoice/pdf',
    {
      config: { auth: 'public', noStore: true },
      schema: {
        tags,
        summary: 'The PDF of the invoice a portal link opened read-only',
        params: s.viewTokenParamSchema,
        querystring: s.downloadQuerySchema,
        response: files,
      },
    },
    async (request, reply) => {
      const grant = await service.grantOf(ctx, request.params.token);
      return replyWithPdf(
        request.headers['if-none-match'],
        reply as unknown as FastifyReply,
        await service.invoicePdf(ctx, grant, grant.invoiceId),
        request.query.disposition,
      );
    },
  );

  r.get(
    '/api/v1/public/portal/:token/invoice/xml',
    {
      config: { auth: 'public', noStore: true },
      schema: {
        tags,
        summary: 'The e-invoice XML of the invoice a portal link opened read-only',
        params: s.viewTokenParamSchema,
        response: files,
      },
    },
    async (request, reply) => {
      const grant = await service.grantOf(ctx, request.params.token);
      return replyWithXml(
        reply as unknown as FastifyReply,
        await service.invoiceXml(ctx, grant, grant.invoiceId),
      );
    },
  );
}
