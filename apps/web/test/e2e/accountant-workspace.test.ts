import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeBrowserSession,
  openBrowserSession,
  type RunningProduct,
  skipOrFailWhenUnavailable,
} from './harness';

// The accountant workspace and the books behind it, in the real product and a real browser: hours recorded with
// the timer and invoiced into a draft the editor issues; an expense with a photographed receipt that downloads
// byte for byte; a client inviting an accountant who accepts and reads the client's invoices under its name.

const shouldSkip = skipOrFailWhenUnavailable();

const stamp = Date.now();
const owner = { email: `layla+acct${stamp}@example.sa`, password: 'correct horse battery' };
const accountant = { email: `omar+acct${stamp}@example.sa`, password: 'another long passphrase' };
const clientName = 'Maximum Speed Tech Supply LTD';

// A 1×1 PNG: the server reads the type from these bytes, not from the name.
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** A loopback SMTP server keeping every mail's text, so the verification link can be opened like a person would. */
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
        // Quoted-printable: soft line breaks and =XX escapes, so a long link arrives whole.
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
  return {
    url: `smtp://127.0.0.1:${port}`,
    async verificationToken(to: string): Promise<string> {
      for (let i = 0; i < 150; i++) {
        const mail = mails.find((m) => m.to.includes(to) && /verify-email\?token=/.test(m.text));
        const token = mail && /verify-email\?token=([^\s"<>&]+)/.exec(mail.text)?.[1];
        if (token) return decodeURIComponent(token);
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`no mail with a token to ${to}`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(shouldSkip)(
  'web app: accountant workspace, expenses and hours (real API, real Chromium)',
  () => {
    let product: RunningProduct;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let mailbox: Awaited<ReturnType<typeof startMailbox>>;
    let invoiceNumber = '';

    beforeAll(async () => {
      mailbox = await startMailbox();
      // The product is started with this process's environment: its outbox is drained into the mailbox above.
      process.env.SMTP_URL = mailbox.url;
      process.env.MAIL_POLL_SECONDS = '1';
      ({ product, browser, context, page } = await openBrowserSession({ width: 1400, height: 960 }));
    }, 180_000);
    afterAll(async () => {
      await closeBrowserSession({ product, browser, context });
      await mailbox?.close();
    });

    const field = (p: Page, name: string) => p.locator(`[name="${name}"]`);

    it('records hours with the timer and invoices them into a draft that the editor issues', async () => {
      await page.goto(`${product.baseUrl}/register`);
      await field(page, 'full_name').fill('Layla Al-Harbi');
      await field(page, 'email').fill(owner.email);
      await field(page, 'password').fill(owner.password);
      await field(page, 'company.legal_name_en').fill(clientName);
      await field(page, 'company.vat_number').fill('399999999900003');
      await field(page, 'company.registration_number').fill('1010010000');
      await field(page, 'company.address.street').fill('Prince Sultan Street');
      await field(page, 'company.address.building_number').fill('2322');
      await field(page, 'company.address.district').fill('Al-Murabba');
      await field(page, 'company.address.city').fill('Riyadh');
      await field(page, 'company.address.postal_code').fill('23333');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByTestId('welcome').waitFor();

      await page.getByTestId('nav-customers').click();
      await page.getByTestId('new-customer').click();
      await field(page, 'name_en').fill('Al Noor Trading Company');
      await field(page, 'vat_number').fill('310122393500003');
      await field(page, 'street').fill('King Fahd Road');
      await field(page, 'building_number').fill('1234');
      await field(page, 'district').fill('Al Olaya');
      await field(page, 'city').fill('Riyadh');
      await field(page, 'postal_code').fill('12345');
      await page.getByTestId('save-customer').click();
      await page.getByText('Customer saved.').waitFor();

      await page.getByTestId('nav-time').click();
      await page.getByTestId('start-timer').click();
      await page.getByTestId('stop-timer').click();
      // Stopping the timer opens the form with the time it ran, rounded up to a hundredth of an hour.
      const form = page.getByTestId('time-entry-form');
      await form.waitFor();
      expect(await field(page, 'hours').inputValue()).toBe('0.01');
      await form.locator('[name="customer_id"]').selectOption({ label: 'Al Noor Trading Company' });
      await field(page, 'hours').fill('2.5');
      await field(page, 'hourly_rate').fill('400');
      await field(page, 'project').fill('Network design');
      await field(page, 'description').fill('Design workshop');
      await page.getByTestId('save-time-entry').click();
      await page.getByText('Hours recorded.').waitFor();
      expect(await page.getByTestId('time-row').first().textContent()).toContain('Unbilled');

      await page
        .getByTestId('invoice-hours')
        .locator('[name="customer_id"]')
        .selectOption({ label: 'Al Noor Trading Company' });
      await page.getByTestId('invoice-unbilled').click();
      await page.waitForURL(/\/invoices\/new\?invoice=[0-9a-f-]{36}$/);
      await page.getByTestId('invoice-editor').waitFor();
      expect(await field(page, 'lines.0.description').inputValue()).toContain('Design workshop');
      expect(await field(page, 'lines.0.quantity').inputValue()).toMatch(/^2\.50?$/);
      await page.getByTestId('issue-invoice').click();
      await page.waitForURL(/\/invoices\/[0-9a-f-]{36}\?issued=1$/, { timeout: 20_000 });
      invoiceNumber = ((await page.getByTestId('invoice-number').first().textContent()) ?? '').trim();
      expect(invoiceNumber).not.toMatch(/^DRAFT-/);

      // The hours are on that invoice now, linked from the time list.
      await page.getByTestId('nav-time').click();
      await page.getByTestId('time-row').first().getByText(invoiceNumber).waitFor();
    }, 120_000);

    it('books an expense with a receipt from the camera input and downloads the same bytes', async () => {
      await page.getByTestId('nav-expenses').click();
      await page.getByTestId('new-expense').click();
      const input = page.getByTestId('receipt-input');
      // A phone opens its camera for this input; a desktop its file picker.
      expect(await input.getAttribute('capture')).toBe('environment');
      expect(await input.getAttribute('accept')).toBe('image/*,application/pdf');
      await field(page, 'vendor').fill('Jarir Bookstore');
      await field(page, 'category').fill('office');
      await field(page, 'amount').fill('115.00');
      await field(page, 'vat_rate').fill('15');
      await input.setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: png });
      await page.getByTestId('save-expense').click();
      await page.getByText('Expense saved.').waitFor();
      const row = page.getByTestId('expense-row').first();
      expect((await row.textContent())?.replace(/\s/g, ' ')).toContain('15.00');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        row.getByTestId('download-receipt').click(),
      ]);
      expect(download.suggestedFilename()).toBe('receipt.png');
      const stream = await download.createReadStream();
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(png)).toBe(true);
    }, 60_000);

    it('a client invites an accountant, who accepts and reads the client’s invoices under the client’s name', async () => {
      await page.getByTestId('nav-settings-accountants').click();
      await page.getByTestId('invite-accountant').click();
      await field(page, 'email').fill(accountant.email);
      await field(page, 'scope-payments').uncheck();
      await page.getByTestId('send-invitation').click();
      await page.getByText(`Invitation sent to ${accountant.email}.`).waitFor();
      const row = page.getByTestId('accountant-row').first();
      expect(await row.getByTestId('status-badge').getAttribute('data-status')).toBe('pending');

      // The accountant: an account of their own, its address verified through the mailed link.
      const res = await fetch(`${product.baseUrl}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...accountant,
          full_name: 'Omar Haddad',
          company: {
            legal_name_en: 'Haddad Bookkeeping',
            country: 'SA',
            vat_number: '399999999800003',
            registration_number: '1010010001',
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
      expect(res.status).toBeLessThan(300);
      const verified = await fetch(`${product.baseUrl}/api/v1/auth/email/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: await mailbox.verificationToken(accountant.email) }),
      });
      expect(verified.status).toBe(200);

      const theirs = await browser.newContext({ viewport: { width: 1400, height: 960 }, locale: 'en-US' });
      try {
        const p = await theirs.newPage();
        await p.goto(`${product.baseUrl}/login`);
        await p.getByLabel('Work email').fill(accountant.email);
        await p.getByLabel('Password').fill(accountant.password);
        await p.getByRole('button', { name: 'Sign in' }).click();
        await p.getByTestId('welcome').waitFor();
        // Not a member of the client: no Accountants settings of the client, only their own workspace.
        await p.getByTestId('nav-accountant').click();
        const invitation = p.getByTestId('invitation');
        await invitation.waitFor();
        expect(await invitation.textContent()).toContain(clientName);
        await invitation.getByTestId('accept-invitation').click();
        await p.getByTestId('client-row').first().waitFor();
        await p.getByTestId('open-client').click();

        await p.getByTestId('client-invoice-row').first().waitFor();
        expect(await p.getByTestId('client-name').textContent()).toBe(`Books of ${clientName}`);
        expect(await p.getByTestId('client-invoice-row').first().textContent()).toContain(invoiceNumber);
        // Payments were left out of the scopes: no tab for them.
        await p.getByTestId('client-tab-invoices').waitFor();
        expect(await p.getByTestId('client-tab-payments').count()).toBe(0);
        await p.getByTestId('client-tab-expenses').click();
        await p.getByTestId('client-expense-row').first().waitFor();
        expect(await p.getByTestId('client-name').textContent()).toBe(`Books of ${clientName}`);
      } finally {
        await theirs.close();
      }

      await page.reload();
      await page.getByTestId('accountant-row').first().waitFor();
      expect(await row.getByTestId('status-badge').getAttribute('data-status')).toBe('active');
      await row.getByTestId('suspend-accountant').click();
      await page.getByText('Access suspended.').waitFor();
      await row.locator('[data-status="suspended"]').waitFor();
      expect(await row.getByTestId('resume-accountant').count()).toBe(1);
    }, 120_000);

    it('the client edits: scopes of an assignment, an expense and its receipt, deletes it; invoiced hours stay locked', async () => {
      // Scopes of the (suspended) assignment: payments added back.
      const row = page.getByTestId('accountant-row').first();
      await row.getByTestId('edit-scopes').click();
      await row.getByTestId('scope-editor').locator('[name="scope-payments"]').check();
      await row.getByTestId('save-scopes').click();
      await page.getByText('Scopes saved.').waitFor();
      // The list reloads after the notice: the chip appears once the saved scopes are read back.
      await row.locator('.chip', { hasText: 'Payments' }).waitFor();

      // The expense: fields changed, receipt replaced (the new bytes download), then deleted.
      await page.getByTestId('nav-expenses').click();
      const expense = page.getByTestId('expense-row').first();
      await expense.getByTestId('edit-expense').click();
      expect(await field(page, 'vendor').inputValue()).toBe('Jarir Bookstore');
      await field(page, 'vendor').fill('Jarir Bookstore Olaya');
      await field(page, 'amount').fill('230.00');
      const replacement = Buffer.concat([png, Buffer.from('second receipt')]);
      await page
        .getByTestId('receipt-input')
        .setInputFiles({ name: 'receipt-2.png', mimeType: 'image/png', buffer: replacement });
      await page.getByTestId('save-expense').click();
      await page.getByText('Expense saved.').waitFor();
      await expense.getByText('Jarir Bookstore Olaya').waitFor();
      expect((await expense.textContent())?.replace(/\s/g, ' ')).toContain('30.00'); // 230 × 15 / 115
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        expense.getByTestId('download-receipt').click(),
      ]);
      expect(download.suggestedFilename()).toBe('receipt-2.png');
      const chunks: Buffer[] = [];
      for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(replacement)).toBe(true);
      page.once('dialog', (dialog) => void dialog.accept());
      await expense.getByTestId('delete-expense').click();
      await page.getByText('Expense deleted.').waitFor();
      // The list reloads after the notice: wait for the row to go (fails after the timeout if it stays).
      await page.getByText('Jarir Bookstore Olaya').waitFor({ state: 'detached' });

      // The invoiced hours: no edit, and a delete is refused by the server with a plain message.
      await page.getByTestId('nav-time').click();
      const hours = page.getByTestId('time-row').first();
      await hours.getByText(invoiceNumber).waitFor();
      expect(await hours.getByTestId('edit-time-entry').count()).toBe(0);
      expect(await hours.textContent()).toContain('Locked: on an invoice');
      page.once('dialog', (dialog) => void dialog.accept());
      await hours.getByTestId('delete-time-entry').click();
      await page
        .getByRole('alert')
        .getByText('These hours are on an invoice and can no longer be changed or deleted.')
        .waitFor();
      expect(await page.getByTestId('time-row').count()).toBeGreaterThan(0);
    }, 90_000);

    it('a practice accepts for the firm and names its staff, who then keep the client’s books', async () => {
      const practice = { email: `sara+firm${stamp}@example.sa`, password: 'practice passphrase ok' };
      const staffer = { email: `khalid+staff${stamp}@example.sa`, password: 'staff member passphrase' };
      const call = async (
        token: string,
        method: string,
        path: string,
        body?: unknown,
        companyId?: string,
      ) => {
        const res = await fetch(`${product.baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(companyId ? { 'x-company-id': companyId } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, json: (await res.json()) as Record<string, unknown> };
      };
      // Both people sign up with a company of their own and verify their address through the mailed link.
      const signUp = async (who: typeof practice, fullName: string, company: string, n: string) => {
        const res = await fetch(`${product.baseUrl}/api/v1/auth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            ...who,
            full_name: fullName,
            company: {
              legal_name_en: company,
              country: 'SA',
              vat_number: `3999999997${n}0003`,
              registration_number: `10100100${n}2`,
              address: {
                street: 'Olaya Street',
                building_number: '4321',
                district: 'Al Olaya',
                city: 'Riyadh',
                postal_code: '12214',
                country: 'SA',
              },
            },
          }),
        });
        expect(res.status).toBeLessThan(300);
        const body = (await res.json()) as { access_token: string; company: { id: string } };
        const verified = await fetch(`${product.baseUrl}/api/v1/auth/email/verify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: await mailbox.verificationToken(who.email) }),
        });
        expect(verified.status).toBe(200);
        return { token: body.access_token, companyId: body.company.id };
      };
      const firm = await signUp(practice, 'Sara Al-Qahtani', 'Qahtani Accountancy', '1');
      const staff = await signUp(staffer, 'Khalid Nasser', 'Khalid Nasser Consulting', '2');
      // Khalid joins the firm as a member.
      const invited = await call(
        firm.token,
        'POST',
        '/api/v1/companies/current/members',
        { email: staffer.email, role: 'viewer' },
        firm.companyId,
      );
      expect(invited.status).toBe(202);
      const joined = await call(
        staff.token,
        'POST',
        `/api/v1/me/invitations/${invited.json.invitation_id as string}/accept`,
        {},
      );
      expect(joined.status).toBeLessThan(300);
      const clientsOfStaff = async () =>
        (await call(staff.token, 'GET', '/api/v1/accountant/clients')).json.clients as { access: string }[];
      expect(await clientsOfStaff()).toEqual([]);

      // The client invites the firm's owner.
      await page.getByTestId('nav-settings-accountants').click();
      await page.getByTestId('invite-accountant').click();
      await field(page, 'email').fill(practice.email);
      await page.getByTestId('send-invitation').click();
      await page.getByText(`Invitation sent to ${practice.email}.`).waitFor();

      const theirs = await browser.newContext({ viewport: { width: 1400, height: 960 }, locale: 'en-US' });
      try {
        const p = await theirs.newPage();
        await p.goto(`${product.baseUrl}/login`);
        await p.getByLabel('Work email').fill(practice.email);
        await p.getByLabel('Password').fill(practice.password);
        await p.getByRole('button', { name: 'Sign in' }).click();
        await p.getByTestId('welcome').waitFor();
        await p.getByTestId('nav-accountant').click();
        const invitation = p.getByTestId('invitation');
        await invitation.waitFor();
        // Accepted for the firm, not for Sara in person: the client follows the practice.
        await invitation.getByTestId('accept-for').selectOption({ label: 'Qahtani Accountancy' });
        await invitation.getByTestId('accept-invitation').click();
        const row = p.getByTestId('client-row').first();
        await row.getByText('Qahtani Accountancy').waitFor();
        await row.getByText('No staff assigned').waitFor();
        await row.getByTestId('assign-staff').click();
        const editor = row.getByTestId('staff-editor');
        await editor.waitFor();
        expect(await editor.textContent()).toContain(`Staff of the practice working on ${clientName}`);
        await editor.locator(`[data-email="${staffer.email}"]`).check();
        await editor.getByTestId('save-staff').click();
        await row.getByText('1 assigned').waitFor();
      } finally {
        await theirs.close();
      }
      // Khalid now keeps the client's books, as the firm's staff.
      expect(await clientsOfStaff()).toEqual([expect.objectContaining({ access: 'staff' })]);
    }, 120_000);
  },
);
