// Pay now in the portal: the invoice's own pay link from online payments (one per invoice, never a second), shown
// to the customer's portal user where the seller takes payments online, and followed to a checkout on a
// Stripe-shaped server on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addClient,
  as,
  type Call,
  createTestApp,
  registerUser,
  type TestApp,
} from '../../../test/support/app';
import { type FakeStripe, startFakeStripe } from '../../../test/support/fake-stripe';

const NL_FREELANCER = {
  legal_name_en: 'Jansen Design',
  country: 'NL',
  vat_number: 'NL123456789B01',
  address: { street: 'Keizersgracht 1', city: 'Amsterdam', postal_code: '1015 CJ', country: 'NL' },
};

let t: TestApp;
let stripe: FakeStripe;
let seller: Call;
let client: Call;
let customerId: string;
beforeAll(async () => {
  stripe = await startFakeStripe();
  t = await createTestApp({ STRIPE_API_URL: stripe.url, GATEWAY_TIMEOUT_MS: 3000 });
  const owner = await registerUser(t.app, NL_FREELANCER);
  seller = as(t.app, owner);
  const customer = await seller({
    method: 'POST',
    url: '/api/v1/customers',
    payload: {
      name_en: 'Bakkerij de Vries',
      email: 'kas@bakkerij.example',
      address: { country: 'NL', city: 'Utrecht' },
    },
  });
  customerId = customer.json().id;
  client = as(t.app, await addClient(t.app, owner, customerId));
});
afterAll(async () => {
  await t?.close();
  await stripe?.close();
});

async function invoice(): Promise<string> {
  const response = await seller({
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

describe('Pay now in the portal', () => {
  it("shows the invoice's own pay link once the seller takes payments online, and it opens a checkout", async () => {
    const id = await invoice();
    const before = await client({ method: 'GET', url: `/api/v1/portal/invoices/${id}` });
    expect(before.json().pay_link).toBeNull();

    const connected = await seller({
      method: 'PUT',
      url: '/api/v1/payment-gateway/settings',
      payload: { provider: 'stripe', secret_key: stripe.secretKey, webhook_secret: stripe.webhookSecret },
    });
    expect(connected.statusCode, connected.body).toBe(200);
    const portal = (await client({ method: 'GET', url: `/api/v1/portal/invoices/${id}` })).json();
    const sellers = (await seller({ method: 'GET', url: `/api/v1/invoices/${id}/pay-link` })).json();
    expect(portal.pay_link).toEqual({ url: sellers.url, outstanding_amount: '1210.00', currency: 'EUR' });

    const followed = await t.app.inject({ method: 'GET', url: new URL(portal.pay_link.url).pathname });
    expect(followed.statusCode).toBe(303);
    expect(followed.headers.location).toMatch(/^https?:\/\//);
    expect(stripe.sessions.size).toBe(1);
  });

  it('a paid invoice and a credit note have no Pay now', async () => {
    const id = await invoice();
    const paid = await seller({ method: 'POST', url: `/api/v1/invoices/${id}/mark-paid`, payload: {} });
    expect(paid.statusCode, paid.body).toBeLessThan(300);
    expect(
      (await client({ method: 'GET', url: `/api/v1/portal/invoices/${id}` })).json().pay_link,
    ).toBeNull();
    const other = await invoice();
    const note = await seller({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: {
        customer_id: customerId,
        type: 'credit_note',
        original_invoice_id: other,
        reason: 'Discount agreed',
        line_items: [{ description: 'Logo design', quantity: 1, unit_price: '100', vat_rate: 21 }],
      },
    });
    expect(note.statusCode, note.body).toBe(201);
    const read = await client({ method: 'GET', url: `/api/v1/portal/invoices/${note.json().id}` });
    expect(read.json()).toMatchObject({ type: 'credit_note', pay_link: null });
  });
});
