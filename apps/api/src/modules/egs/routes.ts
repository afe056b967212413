import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/actor';
import { AppError } from '../../lib/errors';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';
import * as q from './queries';
import * as s from './schemas';
import * as service from './service';

/** E-invoice generation units (ZATCA): keys, CSR, onboarding, and the counter and hash chain they keep. */
export async function egsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['zatca'];

  r.get(
    '/api/v1/egs',
    {
      config: { permission: 'company:read' },
      schema: {
        tags,
        summary: "The company's EGS units, newest first (never the private keys)",
        response: { 200: s.egsListSchema, ...problemResponses },
      },
    },
    async (request) => ({
      egs_units: (await q.listEgs(ctx.db, { companyId: request.auth.companyId })).map(service.presentEgs),
    }),
  );

  r.post(
    '/api/v1/egs',
    {
      config: { permission: 'settings:write', feature: 'e_invoicing' },
      schema: {
        tags,
        summary:
          'Create a unit: key pair and CSR from the company data; `local` is active at once (test certificate)',
        body: s.egsCreateSchema,
        response: { 201: s.egsSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const row = await service.createEgs(ctx, request.auth.companyId, actorOf(request), request.body);
      return reply.code(201).send(service.presentEgs(row));
    },
  );

  r.get(
    '/api/v1/egs/:id',
    {
      config: { permission: 'company:read' },
      schema: {
        tags,
        summary: 'One EGS unit',
        params: uuidParamSchema,
        response: { 200: s.egsSchema, ...problemResponses },
      },
    },
    async (request) => {
      const row = await q.getEgsWithChain(ctx.db, {
        companyId: request.auth.companyId,
        id: request.params.id,
      });
      if (!row) throw new AppError('EGS_NOT_FOUND');
      return service.presentEgs(row);
    },
  );

  r.post(
    '/api/v1/egs/:id/compliance-csid',
    {
      config: { permission: 'settings:write', feature: 'e_invoicing' },
      schema: {
        tags,
        summary: 'Onboarding 1: send the CSR with the OTP from the Fatoora portal, get the compliance CSID',
        params: uuidParamSchema,
        body: s.otpBodySchema,
        response: { 200: s.egsSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.presentEgs(
        await service.requestComplianceCsid(
          ctx,
          request.auth.companyId,
          actorOf(request),
          request.params.id,
          request.body.otp,
        ),
      ),
  );

  r.post(
    '/api/v1/egs/:id/compliance-checks',
    {
      config: { permission: 'settings:write', feature: 'e_invoicing' },
      schema: {
        tags,
        summary: 'Onboarding 2: sign the sample documents with the compliance CSID and pass ZATCA’s checks',
        params: uuidParamSchema,
        response: { 200: s.egsSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.presentEgs(
        await service.runComplianceChecks(ctx, request.auth.companyId, actorOf(request), request.params.id),
      ),
  );

  r.post(
    '/api/v1/egs/:id/production-csid',
    {
      config: { permission: 'settings:write', feature: 'e_invoicing' },
      schema: {
        tags,
        summary:
          'Onboarding 3: get the production CSID; the unit is active (and takes over from the unit it replaces)',
        params: uuidParamSchema,
        response: { 200: s.egsSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.presentEgs(
        await service.requestProductionCsid(ctx, request.auth.companyId, actorOf(request), request.params.id),
      ),
  );

  r.post(
    '/api/v1/egs/:id/default',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags,
        summary: 'Make an active unit the default: invoices that name no egs_unit_id are signed by it',
        params: uuidParamSchema,
        response: { 200: s.egsSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.presentEgs(
        await service.makeDefault(ctx, request.auth.companyId, actorOf(request), request.params.id),
      ),
  );
}
