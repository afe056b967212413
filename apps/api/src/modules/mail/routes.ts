import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';
import { getCompany } from '../companies/queries';
import { idempotencyKeyOf } from '../idempotency/service';
import { lifecycleOf } from '../invoices/lifecycle';
import { sendApprovedInvoice } from '../invoices/steps';
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
        description:
          'Where invoices are approved before they are sent (UAE), this is the send step: only an approved ' +
          'invoice is sent (409 INVOICE_NOT_APPROVED, INVOICE_NOT_FINALIZED), its transmission is queued, the PDF ' +
          'is e-mailed when there is an address (`mail_status`), sending it again changes nothing, and an ' +
          '`Idempotency-Key` replays the first answer.',
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
            to: z.string().nullable().describe('null: nothing was e-mailed'),
            mail_status: z.enum(['queued', 'none']),
            transmission_status: z
              .enum(['queued', 'none'])
              .describe('queued: sent to the company access point or service provider (GET …/transmission)'),
          }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { companyId } = request.auth;
      const company = await getCompany(ctx.db, { companyId });
      if (company && lifecycleOf(company.country) === 'approval') {
        const outcome = await sendApprovedInvoice(
          ctx,
          companyId,
          actorOf(request),
          request.params.id,
          request.body ?? {},
          { idempotencyKey: idempotencyKeyOf(request.headers['idempotency-key']) },
        );
        if (outcome.isReplay) reply.header('idempotent-replayed', 'true');
        return reply.code(outcome.statusCode).send(outcome.body);
      }
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
