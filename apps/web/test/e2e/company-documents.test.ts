import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserSession,
  closeBrowserSession,
  openBrowserSession,
  skipOrFailWhenUnavailable,
} from './harness';

// Company approval with documents, in the real product and a real browser (REQUIRE_COMPANY_APPROVAL on): the owner
// of a company waiting for approval is told so in Settings → Company and uploads its trade licence there; the
// install's super admin sees the licence in the approval queue, downloads it, and approves the company.

const shouldSkip = skipOrFailWhenUnavailable();

const stamp = Date.now();
const admin = { email: `root+${stamp}@example.sa`, password: 'correct horse battery' };
const owner = { email: `palm+${stamp}@example.sa`, password: 'another long passphrase' };
const companyName = `Palm Grove ${stamp} Trading`;
const licence = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from('Trade licence 1010010000\n%%EOF\n')]);

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

describe.skipIf(shouldSkip)('web app: company approval with documents (real API, real Chromium)', () => {
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
  const signIn = async (p: Page, who: { email: string; password: string }) => {
    await p.goto(`${session.product.baseUrl}/login`);
    await field(p, 'email').fill(who.email);
    await field(p, 'password').fill(who.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByTestId('welcome').waitFor();
  };

  beforeAll(async () => {
    session = await openBrowserSession(
      { width: 1440, height: 900 },
      { REQUIRE_COMPANY_APPROVAL: 'true', ALLOW_REGISTRATION: 'true' },
    );
  }, 180_000);
  afterAll(() => closeBrowserSession(session ?? {}));

  it('the owner of a pending company uploads its trade licence; the super admin sees it in the queue and approves', async () => {
    const { page, browser } = session;
    const first = await api('POST', '/api/v1/auth/register', {
      email: admin.email,
      password: admin.password,
      full_name: 'Platform Root',
      company: SA_COMPANY,
    });
    expect(first.status).toBe(201);
    const second = await api('POST', '/api/v1/auth/register', {
      email: owner.email,
      password: owner.password,
      full_name: 'Palm Owner',
      company: { ...SA_COMPANY, legal_name_en: companyName },
    });
    expect(second.status).toBe(201);
    const ownerToken = second.json.access_token as string;

    // The owner: told the company waits, uploads the licence, sees it listed.
    const ownerContext = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      locale: 'en-US',
    });
    try {
      const p = await ownerContext.newPage();
      await signIn(p, owner);
      await p.goto(`${session.product.baseUrl}/settings/company`);
      await p.getByTestId('approval-pending').waitFor();
      await p.getByTestId('no-company-documents').waitFor();
      await p.getByTestId('company-document-kind').selectOption('trade_licence');
      await p.getByTestId('company-document-file').setInputFiles({
        name: 'trade-licence.pdf',
        mimeType: 'application/pdf',
        buffer: licence,
      });
      await p.getByText('trade-licence.pdf was uploaded.').waitFor();
      const listed = p.locator('[data-testid="company-document"][data-kind="trade_licence"]');
      await listed.getByText('trade-licence.pdf').waitFor();
      await listed.getByText('Trade licence').waitFor();
    } finally {
      await ownerContext.close();
    }

    // The super admin: the licence is in the queue beside the company, it downloads, and the company is approved.
    await signIn(page, admin);
    await page.getByTestId('nav-admin').click();
    await page.getByRole('heading', { name: 'Platform administration', level: 1 }).waitFor();
    await page.getByTestId('admin-tab-companies').click();
    const row = page.getByTestId('admin-company-row').filter({ hasText: companyName });
    await row.waitFor();
    const document = row.locator('[data-testid="admin-company-document"][data-kind="trade_licence"]');
    await document.getByText('trade-licence.pdf').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), document.click()]);
    expect(download.suggestedFilename()).toBe('trade-licence.pdf');
    await row.getByTestId('admin-approve').click();
    await page.getByText(`${companyName} is approved`, { exact: false }).waitFor();

    const company = await api('GET', '/api/v1/companies/current', undefined, ownerToken);
    expect(company.json.approval_status).toBe('approved');
    const log = await api('GET', '/api/v1/audit-log', undefined, ownerToken);
    const actions = (log.json.entries as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['company.document_uploaded', 'company.document_viewed', 'company.approved']),
    );
  });
});
