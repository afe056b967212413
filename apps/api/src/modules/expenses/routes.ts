import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { contentDisposition } from '../../lib/content-disposition';
import { acceptFileBodies, fileBodyOf } from '../../lib/file-body';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';
import { RECEIPT_TYPES } from '../files/sniff';
import * as s from './schemas';
import * as service from './service';

/** A receipt answers as bytes: only the problems are JSON schemas. */
const receiptProblems = {
  400: problemResponses[400],
  401: problemResponses[401],
  403: problemResponses[403],
  404: problemResponses[404],
};

/** Expenses and their receipts. */
export async function expenseRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['expenses'];

  // Receipts arrive as the file's own bytes (what a phone camera or a file picker gives a fetch), in this plugin
  // only; the declared type is checked against the bytes by the service, never trusted.
  acceptFileBodies(app, [...RECEIPT_TYPES, 'application/octet-stream'], ctx.config.RECEIPT_MAX_BYTES);

  r.get(
    '/api/v1/expenses',
    {
      config: { permission: 'expenses:read' },
      schema: {
        tags,
        summary: 'List expenses, newest first (filters: date range, status, category)',
        querystring: s.expenseListQuerySchema,
        response: { 200: s.expenseListSchema, ...problemResponses },
      },
    },
    async (request) => service.listExpenses(ctx.db, request.auth.companyId, request.query),
  );

  r.post(
    '/api/v1/expenses',
    {
      config: { permission: 'expenses:write' },
      schema: {
        tags,
        summary:
          'Record an expense: amount with VAT included, the VAT (recoverable or not), currency and rate',
        body: s.expenseCreateSchema,
        response: { 201: s.expenseSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await service.createExpense(ctx, request.auth.companyId, actorOf(request), request.body)),
  );

  r.get(
    '/api/v1/expenses/:id',
    {
      config: { permission: 'expenses:read' },
      schema: {
        tags,
        summary: 'One expense',
        params: uuidParamSchema,
        response: { 200: s.expenseSchema, ...problemResponses },
      },
    },
    async (request) => service.getExpense(ctx.db, request.auth.companyId, request.params.id),
  );

  r.patch(
    '/api/v1/expenses/:id',
    {
      config: { permission: 'expenses:write' },
      schema: {
        tags,
        summary: 'Change an expense; a new amount or rate recomputes the VAT unless it is sent too',
        params: uuidParamSchema,
        body: s.expenseUpdateSchema,
        response: { 200: s.expenseSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.updateExpense(ctx, request.auth.companyId, actorOf(request), request.params.id, request.body),
  );

  r.delete(
    '/api/v1/expenses/:id',
    {
      config: { permission: 'expenses:write' },
      schema: {
        tags,
        summary: 'Delete an expense and its receipt',
        params: uuidParamSchema,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await service.deleteExpense(ctx, request.auth.companyId, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.put(
    '/api/v1/expenses/:id/receipt',
    {
      config: { permission: 'expenses:write' },
      bodyLimit: ctx.config.RECEIPT_MAX_BYTES,
      schema: {
        tags,
        summary: 'Upload the receipt (JPEG, PNG or PDF, as the body); replaces an earlier one',
        description:
          'The body is the file itself, sent as image/jpeg, image/png, application/pdf or application/octet-stream. ' +
          'Its type is read from its first bytes: a file that is not what it was sent as is refused (415), as is ' +
          'one beyond RECEIPT_MAX_BYTES (413) or a file_name with a folder in it (400).',
        params: uuidParamSchema,
        querystring: s.receiptQuerySchema,
        response: { 200: s.receiptSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { bytes, declaredType } = fileBodyOf(request);
      return service.putReceipt(ctx, request.auth.companyId, actorOf(request), request.params.id, {
        bytes,
        declaredType,
        fileName: request.query.file_name,
      });
    },
  );

  r.get(
    '/api/v1/expenses/:id/receipt',
    {
      config: { permission: 'expenses:read' },
      schema: {
        tags,
        summary: 'Download the receipt as stored (attachment, its own type)',
        params: uuidParamSchema,
        response: receiptProblems,
      },
    },
    async (request, typedReply) =>
      sendReceipt(
        typedReply as unknown as FastifyReply,
        await service.readReceipt(ctx, request.auth.companyId, request.params.id),
      ),
  );
}

/**
 * The stored bytes with the headers a phone's browser needs to save rather than render them: attachment, the
 * type the bytes were found to be, nosniff, a length, and no cache (private financial documents, shared devices).
 */
export function sendReceipt(
  reply: FastifyReply,
  receipt: { bytes: Buffer; fileName: string; contentType: string; sha256: string },
) {
  return reply
    .header('cache-control', 'private, no-cache, no-store, must-revalidate, max-age=0')
    .header('pragma', 'no-cache')
    .header('expires', '0')
    .header('etag', `"${receipt.sha256}"`)
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', contentDisposition('attachment', receipt.fileName))
    .header('content-length', String(receipt.bytes.length))
    .type(receipt.contentType)
    .send(receipt.bytes);
}
