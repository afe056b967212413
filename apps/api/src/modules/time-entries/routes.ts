import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';
import { invoiceSchema } from '../invoices/schemas';
import * as s from './schemas';
import * as service from './service';

/** Time entries, and the one step that turns a customer's unbilled hours into a draft invoice. */
export async function timeEntryRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['time entries'];

  r.get(
    '/api/v1/time-entries',
    {
      config: { permission: 'hours:read' },
      schema: {
        tags,
        summary: 'List time entries, newest first (is_invoiced=false: the unbilled ones)',
        querystring: s.timeEntryListQuerySchema,
        response: { 200: s.timeEntryListSchema, ...problemResponses },
      },
    },
    async (request) => service.listTimeEntries(ctx.db, request.auth.companyId, request.query),
  );

  r.post(
    '/api/v1/time-entries',
    {
      config: { permission: 'hours:write' },
      schema: {
        tags,
        summary: 'Record hours for a customer (and project)',
        body: s.timeEntryCreateSchema,
        response: { 201: s.timeEntrySchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await service.createTimeEntry(ctx, request.auth.companyId, actorOf(request), request.body)),
  );

  r.post(
    '/api/v1/time-entries/invoice',
    {
      config: { permission: 'invoices:write' },
      schema: {
        tags: [...tags, 'invoices'],
        summary: 'Turn a customer’s unbilled billable hours into the lines of a new draft invoice',
        description:
          'One line per entry (hours × rate, unit HUR), in date order, on a draft invoice that the editor opens ' +
          'as any other. The entries are linked to it and locked from then on (editing answers 409 ' +
          'TIME_ENTRY_INVOICED); deleting the draft releases them. Without time_entry_ids, every unbilled billable ' +
          'entry of the customer is taken.',
        body: s.invoiceTimeBodySchema,
        response: {
          201: z.object({ invoice: invoiceSchema, time_entry_ids: z.array(z.string()) }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        (await service.invoiceTimeEntries(ctx, request.auth.companyId, actorOf(request), request.body)) as {
          invoice: z.infer<typeof invoiceSchema>;
          time_entry_ids: string[];
        },
      ),
  );

  r.get(
    '/api/v1/time-entries/:id',
    {
      config: { permission: 'hours:read' },
      schema: {
        tags,
        summary: 'One time entry, with the invoice it is on, if any',
        params: uuidParamSchema,
        response: { 200: s.timeEntrySchema, ...problemResponses },
      },
    },
    async (request) => service.getTimeEntry(ctx.db, request.auth.companyId, request.params.id),
  );

  r.patch(
    '/api/v1/time-entries/:id',
    {
      config: { permission: 'hours:write' },
      schema: {
        tags,
        summary: 'Change a time entry; 409 TIME_ENTRY_INVOICED once it is on an invoice',
        params: uuidParamSchema,
        body: s.timeEntryUpdateSchema,
        response: { 200: s.timeEntrySchema, ...problemResponses },
      },
    },
    async (request) =>
      service.updateTimeEntry(ctx, request.auth.companyId, actorOf(request), request.params.id, request.body),
  );

  r.delete(
    '/api/v1/time-entries/:id',
    {
      config: { permission: 'hours:write' },
      schema: {
        tags,
        summary: 'Delete a time entry; 409 TIME_ENTRY_INVOICED once it is on an invoice',
        params: uuidParamSchema,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await service.deleteTimeEntry(ctx, request.auth.companyId, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
