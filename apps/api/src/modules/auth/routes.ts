import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../lib/schemas';
import { companySchema } from '../companies/schemas';
import { presentCompany } from '../companies/service';
import * as s from './schemas';
import * as service from './service';
import { emailVerificationRoutes } from './verification-routes';

export function publicUrl(app: FastifyInstance): string {
  return app.ctx.config.PUBLIC_URL ?? `http://localhost:${app.ctx.config.PORT}`;
}

export async function authRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['auth'];

  r.post(
    '/api/v1/auth/register',
    {
      config: { auth: 'public', noStore: true },
      schema: {
        tags,
        summary: 'Create an account and its first company',
        body: s.registerBodySchema,
        response: {
          201: s.tokensSchema.extend({ user: s.userSchema, company: companySchema }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { user, company, tokens } = await service.register(
        ctx,
        request.body,
        request.id,
        request.headers['user-agent'],
      );
      return reply.code(201).send({
        ...tokens,
        user: {
          id: user.id,
          email: user.email,
          full_name: user.fullName,
          mfa_enabled: false,
          is_super_admin: user.isSuperAdmin,
          email_verified: user.emailVerifiedAt !== null,
        },
        company: presentCompany(company),
      });
    },
  );

  r.post(
    '/api/v1/auth/login',
    {
      config: { auth: 'public', noStore: true },
      schema: {
        tags,
        summary: 'Sign in; answers an MFA challenge when two-factor is on',
        body: s.loginBodySchema,
        response: { 200: s.loginResponseSchema, ...problemResponses },
      },
    },
    async (request) => service.login(ctx, request.body, request.ip, request.headers['user-agent']),
  );

  r.post(
    '/api/v1/auth/login/mfa',
    {
      config: { auth: 'public', noStore: true },
      schema: {
        tags,
        summary: 'Second step of sign-in: a TOTP or backup code',
        body: s.mfaLoginBodySchema,
        response: { 200: s.tokensSchema, ...problemResponses },
      },
    },
    async (request) => service.completeMfaLogin(ctx, request.body, request.ip, request.headers['user-agent']),
  );

  r.post(
    '/api/v1/auth/refresh',
    {
      config: { auth: 'public', noStore: true },
      schema: {
        tags,
        summary: 'Rotate the refresh token',
        body: s.refreshBodySchema,
        response: { 200: s.tokensSchema, ...problemResponses },
      },
    },
    async (request) => service.refresh(ctx, request.body.refresh_token),
  );

  r.post(
    '/api/v1/auth/logout',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'End this login (every token of its family)',
        body: s.refreshBodySchema,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await service.logout(ctx, request.body.refresh_token);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/v1/auth/password/forgot',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'E-mail a password reset link',
        body: s.forgotBodySchema,
        response: { 202: z.object({ status: z.literal('accepted') }), ...problemResponses },
      },
    },
    async (request, reply) => {
      await service.requestPasswordReset(ctx, request.body.email, publicUrl(app), request.ip);
      return reply.code(202).send({ status: 'accepted' as const });
    },
  );

  r.post(
    '/api/v1/auth/password/reset',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Set a new password with a reset token',
        body: s.resetBodySchema,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await service.resetPassword(ctx, request.body, request.id);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/v1/me',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: 'The signed-in user and their companies',
        response: { 200: s.meResponseSchema, ...problemResponses },
      },
    },
    async (request) => service.getMe(ctx, request.auth.userId, request.auth.companyId),
  );

  r.post(
    '/api/v1/auth/password/change',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: 'Change the password (the current one first); signs out every other session',
        body: s.passwordChangeBodySchema,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await service.changePassword(ctx, request.auth, request.body, {
        ip: request.ip,
        requestId: request.id,
        publicUrl: publicUrl(app),
      });
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/v1/auth/mfa/totp/enroll',
    {
      config: { auth: 'user', noStore: true },
      schema: {
        tags,
        summary: 'Start TOTP enrolment (the current password): secret, otpauth URI and QR (SVG)',
        body: s.mfaEnrollBodySchema,
        response: { 200: s.mfaEnrollResponseSchema, ...problemResponses },
      },
    },
    async (request) => service.startTotpEnrolment(ctx, request.auth.userId, request.body, request.ip),
  );

  r.post(
    '/api/v1/auth/mfa/totp/confirm',
    {
      config: { auth: 'user', noStore: true },
      schema: {
        tags,
        summary:
          'Confirm enrolment with a code and the current password; signs out every other session and returns ten single-use backup codes',
        body: s.mfaConfirmBodySchema,
        response: { 200: s.backupCodesResponseSchema, ...problemResponses },
      },
    },
    async (request) =>
      service.confirmTotpEnrolment(ctx, request.auth, request.body, {
        ip: request.ip,
        requestId: request.id,
        publicUrl: publicUrl(app),
      }),
  );

  r.post(
    '/api/v1/auth/mfa/totp/disable',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: 'Turn two-factor off (password and a code)',
        body: s.mfaDisableBodySchema,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await service.disableTotp(ctx, request.auth.userId, request.body, {
        ip: request.ip,
        requestId: request.id,
        publicUrl: publicUrl(app),
      });
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/v1/me/sessions',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: "The signed-in user's active sessions (one per sign-in), the current one marked",
        response: { 200: s.sessionListSchema, ...problemResponses },
      },
    },
    async (request) => service.listSessions(ctx, request.auth),
  );

  r.delete(
    '/api/v1/me/sessions/:id',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: "Sign one of the user's sessions out: it can no longer refresh",
        params: s.sessionParamsSchema,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await service.revokeSession(ctx, request.auth, request.params.id, request.id);
      return reply.code(204).send(null);
    },
  );

  r.delete(
    '/api/v1/me/sessions',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: 'Sign out every session of the user but the current one',
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await service.revokeOtherSessions(ctx, request.auth, request.id);
      return reply.code(204).send(null);
    },
  );

  await emailVerificationRoutes(app);
}
