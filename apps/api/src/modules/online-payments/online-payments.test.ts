// Online payments through the official Stripe SDK against a Stripe-shaped server on 127.0.0.1: the key tried on
// save, the pay link opening a checkout for what is outstanding, signed webhooks recording the payment once (three
// deliveries, events out of order, a bad signature), a part payment, a declined card, a delayed method that fails,
// and refunds recorded as reversals.
import { schema } from '@invoiceflow/db';
import { eq } from '@invoiceflow/db/orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, createTestApp, registerUser, type TestApp } from '../../../test/support/app';
import { type FakeStripe, type StripeEvent, startFakeStripe } from '../../../test/support/fake-stripe';

const NL_FREELANCER = {
  legal_name_en: 'Jansen Design',
  country: 'NL',
  vat_number: 'NL123456789B01',
  address: { street: 'Keizersgracht 1', city: 'Amsterdam', postal_code: '1015 CJ', country: 'NL' },
};

let t: TestApp;
let stripe: FakeStripe;
let c: Call;
let companyId: string;
let customerId: string;
beforeAll(async () => {
  stripe = await startFakeStripe();
  t = await createTestApp({ STRIPE_API_URL: stripe.url, GATEWAY_TIMEOUT_MS: 3000 });
  const session = await registerUser(t.app, NL_FREELANCER);
  companyId = session.companyId;
  c = as(t.app, session);
  const customer = await c({
    method: 'POST',
    url: '/api/v1/customers',
    payload: {
      name_en: 'Bakkerij de Vries',
      email: 'kas@bakkerij.example',
      address: { country: 'NL', city: 'Utrecht' },
    },
  });
  expect(customer.statusCode, customer.body).toBe(201);
  customerId = customer.json().id;
});
afterAll(async () => {
  await t?.close();
  await stripe?.close();
});

