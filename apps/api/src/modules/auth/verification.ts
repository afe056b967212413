import { type Db, schema } from '@invoiceflow/db';
import { and, count, eq, gt, isNull, sql } from '@invoiceflow/db/orm';
import type { Config } from '../../config';
import type { AppContext } from '../../context';
import { recordAudit } from '../../lib/audit';
import { hashToken, randomToken } from '../../lib/crypto';
import { AppError, defineErrors } from '../../lib/errors';
import { enqueueMail } from '../mail/queries';

defineErrors({
  VERIFICATION_TOKEN_INVALID: [400, 'The verification link is invalid, expired or already used.'],
  EMAIL_ALREADY_VERIFIED: [409, 'This e-mail address is already verified.'],
  EMAIL_NOT_VERIFIED: [403, 'Verify your e-mail address first: open the link we mailed you.'],
  TOO_MANY_VERIFICATION_MAILS: [429, 'Too many verification mails were sent; try again later.'],
});

const VERIFICATION_HOURS = 24;
const { users, emailVerificationTokens } = schema;

/** Where people reach the web app (links in mail). */
export function linkBase(config: Config): string {
  return config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
}

/** Mails a single-use link proving the address, inside the caller's transaction (sent only if it commits). */
export async function mailVerificationLink(
  ctx: AppContext,
  tx: Db,
  user: { id: string; email: string; fullName: string },
): Promise<void> {
  const token = randomToken();
  await tx.insert(emailVerificationTokens).values({
    userId: user.id,
    email: user.email,
    tokenHash: hashToken(token),
    expiresAt: new Date(Date.now() + VERIFICATION_HOURS * 3_600_000),
  });
  const link = `${linkBase(ctx.config)}/verify-email?token=${encodeURIComponent(token)}`;
  await enqueueMail(tx, {
    to: user.email,
    subject: 'Confirm your e-mail address for InvoiceFlow',
    text: `Hello ${user.fullName},\n\nOpen this link within ${VERIFICATION_HOURS} hours to confirm this address:\n${link}\n\nIf you did not create an InvoiceFlow account, ignore this message.`,
    kind: 'email_verification',
    refs: { user_id: user.id },
  });
}

/** Marks the account's address verified; only the address the link was sent to. */
export async function verifyEmail(ctx: AppContext, token: string, requestId: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [used] = await tx
      .update(emailVerificationTokens)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(emailVerificationTokens.tokenHash, hashToken(token)),
          isNull(emailVerificationTokens.usedAt),
          gt(emailVerificationTokens.expiresAt, new Date()),
        ),
      )
      .returning({ userId: emailVerificationTokens.userId, email: emailVerificationTokens.email });
    if (!used) throw new AppError('VERIFICATION_TOKEN_INVALID');
    const [verified] = await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`, updatedAt: new Date() })
      .where(and(eq(users.id, used.userId), sql`lower(${users.email}) = lower(${used.email})`))
      .returning({ id: users.id });
    if (!verified) throw new AppError('VERIFICATION_TOKEN_INVALID');
    await recordAudit(tx, {
      companyId: null,
      actorUserId: used.userId,
      action: 'user.email_verified',
      entityType: 'user',
      entityId: used.userId,
      requestId,
    });
  });
}

/** Another link, at most VERIFICATION_MAILS_PER_HOUR an hour per account (the registration mail counts). */
export async function resendVerification(ctx: AppContext, userId: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    // The account row is locked so parallel requests cannot each pass the count.
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('no key update');
    if (!user) throw new AppError('USER_NOT_FOUND');
    if (user.emailVerifiedAt) throw new AppError('EMAIL_ALREADY_VERIFIED');
    const since = new Date(Date.now() - 3_600_000);
    const [recent] = await tx
      .select({ n: count(), oldest: sql<string | null>`min(${emailVerificationTokens.createdAt})` })
      .from(emailVerificationTokens)
      .where(and(eq(emailVerificationTokens.userId, userId), gt(emailVerificationTokens.createdAt, since)));
    if (recent && recent.n >= ctx.config.VERIFICATION_MAILS_PER_HOUR) {
      const oldest = recent.oldest ? new Date(recent.oldest).getTime() : Date.now();
      const retryAfter = Math.max(1, Math.ceil((oldest + 3_600_000 - Date.now()) / 1000));
      throw new AppError('TOO_MANY_VERIFICATION_MAILS', { headers: { 'retry-after': String(retryAfter) } });
    }
    await mailVerificationLink(ctx, tx, user);
  });
}
