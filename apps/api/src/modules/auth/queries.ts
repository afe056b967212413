import { randomUUID } from 'node:crypto';
import { type Db, schema } from '@invoiceflow/db';
import { and, count, eq, gt, isNull, sql } from '@invoiceflow/db/orm';

const { users, refreshTokens, loginAttempts, backupCodes, passwordResetTokens, memberships, companies } =
  schema;

export type UserRow = typeof users.$inferSelect;

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  return user;
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user;
}

export async function insertRefreshToken(
  db: Db,
  values: { userId: string; familyId?: string; tokenHash: string; expiresAt: Date },
): Promise<{ familyId: string }> {
  const familyId = values.familyId ?? randomUUID();
  await db.insert(refreshTokens).values({ ...values, familyId });
  return { familyId };
}

/** Locks the token row so two refreshes with one token cannot both rotate it. */
export async function lockRefreshToken(db: Db, tokenHash: string) {
  const [row] = await db
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .for('update');
  return row;
}

export async function markRotated(db: Db, id: string): Promise<void> {
  await db.update(refreshTokens).set({ rotatedAt: new Date() }).where(eq(refreshTokens.id, id));
}

export async function revokeFamily(db: Db, familyId: string): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

export async function revokeAllForUser(db: Db, userId: string): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
}

export async function recordLoginAttempt(
  db: Db,
  values: { email: string; ip: string; succeeded: boolean },
): Promise<void> {
  await db.insert(loginAttempts).values(values);
}

/** Failures in the window, per account and per address, and the oldest of them (for Retry-After). */
export async function recentFailures(
  db: Db,
  { email, ip, since }: { email: string; ip: string; since: Date },
) {
  const failedSince = and(eq(loginAttempts.succeeded, false), gt(loginAttempts.createdAt, since));
  const [byAccount] = await db
    .select({ n: count(), oldest: sql<string | null>`min(${loginAttempts.createdAt})` })
    .from(loginAttempts)
    .where(and(sql`lower(${loginAttempts.email}) = ${email}`, failedSince));
  const [byAddress] = await db
    .select({ n: count(), oldest: sql<string | null>`min(${loginAttempts.createdAt})` })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.ip, ip), failedSince));
  return { byAccount: byAccount ?? { n: 0, oldest: null }, byAddress: byAddress ?? { n: 0, oldest: null } };
}

export async function replaceBackupCodes(db: Db, userId: string, codeHashes: string[]): Promise<void> {
  await db.delete(backupCodes).where(eq(backupCodes.userId, userId));
  if (codeHashes.length === 0) return;
  await db.insert(backupCodes).values(codeHashes.map((codeHash) => ({ userId, codeHash })));
}

/** Single use even under concurrency: only one UPDATE can flip used_at from NULL. */
export async function consumeBackupCode(db: Db, userId: string, codeHash: string): Promise<boolean> {
  const used = await db
    .update(backupCodes)
    .set({ usedAt: new Date() })
    .where(
      and(eq(backupCodes.userId, userId), eq(backupCodes.codeHash, codeHash), isNull(backupCodes.usedAt)),
    )
    .returning({ id: backupCodes.id });
  return used.length === 1;
}

/** A TOTP step is accepted once: the update succeeds only for a step newer than the last one used. */
export async function advanceTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const updated = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, userId), sql`(${users.totpLastStep} IS NULL OR ${users.totpLastStep} < ${step})`))
    .returning({ id: users.id });
  return updated.length === 1;
}

export async function insertPasswordResetToken(
  db: Db,
  values: { userId: string; tokenHash: string; expiresAt: Date },
) {
  await db.insert(passwordResetTokens).values(values);
}

export async function consumePasswordResetToken(db: Db, tokenHash: string): Promise<string | undefined> {
  const [row] = await db
    .update(passwordResetTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(passwordResetTokens.tokenHash, tokenHash),
        isNull(passwordResetTokens.usedAt),
        gt(passwordResetTokens.expiresAt, new Date()),
      ),
    )
    .returning({ userId: passwordResetTokens.userId });
  return row?.userId;
}

export async function listUserCompanies(db: Db, userId: string) {
  return db
    .select({
      id: companies.id,
      legal_name_en: companies.legalNameEn,
      legal_name_ar: companies.legalNameAr,
      country: companies.country,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(companies, eq(companies.id, memberships.companyId))
    .where(and(eq(memberships.userId, userId), eq(memberships.isSuspended, false)))
    .orderBy(companies.legalNameEn);
}
