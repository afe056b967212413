import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeStripe, startFakeStripe } from '../../../api/test/support/fake-stripe';
import {
  closeBrowserSession,
  openBrowserSession,
  type RunningProduct,
  skipOrFailWhenUnavailable,
} from './harness';

const shouldSkip = skipOrFailWhenUnavailable();

describe.skipIf(shouldSkip)('web app: getting paid online through Stripe (real API, real Chromium)', () => {
  let stripe: FakeStripe;
  let product: RunningProduct;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let companyId: string;
  let invoiceId: string;
  const owner = { email: `eva+${Date.now()}@example.nl`, password: 'correct horse battery' };

  beforeAll(async () => {
    stripe = await startFakeStripe();
    ({ product, browser, context, page } = await openBrowserSession(undefined, {
      STRIPE_API_URL: stripe.url,
    }));
    const register = await fetch(`${product.baseUrl}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: owner.email,
        password: owner.password,
        full_name: 'Eva Jansen',
        company: {
          legal_name_en: 'Jansen Design',
          country: 'NL',
          vat_number: 'NL123456789B01',
          address: { street: 'Keizersgracht 1', city: 'Amsterdam', postal_code: '1015 CJ', country: 'NL' },
        },
      }),
    });
    expect(register.status).toBe(201);
    const session = await register.json();
    companyId = session.company.id;
    const headers = {
      authorization: `Bearer ${session.access_token}`,
      'x-company-id': companyId,
      'content-type': 'application/json',
    };
    const customer = await fetch(`${product.baseUrl}/api/v1/customers`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name_en: 'Bakkerij de Vries', address: { country: 'NL', city: 'Utrecht' } }),
    });
    const invoice = await fetch(`${product.baseUrl}/api/v1/invoices/generate`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        customer_id: (await customer.json()).id,
        line_items: [{ description: 'Logo design', quantity: 1, unit_price: '1000', vat_rate: 21 }],
      }),
    });
    expect(invoice.status).toBe(201);
    invoiceId = (await invoice.json()).id;
    await page.goto(`${product.baseUrl}/login`);
    await page.locator('[name="email"]').fill(owner.email);
    await page.locator('[name="password"]').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('sidebar').waitFor();
  }, 180_000);
  afterAll(async () => {
    await closeBrowserSession({ product, browser, context, page });
    await stripe?.close();
  });

  it('connects Stripe from the settings: a refused key says so, a working one shows the account and webhook URL', async () => {
    await page.goto(`${product.baseUrl}/settings`);
    await page.getByTestId('settings-payments').click();
    await page.getByText('No gateway is connected yet: invoices have no pay link.').waitFor();
    await page.locator('[name="secret_key"]').fill('sk_test_wrongwrongwrong');
    await page.locator('[name="webhook_secret"]').fill(stripe.webhookSecret);
    await page.getByRole('button', { name: 'Check and save' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByTestId('gateway-connected').count()).toBe(0);

    await page.locator('[name="secret_key"]').fill(stripe.secretKey);
    await page.getByRole('button', { name: 'Check and save' }).click();
    await page.getByText('Stripe accepted the key. Invoices now have a pay link.').waitFor();
    expect(await page.getByTestId('gateway-account').textContent()).toBe('Atelier Test');
    expect(await page.getByTestId('gateway-webhook-url').textContent()).toContain(
      `/api/v1/public/payment-gateway/stripe/${companyId}/webhook`,
    );
    expect(await page.locator('[name="secret_key"]').inputValue()).toBe('');
  });

  it('shows the pay link on the invoice; once the customer has paid by iDEAL, the invoice is paid', async () => {
    await page.goto(`${product.baseUrl}/invoices/${invoiceId}`);
    await page.getByTestId('pay-link').waitFor({ timeout: 10_000 });
    const link = await page.getByTestId('pay-link').inputValue();
    // The customer follows the link: it opens a Stripe checkout for what is outstanding.
    const followed = await fetch(link.replace(/^https?:\/\/[^/]+/, product.baseUrl), { redirect: 'manual' });
    expect(followed.status).toBe(303);
    const sessionId = (followed.headers.get('location') ?? '').split('/').pop() as string;
    expect(stripe.sessions.get(sessionId)?.amount_total).toBe(121000);
    for (const event of stripe.pay(sessionId, { method: 'ideal' })) {
      const { payload, headers } = stripe.signed(event);
      const delivered = await fetch(
        `${product.baseUrl}/api/v1/public/payment-gateway/stripe/${companyId}/webhook`,
        { method: 'POST', headers, body: payload },
      );
      expect(delivered.status).toBe(200);
    }
    await page.reload();
    await expect.poll(() => page.getByTestId('invoice-paid').textContent()).toContain('1,210.00');
    expect(await page.getByTestId('invoice-amount-due').textContent()).toContain('0.00');
    // Nothing is due: no link to hand out any more, and the paid checkout stays listed.
    await page.getByTestId('pay-link-card').getByText('Nothing is outstanding on this invoice.').waitFor();
    expect(await page.getByTestId('pay-link').count()).toBe(0);
    expect(await page.getByTestId('checkouts').locator('li[data-status="complete"]').count()).toBe(1);
  });
});
