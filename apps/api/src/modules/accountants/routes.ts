import { ACCOUNTANT_SCOPES, type AccountantScope, ASSIGNMENT_STATUSES } from '@invoiceflow/db/schema';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { AppError } from '../../lib/errors';
import { offsetOf } from '../../lib/pagination';
import { problemResponses } from '../../lib/schemas';
import { publicUrl } from '../auth/routes';
import { getCompany } from '../companies/queries';
import * as customerQueries from '../customers/queries';
import { customerListQuerySchema, customerListSchema } from '../customers/schemas';
import { presentCustomer } from '../customers/service';
import { expenseListQuerySchema, expenseListSchema } from '../expenses/schemas';
import { listExpenses } from '../expenses/service';
import { presentInvoice, presentListItem } from '../invoices/presenter';
import * as invoiceQueries from '../invoices/queries';
import { invoiceListQuerySchema, invoiceListSchema, invoiceSchema } from '../invoices/schemas';
import * as paymentQueries from '../payments/queries';
import { paymentListQuerySchema, paymentListSchema } from '../payments/schemas';
import { presentPayment, withAllocations } from '../payments/service';
import { timeEntryListQuerySchema, timeEntryListSchema } from '../time-entries/schemas';
import { listTimeEntries } from '../time-entries/service';
import * as service from './service';

const scopesSchema = z.array(z.enum(ACCOUNTANT_SCOPES)).max(ACCOUNTANT_SCOPES.length);

const assignmentSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  scopes: z.array(z.enum(ACCOUNTANT_SCOPES)),
  status: z.enum(ASSIGNMENT_STATUSES),
  is_expired: z.boolean().describe('A pending invitation no longer acceptable'),
  accountant_user_id: z.uuid().nullable(),
  accountant_name: z.string().nullable(),
  practice_company_id: z.uuid().nullable(),
  practice_name: z.string().nullable(),
  expires_at: z.string(),
  accepted_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

const clientSchema = z.object({
  client_id: z.uuid(),
  assignment_id: z.uuid(),
  legal_name_en: z.string(),
  legal_name_ar: z.string().nullable(),
  country: z.string(),
  currency: z.string(),
  status: z.enum(['active', 'suspended']),
  scopes: z.array(z.enum(ACCOUNTANT_SCOPES)),
  practice_company_id: z.uuid().nullable(),
  practice_name: z.string().nullable(),
  access: z
    .enum(['self', 'practice', 'staff'])
    .describe('In person, as the practice’s owner or admin, or as staff'),
  staff_user_ids: z.array(z.string()).optional().describe('For the practice’s owners and admins'),
});

/** Whose books these are, on every read answer: nobody should mistake one client's books for another's. */
const clientNameSchema = z.object({
  id: z.uuid(),
  legal_name_en: z.string(),
  legal_name_ar: z.string().nullable(),
});

const clientParamsSchema = z.strictObject({ client_id: z.uuid() });
const assignmentParamsSchema = z.strictObject({ assignmentId: z.uuid() });

/**
 * Accountant assignments, from both sides: the client invites and manages its accountants (its own company
 * routes), the accountant accepts and lists its clients, a practice assigns its staff, and the read-only views
 * of a client's books under /api/v1/accountant/clients/{client_id}/…, each guarded by its scope on an active
 * assignment (plugins/auth.ts). There is no write under those paths: an accountant changes nothing of a client.
 */
