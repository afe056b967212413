import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { problemResponses, problemSchema } from '../../lib/schemas';
import { participantLookupSchema, participantParamSchema } from './schemas';
import { lookupParticipant } from './service';

/** Peppol network lookups: whether a participant is registered, its SMP and what it receives. */
export async function peppolRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;

  r.get(
    '/api/v1/peppol/participants/:participant',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags: ['peppol'],
        summary:
          'A Peppol participant ("0088:5790000435975"): its SMP (from the SML) and the document types and processes it receives, from the SMP’s signed answers',
        params: participantParamSchema,
        response: {
          200: participantLookupSchema,
          ...problemResponses,
          502: problemSchema,
          503: problemSchema,
        },
      },
    },
    async (request) => lookupParticipant(ctx, request.params.participant),
  );
}
