import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { contentDisposition } from '../../lib/content-disposition';
import { problemSchema as strictProblemSchema, uuidParamSchema } from '../../lib/schemas';
import { payLinkForPdf } from '../online-payments/service';
import * as s from './schemas';
import { getInvoicePdf } from './service';

const problemSchema = strictProblemSchema.loose();
const problems = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
};

/** If-None-Match lists the ETag (or is `*`); weak comparison, as RFC 9110 asks for GET. */
function isNotModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

/** Answers a stored invoice PDF: its ETag, no cache anywhere (a private document), its length and file name. */
export function replyWithPdf(
  ifNoneMatch: string | undefined,
  reply: FastifyReply,
  { pdf, sha256, number }: { pdf: Buffer; sha256: string; number: string },
  disposition: 'inline' | 'attachment',
) {
  const etag = `"${sha256}"`;
  // A private financial document: no shared or browser cache keeps it (shared devices), and clients that keep
  // their own copy revalidate with the ETag. Pragma/Expires for old mobile browsers and proxies.
  reply
    .header('cache-control', 'private, no-cache, no-store, must-revalidate, max-age=0')
    .header('pragma', 'no-cache')
    .header('expires', '0')
    .header('etag', etag)
    .header('x-content-type-options', 'nosniff');
  if (isNotModified(ifNoneMatch, etag)) return reply.code(304).send();
  return (
    reply
      .type('application/pdf')
      // iOS Safari shows progress and Android's download manager keeps the file only with a length.
      .header('content-length', String(pdf.length))
      .header('content-disposition', contentDisposition(disposition, `${number}.pdf`))
      .send(pdf)
  );
}

export async function pdfRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;

  r.get(
    '/api/v1/invoices/:id/pdf',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags: ['invoices'],
        summary: 'The invoice PDF (bilingual A4; PDF/A-3 with the ZATCA XML attached for Saudi invoices)',
        description:
          'The bytes never change once issued (ETag: their SHA-256; If-None-Match answers 304). A standard ' +
          'invoice on a ZATCA unit has its PDF once cleared (409 INVOICE_AWAITING_CLEARANCE before).',
        params: uuidParamSchema,
        querystring: s.pdfQuerySchema,
        response: problems,
      },
    },
    async (request, typedReply) => {
      // The body is bytes, not one of the JSON schemas above (those type the problems only).
      const reply = typedReply as unknown as FastifyReply;
      const { pdf, sha256, number } = await getInvoicePdf(
        ctx.db,
        { companyId: request.auth.companyId, invoiceId: request.params.id, files: ctx.config },
        payLinkForPdf(ctx),
      );
      return replyWithPdf(
        request.headers['if-none-match'],
        reply,
        { pdf, sha256, number },
        request.query.disposition,
      );
    },
  );
}
