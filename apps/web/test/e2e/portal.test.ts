import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserSession,
  closeBrowserSession,
  openBrowserSession,
  skipOrFailWhenUnavailable,
} from './harness';

// The customer portal in the real product and a real browser: a seller invites a person of one of its customers
// as its portal user from Settings → Team; the person accepts by the mailed link, and later opens the portal link of an invoice mail on
// a phone, lands on that invoice and downloads its PDF (the seller's own bytes). Another customer's invoice is not
// to be found, a used link says so, the statement and payments are theirs only, and a customer without a portal
// user gets the one invoice read-only.

const shouldSkip = skipOrFailWhenUnavailable();
const stamp = Date.now();
const owner = { email: `noura+portal${stamp}@example.sa`, password: 'correct horse battery' };
const client = {
  email: `omar+portal${stamp}@buyer.example.sa`,
  name: 'Omar Buyer',
  password: 'a long new passphrase',
};
const otherEmail = `reem+portal${stamp}@other.example.sa`;

/** A loopback SMTP server keeping every mail's text (quoted-printable undone), so links open as a person would. */
async function startMailbox() {
  const mails: { to: string[]; text: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const text = Buffer.concat(chunks)
          .toString('utf8')
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), text });
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  /** The path and query of the newest link matching `pattern` in a mail to `to` (waits for the mail). */
  const link = async (to: string, pattern: RegExp, skip = 0): Promise<string> => {
    for (let i = 0; i < 300; i++) {
      const found = mails.filter((m) => m.to.includes(to) && pattern.test(m.text));
      const mail = found[skip];
      const url = mail && new RegExp(`https?://[^\\s"<>]*${pattern.source}[^\\s"<>]*`).exec(mail.text)?.[0];
      if (url) return new URL(url).pathname + new URL(url).search;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`no mail to ${to} with ${pattern}`);
  };
  return {
    url: `smtp://127.0.0.1:${port}`,
    link,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(shouldSkip)('web app: the customer portal (real API, real Chromium)', () => {
  let session: BrowserSession;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let ownerToken: string;
  let companyId: string;
  const ids = { mine: '', mineNumber: '', theirs: '', theirsNumber: '', readOnly: '' };
  const field = (p: Page, name: string) => p.locator(`[name="${name}"]`);

  async function asOwner(method: string, url: string, body?: unknown) {
    const res = await fetch(`${session.product.baseUrl}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${ownerToken}`,
        'x-company-id': companyId,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  const customer = (name: string, email: string) =>
    asOwner('POST', '/api/v1/customers', {
      name_en: name,
      email,
      address: {
        street: 'King Fahd Road',
        building_number: '1234',
        city: 'Riyadh',
        postal_code: '12345',
        country: 'SA',
      },
    });
  const invoice = (customerId: string, price: string) =>
    asOwner('POST', '/api/v1/invoices/generate', {
      customer_id: customerId,
      line_items: [{ description: 'Consulting', quantity: 1, unit_price: price, vat_rate: 15 }],
    });

  beforeAll(async () => {
    mailbox = await startMailbox();
    session = await openBrowserSession(
      { width: 1440, height: 900 },
      { SMTP_URL: mailbox.url, MAIL_POLL_SECONDS: '1' },
    );
    const registered = await fetch(`${session.product.baseUrl}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: owner.email,
        password: owner.password,
        full_name: 'Noura Al-Saud',
        company: {
          legal_name_en: 'Desert Rose Trading Co.',
          country: 'SA',
          vat_number: '399999999900003',
          registration_number: '1010010000',
          address: {
            street: 'King Abdulaziz Road',
            building_number: '4321',
            district: 'Al-Murabba',
            city: 'Riyadh',
            postal_code: '12345',
            country: 'SA',
          },
        },
      }),
    });
    const body = await registered.json();
    if (registered.status !== 201) throw new Error(`register: ${registered.status} ${JSON.stringify(body)}`);
    ownerToken = body.access_token;
    companyId = body.company.id;
    const mine = await customer('Oasis Buyers LLC', client.email);
    const theirs = await customer('Other Buyer Est.', otherEmail);
    const myInvoice = await invoice(mine.id, '1000');
    const theirInvoice = await invoice(theirs.id, '777');
    Object.assign(ids, {
      mine: myInvoice.id,
      mineNumber: myInvoice.invoice_number,
      theirs: theirInvoice.id,
      theirsNumber: theirInvoice.invoice_number,
    });
  }, 240_000);
  afterAll(async () => {
    await closeBrowserSession(session ?? {});
    await mailbox?.close();
  });

  it('the invited client accepts, opens the mailed portal link on a phone and downloads that invoice’s PDF', async () => {
    const { browser, product, page } = session;
    // The seller invites the person from Settings → Team, as a portal user of their customer.
    await page.goto(`${product.baseUrl}/login`);
    await field(page, 'email').fill(owner.email);
    await field(page, 'password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('welcome').waitFor();
    await page.goto(`${product.baseUrl}/settings/team`);
    await page.getByTestId('invite-member').click();
    const form = page.getByTestId('invite-member-form');
    await form.locator('[name="email"]').fill(client.email);
    await form.locator('[name="full_name"]').fill(client.name);
    await form.locator('[name="role"]').selectOption('client');
    await form
      .locator('[name="customer_id"] option', { hasText: 'Oasis Buyers LLC' })
      .waitFor({ state: 'attached' });
    await form.locator('[name="customer_id"]').selectOption({ label: 'Oasis Buyers LLC' });
    await page.getByTestId('send-member-invitation').click();
    await page.getByText(`Invitation sent to ${client.email}.`).waitFor();
    // The seller's browser forgets its session: the same window serves the client later.
    await page.evaluate(() => localStorage.clear());

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
    try {
      const p = await phone.newPage();
      await p.goto(product.baseUrl + (await mailbox.link(client.email, /\/accept-invitation\?token=/)));
      await field(p, 'full_name').fill(client.name);
      await field(p, 'password').fill(client.password);
      await p.getByTestId('accept-invitation').click();
      await p.getByText('You have joined.').waitFor();

      // The seller e-mails the invoice; its portal link signs the client in, on that invoice.
      await asOwner('POST', `/api/v1/invoices/${ids.mine}/send`, {});
      const portalLink = await mailbox.link(client.email, /\/portal\/link\?token=/);
      await p.goto(product.baseUrl + portalLink);
      await p.waitForURL(`**/portal/invoices/${ids.mine}`);
      await p.getByTestId('portal-invoice-number').filter({ hasText: ids.mineNumber }).waitFor();
      await p.getByTestId('portal-invoice-total').filter({ hasText: '1,150.00' }).waitFor();
      await p.getByTestId('portal-seller').filter({ hasText: 'Desert Rose Trading Co.' }).waitFor();
      // No staff navigation in the portal.
      await expect(p.getByTestId('sidebar').count()).resolves.toBe(0);
      // The page fits the phone: nothing wider than the viewport.
      await expect(p.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);

      const [download] = await Promise.all([
        p.waitForEvent('download'),
        p.getByTestId('portal-download-pdf').click(),
      ]);
      expect(download.suggestedFilename()).toBe(`${ids.mineNumber}.pdf`);
      const bytes = await readFile(await download.path());
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const sellers = await fetch(`${product.baseUrl}/api/v1/invoices/${ids.mine}/pdf`, {
        headers: { authorization: `Bearer ${ownerToken}`, 'x-company-id': companyId },
      });
      expect(bytes.equals(Buffer.from(await sellers.arrayBuffer()))).toBe(true);

      // The list is theirs only; another customer's invoice is not found even by its address.
      await p.getByTestId('portal-back').click();
      await p.getByTestId('portal-invoice-row').first().waitFor();
      const rows = await p
        .getByTestId('portal-invoice-row')
        .evaluateAll((els) => els.map((el) => el.getAttribute('data-invoice-id')));
      expect(rows).toEqual([ids.mine]);
      await expect(p.getByTestId('portal-invoices').innerText()).resolves.not.toContain(ids.theirsNumber);
      await p.goto(`${product.baseUrl}/portal/invoices/${ids.theirs}`);
      await p.getByRole('alert').waitFor();
      await expect(p.getByTestId('portal-invoice').count()).resolves.toBe(0);
      await expect(p.locator('body').innerText()).resolves.not.toContain(ids.theirsNumber);
      // A staff screen is not theirs either: the portal is all they get.
      await p.goto(`${product.baseUrl}/invoices`);
      await p.waitForURL('**/portal');
      await p.getByTestId('portal-invoice-row').first().waitFor();

      // The link is single-use.
      const again = await phone.newPage();
      await again.goto(product.baseUrl + portalLink);
      await again
        .getByTestId('portal-link-error')
        .filter({ hasText: 'This link was already used.' })
        .waitFor();
    } finally {
      await phone.close();
    }
  }, 240_000);

  it('shows the statement and payments at 1440 px after a password sign-in, in English and Arabic', async () => {
    const { page, product } = session;
    await asOwner('POST', '/api/v1/payments', {
      customer_id: (await asOwner('GET', `/api/v1/invoices/${ids.mine}`)).customer_id,
      amount: '150.00',
      payment_date: '2026-03-10',
      payment_method: 'bank_transfer',
      reference: 'TRX-PORTAL-1',
      allocations: [{ invoice_id: ids.mine, amount: '150.00' }],
    });
    await page.goto(`${product.baseUrl}/login`);
    await field(page, 'email').fill(client.email);
    await field(page, 'password').fill(client.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/portal');
    await page.getByTestId('portal-invoice-row').first().waitFor();
    await page.getByTestId('portal-nav-statement').click();
    await page.getByTestId('statement-balance').filter({ hasText: '1,000.00' }).waitFor();
    await expect(page.getByTestId('statement-entry').count()).resolves.toBe(2);
    await page.getByTestId('portal-nav-payments').click();
    await page.getByTestId('portal-payment-row').filter({ hasText: 'TRX-PORTAL-1' }).waitFor();
    await expect(page.getByTestId('portal-payment-row').count()).resolves.toBe(1);

    await page.getByTestId('lang-ar').click();
    await page.locator('html[dir="rtl"]').waitFor();
    await page.getByRole('heading', { name: 'مدفوعاتك' }).waitFor();
    await page.getByTestId('portal-nav-statement').click();
    await page.getByRole('heading', { name: 'كشف الحساب' }).waitFor();
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(
      1440,
    );
    await page.getByTestId('portal-sign-out').click();
    await page.waitForURL('**/login');
  }, 180_000);

  it('opens only that invoice read-only when its customer has no portal user', async () => {
    const { page, product } = session;
    await asOwner('POST', `/api/v1/invoices/${ids.theirs}/send`, {});
    await page.goto(product.baseUrl + (await mailbox.link(otherEmail, /\/portal\/link\?token=/)));
    await page.getByTestId('portal-view-note').waitFor();
    await page.getByTestId('portal-invoice-number').filter({ hasText: ids.theirsNumber }).waitFor();
    await expect(page.getByTestId('portal-nav-statement').count()).resolves.toBe(0);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('portal-download-pdf').click(),
    ]);
    const bytes = await readFile(await download.path());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(download.suggestedFilename()).toBe(`${ids.theirsNumber}.pdf`);
  }, 120_000);
});
