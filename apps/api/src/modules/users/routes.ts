import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/actor';
import { problemResponses } from '../../lib/schemas';
import { publicUrl } from '../auth/routes';
import * as s from './schemas';
import * as service from './service';

const memberActor = (request: FastifyRequest) => ({ ...actorOf(request), role: request.auth.role });

/**
 * `/api/v1/users/` and `/api/v1/users/{id}/` (the trailing slash is optional, as on every route): the active
 * company's members for its owners and admins (`members:manage`; finance, viewers, accountants and clients get 403).
 */
export async function userRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['users'];
  const config = { permission: 'members:manage' } as const;

  r.get(
    '/api/v1/users',
    {
      config,
      schema: {
        tags,
        summary: 'The members of the active company, by e-mail address',
        response: { 200: z.object({ users: z.array(s.userSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ users: await service.listUsers(ctx, request.auth.companyId) }),
  );

  r.post(
    '/api/v1/users',
    {
      config,
      schema: {
        tags,
        summary:
          'Add a user: an invitation is mailed; a new address signs up and sets its password, an existing account accepts signed in',
        body: s.userCreateSchema,
        response: { 202: s.userInvitedSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const invited = await service.createUser(
        ctx,
        request.auth.companyId,
        memberActor(request),
        request.body,
        publicUrl(app),
      );
      return reply.code(202).send(invited);
    },
  );

  r.get(
    '/api/v1/users/:id',
    {
      config,
      schema: {
        tags,
        summary: 'A member of the active company',
        params: s.userIdParamSchema,
        response: { 200: s.userSchema, ...problemResponses },
      },
    },
    async (request) => service.getUser(ctx, request.auth.companyId, request.params.id),
  );

  r.put(
    '/api/v1/users/:id',
    {
      config,
      schema: {
        tags,
        summary: "Set a member's role (and scopes, customer, active); name and address are the person's own",
        params: s.userIdParamSchema,
        body: s.userReplaceSchema,
        response: { 200: s.userSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.updateUser(ctx, request.auth.companyId, memberActor(request), request.params.id, request.body),
  );

  r.patch(
    '/api/v1/users/:id',
    {
      config,
      schema: {
        tags,
        summary: "Change a member's role, scopes, customer or is_active",
        params: s.userIdParamSchema,
        body: s.userUpdateSchema,
        response: { 200: s.userSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.updateUser(ctx, request.auth.companyId, memberActor(request), request.params.id, request.body),
  );

  r.delete(
    '/api/v1/users/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Deactivate a member (kept, with their history; PATCH is_active: true restores them)',
        params: s.userIdParamSchema,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await service.deactivateUser(ctx, request.auth.companyId, memberActor(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
