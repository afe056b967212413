import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { offsetOf } from '../../lib/pagination';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';
import { getCompany } from '../companies/queries';
import { companyDate } from '../payments/company-date';
import * as q from './queries';
import * as s from './schemas';
import * as service from './service';

/** Recurring invoices: a schedule per customer that makes a draft or an issued invoice each period. */
export async function recurringRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const base = '/api/v1/recurring-invoices';
  const tags = ['recurring invoices'];
  const todayOf = async (companyId: string) => {
    const company = await getCompany(ctx.db, { companyId });
    return companyDate(company?.timeZone ?? 'UTC');
  };

  r.get(
    base,
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'List recurring invoices',
        querystring: s.recurringListQuerySchema,
        response: { 200: s.recurringListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { page, page_size, status } = request.query;
      const { companyId } = request.auth;
      const { total, rows } = await q.listSchedules(ctx.db, {
        companyId,
        status,
        limit: page_size,
        offset: offsetOf(request.query),
      });
      const today = await todayOf(companyId);
      return { total, page, page_size, schedules: rows.map((row) => service.presentSchedule(row, today)) };
    },
  );

  r.post(
    base,
    {
      config: { permission: 'invoices:write', feature: 'recurring' },
      schema: {
        tags,
        summary: 'Create a recurring invoice (its first period is the first on or after start_date)',
        body: s.recurringCreateSchema,
        response: { 201: s.recurringSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { companyId } = request.auth;
      const row = await service.createSchedule(ctx, companyId, actorOf(request), request.body);
      return reply.code(201).send(service.presentSchedule(row, await todayOf(companyId)));
    },
  );

  r.get(
    `${base}/:id`,
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'One recurring invoice',
        params: uuidParamSchema,
        response: { 200: s.recurringSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { companyId } = request.auth;
      const row = await service.getScheduleOrThrow(ctx.db, companyId, request.params.id);
      return service.presentSchedule(row, await todayOf(companyId));
    },
  );

  r.patch(
    `${base}/:id`,
    {
      config: { permission: 'invoices:write', feature: 'recurring' },
      schema: {
        tags,
        summary: 'Change a recurring invoice (its template, end, count, mode); the rule of its dates stays',
        params: uuidParamSchema,
        body: s.recurringUpdateSchema,
        response: { 200: s.recurringSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { companyId } = request.auth;
      const row = await service.updateSchedule(
        ctx,
        companyId,
        actorOf(request),
        request.params.id,
        request.body,
      );
      return service.presentSchedule(row, await todayOf(companyId));
    },
  );

  r.delete(
    `${base}/:id`,
    {
      config: { permission: 'invoices:write' },
      schema: {
        tags,
        summary: 'Delete a recurring invoice (the invoices it made stay)',
        params: uuidParamSchema,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await service.deleteSchedule(ctx, request.auth.companyId, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.post(
    `${base}/:id/pause`,
    {
      config: { permission: 'invoices:write' },
      schema: {
        tags,
        summary: 'Pause: no invoice is made until resumed',
        params: uuidParamSchema,
        response: { 200: s.recurringSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { companyId } = request.auth;
      const row = await service.pauseSchedule(ctx, companyId, actorOf(request), request.params.id);
      return service.presentSchedule(row, await todayOf(companyId));
    },
  );

  r.post(
    `${base}/:id/resume`,
    {
      config: { permission: 'invoices:write', feature: 'recurring' },
      schema: {
        tags,
        summary: 'Resume; the periods that fell while paused are skipped unless catch_up',
        params: uuidParamSchema,
        body: s.resumeSchema,
        response: { 200: s.recurringSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { companyId } = request.auth;
      const row = await service.resumeSchedule(ctx, companyId, actorOf(request), request.params.id, {
        catchUp: request.body.catch_up,
      });
      return service.presentSchedule(row, await todayOf(companyId));
    },
  );

  r.get(
    `${base}/:id/runs`,
    {
      config: { permission: 'invoices:read' },
      schema: {
        tags,
        summary: 'The periods made so far: the invoice of each, or skipped',
        params: uuidParamSchema,
        response: { 200: s.recurringRunListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { companyId } = request.auth;
      await service.getScheduleOrThrow(ctx.db, companyId, request.params.id);
      const runs = await q.listRuns(ctx.db, { companyId, scheduleId: request.params.id });
      return { runs: runs.map(service.presentRun) };
    },
  );
}
