import { type Db, schema } from '@invoiceflow/db';
import { and, desc, eq, gt } from '@invoiceflow/db/orm';
import type { CheckoutStatus, GatewayProvider } from '@invoiceflow/db/schema';

const { gatewaySettings, payLinks, gatewayCheckouts, gatewayEvents, invoices, customers, payments } = schema;

export type GatewaySettingsRow = typeof gatewaySettings.$inferSelect;
export type CheckoutRow = typeof gatewayCheckouts.$inferSelect;

export async function getSettings(db: Db, { companyId }: { companyId: string }) {
  const [row] = await db.select().from(gatewaySettings).where(eq(gatewaySettings.companyId, companyId));
  return row;
}

export async function saveSettings(
  db: Db,
  values: {
    companyId: string;
    provider: GatewayProvider;
    credentialsSealed: string;
    accountName: string | null;
    configuredBy: string;
  },
): Promise<GatewaySettingsRow> {
  const [row] = await db
    .insert(gatewaySettings)
    .values(values)
    .onConflictDoUpdate({
      target: gatewaySettings.companyId,
      set: { ...values, updatedAt: new Date() },
    })
    .returning();
  if (!row) throw new Error('gateway settings upsert returned nothing');
  return row;
}

/** The invoice fields a checkout needs: number, customer's e-mail, status and type. */
export async function getInvoiceForCheckout(db: Db, { companyId, id }: { companyId: string; id: string }) {
  const [row] = await db
    .select({
      id: invoices.id,
      number: invoices.number,
      type: invoices.type,
      status: invoices.status,
      currency: invoices.currency,
      customerEmail: customers.email,
    })
    .from(invoices)
    .leftJoin(customers, and(eq(customers.id, invoices.customerId), eq(customers.companyId, companyId)))
    .where(and(eq(invoices.companyId, companyId), eq(invoices.id, id)));
  return row;
}

export async function ensurePayLink(
  db: Db,
  values: { companyId: string; invoiceId: string; tokenHash: string },
): Promise<void> {
  await db.insert(payLinks).values(values).onConflictDoNothing({ target: payLinks.invoiceId });
}

/** The pay link of a token's hash (public: the token is the credential), with its company. */
export async function getPayLinkByTokenHash(db: Db, tokenHash: string) {
  const [row] = await db.select().from(payLinks).where(eq(payLinks.tokenHash, tokenHash));
  return row;
}

/** An open checkout of the invoice for exactly this amount that stays open past `until`, to hand out again. */
export async function findReusableCheckout(
  db: Db,
  {
    companyId,
    invoiceId,
    amount,
    until,
  }: { companyId: string; invoiceId: string; amount: string; until: Date },
): Promise<CheckoutRow | undefined> {
  const [row] = await db
    .select()
    .from(gatewayCheckouts)
    .where(
      and(
        eq(gatewayCheckouts.companyId, companyId),
        eq(gatewayCheckouts.invoiceId, invoiceId),
        eq(gatewayCheckouts.status, 'open'),
        eq(gatewayCheckouts.amount, amount),
        gt(gatewayCheckouts.expiresAt, until),
      ),
    )
    .orderBy(desc(gatewayCheckouts.createdAt))
    .limit(1);
  return row;
}

export async function insertCheckout(
  db: Db,
  values: typeof gatewayCheckouts.$inferInsert & { id: string },
): Promise<CheckoutRow> {
  const [row] = await db.insert(gatewayCheckouts).values(values).returning();
  if (!row) throw new Error('checkout insert returned nothing');
  return row;
}

export async function listCheckouts(
  db: Db,
  { companyId, invoiceId }: { companyId: string; invoiceId: string },
) {
  return db
    .select({
      checkout: gatewayCheckouts,
      paymentStatus: payments.status,
      refundedAmount: payments.refundedAmount,
    })
    .from(gatewayCheckouts)
    .leftJoin(payments, and(eq(payments.id, gatewayCheckouts.paymentId), eq(payments.companyId, companyId)))
    .where(and(eq(gatewayCheckouts.companyId, companyId), eq(gatewayCheckouts.invoiceId, invoiceId)))
    .orderBy(desc(gatewayCheckouts.createdAt));
}

/** Updates the checkout of a gateway id or of our id (whichever the report names) in this company. */
export async function updateCheckout(
  db: Db,
  {
    companyId,
    externalId,
    id,
    values,
  }: {
    companyId: string;
    externalId?: string;
    id?: string;
    values: Partial<{ status: CheckoutStatus; paymentId: string; failureMessage: string | null }>;
  },
): Promise<void> {
  const match = id ? eq(gatewayCheckouts.id, id) : eq(gatewayCheckouts.externalId, externalId ?? '');
  await db
    .update(gatewayCheckouts)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(gatewayCheckouts.companyId, companyId), match));
}

export async function hasEvent(
  db: Db,
  { companyId, provider, externalId }: { companyId: string; provider: GatewayProvider; externalId: string },
): Promise<boolean> {
  const [row] = await db
    .select({ id: gatewayEvents.id })
    .from(gatewayEvents)
    .where(
      and(
        eq(gatewayEvents.companyId, companyId),
        eq(gatewayEvents.provider, provider),
        eq(gatewayEvents.externalId, externalId),
      ),
    );
  return row !== undefined;
}

/** Records an event once; false when it was already there (a replayed or concurrent delivery). */
export async function insertEvent(
  db: Db,
  values: { companyId: string; provider: GatewayProvider; externalId: string; type: string; outcome: string },
): Promise<boolean> {
  const rows = await db
    .insert(gatewayEvents)
    .values(values)
    .onConflictDoNothing({
      target: [gatewayEvents.companyId, gatewayEvents.provider, gatewayEvents.externalId],
    })
    .returning({ id: gatewayEvents.id });
  return rows.length > 0;
}

export async function setEventOutcome(
  db: Db,
  {
    companyId,
    provider,
    externalId,
    outcome,
  }: { companyId: string; provider: GatewayProvider; externalId: string; outcome: string },
): Promise<void> {
  await db
    .update(gatewayEvents)
    .set({ outcome })
    .where(
      and(
        eq(gatewayEvents.companyId, companyId),
        eq(gatewayEvents.provider, provider),
        eq(gatewayEvents.externalId, externalId),
      ),
    );
}
