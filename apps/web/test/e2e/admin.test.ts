import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserSession,
  closeBrowserSession,
  openBrowserSession,
  skipOrFailWhenUnavailable,
} from './harness';

// The platform console in the real product and a real browser: the install's first account (its super admin)
// writes the home page's Arabic title, which a signed-out visitor reads on the sign-in page in Arabic; it finds a
// company by name, moves it to another plan and suspends it — the company's owner is then refused with a clear
// 403 — and reactivates it. Someone who is not a super admin sees no console.

const shouldSkip = skipOrFailWhenUnavailable();

const stamp = Date.now();
const admin = { email: `root+${stamp}@example.sa`, password: 'correct horse battery' };
const other = { email: `oasis+${stamp}@example.sa`, password: 'another long passphrase' };
const arabicTitle = 'فواتير إلكترونية لكل منشأة في الخليج';

const SA_COMPANY = {
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
};

describe.skipIf(shouldSkip)('web app: the platform console (real API, real Chromium)', () => {
  let session: BrowserSession;
  const field = (p: Page, name: string) => p.locator(`[name="${name}"]`);
  const api = async (method: string, path: string, body?: unknown, token?: string) => {
    const response = await fetch(`${session.product.baseUrl}${path}`, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    session = await openBrowserSession({ width: 1440, height: 900 });
  }, 180_000);
  afterAll(() => closeBrowserSession(session ?? {}));

  it('edits the home text (seen signed out in Arabic), assigns a plan, suspends and reactivates a company', async () => {
    const { page, product, browser } = session;
    // The first account of the install becomes its super admin.
    const first = await api('POST', '/api/v1/auth/register', {
      email: admin.email,
      password: admin.password,
      full_name: 'Platform Root',
      company: SA_COMPANY,
    });
    expect(first.status).toBe(201);
    const second = await api('POST', '/api/v1/auth/register', {
      email: other.email,
      password: other.password,
      full_name: 'Oasis Owner',
      company: { ...SA_COMPANY, legal_name_en: `Oasis Dates ${stamp} LLC` },
    });
    expect(second.status).toBe(201);
    const otherToken = second.json.access_token as string;

    await page.goto(`${product.baseUrl}/login`);
    await field(page, 'email').fill(admin.email);
    await field(page, 'password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('welcome').waitFor();
    await page.getByTestId('nav-admin').click();
    await page.getByRole('heading', { name: 'Platform administration', level: 1 }).waitFor();

    // Content: the Arabic title of the home page, saved as version 1, then read by a signed-out visitor.
    await page.getByTestId('admin-tab-content').click();
    const arTitle = page.locator('[data-testid="content-block"][data-key="home.title"][data-lang="ar"]');
    await arTitle.getByTestId('content-body').fill(arabicTitle);
    await arTitle.getByTestId('content-save').click();
    await arTitle.getByText('Saved as version 1.').waitFor();
    await arTitle.getByTestId('content-history').click();
    await arTitle.locator('[data-testid="content-version"][data-version="1"]').waitFor();

    const visitor = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ar-SA' });
    try {
      const publicPage = await visitor.newPage();
      await publicPage.goto(`${product.baseUrl}/`);
      await publicPage.waitForURL('**/login');
      await publicPage.locator('[data-testid="public-home"][data-lang="ar"]').waitFor();
      await publicPage.getByTestId('public-home-title').filter({ hasText: arabicTitle }).waitFor();
      expect(await publicPage.evaluate(() => document.documentElement.dir)).toBe('rtl');
      // Nothing written in English yet: the product's own English words stand in.
      await publicPage.getByRole('button', { name: 'English' }).click();
      await publicPage
        .getByTestId('public-home-title')
        .filter({ hasText: 'Invoicing and e-invoicing, in English and Arabic' })
        .waitFor();
      const overflow = await publicPage.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await visitor.close();
    }

    // Companies: found by name, moved to Pro, suspended (its owner is refused), reactivated.
    await page.getByTestId('admin-tab-companies').click();
    await page.getByTestId('admin-company-search').fill(`Oasis Dates ${stamp}`);
    await page.getByRole('button', { name: 'Search' }).click();
    const oasis = page.getByTestId('admin-company-row').filter({ hasText: `Oasis Dates ${stamp} LLC` });
    await oasis.waitFor();
    // The unfiltered list may still show until the search answers: wait for the filtered one.
    await expect.poll(() => page.getByTestId('admin-company-row').count(), { timeout: 10_000 }).toBe(1);
    await oasis.getByTestId('admin-company-plan').selectOption('pro');
    await page.getByText(`Oasis Dates ${stamp} LLC is now on the Pro plan.`).waitFor();

    page.once('dialog', (dialog) => void dialog.accept('Terms of service'));
    await oasis.getByTestId('admin-suspend').click();
    await page.getByText(`Oasis Dates ${stamp} LLC is suspended: its members cannot use it.`).waitFor();
    await page.locator('[data-testid="admin-company-row"][data-suspended="true"]').waitFor();
    const refused = await api('GET', '/api/v1/invoices', undefined, otherToken);
    expect(refused.status).toBe(403);
    expect(refused.json.code).toBe('COMPANY_SUSPENDED');

    // Analytics: two companies, one suspended.
    await page.getByTestId('admin-tab-analytics').click();
    await page.getByTestId('stat-companies').filter({ hasText: '2' }).waitFor();
    await page.getByTestId('stat-suspended').filter({ hasText: '1' }).waitFor();

    await page.getByTestId('admin-tab-companies').click();
    await page.getByTestId('admin-company-search').fill(`Oasis Dates ${stamp}`);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('[data-testid="admin-company-row"][data-suspended="true"]').waitFor();
    await page.getByTestId('admin-reactivate').click();
    await page.locator('[data-testid="admin-company-row"][data-suspended="false"]').waitFor();
    expect((await api('GET', '/api/v1/invoices', undefined, otherToken)).status).toBe(200);
    const log = await api('GET', '/api/v1/admin/audit-log', undefined, first.json.access_token as string);
    const actions = (log.json.entries as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'company.reactivated',
        'company.suspended',
        'company.plan_assigned',
        'content.edited',
      ]),
    );

    // Someone who is not a super admin has no console: no link, and /admin is not theirs.
    const plain = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    try {
      const p = await plain.newPage();
      await p.goto(`${product.baseUrl}/login`);
      await field(p, 'email').fill(other.email);
      await field(p, 'password').fill(other.password);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByTestId('welcome').waitFor();
      await expect(p.getByTestId('nav-admin').count()).resolves.toBe(0);
      await p.goto(`${product.baseUrl}/admin`);
      await p.getByTestId('sidebar').waitFor();
      await expect(p.getByRole('heading', { name: 'Platform administration' }).count()).resolves.toBe(0);
    } finally {
      await plain.close();
    }
  });
});
