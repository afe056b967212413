import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';

// Problems may carry extra members (a conflict's current version): keep them when serializing.

import * as q from './queries';
import * as s from './schemas';
import * as service from './service';

// The body may carry a little more than the draft itself (name, version); DRAFT_MAX_BYTES is checked on draft_data.
const bodyLimit = s.DRAFT_MAX_BYTES + 16 * 1024;

/** Invoice drafts: private to the user in the active company. */
export async function draftRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['drafts'];
  const config = { permission: 'invoices:write' } as const;
  const ownerOf = (request: { auth: { companyId: string; userId: string } }) => ({
    companyId: request.auth.companyId,
    userId: request.auth.userId,
  });

  r.post(
    '/api/v1/drafts',
    {
      config,
      bodyLimit,
      schema: {
        tags,
        summary: 'Auto-save (updates your one auto-save draft in place) or save a named draft',
        description:
          'Send the version you loaded (body `version` or `If-Match: "v<version>"`) to be told of a newer save elsewhere (409 DRAFT_CONFLICT); a first save with `If-None-Match: *` is refused the same way when a draft already exists.',
        body: s.draftSaveSchema,
        response: { 200: s.draftSchema, 201: s.draftSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const version = service.expectedVersion(
        request.body.version,
        request.headers['if-match'],
        request.headers['if-none-match'],
      );
      const { row, created } = await service.saveDraft(ctx, ownerOf(request), request.body, version);
      return reply
        .code(created ? 201 : 200)
        .header('etag', service.etagOf(row))
        .send(service.presentDraft(row));
    },
  );

  r.get(
    '/api/v1/drafts/latest',
    {
      config,
      schema: {
        tags,
        summary: 'Your auto-saved draft in this company (204 when you have none)',
        response: { 200: s.draftSchema, 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const row = await q.getAutoSave(ctx.db, ownerOf(request));
      // Having no draft is the usual state of a new editor, not a missing resource.
      if (!row) return reply.code(204).send(null);
      return reply.header('etag', service.etagOf(row)).send(service.presentDraft(row));
    },
  );

  r.get(
    '/api/v1/drafts',
    {
      config,
      schema: {
        tags,
        summary: 'Your named drafts in this company, most recent first',
        response: { 200: z.array(s.draftSchema), ...problemResponses },
      },
    },
    async (request) => (await q.listNamedDrafts(ctx.db, ownerOf(request))).map(service.presentDraft),
  );

  r.get(
    '/api/v1/drafts/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Open a draft',
        params: uuidParamSchema,
        response: { 200: s.draftSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const row = await q.getDraft(ctx.db, { ...ownerOf(request), id: request.params.id });
      if (!row) throw new AppError('DRAFT_NOT_FOUND');
      return reply.header('etag', service.etagOf(row)).send(service.presentDraft(row));
    },
  );

  r.put(
    '/api/v1/drafts/:id',
    {
      config,
      bodyLimit,
      schema: {
        tags,
        summary: 'Replace a draft (409 DRAFT_CONFLICT when your version is stale)',
        params: uuidParamSchema,
        body: s.draftUpdateSchema,
        response: { 200: s.draftSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const version = service.expectedVersion(request.body.version, request.headers['if-match']);
      const row = await service.updateDraft(ctx, ownerOf(request), request.params.id, request.body, version);
      return reply.header('etag', service.etagOf(row)).send(service.presentDraft(row));
    },
  );

  r.delete(
    '/api/v1/drafts/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Delete a draft',
        params: uuidParamSchema,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      if (!(await q.deleteDraft(ctx.db, { ...ownerOf(request), id: request.params.id })))
        throw new AppError('DRAFT_NOT_FOUND');
      return reply.code(204).send(null);
    },
  );
}
