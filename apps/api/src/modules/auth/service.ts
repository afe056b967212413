import { schema } from '@invoiceflow/db';
import { eq } from '@invoiceflow/db/orm';
import { hash, verify } from '@node-rs/argon2';
import { jwtVerify, SignJWT } from 'jose';
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import type { AppContext } from '../../context';
import { recordAudit } from '../../lib/audit';
import { decrypt, encrypt, hashToken, hmac, randomToken } from '../../lib/crypto';
import { isUniqueViolation } from '../../lib/db-errors';
import { AppError } from '../../lib/errors';
import type { CompanyCreateInput } from '../companies/schemas';
import { createCompany } from '../companies/service';
import { enqueueMail } from '../mail/queries';
import * as q from './queries';
import { mailVerificationLink } from './verification';

export const ACCESS_TOKEN_SECONDS = 15 * 60;
const REFRESH_TOKEN_DAYS = 30;
const MFA_TOKEN_SECONDS = 5 * 60;
const RESET_TOKEN_MINUTES = 30;
const TOTP_PERIOD = 30;
const BACKUP_CODE_COUNT = 10;

export interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** Keeps the time to answer the same whether or not the account exists (no email enumeration by timing). */
const DUMMY_HASH = hash('invoiceflow-dummy-password');

export const hashPassword = (password: string) => hash(password);

