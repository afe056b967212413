import { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/actor';
import { AppError, type FieldError, validationError } from '../../lib/errors';
import { parseOrThrow } from '../../lib/field-errors';
import { acceptFileBodies } from '../../lib/file-body';
import { checkTexts } from '../../lib/input-text';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';
import { sendCsv } from '../../lib/spreadsheet';
import * as q from './queries';
import * as s from './schemas';
import * as service from './service';

/** A raw upload's declared types; the bytes decide what the file is (parse.ts sniffs them). */
const RAW_TYPES = [
  'text/csv',
  'text/plain',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-excel',
];

const fileProblems = {
  400: problemResponses[400],
  401: problemResponses[401],
  403: problemResponses[403],
  404: problemResponses[404],
};

/** Bulk import of customers, products and invoices from CSV or XLSX: upload, map, dry run, run. */
export async function importRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const maxBytes = ctx.config.IMPORT_MAX_BYTES;

  await app.register(multipart, {
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1024, parts: 12 },
  });
  // A file sent as the body itself, with the form's fields in the query.
  acceptFileBodies(app, [...RAW_TYPES, 'application/octet-stream'], maxBytes);

  async function readUpload(
    request: FastifyRequest,
  ): Promise<{ fields: Record<string, unknown>; bytes: Buffer; fileName?: string }> {
    if (!request.isMultipart()) {
      if (!Buffer.isBuffer(request.body)) {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
          message: 'Send the file as multipart/form-data (field "file") or as the body.',
        });
      }
      return { fields: { ...(request.query as Record<string, unknown>) }, bytes: request.body };
    }
    const fields: Record<string, unknown> = {};
    let bytes: Buffer | undefined;
    let fileName: string | undefined;
    try {
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          if (part.fieldname !== 'file')
            throw validationError([
              { path: part.fieldname, code: 'UNKNOWN_FIELD', message: 'The file goes in the "file" field.' },
            ]);
          bytes = await part.toBuffer();
          fileName = part.filename;
        } else fields[part.fieldname] = part.value;
      }
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new AppError('PAYLOAD_TOO_LARGE', { message: `A file may be at most ${maxBytes} bytes.` });
      }
      if (code?.startsWith('FST_'))
        throw new AppError('BAD_REQUEST', { message: 'The form could not be read.' });
      throw error;
    }
    if (!bytes) throw validationError([{ path: 'file', code: 'REQUIRED', message: 'Attach the file.' }]);
    return { fields, bytes, fileName };
  }

  r.post(
    '/api/v1/imports',
    {
      config: { permission: 'imports:write', feature: 'imports' },
      bodyLimit: maxBytes + 64 * 1024,
      schema: {
        tags: ['imports'],
        summary: 'Upload a CSV or XLSX file to import (multipart field "file", or the file as the body)',
        description:
          'Form fields (or query): type (customers, products, invoices), mode for invoices (history or issue), ' +
          'template_id of a saved mapping. The answer has the header and a suggested mapping of our fields to ' +
          'its columns. The format is known by the bytes (a ZIP package is XLSX; UTF-8 text, with or without ' +
          'a BOM, is CSV with its delimiter , ; or tab found from the header).',
        response: {
          201: s.importSchema,
          413: problemResponses[400],
          415: problemResponses[400],
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const upload = await readUpload(request);
      const errors: FieldError[] = [];
      const fields = checkTexts(
        { ...upload.fields, ...(upload.fileName ? { file_name: upload.fileName } : {}) },
        '',
        errors,
      ) as Record<string, unknown>;
      if (errors.length > 0) throw validationError(errors);
      const input = parseOrThrow(s.uploadFieldsSchema, fields);
      const row = await service.createImport(ctx, request.auth.companyId, actorOf(request), {
        type: input.type,
        mode: input.mode,
        templateId: input.template_id,
        fileName: (input.file_name ?? 'upload').replace(/^.*[\\/]/, '').slice(0, 200) || 'upload',
        bytes: upload.bytes,
      });
      return reply.code(201).send(service.presentImport(row));
    },
  );

  r.get(
    '/api/v1/imports',
    {
      config: { permission: 'imports:read' },
      schema: {
        tags: ['imports'],
        summary: "The company's latest imports",
        response: { 200: s.importListSchema, ...problemResponses },
      },
    },
    async (request) => ({
      imports: (await q.listImports(ctx.db, { companyId: request.auth.companyId, limit: 50 })).map(
        service.presentImport,
      ),
    }),
  );

  r.get(
    '/api/v1/imports/:id',
    {
      config: { permission: 'imports:read' },
      schema: {
        tags: ['imports'],
        summary:
          'An import: status (uploaded, mapped, validating, validated, importing, imported, failed) and progress',
        params: uuidParamSchema,
        response: { 200: s.importSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.presentImport(
        await service.getImportOrThrow(ctx.db, request.auth.companyId, request.params.id),
      ),
  );

  r.put(
    '/api/v1/imports/:id/mapping',
    {
      config: { permission: 'imports:write', feature: 'imports' },
      schema: {
        tags: ['imports'],
        summary: 'Set the column mapping (our field → header text); clears the last dry run',
        params: uuidParamSchema,
        body: s.mappingBodySchema,
        response: { 200: s.importSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.presentImport(
        await service.setMapping(
          ctx,
          request.auth.companyId,
          actorOf(request),
          request.params.id,
          request.body.mapping,
        ),
      ),
  );

  r.post(
    '/api/v1/imports/:id/dry-run',
    {
      config: { permission: 'imports:write', feature: 'imports' },
      schema: {
        tags: ['imports'],
        summary: 'Check every row in the background (status validating → validated); the bad rows at /errors',
        params: uuidParamSchema,
        response: { 202: s.importSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(
          service.presentImport(
            await service.startDryRun(ctx, request.auth.companyId, actorOf(request), request.params.id),
          ),
        ),
  );

  r.get(
    '/api/v1/imports/:id/errors',
    {
      config: { permission: 'imports:read' },
      schema: {
        tags: ['imports'],
        summary: 'The bad rows of the last dry run (or of a failed run): row number, field, code and reason',
        params: uuidParamSchema,
        querystring: s.errorListQuerySchema,
        response: { 200: s.errorListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { companyId } = request.auth;
      const row = await service.getImportOrThrow(ctx.db, companyId, request.params.id);
      const { page, page_size } = request.query;
      const errors = await q.listImportErrors(ctx.db, {
        companyId,
        importId: row.id,
        limit: page_size,
        offset: (page - 1) * page_size,
      });
      return { total_rows: row.errorCount, page, page_size, errors };
    },
  );

  r.get(
    '/api/v1/imports/:id/errors.csv',
    {
      config: { permission: 'imports:read', noStore: true },
      schema: {
        tags: ['imports'],
        summary:
          "The bad rows as CSV: the file's own columns and an error column (formula cells neutralised)",
        params: uuidParamSchema,
        response: fileProblems,
      },
    },
    async (request, reply) => {
      const row = await service.getImportOrThrow(ctx.db, request.auth.companyId, request.params.id);
      const name = `${row.fileName.replace(/\.(csv|xlsx)$/i, '')}-errors.csv`;
      return sendCsv(reply, name, Readable.from(service.errorsCsv(ctx, request.auth.companyId, row.id)));
    },
  );

  r.post(
    '/api/v1/imports/:id/run',
    {
      config: { permission: 'imports:write', feature: 'imports' },
      schema: {
        tags: ['imports'],
        summary: 'Import, all or nothing, as a background job (status importing → imported or failed)',
        params: uuidParamSchema,
        response: { 202: s.importSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(
          service.presentImport(
            await service.startRun(ctx, request.auth.companyId, actorOf(request), request.params.id),
          ),
        ),
  );

  for (const type of s.importTypeSchema.options) {
    r.get(
      `/api/v1/imports/templates/${type}.csv`,
      {
        config: { permission: 'imports:read' },
        schema: {
          tags: ['imports'],
          summary: `The CSV template for ${type}: our column names and an example row`,
          response: fileProblems,
        },
      },
      async (_request, reply) => sendCsv(reply, `${type}-template.csv`, service.templateCsv(type)),
    );
  }

  r.get(
    '/api/v1/import-templates',
    {
      config: { permission: 'imports:read' },
      schema: {
        tags: ['imports'],
        summary: 'Saved column mappings, per type',
        querystring: s.templateListQuerySchema,
        response: { 200: s.templateListSchema, ...problemResponses },
      },
    },
    async (request) => ({
      templates: (
        await q.listTemplates(ctx.db, { companyId: request.auth.companyId, type: request.query.type })
      ).map(service.presentTemplate),
    }),
  );

  r.post(
    '/api/v1/import-templates',
    {
      config: { permission: 'imports:write', feature: 'imports' },
      schema: {
        tags: ['imports'],
        summary: 'Save a column mapping under a name (the same name again replaces it)',
        body: s.templateBodySchema,
        response: { 201: s.templateSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          service.presentTemplate(
            await service.saveTemplate(ctx, request.auth.companyId, actorOf(request), request.body),
          ),
        ),
  );
}
