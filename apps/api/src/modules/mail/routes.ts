import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';
import { sendInvoice } from './service';

/**
 * The sender's own words in the invoice mail: plain text of a few paragraphs. Markup is refused rather than
 * escaped (a mail that arrives showing tags helps nobody, and a relay for HTML links is what an abuser wants).
 * Control characters other than line breaks and tabs are refused for every request by lib/input-text.ts.
 */
const messageSchema = z
  .string()
  .trim()
  .max(1000)
  .refine((text) => !/<[a-z!/?]/i.test(text), {
    message: 'Plain text only, no HTML.',
    params: { code: 'MARKUP_NOT_ALLOWED' },
  });

/** Sending invoices by e-mail (the outbox sender job is `mailJobs`). */
export async function mailRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;

  r.post(
    '/api/v1/invoices/:id/send',
    {
      config: { permission: 'invoices:write' },
      schema: {
        tags: ['invoices'],
        summary: "E-mail the invoice with its PDF to the customer's address (or `to`) and mark it sent",
        params: uuidParamSchema,
        body: z
          .strictObject({
            to: z.email().max(254).optional().describe("Defaults to the customer's e-mail"),
            message: messageSchema.optional(),
          })
          .optional(),
        response: {
          202: z.object({
            invoice_id: z.string(),
            invoice_number: z.string(),
            status: z.literal('sent'),
            sent_at: z.string(),
            to: z.string(),
            mail_status: z.literal('queued'),
          }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const result = await sendInvoice(
        ctx,
        request.auth.companyId,
        actorOf(request),
        request.params.id,
        request.body ?? {},
      );
      return reply.code(202).send(result);
    },
  );
}