async function signAccessToken(ctx: AppContext, userId: string, familyId: string): Promise<string> {
  return new SignJWT({ fam: familyId })
    .setProtectedHeader({ alg: 'HS256', typ: 'access' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_SECONDS}s`)
    .sign(ctx.secrets.jwtKey);
}

async function startSession(
  ctx: AppContext,
  db: AppContext['db'],
  userId: string,
  familyId?: string,
): Promise<Tokens> {
  const refreshToken = randomToken();
  const expiresAt = new Date(Date.now() + REFRESH_TOKEN_DAYS * 86_400_000);
  const session = await q.insertRefreshToken(db, {
    userId,
    familyId,
    tokenHash: hashToken(refreshToken),
    expiresAt,
  });
  return {
    access_token: await signAccessToken(ctx, userId, session.familyId),
    refresh_token: refreshToken,
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_SECONDS,
  };
}

export interface RegisterInput {
  email: string;
  password: string;
  full_name: string;
  company: CompanyCreateInput;
}

export async function register(ctx: AppContext, input: RegisterInput, requestId: string) {
  const passwordHash = await hashPassword(input.password);
  try {
    return await ctx.db.transaction(async (tx) => {
      const [user] = await tx
        .insert(schema.users)
        .values({ email: input.email, passwordHash, fullName: input.full_name })
        .returning();
      if (!user) throw new Error('user insert returned nothing');
      const company = await createCompany(ctx, tx, { userId: user.id, requestId }, input.company);
      await tx.update(schema.users).set({ defaultCompanyId: company.id }).where(eq(schema.users.id, user.id));
      await recordAudit(tx, {
        companyId: company.id,
        actorUserId: user.id,
        action: 'user.registered',
        entityType: 'user',
        entityId: user.id,
        requestId,
      });
      // The account runs its own company at once; joining anyone else's waits for this link.
      await mailVerificationLink(ctx, tx, user);
      const tokens = await startSession(ctx, tx, user.id);
      return { user, company, tokens };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_key')) {
      throw new AppError('EMAIL_TAKEN', {
        errors: [{ path: 'email', code: 'EMAIL_TAKEN', message: 'This email is already registered.' }],
      });
    }
    throw error;
  }
}

async function assertNotThrottled(ctx: AppContext, email: string, ip: string): Promise<void> {
  const windowMs = ctx.config.LOGIN_WINDOW_SECONDS * 1000;
  const failures = await q.recentFailures(ctx.db, { email, ip, since: new Date(Date.now() - windowMs) });
  const blocked = [
    failures.byAccount.n >= ctx.config.LOGIN_MAX_FAILURES_PER_ACCOUNT ? failures.byAccount.oldest : null,
    failures.byAddress.n >= ctx.config.LOGIN_MAX_FAILURES_PER_ADDRESS ? failures.byAddress.oldest : null,
  ].filter((oldest): oldest is string => oldest !== null);
  if (blocked.length === 0) return;
  const unblockAt = Math.max(...blocked.map((oldest) => new Date(oldest).getTime() + windowMs));
  const retryAfter = Math.max(1, Math.ceil((unblockAt - Date.now()) / 1000));
  throw new AppError('TOO_MANY_LOGIN_ATTEMPTS', { headers: { 'retry-after': String(retryAfter) } });
}

export async function login(ctx: AppContext, input: { email: string; password: string }, ip: string) {
  await assertNotThrottled(ctx, input.email, ip);
  const user = await q.findUserByEmail(ctx.db, input.email);
  // Without an account a dummy hash is checked anyway, so the answer takes the same time.
  const isPasswordRight = await verify(user?.passwordHash ?? (await DUMMY_HASH), input.password);
  if (!user || !isPasswordRight || !user.isActive) {
    await q.recordLoginAttempt(ctx.db, { email: input.email, ip, succeeded: false });
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (user.mfaEnabled) {
    const mfaToken = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'mfa' })
      .setSubject(user.id)
      .setIssuedAt()
      .setExpirationTime(`${MFA_TOKEN_SECONDS}s`)
      .sign(ctx.secrets.jwtKey);
    return { mfa_required: true as const, mfa_token: mfaToken, expires_in: MFA_TOKEN_SECONDS };
  }
  await q.recordLoginAttempt(ctx.db, { email: input.email, ip, succeeded: true });
  return startSession(ctx, ctx.db, user.id);
}

export async function completeMfaLogin(
  ctx: AppContext,
  input: { mfa_token: string; code: string },
  ip: string,
) {
  let userId: string;
  try {
    const { payload } = await jwtVerify(input.mfa_token, ctx.secrets.jwtKey, {
      algorithms: ['HS256'],
      typ: 'mfa',
    });
    userId = String(payload.sub);
  } catch {
    throw new AppError('TOKEN_INVALID');
  }
  const user = await q.findUserById(ctx.db, userId);
  if (!user?.isActive || !user.mfaEnabled) throw new AppError('TOKEN_INVALID');
  await assertNotThrottled(ctx, user.email, ip);
  if (!(await checkSecondFactor(ctx, user, input.code))) {
    await q.recordLoginAttempt(ctx.db, { email: user.email, ip, succeeded: false });
    throw new AppError('MFA_CODE_INVALID');
  }
  await q.recordLoginAttempt(ctx.db, { email: user.email, ip, succeeded: true });
  return startSession(ctx, ctx.db, user.id);
}

function totpFor(ctx: AppContext, user: q.UserRow): OTPAuth.TOTP | null {
  if (!user.totpSecretEnc) return null;
  const secret = OTPAuth.Secret.fromBase32(decrypt(ctx.secrets.dataKey, user.totpSecretEnc));
  return new OTPAuth.TOTP({
    issuer: 'InvoiceFlow',
    label: user.email,
    secret,
    period: TOTP_PERIOD,
    digits: 6,
  });
}

/** A 6-digit TOTP (accepted once per time step) or one of the single-use backup codes. */
async function checkSecondFactor(ctx: AppContext, user: q.UserRow, code: string): Promise<boolean> {
  const normalized = code.replaceAll(/[\s-]/g, '').toLowerCase();
  if (/^\d{6}$/.test(normalized)) {
    const totp = totpFor(ctx, user);
    const delta = totp?.validate({ token: normalized, window: 1 });
    if (delta === null || delta === undefined) return false;
    const step = Math.floor(Date.now() / 1000 / TOTP_PERIOD) + delta;
    return q.advanceTotpStep(ctx.db, user.id, step);
  }
  return q.consumeBackupCode(ctx.db, user.id, hmac(ctx.secrets.dataKey, normalized));
}

export async function refresh(ctx: AppContext, refreshToken: string): Promise<Tokens> {
  type Outcome = { error: 'TOKEN_INVALID' | 'TOKEN_REUSED' } | { tokens: Tokens };
  const outcome = await ctx.db.transaction(async (tx): Promise<Outcome> => {
    const row = await q.lockRefreshToken(tx, hashToken(refreshToken));
    if (!row || row.expiresAt.getTime() <= Date.now()) return { error: 'TOKEN_INVALID' };
    if (row.revokedAt) return { error: 'TOKEN_INVALID' };
    if (row.rotatedAt) {
      // A rotated token presented again means it leaked: end every session of this login (OAuth 2.0 BCP 4.14.2).
      await q.revokeFamily(tx, row.familyId);
      return { error: 'TOKEN_REUSED' };
    }
    const user = await q.findUserById(tx, row.userId);
    if (!user?.isActive) return { error: 'TOKEN_INVALID' };
    await q.markRotated(tx, row.id);
    return { tokens: await startSession(ctx, tx, row.userId, row.familyId) };
  });
  // The revocation commits before the error is raised: throwing inside the transaction would roll it back.
  if ('error' in outcome) throw new AppError(outcome.error);
  return outcome.tokens;
}

export async function logout(ctx: AppContext, refreshToken: string): Promise<void> {
  const [row] = await ctx.db
    .select({ familyId: schema.refreshTokens.familyId })
    .from(schema.refreshTokens)
    .where(eq(schema.refreshTokens.tokenHash, hashToken(refreshToken)));
  if (row) await q.revokeFamily(ctx.db, row.familyId);
}

export async function getMe(ctx: AppContext, userId: string, currentCompanyId: string) {
  const user = await q.findUserById(ctx.db, userId);
  if (!user) throw new AppError('USER_NOT_FOUND');
  const companies = await q.listUserCompanies(ctx.db, userId);
  return {
    user: {
      id: user.id,
      email: user.email,
      full_name: user.fullName,
      mfa_enabled: user.mfaEnabled,
      is_super_admin: user.isSuperAdmin,
      email_verified: user.emailVerifiedAt !== null,
    },
    companies,
    current_company_id: currentCompanyId || (companies[0]?.id ?? null),
  };
}

export async function startTotpEnrolment(ctx: AppContext, userId: string) {
  const user = await q.findUserById(ctx.db, userId);
  if (!user) throw new AppError('USER_NOT_FOUND');
  if (user.mfaEnabled) throw new AppError('MFA_ALREADY_ENABLED');
  const secret = new OTPAuth.Secret({ size: 20 });
  await ctx.db
    .update(schema.users)
    .set({ totpSecretEnc: encrypt(ctx.secrets.dataKey, secret.base32), totpLastStep: null })
    .where(eq(schema.users.id, userId));
  const uri = new OTPAuth.TOTP({
    issuer: 'InvoiceFlow',
    label: user.email,
    secret,
    period: TOTP_PERIOD,
  }).toString();
  return {
    secret: secret.base32,
    otpauth_uri: uri,
    qr_svg: await QRCode.toString(uri, { type: 'svg', margin: 1 }),
  };
}

export async function confirmTotpEnrolment(ctx: AppContext, userId: string, code: string, requestId: string) {
  const user = await q.findUserById(ctx.db, userId);
  if (!user) throw new AppError('USER_NOT_FOUND');
  if (user.mfaEnabled) throw new AppError('MFA_ALREADY_ENABLED');
  const totp = totpFor(ctx, user);
  if (!totp) throw new AppError('MFA_NOT_ENROLLED');
  const delta = totp.validate({ token: code.replaceAll(/\s/g, ''), window: 1 });
  if (delta === null) throw new AppError('MFA_CODE_INVALID');
  const codes = Array.from({ length: BACKUP_CODE_COUNT }, () => formatBackupCode(randomToken(8)));
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(schema.users)
      .set({ mfaEnabled: true, totpLastStep: Math.floor(Date.now() / 1000 / TOTP_PERIOD) + delta })
      .where(eq(schema.users.id, userId));
    await q.replaceBackupCodes(
      tx,
      userId,
      codes.map((c) => hmac(ctx.secrets.dataKey, c.replaceAll('-', ''))),
    );
    await recordAudit(tx, {
      companyId: null,
      actorUserId: userId,
      action: 'mfa.enabled',
      entityType: 'user',
      entityId: userId,
      requestId,
    });
  });
  return { backup_codes: codes };
}

/** Ten characters of base32-like text in two groups: easy to type, ~50 bits each. */
function formatBackupCode(raw: string): string {
  const clean = raw
    .replaceAll(/[^a-zA-Z0-9]/g, '')
    .toLowerCase()
    .padEnd(10, '7')
    .slice(0, 10);
  return `${clean.slice(0, 5)}-${clean.slice(5)}`;
}

export async function disableTotp(
  ctx: AppContext,
  userId: string,
  input: { password: string; code: string },
  requestId: string,
) {
  const user = await q.findUserById(ctx.db, userId);
  if (!user) throw new AppError('USER_NOT_FOUND');
  if (!user.mfaEnabled) throw new AppError('MFA_NOT_ENABLED');
  if (!(await verify(user.passwordHash, input.password))) throw new AppError('INVALID_CREDENTIALS');
  if (!(await checkSecondFactor(ctx, user, input.code))) throw new AppError('MFA_CODE_INVALID');
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(schema.users)
      .set({ mfaEnabled: false, totpSecretEnc: null, totpLastStep: null })
      .where(eq(schema.users.id, userId));
    await q.replaceBackupCodes(tx, userId, []);
    await recordAudit(tx, {
      companyId: null,
      actorUserId: userId,
      action: 'mfa.disabled',
      entityType: 'user',
      entityId: userId,
      requestId,
    });
  });
}

export async function requestPasswordReset(ctx: AppContext, email: string, publicUrl: string): Promise<void> {
  const user = await q.findUserByEmail(ctx.db, email);
  if (!user?.isActive) return; // Same answer either way: the endpoint must not reveal which emails exist.
  const token = randomToken();
  await ctx.db.transaction(async (tx) => {
    await q.insertPasswordResetToken(tx, {
      userId: user.id,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + RESET_TOKEN_MINUTES * 60_000),
    });
    const link = `${publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
    await enqueueMail(tx, {
      to: user.email,
      subject: 'Reset your InvoiceFlow password',
      text: `Hello ${user.fullName},\n\nOpen this link within ${RESET_TOKEN_MINUTES} minutes to choose a new password:\n${link}\n\nIf you did not ask for this, ignore this message.`,
      kind: 'password_reset',
      refs: { user_id: user.id },
    });
  });
}

export async function resetPassword(
  ctx: AppContext,
  input: { token: string; password: string },
  requestId: string,
) {
  const passwordHash = await hashPassword(input.password);
  await ctx.db.transaction(async (tx) => {
    const userId = await q.consumePasswordResetToken(tx, hashToken(input.token));
    if (!userId) throw new AppError('RESET_TOKEN_INVALID');
    await tx
      .update(schema.users)
      .set({ passwordHash, updatedAt: new Date() })
      .where(eq(schema.users.id, userId));
    // A new password ends every existing session.
    await q.revokeAllForUser(tx, userId);
    await recordAudit(tx, {
      companyId: null,
      actorUserId: userId,
      action: 'user.password_reset',
      entityType: 'user',
      entityId: userId,
      requestId,
    });
  });
}
