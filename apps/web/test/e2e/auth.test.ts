import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeBrowserSession,
  openBrowserSession,
  type RunningProduct,
  skipOrFailWhenUnavailable,
} from './harness';
import { totp } from './totp';

const shouldSkip = skipOrFailWhenUnavailable();

const user = {
  fullName: 'Sara Al-Harbi',
  email: `sara+${Date.now()}@example.sa`,
  password: 'correct horse battery',
  company: 'Maximum Speed Tech Supply LTD',
};

describe.skipIf(shouldSkip)('web app: sign-up, session and Arabic layout (real API, real Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ({ product, browser, context, page } = await openBrowserSession());
  }, 180_000);
  afterAll(() => closeBrowserSession({ product, browser, context }));

  const field = (name: string) => page.locator(`[name="${name}"]`);
  const messageOf = (name: string) => page.locator(`.field:has([name="${name}"]) .field-message`);
  const refreshToken = () => page.evaluate(() => localStorage.getItem('invoiceflow.refresh_token'));

  it('registers a Saudi company, stays signed in across a reload, logs out and in, and mirrors in Arabic', async () => {
    await page.goto(`${product.baseUrl}/`);
    // Signed out: the root sends us to the login page.
    await page.waitForURL('**/login');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.waitForURL('**/register');

    await field('full_name').fill(user.fullName);
    await field('email').fill(user.email);
    await field('password').fill(user.password);
    // The server caps the legal name at 300 characters and the form does not: its field error must come back
    // beside the field (errors[].path "company.legal_name_en"), not as a generic banner.
    await field('company.legal_name_en').fill('X'.repeat(301));
    await field('company.legal_name_ar').fill('شركة أقصى سرعة للتوريدات التقنية');

    // VAT number is judged while typing: progress, then an immediate error, then OK.
    await field('company.vat_number').pressSequentially('31012239');
    await expect.poll(() => messageOf('company.vat_number').textContent()).toBe('8 of 15 digits');
    await field('company.vat_number').fill('210122393500003');
    await expect
      .poll(() => messageOf('company.vat_number').textContent())
      .toBe('A Saudi VAT number starts with 3.');
    await field('company.vat_number').fill('310122393500003');
    await expect.poll(() => messageOf('company.vat_number').textContent()).toBe('Looks good.');

    await field('company.registration_number').fill('1010010000');
    await field('company.address.street').fill('Prince Sultan Street');
    await field('company.address.building_number').fill('2322');
    await field('company.address.district').fill('Al-Murabba');
    await field('company.address.city').fill('Riyadh');
    await field('company.address.postal_code').fill('23333');
    await page.getByRole('button', { name: 'Create account' }).click();

    await expect.poll(() => messageOf('company.legal_name_en').textContent()).toBe('This is too long.');
    expect(await page.locator('.field[data-invalid]').count()).toBe(1);
    await page.screenshot({ path: '/tmp/web-register-server-error.png', fullPage: true });

    await field('company.legal_name_en').fill(user.company);
    await page.getByRole('button', { name: 'Create account' }).click();

    // Signed in on the dashboard, with the user and the company.
    await page.getByTestId('welcome').waitFor();
    expect(await page.getByTestId('welcome').textContent()).toBe(`Welcome, ${user.fullName}`);
    expect(await page.getByTestId('company-name').textContent()).toBe(user.company);
    expect(new URL(page.url()).pathname).toBe('/');
    for (const slot of ['invoices', 'customers', 'products', 'payments', 'settings']) {
      expect(await page.getByTestId(`nav-${slot}`).isVisible()).toBe(true);
    }
    await page.screenshot({ path: '/tmp/web-dashboard-en.png', fullPage: true });

    // Reload: the access token is gone with the page, the refresh token brings the session back (and rotates).
    const tokenBeforeReload = await refreshToken();
    expect(tokenBeforeReload).toBeTruthy();
    await page.reload();
    await page.getByTestId('welcome').waitFor();
    const tokenAfterReload = await refreshToken();
    expect(tokenAfterReload).toBeTruthy();
    expect(tokenAfterReload).not.toBe(tokenBeforeReload);

    // A navigation slot works as a client-side route.
    await page.getByTestId('nav-invoices').click();
    await page.waitForURL('**/invoices');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Invoices');

    // Log out: back to login, refresh token forgotten, and the old one no longer works on the server.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.waitForURL('**/login');
    expect(await refreshToken()).toBeNull();
    const replay = await fetch(`${product.baseUrl}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: tokenAfterReload }),
    });
    expect(replay.status).toBe(401);

    // Wrong password first: a readable error, still on the login page.
    await page.getByLabel('Work email').fill(user.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toBe('The email or password is incorrect.');

    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('welcome').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');

    // A second company (UAE) appears in the company switcher; the choice is sent as X-Company-Id.
    const uaeCompanyId = await createCompanyThroughApi(product.baseUrl, user, {
      legal_name_en: 'Falcon Trading FZ LLC',
      legal_name_ar: 'فالكون للتجارة',
      country: 'AE',
      vat_number: '100123456700003',
      address: { street: 'Sheikh Zayed Road', city: 'Dubai', country: 'AE', emirate: 'DXB' },
    });
    await page.reload();
    const switcher = page.getByTestId('company-switcher');
    await switcher.waitFor();
    await switcher.selectOption(uaeCompanyId);
    expect(await page.getByTestId('company-name').textContent()).toBe('Falcon Trading FZ LLC');
    await page.screenshot({ path: '/tmp/web-company-switcher.png' });
    const meRequest = page.waitForRequest((r) => r.url().endsWith('/api/v1/me'));
    await page.reload();
    expect((await meRequest).headers()['x-company-id']).toBe(uaeCompanyId);
    await page.getByTestId('welcome').waitFor();
    expect(await page.getByTestId('company-name').textContent()).toBe('Falcon Trading FZ LLC');
    await switcher.selectOption({ label: user.company });
    expect(await page.getByTestId('company-name').textContent()).toBe(user.company);

    // Arabic: <html dir="rtl" lang="ar"> and the navigation moves to the right-hand side.
    await page.getByTestId('lang-ar').click();
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ar');
    expect(await page.getByTestId('welcome').textContent()).toBe(`مرحبًا، ${user.fullName}`);
    const sidebar = await page.getByTestId('sidebar').boundingBox();
    const main = await page.locator('#main').boundingBox();
    if (!sidebar || !main) throw new Error('sidebar or main content not laid out');
    expect(sidebar.x).toBeGreaterThan(main.x + main.width - 1);
    expect(Math.round(sidebar.x + sidebar.width)).toBe(1280);
    // The Arabic legal name is shown when reading in Arabic.
    expect(await page.getByTestId('company-name').textContent()).toBe('شركة أقصى سرعة للتوريدات التقنية');
    await page.screenshot({ path: '/tmp/web-dashboard-ar.png', fullPage: true });

    // The choice survives a reload, and the signed-out pages are mirrored too.
    await page.reload();
    await page.getByTestId('welcome').waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.waitForURL('**/login');
    await page.screenshot({ path: '/tmp/web-login-ar.png', fullPage: true });
    await page.goto(`${product.baseUrl}/register`);
    await field('company.vat_number').pressSequentially('3101');
    await page.screenshot({ path: '/tmp/web-register-ar.png', fullPage: true });
  }, 120_000);

  it('asks for the second factor when MFA is on and accepts a backup code; password reset pages', async () => {
    const mfaUser = { email: `omar+${Date.now()}@example.sa`, password: 'another long passphrase' };
    const backupCode = await registerWithMfaThroughApi(product.baseUrl, mfaUser);
    // A fresh context: no refresh token, English.
    const mfaContext = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    const p = await mfaContext.newPage();
    try {
      await p.goto(`${product.baseUrl}/login`);
      await p.getByLabel('Work email').fill(mfaUser.email);
      await p.getByLabel('Password').fill(mfaUser.password);
      await p.getByRole('button', { name: 'Sign in' }).click();

      await p.getByLabel('Verification code').waitFor();
      await p.getByLabel('Verification code').fill('12345');
      await p.getByRole('button', { name: 'Verify' }).click();
      expect(await p.getByRole('alert').textContent()).toBe('Enter the 6-digit code or a backup code.');
      await p.getByLabel('Verification code').fill('abcd-efgh-wrong');
      await p.getByRole('button', { name: 'Verify' }).click();
      await expect.poll(() => p.getByRole('alert').textContent()).toBe('That code is not valid. Try again.');
      await p.screenshot({ path: '/tmp/web-mfa-en.png' });

      await p.getByLabel('Verification code').fill(backupCode);
      await p.getByRole('button', { name: 'Verify' }).click();
      await p.getByTestId('welcome').waitFor();
      expect(await p.getByText('Two-step verification on').count()).toBe(1);
      await p.getByTestId('user-menu').click();
      await p.getByTestId('logout').click();
      await p.waitForURL('**/login');

      // Forgot: the same answer whether or not the account exists.
      await p.getByRole('link', { name: 'Forgot your password?' }).click();
      await p.getByLabel('Work email').fill(mfaUser.email);
      await p.getByRole('button', { name: 'Send reset link' }).click();
      await p.getByRole('status').waitFor();
      expect(await p.getByRole('status').textContent()).toContain(mfaUser.email);

      // Reset: without a token the page says so; with a bad token the server's refusal is shown.
      await p.goto(`${product.baseUrl}/reset-password`);
      expect(await p.getByRole('alert').textContent()).toBe(
        'This reset link is incomplete. Request a new one.',
      );
      await p.goto(`${product.baseUrl}/reset-password?token=not-a-real-token`);
      await p.getByLabel('New password').fill('a brand new passphrase');
      await p.getByLabel('Confirm password').fill('a brand new passphrase');
      await p.getByRole('button', { name: 'Save new password' }).click();
      await expect
        .poll(() => p.getByRole('alert').textContent())
        .toBe('This reset link is invalid or has expired.');
    } finally {
      await mfaContext.close();
    }
  }, 60_000);
});

/** Creates another company for the user straight through the API (the UI for it comes with Settings). */
async function createCompanyThroughApi(
  baseUrl: string,
  credentials: { email: string; password: string },
  company: Record<string, unknown>,
): Promise<string> {
  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, string>>;
  };
  const { access_token } = await post('/api/v1/auth/login', {
    email: credentials.email,
    password: credentials.password,
  });
  const created = await post('/api/v1/companies', company, access_token);
  if (!created.id) throw new Error('no company id in the response');
  return created.id;
}

/** Registers a user through the API, turns on TOTP and returns one of the backup codes. */
async function registerWithMfaThroughApi(baseUrl: string, credentials: { email: string; password: string }) {
  const call = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body ?? {}),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const registered = await call('/api/v1/auth/register', {
    ...credentials,
    full_name: 'Omar Haddad',
    company: {
      legal_name_en: 'Haddad Trading',
      country: 'SA',
      vat_number: '399999999900003',
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
  });
  const token = String(registered.access_token);
  const { password } = credentials;
  const { secret } = await call('/api/v1/auth/mfa/totp/enroll', { password }, token);
  const { backup_codes } = await call(
    '/api/v1/auth/mfa/totp/confirm',
    { code: totp(String(secret)), password },
    token,
  );
  const [first] = backup_codes as string[];
  if (!first) throw new Error('no backup codes returned');
  return first;
}
