import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeBrowserSession,
  openBrowserSession,
  type RunningProduct,
  skipOrFailWhenUnavailable,
} from './harness';

// The seller's quotation, recurring-invoice and webhook screens, in the real product and a real browser. The
// product allows loopback webhook endpoints (as an install whose receivers live on its own network would) and
// polls its delivery outbox every second, so the receiver below on 127.0.0.1 hears from it.

const shouldSkip = skipOrFailWhenUnavailable();

describe.skipIf(shouldSkip)('web app: the seller’s quotes, recurring invoices and webhooks', () => {
  let product: RunningProduct;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let receiver: Server;
  let receiverUrl = '';
  const received: { event: string; body: string }[] = [];
  let session: { access_token: string; company: { id: string } };
  const owner = { email: `seller+screens${Date.now()}@example.sa`, password: 'correct horse battery' };

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
  let issuedInvoiceId = '';
  const field = (p: Page, name: string) => p.locator(`[name="${name}"]`);

  beforeAll(async () => {
    ({ product, browser, context, page } = await openBrowserSession(undefined, {
      WEBHOOKS_ALLOW_PRIVATE: 'true',
      WEBHOOK_POLL_SECONDS: '1',
    }));
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        received.push({ event: String(req.headers['invoiceflow-event']), body });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks, stored');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address();
    receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`;

    const register = await fetch(`${product.baseUrl}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: owner.email,
        password: owner.password,
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
    session = await register.json();
    const customer = await call('POST', '/api/v1/customers', {
      name_en: 'Riyadh Trading Co',
      email: 'buyer@example.sa',
      address: { country: 'SA', city: 'Riyadh' },
    });
    expect(customer.status).toBe(201);

    await page.goto(`${product.baseUrl}/login`);
    await field(page, 'email').fill(owner.email);
    await field(page, 'password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('sidebar').waitFor();
  }, 180_000);
  afterAll(async () => {
    await new Promise((resolve) => receiver?.close(resolve));
    await closeBrowserSession({ product, browser, context });
  });

  it('creates a quotation, sends it, the customer accepts it, and it converts to a draft invoice with its lines', async () => {
    await page.getByTestId('nav-quotes').click();
    await page.getByTestId('new-quote').click();
    await field(page, 'customer_id').selectOption({ label: 'Riyadh Trading Co' });
    await field(page, 'valid_until').fill('2099-12-31');
    await field(page, 'lines.0.description').fill('Network installation');
    await field(page, 'lines.0.quantity').fill('2');
    await field(page, 'lines.0.unit_price').fill('500');
    await page.getByTestId('add-line').click();
    await field(page, 'lines.1.description').fill('Cabling survey');
    await field(page, 'lines.1.unit_price').fill('250');
    expect((await page.getByTestId('lines-total').textContent())?.replace(/\s/g, ' ')).toContain('1,437.50');
    await page.getByTestId('save-quote').click();

    await page.getByTestId('quote-detail').waitFor();
    // A draft opens again in the editor with its lines, and a change is kept.
    await page.getByTestId('edit-quote').click();
    expect(await field(page, 'lines.1.description').inputValue()).toBe('Cabling survey');
    await field(page, 'notes').fill('Installation within two weeks of acceptance');
    await page.getByTestId('save-quote').click();
    await page.getByTestId('quote-detail').waitFor();
    expect(await page.getByTestId('quote-total').textContent()).toContain('1,437.50');
    expect(await page.getByTestId('status-badge').first().getAttribute('data-status')).toBe('draft');
    expect(await page.getByTestId('quote-line').count()).toBe(2);
    expect(await page.getByTestId('quote-link-status').textContent()).toContain('Not sent yet');
    await page.getByTestId('send-quote').click();
    const link = page.getByTestId('quote-public-url');
    await link.waitFor();
    const publicUrl = String(await link.getAttribute('href'));
    expect(publicUrl).toMatch(/\/q\/[A-Za-z0-9_-]{43}$/);
    await page.getByText('Sent to buyer@example.sa.').waitFor();
    expect(await page.getByTestId('quote-link-status').textContent()).toContain('the customer can accept');

    // The customer, in a browser of their own with no session.
    const theirs = await browser.newContext({ locale: 'en-US' });
    try {
      const p = await theirs.newPage();
      await p.goto(publicUrl.replace(/^https?:\/\/[^/]+/, product.baseUrl));
      await p.getByRole('button', { name: 'Accept the quotation' }).click();
      await p.getByTestId('quote-decision').waitFor();
    } finally {
      await theirs.close();
    }

    // The seller sees the answer in the list and on the quotation.
    await page.getByTestId('nav-quotes').click();
    await page.locator('[data-testid="quote-row"] [data-status="accepted"]').waitFor();
    await page.getByTestId('quote-row').getByRole('link').click();
    await page.getByTestId('quote-detail').waitFor();
    expect(await page.getByTestId('quote-link-status').textContent()).toContain('Accepted by the customer');
    await page.getByTestId('convert-quote').click();

    await page.waitForURL(/\/invoices\/new\?invoice=[0-9a-f-]{36}$/);
    await field(page, 'lines.1.description').waitFor();
    expect(await field(page, 'lines.0.description').inputValue()).toBe('Network installation');
    expect(await field(page, 'lines.0.quantity').inputValue()).toBe('2');
    expect(await field(page, 'lines.0.unit_price').inputValue()).toBe('500');
    expect(await field(page, 'lines.1.description').inputValue()).toBe('Cabling survey');
  }, 0);

  it('creates a monthly schedule, pauses it and resumes it', async () => {
    await page.getByTestId('nav-recurring').click();
    await page.getByTestId('new-schedule').click();
    await field(page, 'name').fill('Support retainer');
    await field(page, 'customer_id').selectOption({ label: 'Riyadh Trading Co' });
    await field(page, 'frequency').selectOption('monthly');
    await field(page, 'day_of_month').fill('1');
    await field(page, 'start_date').fill('2099-01-01');
    await field(page, 'lines.0.description').fill('Monthly support');
    await field(page, 'lines.0.unit_price').fill('1200');
    await page.getByTestId('save-schedule').click();

    await page.getByText('Schedule saved.').waitFor();
    const row = page.getByTestId('schedule-row');
    await row.waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.getAttribute('data-status')).toBe('active');
    const cells = (await row.locator('td').allTextContents()).map((c) => c.trim());
    expect(cells.slice(0, 3)).toEqual(['Support retainer', 'Riyadh Trading Co', 'Monthly']);
    expect(cells[3]).toContain('2099');

    await page.getByRole('button', { name: 'Pause Support retainer' }).click();
    await page.locator('[data-testid="schedule-row"][data-status="paused"]').waitFor();
    await page.getByText('Schedule paused.').waitFor();
    await page.getByRole('button', { name: 'Resume Support retainer' }).click();
    await page.locator('[data-testid="schedule-row"][data-status="active"]').waitFor();
    expect((await call('GET', '/api/v1/recurring-invoices')).json.schedules[0].status).toBe('active');

    await page.getByRole('button', { name: 'Invoices of Support retainer' }).click();
    await page.getByText('No period invoiced yet.').waitFor();
  }, 0);

  it('adds a webhook endpoint, shows its secret once, logs the delivery of an issued invoice, and replays it', async () => {
    await page.getByTestId('nav-settings-webhooks').click();
    // One item is the current page: Webhooks, not Settings beside it.
    expect(await page.locator('nav [aria-current="page"]').allTextContents()).toEqual(['Webhooks']);
    await page.getByTestId('new-endpoint').click();
    await field(page, 'url').fill(receiverUrl);
    await field(page, 'description').fill('ERP');
    await page.locator('input[name="events"][value="invoice.issued"]').check();
    await page.getByTestId('save-endpoint').click();
    const secret = await page.getByTestId('endpoint-secret-value').textContent();
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'I have kept it' }).click();
    await page.getByTestId('endpoint-secret').waitFor({ state: 'detached' });
    expect(await page.getByTestId('endpoint').textContent()).toContain('invoice.issued');
    await page.getByTestId('webhook-recipe').getByText('InvoiceFlow-Signature', { exact: false }).waitFor();

    const customers = await call('GET', '/api/v1/customers');
    const issued = await call('POST', '/api/v1/invoices/generate', {
      customer_id: customers.json.customers[0].id,
      line_items: [{ description: 'Consulting', quantity: 1, unit_price: '1000', vat_rate: 15 }],
    });
    expect(issued.status).toBe(201);
    issuedInvoiceId = issued.json.id;
    while (received.length < 1) await new Promise((r) => setTimeout(r, 200));
    expect(received[0]?.event).toBe('invoice.issued');

    await page.getByTestId('show-deliveries').click();
    const succeeded = page.locator('[data-testid="delivery-row"][data-status="succeeded"]');
    while ((await succeeded.count()) < 1) {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForTimeout(300);
    }
    expect(await succeeded.getByTestId('delivery-code').textContent()).toBe('200');
    await succeeded.getByRole('button', { name: 'Details' }).click();
    expect(await page.getByTestId('response-excerpt').textContent()).toBe('thanks, stored');

    await page.getByTestId('replay-delivery').first().click();
    while (received.length < 2) await new Promise((r) => setTimeout(r, 200));
    expect(JSON.parse(received[1]?.body ?? '{}').id).toBe(JSON.parse(received[0]?.body ?? '{}').id);
    while ((await succeeded.count()) < 2) {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForTimeout(300);
    }
    expect(await page.getByTestId('delivery-log').getByText('(replay)').count()).toBe(1);
  }, 0);

  it('repeats an issued invoice as a schedule with its customer and lines', async () => {
    await page.goto(`${product.baseUrl}/invoices/${issuedInvoiceId}`);
    await page.getByTestId('make-recurring').click();
    await page.getByTestId('schedule-form').waitFor();
    await field(page, 'lines.0.description').waitFor();
    expect(await field(page, 'lines.0.description').inputValue()).toBe('Consulting');
    expect(await field(page, 'lines.0.unit_price').inputValue()).toBe('1000.00');
    // The customers arrive after the form: the invoice's customer is chosen once they are there.
    await field(page, 'customer_id')
      .locator('option', { hasText: 'Riyadh Trading Co' })
      .waitFor({ state: 'attached' });
    expect(await field(page, 'customer_id').locator('option:checked').textContent()).toBe(
      'Riyadh Trading Co',
    );
    await field(page, 'name').fill('Consulting, quarterly');
    await field(page, 'frequency').selectOption('quarterly');
    await field(page, 'start_date').fill('2099-03-01');
    await page.getByTestId('save-schedule').click();
    await page.getByText('Schedule saved.').waitFor();
    await page.getByRole('button', { name: 'Pause Consulting, quarterly' }).waitFor();
    expect(new URL(page.url()).search).toBe('');
    const made = (await call('GET', '/api/v1/recurring-invoices')).json.schedules.find(
      (s: { name: string }) => s.name === 'Consulting, quarterly',
    );
    expect(made).toMatchObject({ frequency: 'quarterly', status: 'active' });
    expect(made.template.lines).toEqual([
      expect.objectContaining({ description: 'Consulting', unit_price: '1000.00' }),
    ]);
  }, 0);

  it('shows the three screens in Arabic, right to left', async () => {
    await page.getByTestId('lang-ar').click();
    for (const [nav, title] of [
      ['nav-quotes', 'عروض الأسعار'],
      ['nav-recurring', 'الفواتير المتكررة'],
      ['nav-settings-webhooks', 'خطافات الويب'],
    ] as const) {
      await page.getByTestId(nav).click();
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      await page.screenshot({ path: path.join(tmpdir(), `seller-${nav}-ar.png`), fullPage: true });
    }
    await page.getByTestId('lang-en').click();
  }, 0);
});
