// Online payments: a company connects its gateway account, each payable invoice gets a stable pay link that opens a
// checkout for what is outstanding, and the gateway's signed webhooks record the payment (and its refunds) once.
import { randomUUID } from 'node:crypto';
import type { Db } from '@invoiceflow/db';
import type { GatewayProvider, PaymentStatus } from '@invoiceflow/db/schema';
import { compareMoney, fitsCurrency, roundMoney } from '@invoiceflow/totals';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { auditorFor } from '../../lib/audit';
import { decrypt, encrypt, hashToken, hmac } from '../../lib/crypto';
import { AppError, defineErrors, validationError } from '../../lib/errors';
import { linkBase } from '../auth/verification';
import { getCompany } from '../companies/queries';
import { companyDate } from '../payments/company-date';
import { allocatableOnInvoice } from '../payments/payment-status';
import * as payments from '../payments/queries';
import { syncGatewayPayment } from '../payments/service';
import type { GatewayCredentials, PaymentGateway, PaymentState } from './gateway';
import * as q from './queries';
import { stripeGateway } from './stripe';

defineErrors({
  GATEWAY_NOT_CONFIGURED: [404, 'No online payment gateway is connected for this company.'],
  GATEWAY_SETTINGS_REJECTED: [422, 'The gateway refused a test call with this key.'],
  GATEWAY_SIGNATURE_INVALID: [400, 'The webhook signature does not verify with the signing secret.'],
  GATEWAY_UNAVAILABLE: [503, 'The payment gateway did not answer; try again shortly.'],
  PAY_LINK_NOT_FOUND: [404, 'This pay link does not exist.'],
});

const audit = auditorFor('online_payment');
/** A checkout handed out again must stay open at least this long for the payer to finish. */
const REUSE_MARGIN_MS = 30 * 60_000;

export function gatewayOf(
  ctx: AppContext,
  provider: GatewayProvider,
  credentials: GatewayCredentials,
): PaymentGateway {
  switch (provider) {
    case 'stripe':
      return stripeGateway(credentials, {
        apiUrl: ctx.config.STRIPE_API_URL,
        timeoutMs: ctx.config.GATEWAY_TIMEOUT_MS,
      });
  }
}

function gatewayOfRow(ctx: AppContext, row: q.GatewaySettingsRow): PaymentGateway {
  const credentials = JSON.parse(decrypt(ctx.secrets.dataKey, row.credentialsSealed)) as GatewayCredentials;
  return gatewayOf(ctx, row.provider, credentials);
}

/** The token of an invoice's pay link: derived with the data key, so a re-rendered PDF prints the same link. */
function payTokenOf(ctx: AppContext, invoiceId: string): string {
  return hmac(ctx.secrets.dataKey, `pay-link:${invoiceId}`);
}

export function payLinkUrl(ctx: AppContext, invoiceId: string): string {
  return `${linkBase(ctx.config)}/api/v1/public/pay/${payTokenOf(ctx, invoiceId)}`;
}

function webhookUrl(ctx: AppContext, companyId: string, provider: GatewayProvider): string {
  return `${linkBase(ctx.config)}/api/v1/public/payment-gateway/${provider}/${companyId}/webhook`;
}

