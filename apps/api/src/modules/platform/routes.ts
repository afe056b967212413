import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { AppError } from '../../lib/errors';
import { problemResponses } from '../../lib/schemas';
import { assertSuperAdmin } from '../companies/approval';
import { getCompany } from '../companies/queries';
import { companySchema } from '../companies/schemas';
import { presentCompany } from '../companies/service';
import { companyDate } from '../payments/company-date';
import { PLAN_CODES, PLANS } from '../plans/plans';
import * as q from './queries';
import * as s from './schemas';
import * as service from './service';

const companyParams = z.strictObject({ companyId: z.uuid() });

export async function platformRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['platform'];

  r.get(
    '/api/v1/plans',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: "The platform's plans, their limits (null: none) and features",
        response: { 200: z.object({ plans: z.array(s.planSchema) }), ...problemResponses },
      },
    },
    async () => ({
      plans: PLAN_CODES.map((code) => ({ ...PLANS[code], features: [...PLANS[code].features] })),
    }),
  );

  r.get(
    '/api/v1/companies/current/usage',
    {
      config: { permission: 'company:read' },
      schema: {
        tags,
        summary: "The active company's plan and what it used of it (this month's invoices, users, storage)",
        response: { 200: s.usageSchema, ...problemResponses },
      },
    },
    async (request) => {
      const company = await getCompany(ctx.db, { companyId: request.auth.companyId });
      if (!company) throw new AppError('COMPANY_NOT_FOUND');
      return service.usageOf(ctx.db, company, companyDate(company.timeZone).slice(0, 7));
    },
  );

  r.post(
    '/api/v1/admin/companies/:companyId/suspend',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary:
          'Platform administrators: suspend a company (its members are refused until it is reactivated)',
        params: companyParams,
        body: s.suspendBodySchema,
        response: { 200: companySchema, ...problemResponses },
      },
    },
    async (request) => {
      assertSuperAdmin(request.auth);
      const company = await service.suspendCompany(
        ctx,
        actorOf(request),
        request.params.companyId,
        request.body.reason,
      );
      return presentCompany(company);
    },
  );

  r.post(
    '/api/v1/admin/companies/:companyId/reactivate',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: 'Platform administrators: reactivate a suspended company',
        params: companyParams,
        response: { 200: companySchema, ...problemResponses },
      },
    },
    async (request) => {
      assertSuperAdmin(request.auth);
      return presentCompany(await service.reactivateCompany(ctx, actorOf(request), request.params.companyId));
    },
  );

  r.put(
    '/api/v1/admin/companies/:companyId/plan',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: 'Platform administrators: assign a plan to a company',
        params: companyParams,
        body: s.assignPlanBodySchema,
        response: { 200: companySchema, ...problemResponses },
      },
    },
    async (request) => {
      assertSuperAdmin(request.auth);
      const company = await service.assignPlan(
        ctx,
        actorOf(request),
        request.params.companyId,
        request.body.plan,
      );
      return presentCompany(company);
    },
  );

  r.get(
    '/api/v1/admin/companies/:companyId/usage',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: "Platform administrators: a company's plan and usage",
        params: companyParams,
        response: { 200: s.usageSchema, ...problemResponses },
      },
    },
    async (request) => {
      assertSuperAdmin(request.auth);
      const company = await getCompany(ctx.db, { companyId: request.params.companyId });
      if (!company) throw new AppError('COMPANY_NOT_FOUND');
      return service.usageOf(ctx.db, company, companyDate(company.timeZone).slice(0, 7));
    },
  );

  r.get(
    '/api/v1/admin/analytics',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary:
          'Platform administrators: companies, active users, documents issued per day and country, e-invoice failures (counts only)',
        querystring: z.strictObject({ days: z.coerce.number().int().min(1).max(366).default(30) }),
        response: { 200: s.analyticsSchema, ...problemResponses },
      },
    },
    async (request) => {
      assertSuperAdmin(request.auth);
      return service.analytics(ctx.db, { days: request.query.days, now: new Date() });
    },
  );

  r.get(
    '/api/v1/admin/audit-log',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: "Platform administrators: the administrators' own actions, newest first",
        querystring: z.strictObject({
          before: z.coerce.number().int().positive().optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({ entries: z.array(s.adminAuditEntrySchema), next_before: z.number().nullable() }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      assertSuperAdmin(request.auth);
      const rows = await q.listSuperAdminAudit(ctx.db, request.query);
      return {
        entries: rows.map((row) => ({
          id: row.id,
          company_id: row.companyId,
          actor_user_id: row.actorUserId,
          action: row.action,
          entity_type: row.entityType,
          entity_id: row.entityId,
          data: row.data,
          created_at: row.createdAt.toISOString(),
        })),
        next_before: rows.length === request.query.limit ? (rows.at(-1)?.id ?? null) : null,
      };
    },
  );
}