/** An issued invoice of 1,210.00 EUR (1,000.00 + 21 % VAT). */
async function invoice(): Promise<string> {
  const response = await c({
    method: 'POST',
    url: '/api/v1/invoices/generate',
    payload: {
      customer_id: customerId,
      line_items: [{ description: 'Logo design', quantity: 1, unit_price: '1000', vat_rate: 21 }],
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}
async function readInvoice(id: string) {
  const response = await c({ method: 'GET', url: `/api/v1/invoices/${id}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { paid_amount: string; amount_due: string; status: string };
}
async function paymentsOf(id: string) {
  const response = await c({ method: 'GET', url: `/api/v1/payments?page_size=100` });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json().payments as { allocations: { invoice_id: string }[] }[]).filter((p) =>
    p.allocations.some((a) => a.invoice_id === id),
  );
}
const webhookUrl = (company = companyId) => `/api/v1/public/payment-gateway/stripe/${company}/webhook`;
async function deliver(event: StripeEvent, options?: Parameters<FakeStripe['signed']>[1], company?: string) {
  const { payload, headers } = stripe.signed(event, options);
  return t.app.inject({ method: 'POST', url: webhookUrl(company), payload, headers });
}
async function deliverAll(events: StripeEvent[]) {
  const outcomes: string[] = [];
  for (const event of events) {
    const response = await deliver(event);
    expect(response.statusCode, response.body).toBe(200);
    outcomes.push(response.json().outcome);
  }
  return outcomes;
}
async function payLinkOf(id: string) {
  const response = await c({ method: 'GET', url: `/api/v1/invoices/${id}/pay-link` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { url: string; outstanding_amount: string };
}
/** Follows the public pay link as the payer's browser would: the 303 names the checkout. */
async function follow(link: string) {
  const response = await t.app.inject({ method: 'GET', url: new URL(link).pathname });
  return response;
}
const sessionIdOf = (checkoutUrl: string) => checkoutUrl.split('/').pop() as string;

describe('connecting the gateway', () => {
  it('refuses a key the gateway does not accept, without echoing it, and keeps nothing', async () => {
    const refused = await c({
      method: 'PUT',
      url: '/api/v1/payment-gateway/settings',
      payload: {
        provider: 'stripe',
        secret_key: 'sk_test_wrongwrongwrong',
        webhook_secret: stripe.webhookSecret,
      },
    });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().code).toBe('GATEWAY_SETTINGS_REJECTED');
    expect(refused.body).not.toContain('sk_test_wrongwrongwrong');
    // Nothing connected: no settings and no pay link, answered as no content (the normal state, not an error).
    expect((await c({ method: 'GET', url: '/api/v1/payment-gateway/settings' })).statusCode).toBe(204);
    const noLink = await c({ method: 'GET', url: `/api/v1/invoices/${await invoice()}/pay-link` });
    expect(noLink.statusCode).toBe(204);
    expect(noLink.body).toBe('');
  });

  it('saves a working key, names the account and the webhook URL, and never answers the secrets', async () => {
    const saved = await c({
      method: 'PUT',
      url: '/api/v1/payment-gateway/settings',
      payload: { provider: 'stripe', secret_key: stripe.secretKey, webhook_secret: stripe.webhookSecret },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      provider: 'stripe',
      account_name: 'Atelier Test',
      has_credentials: true,
    });
    expect(saved.json().webhook_url).toContain(webhookUrl());
    const read = await c({ method: 'GET', url: '/api/v1/payment-gateway/settings' });
    expect(read.body).not.toContain(stripe.secretKey);
    expect(read.body).not.toContain(stripe.webhookSecret);
  });
});

describe('paying an invoice online', () => {
  let invoiceId: string;
  let intentId: string;

  it('opens a checkout for the amount due through the stable pay link, the same one on a second click', async () => {
    invoiceId = await invoice();
    const link = await payLinkOf(invoiceId);
    expect(link.outstanding_amount).toBe('1210.00');
    expect(link.url).toBe((await payLinkOf(invoiceId)).url);
    const first = await follow(link.url);
    expect(first.statusCode, first.body).toBe(303);
    const session = stripe.sessions.get(sessionIdOf(first.headers.location as string));
    expect(session).toMatchObject({
      amount_total: 121000,
      currency: 'eur',
      customer_email: 'kas@bakkerij.example',
    });
    const second = await follow(link.url);
    expect(second.headers.location).toBe(first.headers.location);
  });

  it('records the payment from the signed webhook once, however often and in whatever order it comes', async () => {
    const checkouts = await c({ method: 'GET', url: `/api/v1/invoices/${invoiceId}/checkouts` });
    const [checkout] = checkouts.json().items;
    const [completed, succeeded, charged] = stripe.pay(sessionIdOf(checkout.url), {
      method: 'ideal',
    }) as StripeEvent[];
    intentId = stripe.sessions.get(sessionIdOf(checkout.url))?.payment_intent as string;

    // Stripe retries a delivery it thinks failed: the same event three times.
    const outcomes = [];
    for (let i = 0; i < 3; i++) {
      const response = await deliver(completed as StripeEvent);
      expect(response.statusCode, response.body).toBe(200);
      outcomes.push(response.json());
    }
    expect(outcomes.map((o) => o.outcome)).toEqual(['recorded', 'unchanged', 'unchanged']);
    expect(outcomes.map((o) => o.duplicate)).toEqual([false, true, true]);
    // Other events about the same money change nothing either.
    expect(await deliverAll([succeeded as StripeEvent, charged as StripeEvent])).toEqual([
      'unchanged',
      'unchanged',
    ]);

    const paid = await readInvoice(invoiceId);
    expect(paid).toMatchObject({ paid_amount: '1210.00', amount_due: '0.00', status: 'paid' });
    const recorded = await paymentsOf(invoiceId);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      amount: '1210.00',
      payment_method: 'ideal',
      status: 'completed',
      reference: intentId,
    });
    const after = await c({ method: 'GET', url: `/api/v1/invoices/${invoiceId}/checkouts` });
    expect(after.json().items[0]).toMatchObject({ status: 'complete', payment_status: 'completed' });
  });

  it('refuses a webhook with a bad signature, or signed for another company, and records nothing', async () => {
    const other = await invoice();
    const link = await payLinkOf(other);
    const session = sessionIdOf((await follow(link.url)).headers.location as string);
    const [completed] = stripe.pay(session, {});
    const forged = await deliver(completed as StripeEvent, { secret: 'whsec_notthesecretatall' });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().code).toBe('GATEWAY_SIGNATURE_INVALID');
    const stale = await deliver(completed as StripeEvent, {
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    expect(stale.json().code).toBe('GATEWAY_SIGNATURE_INVALID');
    const elsewhere = await registerUser(t.app, { ...NL_FREELANCER, legal_name_en: 'Ander Bureau' });
    const misdirected = await deliver(completed as StripeEvent, {}, elsewhere.companyId);
    expect(misdirected.statusCode).toBe(404);
    expect((await readInvoice(other)).paid_amount).toBe('0.00');
    // The genuine delivery still works afterwards: the refusals stored nothing.
    expect(await deliverAll([completed as StripeEvent])).toEqual(['recorded']);
  });

  it('puts the pay link in the invoice e-mail while something is outstanding, and leaves it out after', async () => {
    const id = await invoice();
    const sent = await c({
      method: 'POST',
      url: `/api/v1/invoices/${id}/send`,
      payload: { to: 'kas@bakkerij.example' },
    });
    expect(sent.statusCode, sent.body).toBe(202);
    const mails = await t.database.db
      .select()
      .from(schema.mailOutbox)
      .where(eq(schema.mailOutbox.toAddress, 'kas@bakkerij.example'));
    const link = (await payLinkOf(id)).url;
    expect(mails.find((m) => m.textBody.includes(link))?.textBody).toContain(`Pay online: ${link}`);
    const paidMail = await c({
      method: 'POST',
      url: `/api/v1/invoices/${invoiceId}/send`,
      payload: { to: 'paid@bakkerij.example' },
    });
    expect(paidMail.statusCode, paidMail.body).toBe(202);
    const [mail] = await t.database.db
      .select()
      .from(schema.mailOutbox)
      .where(eq(schema.mailOutbox.toAddress, 'paid@bakkerij.example'));
    expect(mail?.textBody).not.toContain('Pay online');
  });

  it('once paid, the pay link says so instead of opening a checkout', async () => {
    const response = await follow((await payLinkOf(invoiceId)).url);
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('INVOICE_ALREADY_PAID');
    const status = await t.app.inject({
      method: 'GET',
      url: `${new URL((await payLinkOf(invoiceId)).url).pathname}/status`,
    });
    expect(status.json()).toMatchObject({ is_paid: true, outstanding_amount: '0.00' });
  });

  it('records a refund as a reversal of what it covered: part, then the rest', async () => {
    const part = stripe.refund(intentId, 20000);
    expect(await deliverAll(part)).toEqual(['refunded', 'unchanged']);
    expect(await readInvoice(invoiceId)).toMatchObject({ paid_amount: '1010.00', amount_due: '200.00' });
    const [payment] = await paymentsOf(invoiceId);
    expect(payment).toMatchObject({
      refunded_amount: '200.00',
      unallocated_amount: '0.00',
      status: 'completed',
    });

    expect(await deliverAll(stripe.refund(intentId, 101000))).toEqual(['refunded', 'unchanged']);
    expect(await readInvoice(invoiceId)).toMatchObject({ paid_amount: '0.00', amount_due: '1210.00' });
    const payments = await c({ method: 'GET', url: '/api/v1/payments?status=reversed' });
    expect(payments.json().payments.map((p: { reference: string }) => p.reference)).toContain(intentId);
  });
});

describe('part payments, declines and delayed methods', () => {
  it('takes part of an invoice, then the pay link asks for the rest', async () => {
    const id = await invoice();
    const tooMuch = await c({
      method: 'POST',
      url: `/api/v1/invoices/${id}/checkouts`,
      payload: { amount: '1210.01' },
    });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json().errors[0]).toMatchObject({ path: 'amount', code: 'EXCEEDS_OUTSTANDING' });
    const part = await c({
      method: 'POST',
      url: `/api/v1/invoices/${id}/checkouts`,
      payload: { amount: '500.00' },
    });
    expect(part.statusCode, part.body).toBe(201);
    expect(part.json()).toMatchObject({ amount: '500.00', currency: 'EUR', status: 'open' });
    await deliverAll(stripe.pay(sessionIdOf(part.json().url), { method: 'card' }));
    expect(await readInvoice(id)).toMatchObject({
      paid_amount: '500.00',
      amount_due: '710.00',
      status: 'partially_paid',
    });
    const rest = await follow((await payLinkOf(id)).url);
    expect(stripe.sessions.get(sessionIdOf(rest.headers.location as string))?.amount_total).toBe(71000);
  });

  it('shows a declined card on the checkout without recording a payment, and the retry that succeeds', async () => {
    const id = await invoice();
    const session = sessionIdOf((await follow((await payLinkOf(id)).url)).headers.location as string);
    expect(await deliverAll(stripe.pay(session, { outcome: 'declined' }))).toEqual(['failed', 'failed']);
    const declined = await c({ method: 'GET', url: `/api/v1/invoices/${id}/checkouts` });
    expect(declined.json().items[0]).toMatchObject({
      status: 'open',
      failure_message: 'Your card was declined.',
      payment_id: null,
    });
    expect(await paymentsOf(id)).toHaveLength(0);
    expect((await deliverAll(stripe.pay(session, {})))[0]).toBe('recorded');
    expect((await readInvoice(id)).status).toBe('paid');
  });

  it('holds a delayed debit as pending, and marks it failed when the bank refuses it', async () => {
    const id = await invoice();
    const session = sessionIdOf((await follow((await payLinkOf(id)).url)).headers.location as string);
    expect((await deliverAll(stripe.pay(session, { method: 'sepa_debit', outcome: 'processing' })))[0]).toBe(
      'pending',
    );
    expect((await readInvoice(id)).paid_amount).toBe('0.00');
    const pending = await c({ method: 'GET', url: `/api/v1/invoices/${id}/checkouts` });
    expect(pending.json().items[0].payment_status).toBe('pending');
    // While it is pending, the pay link does not take the same money twice.
    expect((await follow((await payLinkOf(id)).url)).statusCode).toBe(409);
    const intent = stripe.sessions.get(session)?.payment_intent as string;
    expect(await deliverAll(stripe.settle(intent, 'failed'))).toEqual(['failed']);
    const failed = await c({ method: 'GET', url: `/api/v1/invoices/${id}/checkouts` });
    expect(failed.json().items[0].payment_status).toBe('failed');
    expect(await readInvoice(id)).toMatchObject({ paid_amount: '0.00', amount_due: '1210.00' });
  });

  it('records the payment and its refund when the refund event arrives before the payment event', async () => {
    const id = await invoice();
    const session = sessionIdOf((await follow((await payLinkOf(id)).url)).headers.location as string);
    const paidEvents = stripe.pay(session, {});
    const intent = stripe.sessions.get(session)?.payment_intent as string;
    const refundEvents = stripe.refund(intent, 10000);
    expect(await deliverAll([...refundEvents, ...paidEvents])).toEqual([
      'recorded',
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    expect(await readInvoice(id)).toMatchObject({ paid_amount: '1110.00', amount_due: '100.00' });
  });
});
