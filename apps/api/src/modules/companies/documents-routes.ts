import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { contentDisposition } from '../../lib/content-disposition';
import { acceptFileBodies, fileBodyOf } from '../../lib/file-body';
import { problemResponses } from '../../lib/schemas';
import { assertSuperAdmin } from './approval';
import {
  COMPANY_DOCUMENT_KINDS,
  COMPANY_DOCUMENT_TYPES,
  deleteCompanyDocument,
  listCompanyDocuments,
  readCompanyDocument,
  readCompanyDocumentAsSuperAdmin,
  uploadCompanyDocument,
} from './documents';
import type { CompanyDocumentRow } from './queries';
import { companyDocumentSchema } from './schemas';

/** A download answers as bytes: only the problems are JSON schemas. */
const fileProblems = {
  400: problemResponses[400],
  401: problemResponses[401],
  403: problemResponses[403],
  404: problemResponses[404],
};

const uploadQuerySchema = z.strictObject({
  kind: z.enum(COMPANY_DOCUMENT_KINDS).describe('What the document is'),
  // Required, but checked by the service with the file's other rules (a name with a folder is refused).
  file_name: z.string().max(200).optional().describe('Required: the file’s own name, without any folder'),
});

const documentParams = z.strictObject({ id: z.uuid() });
const adminDocumentParams = z.strictObject({ companyId: z.uuid(), id: z.uuid() });

/** The company's registration documents: its own plugin, so file bodies are parsed here only. */
export async function companyDocumentRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['companies'];
  const limit = ctx.config.COMPANY_DOCUMENT_MAX_BYTES;

  // One byte over the limit is read, so the service (not only the body limit) answers 413 for a file just too big.
  acceptFileBodies(app, [...COMPANY_DOCUMENT_TYPES, 'application/octet-stream'], limit);

  r.post(
    '/api/v1/companies/current/documents',
    {
      config: { permission: 'settings:write' },
      bodyLimit: limit,
      schema: {
        tags,
        summary:
          'Upload a registration document (trade licence, VAT certificate, other) as the body: PDF, PNG or JPEG',
        description:
          'The body is the file itself, sent as application/pdf, image/png, image/jpeg or application/octet-stream. ' +
          'Its type is read from its first bytes: anything else, or a file not of the type it was sent as, is ' +
          'refused (415), as is one beyond COMPANY_DOCUMENT_MAX_BYTES (413) or beyond the plan’s storage (402). ' +
          'A platform administrator reads them before approving the company.',
        querystring: uploadQuerySchema,
        response: { 201: companyDocumentSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { bytes, declaredType } = fileBodyOf(request);
      const document = await uploadCompanyDocument(ctx, request.auth.companyId, actorOf(request), {
        bytes,
        declaredType,
        kind: request.query.kind,
        fileName: request.query.file_name,
      });
      return reply.code(201).send(document);
    },
  );

  r.get(
    '/api/v1/companies/current/documents',
    {
      config: { permission: 'settings:read' },
      schema: {
        tags,
        summary: 'The company’s registration documents, in the order they were sent',
        response: {
          200: z.object({ documents: z.array(companyDocumentSchema) }),
          ...problemResponses,
        },
      },
    },
    async (request) => ({
      documents: await listCompanyDocuments(ctx.db, { companyId: request.auth.companyId }),
    }),
  );

  r.get(
    '/api/v1/companies/current/documents/:id',
    {
      config: { permission: 'settings:read' },
      schema: {
        tags,
        summary: 'Download a registration document as stored (attachment, its own type)',
        params: documentParams,
        response: fileProblems,
      },
    },
    async (request, typedReply) => {
      const found = await readCompanyDocument(ctx, ctx.db, {
        companyId: request.auth.companyId,
        id: request.params.id,
      });
      return sendDocument(typedReply as unknown as FastifyReply, found);
    },
  );

  r.delete(
    '/api/v1/companies/current/documents/:id',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags,
        summary:
          'Delete a registration document (while the company is not approved on it: then it is kept, 409)',
        params: documentParams,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await deleteCompanyDocument(ctx, request.auth.companyId, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/v1/admin/companies/:companyId/documents/:id',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['platform'],
        summary: 'Platform administrators: download a company’s registration document (audited)',
        params: adminDocumentParams,
        response: fileProblems,
      },
    },
    async (request, typedReply) => {
      assertSuperAdmin(request.auth);
      const found = await readCompanyDocumentAsSuperAdmin(ctx, actorOf(request), {
        companyId: request.params.companyId,
        id: request.params.id,
      });
      return sendDocument(typedReply as unknown as FastifyReply, found);
    },
  );
}

/** Attachment, the type the bytes were found to be, nosniff and no cache: private papers, shared devices. */
function sendDocument(reply: FastifyReply, { row, bytes }: { row: CompanyDocumentRow; bytes: Buffer }) {
  return reply
    .header('cache-control', 'private, no-cache, no-store, must-revalidate, max-age=0')
    .header('etag', `"${row.sha256}"`)
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', contentDisposition('attachment', row.fileName))
    .header('content-length', String(bytes.length))
    .type(row.contentType)
    .send(bytes);
}
