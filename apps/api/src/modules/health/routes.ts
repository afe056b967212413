import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors';

export async function healthRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['operations'];
  // Liveness: the process answers. Readiness: it can reach its database (a load balancer sends traffic then).
  r.get(
    '/health',
    {
      config: { auth: 'public' },
      schema: { tags, response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => ({
      status: 'ok' as const,
    }),
  );
  r.get(
    '/ready',
    {
      config: { auth: 'public' },
      schema: { tags, response: { 200: z.object({ status: z.literal('ready'), database: z.string() }) } },
    },
    async () => {
      try {
        await app.ctx.database.execute('SELECT 1');
      } catch {
        throw new AppError('NOT_READY');
      }
      return { status: 'ready' as const, database: app.ctx.database.kind };
    },
  );
}