export async function accountantRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const clientTags = ['accountants'];
  const tags = ['accountant workspace'];

  r.post(
    '/api/v1/companies/current/accountants',
    {
      config: { permission: 'members:manage' },
      schema: {
        tags: clientTags,
        summary: 'Invite an accountant (a person or a practice) by e-mail to read the books in these scopes',
        body: z.strictObject({
          email: z
            .email()
            .max(254)
            .transform((email) => email.toLowerCase()),
          scopes: scopesSchema.min(1),
        }),
        response: { 202: assignmentSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(
          await service.inviteAccountant(
            ctx,
            request.auth.companyId,
            actorOf(request),
            request.body as { email: string; scopes: AccountantScope[] },
            publicUrl(app),
          ),
        ),
  );

  r.get(
    '/api/v1/companies/current/accountants',
    {
      config: { permission: 'members:read' },
      schema: {
        tags: clientTags,
        summary: 'The company’s accountants: pending, active, suspended and revoked, newest first',
        response: { 200: z.object({ accountants: z.array(assignmentSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ accountants: await service.listAssignments(ctx.db, request.auth.companyId) }),
  );

  r.patch(
    '/api/v1/companies/current/accountants/:assignmentId',
    {
      config: { permission: 'members:manage' },
      schema: {
        tags: clientTags,
        summary: 'Suspend (status suspended), resume (active), revoke (revoked, final) or change the scopes',
        params: assignmentParamsSchema,
        body: z
          .strictObject({
            status: z.enum(['active', 'suspended', 'revoked']).optional(),
            scopes: scopesSchema.optional(),
          })
          .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change.' }),
        response: { 200: assignmentSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.updateAssignment(
        ctx,
        request.auth.companyId,
        actorOf(request),
        request.params.assignmentId,
        request.body as { status?: 'active' | 'suspended' | 'revoked'; scopes?: AccountantScope[] },
      ),
  );

  r.get(
    '/api/v1/accountant/invitations',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: 'Open invitations to keep a company’s books, to my verified address',
        response: {
          200: z.object({
            invitations: z.array(
              z.object({
                id: z.uuid(),
                client_company_id: z.uuid(),
                client_name: z.string(),
                scopes: z.array(z.enum(ACCOUNTANT_SCOPES)),
                expires_at: z.string(),
              }),
            ),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => ({ invitations: await service.listMyInvitations(ctx.db, request.auth.userId) }),
  );

  r.post(
    '/api/v1/accountant/invitations/:assignmentId/accept',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: 'Accept, for myself or for a practice I own or run (practice_company_id)',
        params: assignmentParamsSchema,
        body: z.strictObject({ practice_company_id: z.uuid().nullish() }).optional(),
        response: { 200: assignmentSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.acceptAssignment(ctx, actorOf(request), request.params.assignmentId, request.body ?? {}),
  );

  r.get(
    '/api/v1/accountant/clients',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: 'My clients: in person, through my practice, or as its assigned staff',
        response: { 200: z.object({ clients: z.array(clientSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ clients: await service.listMyClients(ctx.db, request.auth.userId) }),
  );

  r.put(
    '/api/v1/practice/clients/:client_id/staff',
    {
      config: { permission: 'members:manage' },
      schema: {
        tags,
        summary: 'The practice (the active company) names which of its members work on this client',
        params: clientParamsSchema,
        body: z.strictObject({ user_ids: z.array(z.uuid()).max(200) }),
        response: {
          200: z.object({
            client_id: z.uuid(),
            assignment_id: z.uuid(),
            staff_user_ids: z.array(z.string()),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) =>
      service.setClientStaff(
        ctx,
        request.auth.companyId,
        actorOf(request),
        request.params.client_id,
        request.body.user_ids,
      ),
  );

  // The client's books, read-only. request.auth.companyId is the client here (set by the guard from the active
  // assignment), so every query below is filtered by the client company as on the client's own routes.
  const base = '/api/v1/accountant/clients/:client_id';
  const clientOf = async (companyId: string) => {
    const company = await getCompany(ctx.db, { companyId });
    if (!company) throw new AppError('CLIENT_NOT_FOUND');
    return { id: company.id, legal_name_en: company.legalNameEn, legal_name_ar: company.legalNameAr };
  };
  const read = (scope: AccountantScope, summary: string) => ({
    config: { auth: 'user' as const, accountantScope: scope },
    tags,
    summary: `${summary} (scope: ${scope})`,
  });

  {
    const { config, ...doc } = read('invoices', 'The client’s invoices');
    r.get(
      `${base}/invoices`,
      {
        config,
        schema: {
          ...doc,
          params: clientParamsSchema,
          querystring: invoiceListQuerySchema,
          response: { 200: invoiceListSchema.extend({ client: clientNameSchema }), ...problemResponses },
        },
      },
      async (request) => {
        const companyId = request.auth.companyId;
        const query = request.query;
        const [{ rows, total, isTotalExact }, client] = await Promise.all([
          invoiceQueries.listInvoices(ctx.db, {
            companyId,
            status: query.status,
            type: query.type,
            customerId: query.customer_id,
            dateFrom: query.date_from,
            dateTo: query.date_to,
            amountMin: query.amount_min,
            amountMax: query.amount_max,
            sort: query.sort,
            order: query.order,
            limit: query.page_size,
            offset: offsetOf(query),
          }),
          clientOf(companyId),
        ]);
        return {
          client,
          total,
          total_is_exact: isTotalExact,
          page: query.page,
          page_size: query.page_size,
          invoices: rows.map(presentListItem),
        };
      },
    );
  }
  {
    const { config, ...doc } = read('invoices', 'One invoice of the client');
    r.get(
      `${base}/invoices/:invoice_id`,
      {
        config,
        schema: {
          ...doc,
          params: clientParamsSchema.extend({ invoice_id: z.uuid() }),
          response: { 200: invoiceSchema.extend({ client: clientNameSchema }), ...problemResponses },
        },
      },
      async (request) => {
        const companyId = request.auth.companyId;
        const row = await invoiceQueries.getInvoice(ctx.db, { companyId, id: request.params.invoice_id });
        if (!row) throw new AppError('INVOICE_NOT_FOUND');
        return { ...presentInvoice(row), client: await clientOf(companyId) };
      },
    );
  }
  {
    const { config, ...doc } = read('customers', 'The client’s customers');
    r.get(
      `${base}/customers`,
      {
        config,
        schema: {
          ...doc,
          params: clientParamsSchema,
          querystring: customerListQuerySchema,
          response: { 200: customerListSchema.extend({ client: clientNameSchema }), ...problemResponses },
        },
      },
      async (request) => {
        const { page, page_size, q: text, kind, include_archived } = request.query;
        const companyId = request.auth.companyId;
        const { total, rows } = await customerQueries.listCustomers(ctx.db, {
          companyId,
          q: text || undefined,
          kind,
          includeArchived: include_archived,
          limit: page_size,
          offset: offsetOf(request.query),
        });
        return {
          client: await clientOf(companyId),
          total,
          page,
          page_size,
          customers: rows.map(presentCustomer),
        };
      },
    );
  }
  {
    const { config, ...doc } = read('expenses', 'The client’s expenses');
    r.get(
      `${base}/expenses`,
      {
        config,
        schema: {
          ...doc,
          params: clientParamsSchema,
          querystring: expenseListQuerySchema,
          response: { 200: expenseListSchema.extend({ client: clientNameSchema }), ...problemResponses },
        },
      },
      async (request) => ({
        ...(await listExpenses(ctx.db, request.auth.companyId, request.query)),
        client: await clientOf(request.auth.companyId),
      }),
    );
  }
  {
    const { config, ...doc } = read('hours', 'The client’s time entries');
    r.get(
      `${base}/time-entries`,
      {
        config,
        schema: {
          ...doc,
          params: clientParamsSchema,
          querystring: timeEntryListQuerySchema,
          response: { 200: timeEntryListSchema.extend({ client: clientNameSchema }), ...problemResponses },
        },
      },
      async (request) => ({
        ...(await listTimeEntries(ctx.db, request.auth.companyId, request.query)),
        client: await clientOf(request.auth.companyId),
      }),
    );
  }
  {
    const { config, ...doc } = read('payments', 'The client’s payments with their allocations');
    r.get(
      `${base}/payments`,
      {
        config,
        schema: {
          ...doc,
          params: clientParamsSchema,
          querystring: paymentListQuerySchema,
          response: { 200: paymentListSchema.extend({ client: clientNameSchema }), ...problemResponses },
        },
      },
      async (request) => {
        const query = request.query;
        const companyId = request.auth.companyId;
        const { rows, total } = await paymentQueries.listPayments(ctx.db, {
          companyId,
          customerId: query.customer_id,
          status: query.status,
          fromDate: query.from_date,
          toDate: query.to_date,
          hasCredit: query.has_credit,
          limit: query.page_size,
          offset: offsetOf(query),
        });
        const payments = await withAllocations(ctx.db, companyId, rows);
        return {
          client: await clientOf(companyId),
          total,
          page: query.page,
          page_size: query.page_size,
          payments: payments.map(presentPayment),
        };
      },
    );
  }
}
