import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { AppError } from '../../lib/errors';
import { acceptFileBodies, fileBodyOf } from '../../lib/file-body';
import { problemResponses } from '../../lib/schemas';
import { LOGO_MAX_BYTES, LOGO_TYPES, putCompanyLogo, readCompanyLogo, removeCompanyLogo } from './logo';
import { logoSchema } from './schemas';

/** The logo answers as bytes: only the problems are JSON schemas. */
const imageProblems = {
  401: problemResponses[401],
  403: problemResponses[403],
  404: problemResponses[404],
};

/** The company logo: its own plugin, so image bodies are parsed here only. */
export async function companyLogoRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['companies'];

  // The declared type is checked against the bytes by the service, never trusted. One byte over the limit is
  // read, so the service (not only the body limit) answers 413 for a file just too big.
  acceptFileBodies(app, [...LOGO_TYPES, 'application/octet-stream'], LOGO_MAX_BYTES);

  r.put(
    '/api/v1/companies/current/logo',
    {
      config: { permission: 'company:write' },
      bodyLimit: LOGO_MAX_BYTES,
      schema: {
        tags,
        summary:
          'Upload the company logo (PNG or JPEG, as the body); printed on documents issued from now on',
        description:
          'The body is the image itself, sent as image/png, image/jpeg or application/octet-stream. Its type is ' +
          'read from its first bytes: anything but a PNG or JPEG, or a file not of the type it was sent as, is ' +
          'refused (415), as is one over 1 MiB (413) or an image under 16 or over 4096 pixels a side (422). ' +
          'Invoices already issued keep the logo they were issued with.',
        response: { 200: logoSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { bytes, declaredType } = fileBodyOf(request);
      return putCompanyLogo(ctx, request.auth.companyId, actorOf(request), {
        bytes,
        declaredType,
      });
    },
  );

  r.get(
    '/api/v1/companies/current/logo',
    {
      config: { permission: 'company:read' },
      schema: {
        tags,
        summary: 'The company logo as stored (its own type)',
        response: imageProblems,
      },
    },
    async (request, typedReply) => {
      const found = await readCompanyLogo(ctx, ctx.db, { companyId: request.auth.companyId });
      if (!found) throw new AppError('LOGO_NOT_FOUND');
      const reply = typedReply as unknown as FastifyReply;
      return reply
        .header('cache-control', 'private, no-cache')
        .header('etag', `"${found.logo.sha256}"`)
        .header('x-content-type-options', 'nosniff')
        .header('content-length', String(found.bytes.length))
        .type(found.logo.contentType)
        .send(found.bytes);
    },
  );

  r.delete(
    '/api/v1/companies/current/logo',
    {
      config: { permission: 'company:write' },
      schema: {
        tags,
        summary: 'Print no logo on documents issued from now on (issued ones keep theirs)',
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await removeCompanyLogo(ctx, request.auth.companyId, actorOf(request));
      return reply.code(204).send(null);
    },
  );
}
