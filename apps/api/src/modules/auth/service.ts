import { isIPv6 } from 'node:net';
import { schema } from '@invoiceflow/db';
import { eq, sql } from '@invoiceflow/db/orm';
import { hash, verify } from '@node-rs/argon2';
import { jwtVerify, SignJWT } from 'jose';
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import type { AppContext } from '../../context';
import { recordAudit } from '../../lib/audit';
import { decrypt, encrypt, hashToken, hmac, randomToken } from '../../lib/crypto';
import { isUniqueViolation } from '../../lib/db-errors';
import { AppError, defineErrors } from '../../lib/errors';
import type { CompanyCreateInput } from '../companies/schemas';
import { createCompany } from '../companies/service';
import { enqueueMail } from '../mail/queries';
import { describeDevice } from './device';
import * as q from './queries';
import { mailVerificationLink } from './verification';

defineErrors({
  SESSION_NOT_FOUND: [404, 'You have no active session of this id.'],
  REGISTRATION_CLOSED: [
    403,
    'Sign-up on this server is by invitation: ask an administrator of your company to invite you.',
  ],
});

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
  login: { familyId?: string; device?: string | null } = {},
): Promise<Tokens> {
  const refreshToken = randomToken();
  const expiresAt = new Date(Date.now() + REFRESH_TOKEN_DAYS * 86_400_000);
  const session = await q.insertRefreshToken(db, {
    userId,
    familyId: login.familyId,
    device: login.device ?? null,
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

/** A new login for a user another proof already identified (a customer-portal link): tokens as sign-in gives. */
export function startLinkedSession(ctx: AppContext, db: AppContext['db'], userId: string): Promise<Tokens> {
  return startSession(ctx, db, userId);
}

export interface RegisterInput {
  email: string;
  password: string;
  full_name: string;
  company: CompanyCreateInput;
}

export async function register(ctx: AppContext, input: RegisterInput, requestId: string, userAgent?: string) {
  const passwordHash = await hashPassword(input.password);
  try {
    return await ctx.db.transaction(async (tx) => {
      // The first account of an install signs up freely and runs it (its platform administrator); after it, people
      // join by invitation unless the deployment opens sign-up (ALLOW_REGISTRATION, a multi-tenant service).
      const isFirstAccount = !(await q.hasAnyAccountLocked(tx));
      if (!isFirstAccount && !ctx.config.ALLOW_REGISTRATION) throw new AppError('REGISTRATION_CLOSED');
      const [user] = await tx
        .insert(schema.users)
        .values({
          email: input.email,
          passwordHash,
          fullName: input.full_name,
          isSuperAdmin: isFirstAccount,
        })
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
      const tokens = await startSession(ctx, tx, user.id, { device: describeDevice(userAgent) });
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

/**
 * One throttling bucket per network: an IPv6 client usually holds a whole /64, so its addresses count as one.
 * IPv4-mapped IPv6 addresses count as the IPv4 address.
 */
export function addressBucket(ip: string): string {
  const address = ip.replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

const NO_USER_ID = '00000000-0000-0000-0000-000000000000';
const sourceHash = (ctx: AppContext, ip: string) => hmac(ctx.secrets.dataKey, `login-source:${ip}`);

/**
 * Reserves a password or second-factor check before it is made (see `q.reserveLoginAttempt`); 429 when the
 * account or the address has spent its failures. Mark the attempt succeeded only after a right answer.
 */
async function reserveAttempt(
  ctx: AppContext,
  input: { email: string; ip: string; userId?: string },
): Promise<number> {
  const ip = addressBucket(input.ip);
  // Asked for unknown accounts too (of an id no row has), so the answer takes the same time either way.
  const isKnownSource = await q.isKnownSource(ctx.db, input.userId ?? NO_USER_ID, sourceHash(ctx, ip));
  const reservation = await q.reserveLoginAttempt(ctx.db, {
    email: input.email,
    ip,
    since: new Date(Date.now() - ctx.config.LOGIN_WINDOW_SECONDS * 1000),
    maxPerAccount: ctx.config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    maxPerAddress: ctx.config.LOGIN_MAX_FAILURES_PER_ADDRESS,
    isKnownSource,
  });
  if ('attemptId' in reservation) return reservation.attemptId;
  const retryAfter = Math.max(1, Math.ceil((reservation.blockedUntil.getTime() - Date.now()) / 1000));
  throw new AppError('TOO_MANY_LOGIN_ATTEMPTS', { headers: { 'retry-after': String(retryAfter) } });
}

/** A completed sign-in: the attempt counts as a success and the address becomes one the account knows. */
async function signInSucceeded(
  ctx: AppContext,
  attemptId: number,
  userId: string,
  client: { ip: string; userAgent?: string },
) {
  await q.markAttemptSucceeded(ctx.db, attemptId);
  await q.rememberSource(ctx.db, userId, sourceHash(ctx, addressBucket(client.ip)));
  return startSession(ctx, ctx.db, userId, { device: describeDevice(client.userAgent) });
}

/** Re-authentication of a signed-in user (MFA changes): the current password, throttled like sign-in. */
async function checkPasswordAgain(ctx: AppContext, user: q.UserRow, password: string, ip: string) {
  const attemptId = await reserveAttempt(ctx, { email: user.email, ip, userId: user.id });
  if (!(await verify(user.passwordHash, password))) throw new AppError('INVALID_CREDENTIALS');
  return attemptId;
}

export async function login(
  ctx: AppContext,
  input: { email: string; password: string },
  ip: string,
  userAgent?: string,
) {
  const user = await q.findUserByEmail(ctx.db, input.email);
  const attemptId = await reserveAttempt(ctx, { email: input.email, ip, userId: user?.id });
  // Without an account a dummy hash is checked anyway, so the answer takes the same time.
  const isPasswordRight = await verify(user?.passwordHash ?? (await DUMMY_HASH), input.password);
  if (!user || !isPasswordRight || !user.isActive) throw new AppError('INVALID_CREDENTIALS');
  if (user.mfaEnabled) {
    const mfaToken = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'mfa' })
      .setSubject(user.id)
      .setIssuedAt()
      .setExpirationTime(`${MFA_TOKEN_SECONDS}s`)
      .sign(ctx.secrets.jwtKey);
    // The password was right: not a failure, but the address is remembered only after the second factor.
    await q.markAttemptSucceeded(ctx.db, attemptId);
    return { mfa_required: true as const, mfa_token: mfaToken, expires_in: MFA_TOKEN_SECONDS };
  }
  return signInSucceeded(ctx, attemptId, user.id, { ip, userAgent });
}

export async function completeMfaLogin(
  ctx: AppContext,
  input: { mfa_token: string; code: string },
  ip: string,
  userAgent?: string,
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
  const attemptId = await reserveAttempt(ctx, { email: user.email, ip, userId: user.id });
  if (!(await checkSecondFactor(ctx, user, input.code))) throw new AppError('MFA_CODE_INVALID');
  return signInSucceeded(ctx, attemptId, user.id, { ip, userAgent });
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
    return {
      tokens: await startSession(ctx, tx, row.userId, { familyId: row.familyId, device: row.device }),
    };
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

/**
 * Enrolling a second factor needs the current password: with a stolen session alone nobody can put their own
 * authenticator on the account and lock the owner out.
 */
export async function startTotpEnrolment(
  ctx: AppContext,
  userId: string,
  input: { password: string },
  ip: string,
) {
  const user = await q.findUserById(ctx.db, userId);
  if (!user) throw new AppError('USER_NOT_FOUND');
  if (user.mfaEnabled) throw new AppError('MFA_ALREADY_ENABLED');
  const attemptId = await checkPasswordAgain(ctx, user, input.password, ip);
  await q.markAttemptSucceeded(ctx.db, attemptId);
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

/** Days the "turned on" notice's recovery link stays valid. */
const MFA_RECOVERY_LINK_DAYS = 7;

/**
 * Turning two-factor on ends every other session of the account (whoever else holds one must sign in again, now
 * with the second factor) and mails the account holder a notice. A password reset never removes the second
 * factor — the mailbox alone must not bypass it — except through the link in that notice: an owner whose
 * account was taken over and enrolled by someone else sets a new password and removes that authenticator.
 */
export async function confirmTotpEnrolment(
  ctx: AppContext,
  session: { userId: string; familyId: string },
  input: { code: string; password: string },
  meta: { ip: string; requestId: string; publicUrl: string },
) {
  const { userId } = session;
  const user = await q.findUserById(ctx.db, userId);
  if (!user) throw new AppError('USER_NOT_FOUND');
  if (user.mfaEnabled) throw new AppError('MFA_ALREADY_ENABLED');
  const totp = totpFor(ctx, user);
  if (!totp) throw new AppError('MFA_NOT_ENROLLED');
  const attemptId = await checkPasswordAgain(ctx, user, input.password, meta.ip);
  // A mistyped code here guesses nothing (the secret was just shown to this user): not a sign-in failure.
  await q.markAttemptSucceeded(ctx.db, attemptId);
  const delta = totp.validate({ token: input.code.replaceAll(/\s/g, ''), window: 1 });
  if (delta === null) throw new AppError('MFA_CODE_INVALID');
  const codes = Array.from({ length: BACKUP_CODE_COUNT }, () => formatBackupCode(randomToken(8)));
  const recoveryToken = randomToken();
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
    await q.revokeOtherFamilies(tx, userId, session.familyId);
    // Only the newest notice's link may remove a second factor: an older one would remove this new one.
    await q.spendMfaRecoveryLinks(tx, userId);
    await q.insertPasswordResetToken(tx, {
      userId,
      tokenHash: hashToken(recoveryToken),
      expiresAt: new Date(Date.now() + MFA_RECOVERY_LINK_DAYS * 86_400_000),
      removesMfa: true,
    });
    const link = `${meta.publicUrl}/reset-password?token=${encodeURIComponent(recoveryToken)}`;
    await enqueueMail(tx, {
      to: user.email,
      subject: 'Two-step verification was turned on for your InvoiceFlow account',
      text: `Hello ${user.fullName},\n\nTwo-step verification was turned on for your account, and every other session was signed out.\n\nIf this was not you, someone else has your password: open this link within ${MFA_RECOVERY_LINK_DAYS} days to choose a new password and remove the authenticator they added:\n${link}`,
      kind: 'security_notice',
      refs: { user_id: userId },
    });
    await recordAudit(tx, {
      companyId: null,
      actorUserId: userId,
      action: 'mfa.enabled',
      entityType: 'user',
      entityId: userId,
      requestId: meta.requestId,
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

/** Needs the password and a code; both are guesses counted like sign-in failures. */
export async function disableTotp(
  ctx: AppContext,
  userId: string,
  input: { password: string; code: string },
  meta: { ip: string; requestId: string; publicUrl: string },
) {
  const user = await q.findUserById(ctx.db, userId);
  if (!user) throw new AppError('USER_NOT_FOUND');
  if (!user.mfaEnabled) throw new AppError('MFA_NOT_ENABLED');
  const attemptId = await checkPasswordAgain(ctx, user, input.password, meta.ip);
  if (!(await checkSecondFactor(ctx, user, input.code))) throw new AppError('MFA_CODE_INVALID');
  await q.markAttemptSucceeded(ctx.db, attemptId);
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(schema.users)
      .set({ mfaEnabled: false, totpSecretEnc: null, totpLastStep: null })
      .where(eq(schema.users.id, userId));
    await q.replaceBackupCodes(tx, userId, []);
    await enqueueMail(tx, {
      to: user.email,
      subject: 'Two-step verification was turned off for your InvoiceFlow account',
      text: `Hello ${user.fullName},\n\nTwo-step verification was turned off for your account.\n\nIf this was not you, someone else has your password and a code: choose a new password at ${meta.publicUrl}/forgot-password, which signs everyone out.`,
      kind: 'security_notice',
      refs: { user_id: userId },
    });
    await recordAudit(tx, {
      companyId: null,
      actorUserId: userId,
      action: 'mfa.disabled',
      entityType: 'user',
      entityId: userId,
      requestId: meta.requestId,
    });
  });
}

/**
 * Whether account mail that anyone may ask for (a reset link) may go to this recipient now, for this requesting
 * address. Asked before the account is looked up, so a dropped request and an unknown account look alike.
 */
export async function mayMailAccount(
  ctx: AppContext,
  input: { kind: string; email: string; ip: string },
): Promise<boolean> {
  return q.reserveAccountMail(ctx.db, {
    kind: input.kind,
    recipientHash: hmac(ctx.secrets.dataKey, `mail-recipient:${input.email.toLowerCase()}`),
    addressHash: hmac(ctx.secrets.dataKey, `mail-address:${addressBucket(input.ip)}`),
    since: new Date(Date.now() - ctx.config.ACCOUNT_MAIL_WINDOW_SECONDS * 1000),
    maxPerRecipient: ctx.config.ACCOUNT_MAIL_MAX_PER_RECIPIENT,
    maxPerAddress: ctx.config.ACCOUNT_MAIL_MAX_PER_ADDRESS,
  });
}

export async function requestPasswordReset(
  ctx: AppContext,
  email: string,
  publicUrl: string,
  ip: string,
): Promise<void> {
  // Beyond the limits nothing is sent, silently: the answer is the same as for a sent link or an unknown account.
  if (!(await mayMailAccount(ctx, { kind: 'password_reset', email, ip }))) return;
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
    const spent = await q.consumePasswordResetToken(tx, hashToken(input.token));
    if (!spent) throw new AppError('RESET_TOKEN_INVALID');
    const { userId } = spent;
    await tx
      .update(schema.users)
      .set({
        passwordHash,
        // The link reached the account's mailbox: that proves the address as well as a verification link does.
        emailVerifiedAt: sql`coalesce(${schema.users.emailVerifiedAt}, now())`,
        updatedAt: new Date(),
        ...(spent.removesMfa ? { mfaEnabled: false, totpSecretEnc: null, totpLastStep: null } : {}),
      })
      .where(eq(schema.users.id, userId));
    if (spent.removesMfa) await q.replaceBackupCodes(tx, userId, []);
    // A new password ends every existing session.
    await q.revokeAllForUser(tx, userId);
    await recordAudit(tx, {
      companyId: null,
      actorUserId: userId,
      action: 'user.password_reset',
      entityType: 'user',
      entityId: userId,
      data: spent.removesMfa ? { mfa_removed: true } : undefined,
      requestId,
    });
  });
}

/**
 * A new password for a signed-in user: the current one first (counted like a sign-in failure when wrong). Every
 * other session ends; this one stays signed in. The account's address is told, as for a second factor's change.
 */
export async function changePassword(
  ctx: AppContext,
  session: { userId: string; familyId: string },
  input: { current_password: string; new_password: string },
  meta: { ip: string; requestId: string; publicUrl: string },
) {
  const user = await q.findUserById(ctx.db, session.userId);
  if (!user) throw new AppError('USER_NOT_FOUND');
  const attemptId = await checkPasswordAgain(ctx, user, input.current_password, meta.ip);
  await q.markAttemptSucceeded(ctx.db, attemptId);
  const passwordHash = await hashPassword(input.new_password);
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(schema.users)
      .set({ passwordHash, updatedAt: new Date() })
      .where(eq(schema.users.id, user.id));
    await q.revokeOtherFamilies(tx, user.id, session.familyId);
    await enqueueMail(tx, {
      to: user.email,
      subject: 'The password of your InvoiceFlow account was changed',
      text: `Hello ${user.fullName},\n\nThe password of your account was changed, and every other session was signed out.\n\nIf this was not you, choose a new password at ${meta.publicUrl}/forgot-password.`,
      kind: 'security_notice',
      refs: { user_id: user.id },
    });
    await recordAudit(tx, {
      companyId: null,
      actorUserId: user.id,
      action: 'user.password_changed',
      entityType: 'user',
      entityId: user.id,
      requestId: meta.requestId,
    });
  });
}

/** The user's live logins, newest use first; `current` marks the one the request's access token came from. */
export async function listSessions(ctx: AppContext, session: { userId: string; familyId: string }) {
  const rows = await q.listSessions(ctx.db, session.userId);
  return {
    sessions: rows.map((row) => ({
      id: row.familyId,
      device: row.device,
      started_at: row.startedAt.toISOString(),
      last_used_at: row.lastUsedAt.toISOString(),
      expires_at: row.expiresAt.toISOString(),
      current: row.familyId === session.familyId,
    })),
  };
}

/** Signs one of the user's logins out: its refresh token no longer works, nor its access tokens. */
export async function revokeSession(
  ctx: AppContext,
  session: { userId: string; familyId: string },
  sessionId: string,
  requestId: string,
) {
  await ctx.db.transaction(async (tx) => {
    if (!(await q.revokeUserFamily(tx, session.userId, sessionId))) throw new AppError('SESSION_NOT_FOUND');
    await recordAudit(tx, {
      companyId: null,
      actorUserId: session.userId,
      action: 'user.session_revoked',
      entityType: 'user',
      entityId: session.userId,
      data: { session_id: sessionId, current: sessionId === session.familyId },
      requestId,
    });
  });
}

/** Signs every login of the user out but the one making the request. */
export async function revokeOtherSessions(
  ctx: AppContext,
  session: { userId: string; familyId: string },
  requestId: string,
) {
  await ctx.db.transaction(async (tx) => {
    await q.revokeOtherFamilies(tx, session.userId, session.familyId);
    await recordAudit(tx, {
      companyId: null,
      actorUserId: session.userId,
      action: 'user.other_sessions_revoked',
      entityType: 'user',
      entityId: session.userId,
      requestId,
    });
  });
}
