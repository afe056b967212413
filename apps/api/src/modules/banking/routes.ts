import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { problemResponses, uuidParamSchema } from '../../lib/schemas';
import { paymentSchema } from '../payments/schemas';
import { presentPayment } from '../payments/service';
import * as s from './schemas';
import * as service from './service';

/** A statement file, as text in JSON: room for a year of a busy account. */
const STATEMENT_BODY_LIMIT = 20 * 1024 * 1024;

/** Bank accounts, their imported statements, and matching their lines to invoices. */
export async function bankingRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['banking'];

  r.get(
    '/api/v1/bank-accounts',
    {
      config: { permission: 'payments:read' },
      schema: {
        tags,
        summary: 'The company’s bank accounts',
        response: { 200: z.array(s.bankAccountSchema), ...problemResponses },
      },
    },
    async (request) =>
      (await service.listBankAccounts(ctx, request.auth.companyId)).map(service.presentBankAccount),
  );

  r.post(
    '/api/v1/bank-accounts',
    {
      config: { permission: 'payments:write' },
      schema: {
        tags,
        summary: 'Add a bank account (its IBAN once per company)',
        body: s.bankAccountCreateSchema,
        response: { 201: s.bankAccountSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          service.presentBankAccount(
            await service.createBankAccount(ctx, request.auth.companyId, actorOf(request), request.body),
          ),
        ),
  );

  r.post(
    '/api/v1/bank-accounts/:id/statements',
    {
      bodyLimit: STATEMENT_BODY_LIMIT,
      config: { permission: 'payments:write' },
      schema: {
        tags,
        summary:
          'Import a statement (CAMT.053, MT940, or CSV with its column mapping): new lines only, all or nothing; ' +
          'lines that pay an open invoice beyond doubt are matched',
        params: uuidParamSchema,
        body: s.statementImportSchema,
        response: { 201: s.statementImportResultSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await service.importStatement(
            ctx,
            request.auth.companyId,
            actorOf(request),
            request.params.id,
            request.body,
          ),
        ),
  );

  r.get(
    '/api/v1/bank-transactions',
    {
      config: { permission: 'payments:read' },
      schema: {
        tags,
        summary:
          'Bank statement lines, newest first; unmatched money in with the invoices it may pay and why',
        querystring: s.bankTransactionListQuerySchema,
        response: { 200: z.array(s.bankTransactionSchema), ...problemResponses },
      },
    },
    async (request) => service.listTransactions(ctx, request.auth.companyId, request.query),
  );

  r.post(
    '/api/v1/bank-transactions/:id/match',
    {
      config: { permission: 'payments:write' },
      schema: {
        tags,
        summary: 'Match a line to invoices: one payment received in it, allocated to them',
        params: uuidParamSchema,
        body: s.matchSchema,
        response: { 201: paymentSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          presentPayment(
            await service.matchTransaction(
              ctx,
              request.auth.companyId,
              actorOf(request),
              request.params.id,
              request.body,
            ),
          ),
        ),
  );

  for (const [path, ignored] of [
    ['ignore', true],
    ['restore', false],
  ] as const) {
    r.post(
      `/api/v1/bank-transactions/:id/${path}`,
      {
        config: { permission: 'payments:write' },
        schema: {
          tags,
          summary: ignored
            ? 'Set a line aside (bank fees, own transfers): no suggestions for it'
            : 'Bring an ignored line back',
          params: uuidParamSchema,
          response: { 204: z.null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await service.ignoreTransaction(
          ctx,
          request.auth.companyId,
          actorOf(request),
          request.params.id,
          ignored,
        );
        return reply.code(204).send(null);
      },
    );
  }
}
