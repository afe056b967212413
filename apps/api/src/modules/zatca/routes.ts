import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context';
import { actorOf } from '../../lib/actor';
import { contentDisposition } from '../../lib/content-disposition';
import { AppError } from '../../lib/errors';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';
import { getUblDocument } from '../einvoice/queries';
import {
  chainVerificationOf,
  executeChainRunInline,
  presentChainRun,
  requireChainRun,
  startChainRun,
  waitForChainRun,
} from './chain-runs';
import * as q from './queries';
import * as s from './schemas';
import { resubmit } from './submission';

export function presentZatcaStatus(doc: q.ZatcaDocumentWithUnit) {
  return {
    invoice_id: doc.invoiceId,
    invoice_number: doc.invoiceNumber,
    egs_id: doc.egsId,
    environment: doc.environment,
    is_simulated: doc.isSimulated,
    uuid: doc.documentUuid,
    icv: doc.position,
    invoice_hash: doc.hash,
    previous_hash: doc.previousHash,
    qr_payload: doc.qrPayload,
    signature_status: 'signed' as const,
    submission: doc.submissionKind,
    status: doc.submissionStatus,
    zatca_status: doc.authorityStatus,
    http_status: doc.httpStatus,
    warnings: doc.warnings,
    errors: doc.errors,
    has_cleared_xml: doc.returnedXml !== null,
    attempts: doc.attempts,
    last_error: doc.lastError,
    submitted_at: doc.submittedAt?.toISOString() ?? null,
    updated_at: doc.updatedAt.toISOString(),
  };
}

async function requireDocument(ctx: AppContext, companyId: string, invoiceId: string) {
  const doc = await q.getZatcaDocument(ctx.db, { companyId, invoiceId });
  if (doc) return doc;
  if (await q.getInvoiceNumber(ctx.db, { companyId, invoiceId }))
    throw new AppError('ZATCA_DOCUMENT_NOT_FOUND');
  throw new AppError('INVOICE_NOT_FOUND');
}

/** How long a synchronous chain check waits for a short chain's run that another request started. */
const SYNC_WAIT_MS = 60_000;

/** `attachment; filename=…` safe for any invoice number (RFC 6266 with an RFC 5987 UTF-8 name). */
export async function zatcaRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['zatca'];

  r.get(
    '/api/v1/invoices/:id/xml',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary:
          'The invoice as UBL XML: ZATCA (signed, with its QR; the cleared XML once cleared), PINT AE or Peppol BIS 3',
        params: uuidParamSchema,
        querystring: s.xmlQuerySchema,
        response: problemResponses,
      },
    },
    async (request, reply) => {
      // A UAE (PINT AE) or Peppol BIS 3 invoice: its document as issued (no authority returns another).
      const ubl = await getUblDocument(ctx.db, {
        companyId: request.auth.companyId,
        invoiceId: request.params.id,
      });
      if (ubl) {
        return reply
          .type('application/xml; charset=utf-8')
          .header('content-disposition', contentDisposition('attachment', `${ubl.invoiceNumber}.xml`))
          .send(ubl.xml as never);
      }
      const doc = await requireDocument(ctx, request.auth.companyId, request.params.id);
      const variant = request.query.variant ?? (doc.returnedXml ? 'cleared' : 'issued');
      if (variant === 'cleared' && !doc.returnedXml) {
        throw new AppError('ZATCA_DOCUMENT_NOT_FOUND', {
          message: doc.isSimulated
            ? 'Issued on a local sandbox unit: ZATCA never cleared it (clearance is simulated).'
            : 'ZATCA has not cleared this invoice (yet).',
        });
      }
      return reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', contentDisposition('attachment', `${doc.invoiceNumber}.xml`))
        .send((variant === 'cleared' ? doc.returnedXml : doc.xml) as never);
    },
  );

  r.get(
    '/api/v1/invoices/:id/zatca',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'ZATCA status: chain position (ICV, hashes), signature, and reporting/clearance outcome',
        params: uuidParamSchema,
        response: { 200: s.zatcaStatusSchema, ...problemResponses },
      },
    },
    async (request) =>
      presentZatcaStatus(await requireDocument(ctx, request.auth.companyId, request.params.id)),
  );

  r.post(
    '/api/v1/invoices/:id/zatca/resubmit',
    {
      config: { permission: 'invoices:write' },
      schema: {
        tags,
        summary: 'Queue the reporting or clearance of a failed, rejected or stuck submission again',
        params: uuidParamSchema,
        response: { 202: s.zatcaStatusSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const doc = await resubmit(ctx, request.auth.companyId, actorOf(request), request.params.id);
      return reply.code(202).send(presentZatcaStatus(doc));
    },
  );

  r.get(
    '/api/v1/compliance/chain/verify',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary:
          "Walk the company's invoices per EGS unit in counter order; report the first break or { ok, count }. " +
          'A long chain is verified as a run instead: 202 with the run, followed at its Location',
        response: { 200: s.chainVerificationSchema, 202: s.chainRunSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const companyId = request.auth.companyId;
      const inlineUpTo = ctx.config.CHAIN_VERIFY_SYNC_MAX_DOCUMENTS;
      const started = await startChainRun(ctx, companyId, { inlineUpTo });
      const run = started.isInline
        ? await executeChainRunInline(ctx, started.run)
        : !started.isNew && started.run.total <= inlineUpTo
          ? await waitForChainRun(ctx, { companyId, id: started.run.id, timeoutMs: SYNC_WAIT_MS })
          : started.run;
      const current = run ?? (await requireChainRun(ctx, companyId, started.run.id));
      const location = `/api/v1/compliance/chain/runs/${current.id}`;
      // The run behind the answer stays readable there (its times; the same outcome).
      if (current.status === 'done')
        return reply.header('content-location', location).send(chainVerificationOf(current));
      if (current.status === 'failed') throw new AppError('CHAIN_VERIFICATION_FAILED');
      return reply.code(202).header('location', location).send(presentChainRun(current));
    },
  );

  r.post(
    '/api/v1/compliance/chain/runs',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary:
          "Start verifying the company's chains in the background (202), or answer the run under way (200). " +
          'Limited per company and hour (429)',
        response: { 200: s.chainRunSchema, 202: s.chainRunSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { run, isNew } = await startChainRun(ctx, request.auth.companyId);
      return reply
        .code(isNew ? 202 : 200)
        .header('location', `/api/v1/compliance/chain/runs/${run.id}`)
        .send(presentChainRun(run));
    },
  );

  r.get(
    '/api/v1/compliance/chain/runs/:id',
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'A chain verification: status, progress (checked of total) and, once done, the first break',
        params: uuidParamSchema,
        response: { 200: s.chainRunSchema, ...problemResponses },
      },
    },
    async (request) => presentChainRun(await requireChainRun(ctx, request.auth.companyId, request.params.id)),
  );
}
