import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeBrowserSession,
  openBrowserSession,
  type RunningProduct,
  skipOrFailWhenUnavailable,
} from './harness';

const shouldSkip = skipOrFailWhenUnavailable();

describe.skipIf(shouldSkip)('a quotation’s public link (real API, real Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    ({ product, browser, context } = await openBrowserSession());
  }, 180_000);
  afterAll(() => closeBrowserSession({ product, browser, context }));

  it('is sent by the seller, accepted by the customer without signing in, and converted', async () => {
    const register = await fetch(`${product.baseUrl}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `seller+${Date.now()}@example.sa`,
        password: 'correct horse battery',
        full_name: 'Sara Al-Harbi',
        company: {
          legal_name_en: 'Maximum Speed Tech Supply LTD',
          country: 'SA',
          vat_number: '310122393500003',
          registration_number: '1010010000',
          address: {
            street: 'King Fahd Road',
            building_number: '1234',
            district: 'Al Olaya',
            city: 'Riyadh',
            postal_code: '12211',
            country: 'SA',
          },
        },
      }),
    });
    expect(register.status).toBe(201);
    const session = await register.json();
    const call = async (method: string, url: string, body?: unknown) => {
      const res = await fetch(`${product.baseUrl}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${session.access_token}`,
          'x-company-id': session.company.id,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, json: await res.json() };
    };
    const customer = await call('POST', '/api/v1/customers', {
      name_en: 'Riyadh Trading Co',
      email: 'buyer@example.sa',
      address: { country: 'SA', city: 'Riyadh' },
    });
    expect(customer.status).toBe(201);
    const quote = await call('POST', '/api/v1/quotes', {
      customer_id: customer.json.id,
      line_items: [{ description: 'Network installation', quantity: 2, unit_price: '500', vat_rate: 15 }],
      valid_until: '2099-12-31',
    });
    expect(quote.status).toBe(201);
    const sent = await call('POST', `/api/v1/quotes/${quote.json.id}/send`, {});
    expect(sent.status).toBe(202);
    const token = String(sent.json.public_url).split('/q/')[1];

    // The customer: a browser with no session of the seller's.
    const theirs = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    try {
      const p = await theirs.newPage();
      await p.goto(`${product.baseUrl}/q/${token}`);
      await p.getByTestId('public-quote').waitFor();
      expect(await p.getByTestId('public-quote-total').textContent()).toContain('1,150.00');
      await p.getByLabel('A note for the sender (optional)').fill('Please start in May');
      await p.getByRole('button', { name: 'Accept the quotation' }).click();
      await p.getByTestId('quote-decision').waitFor();
      expect(await p.getByTestId('quote-decision').textContent()).toBe(
        'You accepted this quotation. Thank you.',
      );
      // A reload shows the answer, with no buttons left.
      await p.reload();
      await p.getByTestId('quote-decision').waitFor();
      expect(await p.getByTestId('accept-quote').count()).toBe(0);
      // A wrong link says so.
      await p.goto(`${product.baseUrl}/q/${'A'.repeat(43)}`);
      await p.getByText('This link does not lead to a quotation.', { exact: false }).waitFor();
    } finally {
      await theirs.close();
    }

    const accepted = await call('GET', `/api/v1/quotes/${quote.json.id}`);
    expect(accepted.json).toMatchObject({ status: 'accepted', decision_note: 'Please start in May' });
    const converted = await call('POST', `/api/v1/quotes/${quote.json.id}/convert`);
    expect(converted.status).toBe(201);
    expect(converted.json.quote.status).toBe('converted');
  }, 0);
});
