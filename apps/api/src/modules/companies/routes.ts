import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { AppError } from '../../lib/errors';
import { problemResponses } from '../../lib/schemas';
import { publicUrl } from '../auth/routes';
import { hashPassword } from '../auth/service';
import { approveCompany, assertSuperAdmin, rejectCompany } from './approval';
import { presentCompanyDocument } from './documents';
import * as q from './queries';
import * as s from './schemas';
import * as service from './service';

const memberActor = (request: FastifyRequest) => ({ ...actorOf(request), role: request.auth.role });

const pageQuery = (defaultLimit: number) => ({
  limit: z.coerce.number().int().min(1).max(200).default(defaultLimit),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const companyPageSchema = z.object({
  companies: z.array(s.companySchema),
  next_offset: z.number().int().nullable(),
});

/** The approval queue: each company with the documents it registered with (their bytes by the admin download). */
const reviewPageSchema = z.object({
  companies: z.array(s.companySchema.extend({ documents: z.array(s.companyDocumentSchema) })),
  next_offset: z.number().int().nullable(),
});

function companyPage(rows: q.CompanyRow[], limit: number, offset: number) {
  return {
    companies: rows.slice(0, limit).map(service.presentCompany),
    next_offset: rows.length > limit ? offset + limit : null,
  };
}

export async function companyRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['companies'];

  r.get(
    '/api/v1/companies',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: 'Companies the user belongs to, by name, a page at a time',
        querystring: z.strictObject(pageQuery(100)),
        response: { 200: companyPageSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { limit, offset } = request.query;
      // One row more than the page tells whether another page follows.
      const rows = await q.listUserCompanyRows(ctx.db, {
        userId: request.auth.userId,
        limit: limit + 1,
        offset,
      });
      return companyPage(rows, limit, offset);
    },
  );

  r.post(
    '/api/v1/companies',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: 'Create another company; the creator becomes its owner',
        body: s.companyCreateSchema,
        response: { 201: s.companySchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const company = await ctx.db.transaction((tx) =>
        service.createCompany(ctx, tx, actorOf(request), request.body),
      );
      return reply.code(201).send(service.presentCompany(company));
    },
  );

  r.get(
    '/api/v1/companies/current',
    {
      config: { permission: 'company:read' },
      schema: {
        tags,
        summary: 'The active company (X-Company-Id)',
        response: { 200: s.companySchema, ...problemResponses },
      },
    },
    async (request) => {
      const company = await q.getCompany(ctx.db, { companyId: request.auth.companyId });
      if (!company) throw new AppError('COMPANY_NOT_FOUND');
      return service.presentCompany(company);
    },
  );

  r.patch(
    '/api/v1/companies/current',
    {
      config: { permission: 'company:write' },
      schema: {
        tags,
        summary: 'Change the active company',
        body: s.companyUpdateSchema,
        response: { 200: s.companySchema, ...problemResponses },
      },
    },
    async (request) => {
      const company = await service.updateCompany(
        ctx,
        request.auth.companyId,
        actorOf(request),
        request.body,
      );
      return service.presentCompany(company);
    },
  );

  r.get(
    '/api/v1/companies/current/tax-rates',
    {
      config: { permission: 'company:read' },
      schema: {
        tags,
        summary: "The tax rates the active company may charge: its country's, or its own list",
        response: { 200: s.taxRatesSchema, ...problemResponses },
      },
    },
    async (request) => service.companyTaxRates(ctx.db, { companyId: request.auth.companyId }),
  );

  r.post(
    '/api/v1/companies/current/tax-rates',
    {
      config: { permission: 'company:write' },
      schema: {
        tags,
        summary: 'Add a tax rate (0–100 %) to the company’s own list (countries without fixed rates)',
        body: s.addTaxRateBodySchema,
        response: { 200: s.taxRatesSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.addCompanyTaxRate(ctx, request.auth.companyId, actorOf(request), request.body.rate),
  );

  r.get(
    '/api/v1/companies/current/number-series',
    {
      config: { permission: 'company:read' },
      schema: {
        tags,
        summary: "The company's number series (prefix and year, gapless) and the last number each gave",
        response: { 200: s.numberSeriesSchema, ...problemResponses },
      },
    },
    async (request) => service.numberSeries(ctx.db, { companyId: request.auth.companyId }),
  );

  r.get(
    '/api/v1/companies/current/members',
    {
      config: { permission: 'members:read' },
      schema: {
        tags,
        summary: 'Members and their roles',
        response: { 200: z.object({ members: z.array(s.memberSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ members: await q.listMembers(ctx.db, { companyId: request.auth.companyId }) }),
  );

  r.post(
    '/api/v1/companies/current/members',
    {
      config: { permission: 'members:manage' },
      schema: {
        tags,
        summary: 'Invite an address to join with a role; it becomes a member once its owner accepts',
        body: s.addMemberBodySchema,
        response: {
          202: z.object({ status: z.literal('invited'), invitation_id: z.uuid(), expires_at: z.string() }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const actor = memberActor(request);
      const result = await service.inviteMember(
        ctx,
        request.auth.companyId,
        actor,
        request.body,
        publicUrl(app),
      );
      return reply.code(202).send(result);
    },
  );

  r.get(
    '/api/v1/companies/current/invitations',
    {
      config: { permission: 'members:manage' },
      schema: {
        tags,
        summary: 'Invitations of the active company, newest first, with their status',
        response: { 200: z.object({ invitations: z.array(s.invitationSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ invitations: await service.listInvitations(ctx, request.auth.companyId) }),
  );

  r.delete(
    '/api/v1/companies/current/invitations/:invitationId',
    {
      config: { permission: 'members:manage' },
      schema: {
        tags,
        summary: 'Revoke an open invitation',
        params: s.invitationIdParamSchema,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await service.revokeInvitation(
        ctx,
        request.auth.companyId,
        memberActor(request),
        request.params.invitationId,
      );
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/v1/me/invitations',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: 'Open invitations to the signed-in account (its address verified)',
        response: { 200: z.object({ invitations: z.array(s.myInvitationSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ invitations: await service.listMyInvitations(ctx, request.auth.userId) }),
  );

  r.post(
    '/api/v1/me/invitations/:invitationId/accept',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: 'Accept an invitation to the signed-in account (its address verified)',
        params: s.invitationIdParamSchema,
        response: { 200: s.invitationAcceptedSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.acceptInvitationAsUser(ctx, request.auth.userId, request.params.invitationId, request.id),
  );

  r.patch(
    '/api/v1/companies/current/members/:userId',
    {
      config: { permission: 'members:manage' },
      schema: {
        tags,
        summary: 'Change a role, accountant scopes, or suspend',
        params: s.userIdParamSchema,
        body: s.updateMemberBodySchema,
        response: { 200: s.memberSchema, ...problemResponses },
      },
    },
    async (request) => {
      return service.updateMember(
        ctx,
        request.auth.companyId,
        memberActor(request),
        request.params.userId,
        request.body,
      );
    },
  );

  r.delete(
    '/api/v1/companies/current/members/:userId',
    {
      config: { permission: 'members:manage' },
      schema: {
        tags,
        summary: 'Remove a member',
        params: s.userIdParamSchema,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await service.removeMember(ctx, request.auth.companyId, memberActor(request), request.params.userId);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/v1/invitations/accept',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary:
          'Accept an invitation by its mailed link, signing up (an address with an account signs in instead)',
        body: s.acceptInvitationBodySchema,
        response: { 200: s.invitationAcceptedSchema, ...problemResponses },
      },
    },
    async (request) => service.acceptInvitation(ctx, request.body, hashPassword, request.id),
  );

  r.get(
    '/api/v1/admin/companies',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary:
          'Platform administrators: companies waiting for approval (or rejected, approved, suspended, all), newest first; `q` searches names, VAT and registration numbers',
        querystring: z.strictObject({
          status: z.enum(q.REVIEW_STATUSES).default('pending'),
          q: z.string().trim().max(100).optional(),
          ...pageQuery(50),
        }),
        response: { 200: reviewPageSchema, ...problemResponses },
      },
    },
    async (request) => {
      assertSuperAdmin(request.auth);
      const { status, limit, offset } = request.query;
      const rows = await q.listCompaniesForReview(ctx.db, {
        status,
        search: request.query.q || undefined,
        limit: limit + 1,
        offset,
      });
      const page = rows.slice(0, limit);
      const documents = await q.listDocumentsOfCompanies(ctx.db, { companyIds: page.map((row) => row.id) });
      return {
        companies: page.map((row) => ({
          ...service.presentCompany(row),
          documents: (documents.get(row.id) ?? []).map(presentCompanyDocument),
        })),
        next_offset: rows.length > limit ? offset + limit : null,
      };
    },
  );

  r.post(
    '/api/v1/admin/companies/:companyId/approve',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary:
          'Platform administrators: approve a company (it may then issue, send and onboard with ZATCA)',
        params: z.strictObject({ companyId: z.uuid() }),
        response: { 200: s.companySchema, ...problemResponses },
      },
    },
    async (request) => {
      assertSuperAdmin(request.auth);
      const company = await approveCompany(ctx, actorOf(request), request.params.companyId);
      return service.presentCompany(company);
    },
  );

  r.post(
    '/api/v1/admin/companies/:companyId/reject',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary:
          'Platform administrators: reject a company with the reason its owners are mailed (it keeps preparing, never issues)',
        params: z.strictObject({ companyId: z.uuid() }),
        body: s.rejectCompanyBodySchema,
        response: { 200: s.companySchema, ...problemResponses },
      },
    },
    async (request) => {
      assertSuperAdmin(request.auth);
      const company = await rejectCompany(
        ctx,
        actorOf(request),
        request.params.companyId,
        request.body.reason,
      );
      return service.presentCompany(company);
    },
  );

  r.get(
    '/api/v1/audit-log',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags,
        summary: 'The append-only audit log of the active company, newest first',
        querystring: z.strictObject({
          before: z.coerce.number().int().positive().optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({ entries: z.array(s.auditEntrySchema), next_before: z.number().nullable() }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const rows = await q.listAudit(ctx.db, { companyId: request.auth.companyId, ...request.query });
      const entries = rows.map((row) => ({
        id: row.id,
        actor_user_id: row.actorUserId,
        action: row.action,
        entity_type: row.entityType,
        entity_id: row.entityId,
        data: row.data,
        request_id: row.requestId,
        created_at: row.createdAt.toISOString(),
      }));
      return { entries, next_before: rows.length === request.query.limit ? (rows.at(-1)?.id ?? null) : null };
    },
  );
}
