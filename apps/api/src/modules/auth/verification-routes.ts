import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../lib/schemas';
import { verifyEmailBodySchema } from './schemas';
import * as verification from './verification';

export async function emailVerificationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['auth'];

  r.post(
    '/api/v1/auth/email/verify',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Confirm the account e-mail address with the mailed link (single use, 24 hours)',
        body: verifyEmailBodySchema,
        response: { 200: z.object({ email_verified: z.literal(true) }), ...problemResponses },
      },
    },
    async (request) => {
      await verification.verifyEmail(ctx, request.body.token, request.id);
      return { email_verified: true as const };
    },
  );

  r.post(
    '/api/v1/auth/email/resend',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: 'Mail another verification link (a few an hour)',
        response: { 202: z.object({ status: z.literal('sent') }), ...problemResponses },
      },
    },
    async (request, reply) => {
      await verification.resendVerification(ctx, request.auth.userId);
      return reply.code(202).send({ status: 'sent' as const });
    },
  );
}
