import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { problemResponses } from '../../lib/schemas';
import { assertSuperAdmin } from '../companies/approval';
import * as q from './queries';
import * as s from './schemas';
import * as service from './service';

type BlockRow = Awaited<ReturnType<typeof q.listBlocks>>[number];

const presentBlock = (row: BlockRow) => ({
  key: row.key,
  lang: row.lang,
  body: row.body,
  version: row.version,
  updated_at: row.updatedAt.toISOString(),
});

export async function contentRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['content'];

  r.get(
    '/api/v1/content/public',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: "The public home page's text in one language, by key (no sign-in)",
        querystring: z.strictObject({ lang: s.contentLangSchema.default('en') }),
        response: {
          200: z.object({ lang: s.contentLangSchema, blocks: z.record(z.string(), z.string()) }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const rows = await q.listBlocks(ctx.db, { lang: request.query.lang });
      return { lang: request.query.lang, blocks: Object.fromEntries(rows.map((row) => [row.key, row.body])) };
    },
  );

  r.get(
    '/api/v1/admin/content',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: 'Platform administrators: every content block in both languages',
        response: { 200: z.object({ blocks: z.array(s.contentBlockSchema) }), ...problemResponses },
      },
    },
    async (request) => {
      assertSuperAdmin(request.auth);
      return { blocks: (await q.listBlocks(ctx.db, {})).map(presentBlock) };
    },
  );

  r.put(
    '/api/v1/admin/content/:key/:lang',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: 'Platform administrators: write a block (a new version in its history)',
        params: s.blockParamsSchema,
        body: s.editBlockBodySchema,
        response: { 200: s.contentBlockSchema, ...problemResponses },
      },
    },
    async (request) => {
      assertSuperAdmin(request.auth);
      const block = await service.editBlock(ctx, actorOf(request), {
        ...request.params,
        body: request.body.body,
      });
      return presentBlock(block);
    },
  );

  r.get(
    '/api/v1/admin/content/:key/:lang/history',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: "Platform administrators: a block's versions, newest first",
        params: s.blockParamsSchema,
        response: { 200: z.object({ versions: z.array(s.contentVersionSchema) }), ...problemResponses },
      },
    },
    async (request) => {
      assertSuperAdmin(request.auth);
      const rows = await q.listVersions(ctx.db, request.params);
      return {
        versions: rows.map((row) => ({
          version: row.version,
          body: row.body,
          created_by: row.createdBy,
          restored_from: row.restoredFrom,
          created_at: row.createdAt.toISOString(),
        })),
      };
    },
  );

  r.post(
    '/api/v1/admin/content/:key/:lang/restore',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: 'Platform administrators: bring an old version back (written as the next version)',
        params: s.blockParamsSchema,
        body: s.restoreBodySchema,
        response: { 200: s.contentBlockSchema, ...problemResponses },
      },
    },
    async (request) => {
      assertSuperAdmin(request.auth);
      const block = await service.restoreBlock(ctx, actorOf(request), {
        ...request.params,
        version: request.body.version,
      });
      return presentBlock(block);
    },
  );
}