function presentSettings(ctx: AppContext, row: q.GatewaySettingsRow) {
  return {
    provider: row.provider,
    account_name: row.accountName,
    has_credentials: true,
    webhook_url: webhookUrl(ctx, row.companyId, row.provider),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** The connected account, or null while none is. */
export async function readSettings(ctx: AppContext, companyId: string) {
  const row = await q.getSettings(ctx.db, { companyId });
  return row ? presentSettings(ctx, row) : null;
}

/** Saves the account once a harmless call with its key worked; the key and signing secret are sealed. */
export async function saveSettings(
  ctx: AppContext,
  companyId: string,
  actor: Actor,
  input: { provider: GatewayProvider; secret_key: string; webhook_secret: string },
) {
  const credentials = { secret_key: input.secret_key, webhook_secret: input.webhook_secret };
  const checked = await gatewayOf(ctx, input.provider, credentials).check();
  if (!checked.ok) {
    throw new AppError('GATEWAY_SETTINGS_REJECTED', {
      errors: [{ path: 'secret_key', code: 'GATEWAY_CHECK_FAILED', message: checked.problem.slice(0, 300) }],
    });
  }
  return ctx.db.transaction(async (tx) => {
    const row = await q.saveSettings(tx, {
      companyId,
      provider: input.provider,
      credentialsSealed: encrypt(ctx.secrets.dataKey, JSON.stringify(credentials)),
      accountName: checked.accountName,
      configuredBy: actor.userId,
    });
    await audit(tx, companyId, actor, 'gateway_settings.updated', companyId, { provider: input.provider });
    return presentSettings(ctx, row);
  });
}

async function payableInvoice(db: Db, companyId: string, invoiceId: string) {
  const invoice = await q.getInvoiceForCheckout(db, { companyId, id: invoiceId });
  if (!invoice) throw new AppError('INVOICE_NOT_FOUND');
  if (invoice.status === 'draft' || invoice.type === 'credit_note') throw new AppError('INVOICE_NOT_PAYABLE');
  return invoice;
}

/** What may still be paid on the invoice: due less every allocation that counts or may count. */
async function outstandingOf(db: Db, companyId: string, invoiceId: string): Promise<string> {
  const invoice = await payments.getPayableInvoice(db, { companyId, id: invoiceId });
  if (!invoice) throw new AppError('INVOICE_NOT_FOUND');
  const committed = await payments.committedOnInvoices(db, { companyId, invoiceIds: [invoiceId] });
  return allocatableOnInvoice(invoice, committed.get(invoiceId) ?? '0');
}

/** The invoice's pay link (made on first ask) and what it would charge now. */
/** The invoice's pay link, or null while the company has no gateway connected (there is then nothing to pay by). */
export async function getPayLink(ctx: AppContext, companyId: string, invoiceId: string) {
  // The invoice first: another company's id is not found, whatever that company has connected.
  const invoice = await payableInvoice(ctx.db, companyId, invoiceId);
  if (!(await q.getSettings(ctx.db, { companyId }))) return null;
  await q.ensurePayLink(ctx.db, { companyId, invoiceId, tokenHash: hashToken(payTokenOf(ctx, invoiceId)) });
  return {
    invoice_id: invoiceId,
    url: payLinkUrl(ctx, invoiceId),
    outstanding_amount: await outstandingOf(ctx.db, companyId, invoiceId),
    currency: invoice.currency,
  };
}

/**
 * The pay link for an invoice mail, inside the mail's transaction: where the company takes payments online and
 * something is outstanding on a payable invoice; otherwise null (no line in the mail).
 */
export async function payLinkForMail(
  ctx: AppContext,
  tx: Db,
  { companyId, invoiceId }: { companyId: string; invoiceId: string },
): Promise<string | null> {
  if (!(await q.getSettings(tx, { companyId }))) return null;
  const invoice = await q.getInvoiceForCheckout(tx, { companyId, id: invoiceId });
  if (!invoice || invoice.status === 'draft' || invoice.type === 'credit_note') return null;
  if (compareMoney(await outstandingOf(tx, companyId, invoiceId), '0') <= 0) return null;
  await q.ensurePayLink(tx, { companyId, invoiceId, tokenHash: hashToken(payTokenOf(ctx, invoiceId)) });
  return payLinkUrl(ctx, invoiceId);
}

/** The resolver the invoice PDF asks for its footer's pay link: the mail's rule, the same stable link. */
export function payLinkForPdf(ctx: AppContext) {
  return (db: Db, ids: { companyId: string; invoiceId: string }) => payLinkForMail(ctx, db, ids);
}

function presentCheckout(
  row: q.CheckoutRow,
  payment?: { paymentStatus: PaymentStatus | null; refundedAmount: string | null },
) {
  return {
    id: row.id,
    invoice_id: row.invoiceId,
    provider: row.provider,
    url: row.url,
    amount: roundMoney(row.amount, row.currency),
    currency: row.currency,
    status: row.status,
    expires_at: row.expiresAt.toISOString(),
    failure_message: row.failureMessage,
    payment_id: row.paymentId,
    payment_status: payment?.paymentStatus ?? null,
    refunded_amount: payment?.refundedAmount ? roundMoney(payment.refundedAmount, row.currency) : null,
    created_at: row.createdAt.toISOString(),
  };
}

/**
 * A checkout for `amount` (default: all that is outstanding) — an open one for the same amount is handed out
 * again rather than a second made. The gateway is called outside any transaction; its idempotency key is our id.
 */
export async function createCheckout(
  ctx: AppContext,
  companyId: string,
  invoiceId: string,
  input: { amount?: string },
) {
  const invoice = await payableInvoice(ctx.db, companyId, invoiceId);
  const settings = await q.getSettings(ctx.db, { companyId });
  if (!settings) throw new AppError('GATEWAY_NOT_CONFIGURED');
  const { currency } = invoice;
  const outstanding = await outstandingOf(ctx.db, companyId, invoiceId);
  if (compareMoney(outstanding, '0') <= 0) throw new AppError('INVOICE_ALREADY_PAID');
  if (input.amount !== undefined && !fitsCurrency(input.amount, currency)) {
    throw validationError([
      {
        path: 'amount',
        code: 'TOO_MANY_DECIMALS',
        message: `${currency} amounts have at most its minor-unit digits.`,
      },
    ]);
  }
  const amount = roundMoney(input.amount ?? outstanding, currency);
  if (compareMoney(amount, '0') <= 0) {
    throw validationError([
      { path: 'amount', code: 'AMOUNT_NOT_POSITIVE', message: 'The amount must be above zero.' },
    ]);
  }
  if (compareMoney(amount, outstanding) > 0) {
    throw new AppError('VALIDATION_FAILED', {
      status: 422,
      errors: [
        {
          path: 'amount',
          code: 'EXCEEDS_OUTSTANDING',
          message: `Only ${outstanding} ${currency} is outstanding.`,
        },
      ],
      extra: { outstanding_amount: outstanding },
    });
  }
  const gateway = gatewayOfRow(ctx, settings);
  const problem = gateway.amountProblem(amount, currency);
  if (problem) {
    throw new AppError('VALIDATION_FAILED', {
      status: 422,
      errors: [{ path: 'amount', code: 'AMOUNT_NOT_PAYABLE_ONLINE', message: problem }],
    });
  }

  const reusable = await q.findReusableCheckout(ctx.db, {
    companyId,
    invoiceId,
    amount,
    until: new Date(Date.now() + REUSE_MARGIN_MS),
  });
  if (reusable) return presentCheckout(reusable);

  await q.ensurePayLink(ctx.db, { companyId, invoiceId, tokenHash: hashToken(payTokenOf(ctx, invoiceId)) });
  const back = `${payLinkUrl(ctx, invoiceId)}/status`;
  const id = randomUUID();
  let created: Awaited<ReturnType<PaymentGateway['createCheckout']>>;
  try {
    created = await gateway.createCheckout({
      checkoutId: id,
      companyId,
      invoiceId,
      invoiceNumber: invoice.number,
      amount,
      currency,
      customerEmail: invoice.customerEmail,
      successUrl: back,
      cancelUrl: back,
    });
  } catch {
    throw new AppError('GATEWAY_UNAVAILABLE');
  }
  const row = await q.insertCheckout(ctx.db, {
    id,
    companyId,
    invoiceId,
    provider: settings.provider,
    externalId: created.externalId,
    url: created.url,
    amount,
    currency,
    expiresAt: created.expiresAt,
  });
  return presentCheckout(row);
}

export async function listCheckouts(ctx: AppContext, companyId: string, invoiceId: string) {
  await payableInvoice(ctx.db, companyId, invoiceId);
  const rows = await q.listCheckouts(ctx.db, { companyId, invoiceId });
  return { items: rows.map((row) => presentCheckout(row.checkout, row)) };
}

async function payLinkOfToken(ctx: AppContext, token: string) {
  const link = await q.getPayLinkByTokenHash(ctx.db, hashToken(token));
  if (!link) throw new AppError('PAY_LINK_NOT_FOUND');
  return link;
}

/** The public pay link: a checkout for what is outstanding now (409 INVOICE_ALREADY_PAID when nothing is). */
export async function openPayLink(ctx: AppContext, token: string): Promise<string> {
  const link = await payLinkOfToken(ctx, token);
  const checkout = await createCheckout(ctx, link.companyId, link.invoiceId, {});
  return checkout.url;
}

/** Where the payer lands after the checkout: the invoice's number and what is left to pay, nothing else. */
export async function payLinkStatus(ctx: AppContext, token: string) {
  const link = await payLinkOfToken(ctx, token);
  const invoice = await payableInvoice(ctx.db, link.companyId, link.invoiceId);
  const outstanding = await outstandingOf(ctx.db, link.companyId, link.invoiceId);
  return {
    invoice_number: invoice.number,
    currency: invoice.currency,
    outstanding_amount: outstanding,
    is_paid: compareMoney(outstanding, '0') <= 0,
  };
}

type Outcome = 'recorded' | 'pending' | 'refunded' | 'failed' | 'expired' | 'unchanged' | 'ignored';

/**
 * A webhook from the company's gateway account. The signature is checked over the raw bytes; the event only says
 * what changed, so the checkout and payment are read back from the gateway and recorded as they are now — the
 * order in which events arrive does not matter, and the event id (stored once) and the payment's gateway id (one
 * payment each) make a replay change nothing.
 */
export async function takeWebhook(
  ctx: AppContext,
  provider: GatewayProvider,
  companyId: string,
  rawBody: Buffer,
  signature: string | undefined,
): Promise<{ received: true; duplicate: boolean; outcome: Outcome }> {
  const settings = await q.getSettings(ctx.db, { companyId });
  if (!settings || settings.provider !== provider) throw new AppError('GATEWAY_NOT_CONFIGURED');
  const gateway = gatewayOfRow(ctx, settings);
  let event: ReturnType<PaymentGateway['verifyEvent']>;
  try {
    event = gateway.verifyEvent(rawBody, signature);
  } catch {
    throw new AppError('GATEWAY_SIGNATURE_INVALID');
  }
  if (await q.hasEvent(ctx.db, { companyId, provider, externalId: event.id })) {
    return { received: true, duplicate: true, outcome: 'unchanged' };
  }

  let checkoutStatus: 'open' | 'complete' | 'expired' | null = null;
  let paymentRef = event.paymentRef;
  let state: PaymentState | null = null;
  try {
    if (event.checkoutRef) {
      const checkout = await gateway.readCheckout(event.checkoutRef);
      checkoutStatus = checkout.status;
      paymentRef = checkout.paymentRef ?? paymentRef;
    }
    if (paymentRef) state = await gateway.readPayment(paymentRef);
  } catch {
    throw new AppError('GATEWAY_UNAVAILABLE');
  }
  // The gateway acts in the name of whoever connected it; with that account gone, it must be connected again.
  if (!settings.configuredBy) throw new AppError('GATEWAY_NOT_CONFIGURED');
  const actor: Actor = { userId: settings.configuredBy, requestId: `${provider}:${event.id}` };
  const company = await getCompany(ctx.db, { companyId });
  const today = companyDate(company?.timeZone ?? 'UTC');

  return ctx.db.transaction(async (tx) => {
    const isNew = await q.insertEvent(tx, {
      companyId,
      provider,
      externalId: event.id,
      type: event.type,
      outcome: 'ignored',
    });
    if (!isNew) return { received: true as const, duplicate: true, outcome: 'unchanged' as const };
    let outcome: Outcome = 'ignored';
    if (event.checkoutRef && checkoutStatus) {
      await q.updateCheckout(tx, {
        companyId,
        externalId: event.checkoutRef,
        values: { status: checkoutStatus },
      });
      if (checkoutStatus === 'expired') outcome = 'expired';
    }
    // Only a payment this company's own checkout started is recorded here.
    if (state && state.companyId === companyId && state.invoiceId) {
      if (state.failureMessage && state.checkoutId && state.status !== 'completed') {
        await q.updateCheckout(tx, {
          companyId,
          id: state.checkoutId,
          values: { failureMessage: state.failureMessage.slice(0, 500) },
        });
      }
      if (state.status !== null) {
        const before = await payments.lockPaymentByGatewayRef(tx, { companyId, gatewayRef: state.ref });
        const payment = await syncGatewayPayment(tx, companyId, actor, {
          invoiceId: state.invoiceId,
          gatewayRef: state.ref,
          amount: state.amount,
          currency: state.currency,
          status: state.status,
          method: state.method,
          refunded: state.refunded,
          paymentDate: today,
        });
        if (payment && state.checkoutId) {
          await q.updateCheckout(tx, { companyId, id: state.checkoutId, values: { paymentId: payment.id } });
        }
        outcome = !payment
          ? 'failed'
          : !before
            ? payment.status === 'pending'
              ? 'pending'
              : 'recorded'
            : compareMoney(payment.refundedAmount, before.refundedAmount) > 0
              ? 'refunded'
              : payment.status !== before.status
                ? payment.status === 'failed'
                  ? 'failed'
                  : 'recorded'
                : 'unchanged';
      }
    }
    await q.setEventOutcome(tx, { companyId, provider, externalId: event.id, outcome });
    return { received: true as const, duplicate: false, outcome };
  });
}
