import { randomUUID } from 'node:crypto';
import { type Db, schema } from '@invoiceflow/db';
import { and, count, eq, gt, isNull, lte, ne, sql } from '@invoiceflow/db/orm';

const {
  users,
  refreshTokens,
  loginAttempts,
  loginKnownSources,
  accountMailRequests,
  backupCodes,
  passwordResetTokens,
  memberships,
  companies,
} = schema;

/** Advisory lock namespaces (the two-key form): one per kind of key, so their hashes never collide. */
const LOCK_LOGIN_ACCOUNT = 7301;
const LOCK_LOGIN_ADDRESS = 7302;
const LOCK_MAIL_RECIPIENT = 7303;
const LOCK_MAIL_ADDRESS = 7304;
const LOCK_FIRST_ACCOUNT = 7305;

export type UserRow = typeof users.$inferSelect;

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  return user;
}

/**
 * Whether the install has an account yet, with the sign-up lock held to the end of the transaction: two people
 * signing up at the same moment on a fresh install cannot both be its first account.
 */
export async function hasAnyAccountLocked(tx: Db): Promise<boolean> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_FIRST_ACCOUNT}, 0)`);
  const [row] = await tx.select({ id: users.id }).from(users).limit(1);
  return row !== undefined;
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user;
}

export async function insertRefreshToken(
  db: Db,
  values: { userId: string; familyId?: string; tokenHash: string; expiresAt: Date; device?: string | null },
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

export interface SessionRow {
  familyId: string;
  startedAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  device: string | null;
}

/**
 * The user's live logins, one per refresh-token family: none of its tokens revoked and its newest one unexpired.
 * Started when the first token was issued; last used when the newest one was (each refresh issues one).
 */
export async function listSessions(db: Db, userId: string): Promise<SessionRow[]> {
  const t = refreshTokens;
  return db
    .select({
      familyId: t.familyId,
      startedAt: sql<Date>`min(${t.createdAt})`.mapWith(t.createdAt),
      lastUsedAt: sql<Date>`max(${t.createdAt})`.mapWith(t.createdAt),
      expiresAt: sql<Date>`max(${t.expiresAt})`.mapWith(t.expiresAt),
      device: sql<string | null>`max(${t.device})`,
    })
    .from(t)
    .where(eq(t.userId, userId))
    .groupBy(t.familyId)
    .having(sql`bool_and(${t.revokedAt} IS NULL) AND max(${t.expiresAt}) > now()`)
    .orderBy(sql`max(${t.createdAt}) DESC`);
}

/** Ends one of the user's logins; false when the user has no live login of that id. */
export async function revokeUserFamily(db: Db, userId: string, familyId: string): Promise<boolean> {
  const rows = await db
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(refreshTokens.userId, userId),
        eq(refreshTokens.familyId, familyId),
        isNull(refreshTokens.revokedAt),
        gt(refreshTokens.expiresAt, new Date()),
      ),
    )
    .returning({ id: refreshTokens.id });
  return rows.length > 0;
}

export async function revokeAllForUser(db: Db, userId: string): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
}

export async function revokeOtherFamilies(db: Db, userId: string, keepFamilyId: string): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(refreshTokens.userId, userId),
        ne(refreshTokens.familyId, keepFamilyId),
        isNull(refreshTokens.revokedAt),
      ),
    );
}

export type AttemptReservation = { attemptId: number } | { blockedUntil: Date };

/**
 * Reserves one password (or second factor) check: counted as a failure from now on, unless it is marked succeeded
 * after the check. The count and the insert run under advisory locks on the account and the address, so
 * simultaneous guesses — in any number of processes — are serialized here and can never exceed the limits.
 * From an address that signed in to the account before (`isKnownSource`) the account's limit counts only that
 * address's failures.
 */
export async function reserveLoginAttempt(
  db: Db,
  input: {
    email: string;
    ip: string;
    since: Date;
    maxPerAccount: number;
    maxPerAddress: number;
    isKnownSource: boolean;
  },
): Promise<AttemptReservation> {
  const email = input.email.toLowerCase();
  return db.transaction(async (tx) => {
    // Always the account first, then the address: one order, so two reservations cannot deadlock.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_LOGIN_ACCOUNT}, hashtext(${email}))`);
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_LOGIN_ADDRESS}, hashtext(${input.ip}))`);
    const failedSince = and(eq(loginAttempts.succeeded, false), gt(loginAttempts.createdAt, input.since));
    const oldest = sql<string | null>`min(${loginAttempts.createdAt})`;
    const [byAccount] = await tx
      .select({ n: count(), oldest })
      .from(loginAttempts)
      .where(
        and(
          sql`lower(${loginAttempts.email}) = ${email}`,
          input.isKnownSource ? eq(loginAttempts.ip, input.ip) : undefined,
          failedSince,
        ),
      );
    const [byAddress] = await tx
      .select({ n: count(), oldest })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.ip, input.ip), failedSince));
    const blocked = [
      byAccount && byAccount.n >= input.maxPerAccount ? byAccount.oldest : null,
      byAddress && byAddress.n >= input.maxPerAddress ? byAddress.oldest : null,
    ].filter((at): at is string => at !== null);
    if (blocked.length > 0) {
      const windowMs = Date.now() - input.since.getTime();
      return { blockedUntil: new Date(Math.max(...blocked.map((at) => new Date(at).getTime() + windowMs))) };
    }
    const [row] = await tx
      .insert(loginAttempts)
      .values({ email: input.email, ip: input.ip, succeeded: false })
      .returning({ id: loginAttempts.id });
    if (!row) throw new Error('login attempt insert returned nothing');
    return { attemptId: row.id };
  });
}

export async function markAttemptSucceeded(db: Db, attemptId: number): Promise<void> {
  await db.update(loginAttempts).set({ succeeded: true }).where(eq(loginAttempts.id, attemptId));
}

/** Addresses are remembered for a season: a stale one no longer lifts the account's lock. */
const KNOWN_SOURCE_DAYS = 90;

export async function isKnownSource(db: Db, userId: string, sourceHash: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: loginKnownSources.userId })
    .from(loginKnownSources)
    .where(
      and(
        eq(loginKnownSources.userId, userId),
        eq(loginKnownSources.sourceHash, sourceHash),
        gt(loginKnownSources.lastSeenAt, sql`now() - make_interval(days => ${KNOWN_SOURCE_DAYS})`),
      ),
    );
  return row !== undefined;
}

export async function rememberSource(db: Db, userId: string, sourceHash: string): Promise<void> {
  await db
    .insert(loginKnownSources)
    .values({ userId, sourceHash })
    .onConflictDoUpdate({
      target: [loginKnownSources.userId, loginKnownSources.sourceHash],
      set: { lastSeenAt: sql`now()` },
    });
  await db
    .delete(loginKnownSources)
    .where(
      and(
        eq(loginKnownSources.userId, userId),
        sql`${loginKnownSources.lastSeenAt} < now() - make_interval(days => ${KNOWN_SOURCE_DAYS})`,
      ),
    );
}

/**
 * Records a request for account mail and answers whether it may be sent: under the limits per recipient and per
 * requesting address in the window. Serialized per recipient and address like sign-in attempts.
 */
export async function reserveAccountMail(
  db: Db,
  input: {
    kind: string;
    recipientHash: string;
    addressHash: string;
    since: Date;
    maxPerRecipient: number;
    maxPerAddress: number;
  },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`SELECT pg_advisory_xact_lock(${LOCK_MAIL_RECIPIENT}, hashtext(${input.recipientHash}))`,
    );
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_MAIL_ADDRESS}, hashtext(${input.addressHash}))`);
    const recent = gt(accountMailRequests.createdAt, input.since);
    const [byRecipient] = await tx
      .select({ n: count() })
      .from(accountMailRequests)
      .where(and(eq(accountMailRequests.recipientHash, input.recipientHash), recent));
    const [byAddress] = await tx
      .select({ n: count() })
      .from(accountMailRequests)
      .where(and(eq(accountMailRequests.addressHash, input.addressHash), recent));
    if ((byRecipient?.n ?? 0) >= input.maxPerRecipient || (byAddress?.n ?? 0) >= input.maxPerAddress)
      return false;
    // Requests older than the window are no longer needed: the table stays as small as the limits allow.
    await tx
      .delete(accountMailRequests)
      .where(
        and(
          eq(accountMailRequests.recipientHash, input.recipientHash),
          lte(accountMailRequests.createdAt, input.since),
        ),
      );
    await tx.insert(accountMailRequests).values({
      kind: input.kind,
      recipientHash: input.recipientHash,
      addressHash: input.addressHash,
    });
    return true;
  });
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
  values: { userId: string; tokenHash: string; expiresAt: Date; removesMfa?: boolean },
) {
  await db.insert(passwordResetTokens).values(values);
}

export async function spendMfaRecoveryLinks(db: Db, userId: string): Promise<void> {
  await db
    .update(passwordResetTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(passwordResetTokens.userId, userId),
        eq(passwordResetTokens.removesMfa, true),
        isNull(passwordResetTokens.usedAt),
      ),
    );
}

/**
 * Spends a reset link and, with it, every other outstanding link of the account: an older mail left in an inbox
 * must not set the password again after the owner has reset it.
 */
export async function consumePasswordResetToken(
  db: Db,
  tokenHash: string,
): Promise<{ userId: string; removesMfa: boolean } | undefined> {
  const now = new Date();
  const [row] = await db
    .update(passwordResetTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(passwordResetTokens.tokenHash, tokenHash),
        isNull(passwordResetTokens.usedAt),
        gt(passwordResetTokens.expiresAt, now),
      ),
    )
    .returning({ userId: passwordResetTokens.userId, removesMfa: passwordResetTokens.removesMfa });
  if (!row) return undefined;
  await db
    .update(passwordResetTokens)
    .set({ usedAt: now })
    .where(and(eq(passwordResetTokens.userId, row.userId), isNull(passwordResetTokens.usedAt)));
  return row;
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
