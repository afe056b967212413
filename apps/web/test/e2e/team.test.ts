import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserSession,
  closeBrowserSession,
  openBrowserSession,
  skipOrFailWhenUnavailable,
} from './harness';

// Settings → Team in the real product and a real browser: the owner invites a finance user by e-mail, sees the
// open invitation, the person accepts by the mailed link and appears as a member; the owner changes their role to
// viewer and deactivates them, and the API's last-owner rule is shown when the owner tries to step down.

const shouldSkip = skipOrFailWhenUnavailable();

const stamp = Date.now();
const owner = { email: `noura+team${stamp}@example.sa`, password: 'correct horse battery' };
const invitee = {
  email: `fahad+team${stamp}@example.sa`,
  name: 'Fahad Al-Qahtani',
  password: 'a long new passphrase',
};

/** A loopback SMTP server keeping every mail's text, so the invitation link can be opened like a person would. */
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
    async invitationToken(to: string): Promise<string> {
      for (let i = 0; i < 150; i++) {
        const mail = mails.find((m) => m.to.includes(to) && /accept-invitation\?token=/.test(m.text));
        const token = mail && /accept-invitation\?token=([^\s"<>&]+)/.exec(mail.text)?.[1];
        if (token) return decodeURIComponent(token);
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`no invitation mail to ${to}`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(shouldSkip)('web app: Settings → Team (real API, real Chromium)', () => {
  let session: BrowserSession;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  const field = (p: Page, name: string) => p.locator(`[name="${name}"]`);

  beforeAll(async () => {
    mailbox = await startMailbox();
    // The product's outbox is drained into the mailbox above.
    session = await openBrowserSession(
      { width: 1280, height: 900 },
      { SMTP_URL: mailbox.url, MAIL_POLL_SECONDS: '1' },
    );
  }, 180_000);
  afterAll(async () => {
    await closeBrowserSession(session ?? {});
    await mailbox?.close();
  });

  it('invites a finance user who accepts by the mailed link, then changes their role and deactivates them', async () => {
    const { page, product } = session;
    await page.goto(`${product.baseUrl}/register`);
    await field(page, 'full_name').fill('Noura Al-Saud');
    await field(page, 'email').fill(owner.email);
    await field(page, 'password').fill(owner.password);
    await field(page, 'company.legal_name_en').fill('Desert Rose Trading Co.');
    await field(page, 'company.vat_number').fill('399999999900003');
    await field(page, 'company.registration_number').fill('1010010000');
    await field(page, 'company.address.street').fill('King Abdulaziz Road');
    await field(page, 'company.address.building_number').fill('4321');
    await field(page, 'company.address.district').fill('Al-Murabba');
    await field(page, 'company.address.city').fill('Riyadh');
    await field(page, 'company.address.postal_code').fill('12345');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('welcome').waitFor();

    // /settings is an index of the sections; Team is one of them (and in the navigation).
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-accountants').waitFor();
    await page.getByTestId('settings-webhooks').waitFor();
    await page.getByTestId('settings-team').click();
    await page.getByRole('heading', { name: 'Team', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/team');
    const ownerRow = page.locator(`[data-testid="member-row"][data-email="${owner.email}"]`);
    await ownerRow.waitFor();
    await expect(ownerRow.getAttribute('data-role')).resolves.toBe('owner');

    // The API's last-owner rule, shown as it words it; the owner stays owner.
    await ownerRow.getByTestId('member-role').selectOption('viewer');
    await page.getByRole('alert').filter({ hasText: 'A company needs at least one active owner' }).waitFor();
    await page.reload();
    await ownerRow.waitFor();
    await expect(ownerRow.getAttribute('data-role')).resolves.toBe('owner');

    await page.getByTestId('invite-member').click();
    const form = page.getByTestId('invite-member-form');
    await form.locator('[name="email"]').fill(invitee.email);
    await form.locator('[name="role"]').selectOption('finance');
    await page.getByTestId('send-member-invitation').click();
    await page.getByText(`Invitation sent to ${invitee.email}.`).waitFor();
    const invitationRow = page.locator(`[data-testid="invitation-row"][data-email="${invitee.email}"]`);
    await invitationRow.waitFor();
    await expect(invitationRow.textContent()).resolves.toContain('Finance');

    // The invited person opens the mailed link in their own browser and chooses a name and password.
    const token = await mailbox.invitationToken(invitee.email);
    const theirs = await session.browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'en-US',
    });
    try {
      const p = await theirs.newPage();
      await p.goto(`${product.baseUrl}/accept-invitation?token=${encodeURIComponent(token)}`);
      await field(p, 'full_name').fill(invitee.name);
      await field(p, 'password').fill(invitee.password);
      await p.getByTestId('accept-invitation').click();
      await p.getByText('You have joined.').waitFor();
      // The link is single-use: opened again, it says so.
      await p.reload();
      await field(p, 'password').fill(invitee.password);
      await p.getByTestId('accept-invitation').click();
      await p
        .getByRole('alert')
        .filter({ hasText: 'This invitation is invalid, expired or already used.' })
        .waitFor();
      // The new account signs in and lands in the company.
      await p.goto(`${product.baseUrl}/login`);
      await field(p, 'email').fill(invitee.email);
      await field(p, 'password').fill(invitee.password);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByTestId('welcome').waitFor();
    } finally {
      await theirs.close();
    }

    await page.reload();
    const memberRow = page.locator(`[data-testid="member-row"][data-email="${invitee.email}"]`);
    await memberRow.waitFor();
    await expect(memberRow.textContent()).resolves.toContain(invitee.name);
    await expect(memberRow.getAttribute('data-role')).resolves.toBe('finance');
    // Accepted: no longer open.
    await page.getByText('No open invitations.', { exact: false }).waitFor();
    await expect(invitationRow.count()).resolves.toBe(0);

    await memberRow.getByTestId('member-role').selectOption('viewer');
    await page.getByText(`${invitee.name} is now Viewer.`).waitFor();
    await page
      .locator(`[data-testid="member-row"][data-email="${invitee.email}"][data-role="viewer"]`)
      .waitFor();

    page.once('dialog', (dialog) => void dialog.accept());
    await memberRow.getByTestId('deactivate-member').click();
    await page.getByText(`${invitee.name} is deactivated.`).waitFor();
    await page
      .locator(`[data-testid="member-row"][data-email="${invitee.email}"][data-active="false"]`)
      .waitFor();
    await memberRow.getByTestId('reactivate-member').waitFor();
  }, 180_000);

  it('revokes an open invitation, which then leaves the list and whose link no longer works', async () => {
    const { page, product } = session;
    const email = `reem+team${stamp}@example.sa`;
    await page.getByTestId('invite-member').click();
    await page.getByTestId('invite-member-form').locator('[name="email"]').fill(email);
    await page.getByTestId('invite-member-form').locator('[name="role"]').selectOption('viewer');
    await page.getByTestId('send-member-invitation').click();
    const row = page.locator(`[data-testid="invitation-row"][data-email="${email}"]`);
    await row.waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByTestId('revoke-invitation').click();
    await page.getByText(`The invitation to ${email} is revoked.`).waitFor();
    await row.waitFor({ state: 'detached' });

    const res = await fetch(`${product.baseUrl}/api/v1/invitations/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token: await mailbox.invitationToken(email),
        full_name: 'Reem',
        password: 'long enough pass',
      }),
    });
    expect(res.status).toBe(400);
  }, 60_000);

  it('stays as wide as a 390 px phone, in English and in Arabic right to left', async () => {
    const { page, product } = session;
    const pageWidth = () =>
      page.evaluate(() => ({ document: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${product.baseUrl}/settings/team`);
    await page.locator(`[data-testid="member-row"][data-email="${invitee.email}"]`).waitFor();
    expect(await pageWidth()).toEqual({ document: 390, viewport: 390 });
    await page.getByTestId('lang-ar').click();
    await page.getByRole('heading', { level: 1, name: 'الفريق' }).waitFor();
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await pageWidth()).toEqual({ document: 390, viewport: 390 });
    await page.screenshot({ path: path.join(tmpdir(), 'team-390-ar.png'), fullPage: true });
    await page.goto(`${product.baseUrl}/settings`);
    await page.getByTestId('settings-team').waitFor();
    expect(await pageWidth()).toEqual({ document: 390, viewport: 390 });
    await page.getByTestId('lang-en').click();
    await page.setViewportSize({ width: 1440, height: 960 });
    await page.goto(`${product.baseUrl}/settings/team`);
    await page.locator(`[data-testid="member-row"][data-email="${invitee.email}"]`).waitFor();
    await page.screenshot({ path: path.join(tmpdir(), 'team-1440-en.png'), fullPage: true });
  }, 60_000);
});
