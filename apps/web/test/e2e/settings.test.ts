import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeZatca, startFakeZatca } from '../../../api/test/support/fake-zatca';
import { pngImage } from '../../../api/test/support/images';
import {
  ensureWebBuilt,
  launchBrowser,
  type RunningProduct,
  skipOrFailWhenUnavailable,
  startProduct,
} from './harness';
import { totp } from './totp';

// Settings in the real product and a real browser, as a new company's owner meets them, at a phone's width in
// Arabic and a desktop's in English: the company uploads a logo (a wrong file is refused), the header shows it and
// the next invoice's PDF carries it; the owner turns on two-step verification with the QR's key and sees the
// backup codes once; the company onboards a ZATCA simulation EGS against a local ZATCA test server (OTP →
// compliance CSID → compliance checks → production CSID); numbering and tax rates show the country's.

const shouldSkip = skipOrFailWhenUnavailable();

const SCENARIOS = [
  { width: 1440, height: 900, locale: 'en-US', lang: 'en' },
  { width: 390, height: 844, locale: 'ar-SA', lang: 'ar' },
] as const;

/** Poppler's list of the images a PDF draws: "width×height" of each. */
function imagesOf(pdf: Buffer, dir: string): string[] {
  const file = path.join(dir, `invoice-${Date.now()}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })
    .split('\n')
    .slice(2)
    .filter((line) => line.trim())
    .map((line) => {
      const [, , type, width, height] = line.trim().split(/\s+/);
      return `${type} ${width}x${height}`;
    });
}

async function noHorizontalOverflow(page: Page): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(1);
}

/** Registers a Saudi company through the sign-up page and waits for its welcome. */
async function registerCompany(
  page: Page,
  baseUrl: string,
  owner: { email: string; password: string },
): Promise<void> {
  const field = (name: string) => page.locator(`[name="${name}"]`);
  await page.goto(`${baseUrl}/register`);
  await field('full_name').fill('Huda Al-Harbi');
  await field('email').fill(owner.email);
  await field('password').fill(owner.password);
  await field('company.legal_name_en').fill('Oasis Dates Trading Co.');
  await field('company.vat_number').fill('399999999900003');
  await field('company.registration_number').fill('1010010000');
  await field('company.address.street').fill('King Abdulaziz Road');
  await field('company.address.building_number').fill('4321');
  await field('company.address.district').fill('Al-Murabba');
  await field('company.address.city').fill('Riyadh');
  await field('company.address.postal_code').fill('12345');
  await page.locator('form button[type="submit"]').click();
  await page.getByTestId('welcome').waitFor();
}

describe.skipIf(shouldSkip)('web app: Settings (real API, real Chromium, local ZATCA test server)', () => {
  let zatca: FakeZatca;
  let product: RunningProduct;
  let browser: Browser;
  let dir = '';

  beforeAll(async () => {
    ensureWebBuilt();
    zatca = await startFakeZatca();
    product = await startProduct({ env: { ZATCA_BASE_URL: zatca.url } });
    browser = await launchBrowser();
    dir = mkdtempSync(path.join(tmpdir(), 'invoiceflow-settings-e2e-'));
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
    await zatca?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const scenario of SCENARIOS) {
    it(`a new company sets itself up at ${scenario.width} px in ${scenario.lang}`, async () => {
      const stamp = `${Date.now()}${scenario.width}`;
      const owner = { email: `huda+settings${stamp}@example.sa`, password: 'correct horse battery' };
      const context = await browser.newContext({
        viewport: { width: scenario.width, height: scenario.height },
        locale: scenario.locale,
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      const shot = (name: string) =>
        page.screenshot({
          path: `/tmp/web-settings-${name}-${scenario.lang}-${scenario.width}.png`,
          fullPage: true,
        });
      const field = (name: string) => page.locator(`[name="${name}"]`);
      try {
        await registerCompany(page, product.baseUrl, owner);
        expect(await page.evaluate(() => document.documentElement.dir)).toBe(
          scenario.lang === 'ar' ? 'rtl' : 'ltr',
        );

        // ── Company: a wrong file is refused, a PNG becomes the logo, shown in the header ──
        await page.getByTestId('nav-settings').click();
        await page.getByTestId('settings-company').click();
        await page.getByTestId('company-form').waitFor();
        await page.getByTestId('no-logo').waitFor();
        await page.getByTestId('logo-file').setInputFiles({
          name: 'logo.png',
          mimeType: 'image/png',
          buffer: Buffer.from('GIF89a not a png'),
        });
        await page
          .getByRole('alert')
          .filter({
            hasText: scenario.lang === 'ar' ? 'الشعار صورة PNG أو JPEG.' : 'A logo is a PNG or JPEG image.',
          })
          .waitFor();
        await page
          .getByTestId('logo-file')
          .setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: pngImage(160, 48) });
        await page.getByTestId('logo-preview').waitFor();
        await expect
          .poll(() =>
            page.getByTestId('logo-preview').evaluate((img) => (img as HTMLImageElement).naturalWidth),
          )
          .toBe(160);
        await page.getByTestId('header-logo').waitFor();
        await field('legal_name_ar').fill('شركة واحة التمور التجارية');
        await field('default_language').selectOption(scenario.lang);
        await page.getByTestId('company-form').locator('button[type="submit"]').click();
        await page.getByTestId('company-form').getByRole('status').waitFor();
        await noHorizontalOverflow(page);
        await shot('company');

        // The next invoice's PDF carries the logo (issued through the API with this owner's sign-in).
        const signIn = await fetch(`${product.baseUrl}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(owner),
        });
        const { access_token: token } = (await signIn.json()) as { access_token: string };
        const authorization = { authorization: `Bearer ${token}` };
        const me = (await (
          await fetch(`${product.baseUrl}/api/v1/me`, { headers: authorization })
        ).json()) as {
          companies: { id: string }[];
        };
        const headers = { ...authorization, 'x-company-id': me.companies[0]?.id ?? '' };
        const issued = await fetch(`${product.baseUrl}/api/v1/invoices/generate`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({
            customer_name: 'Walk-in customer',
            lines: [{ description: 'Ajwa dates 1 kg', quantity: '3', unit_price: '80' }],
          }),
        });
        expect(issued.status).toBe(201);
        const invoice = (await issued.json()) as { id: string };
        const pdf = await fetch(`${product.baseUrl}/api/v1/invoices/${invoice.id}/pdf`, { headers });
        expect(pdf.status).toBe(200);
        expect(imagesOf(Buffer.from(await pdf.arrayBuffer()), dir)).toContain('image 160x48');

        // ── Profile and security: two-step verification from the user menu ──
        await page.getByTestId('user-menu').click();
        await page.getByTestId('user-menu-profile').click();
        await page.getByTestId('two-step').waitFor();
        await expect(page.getByTestId('two-step').getAttribute('data-enabled')).resolves.toBe('false');
        await page.getByTestId('totp-start').locator('[name="password"]').fill(owner.password);
        await page.getByTestId('totp-start').locator('button[type="submit"]').click();
        await page.getByTestId('totp-confirm').waitFor();
        await page.getByTestId('totp-confirm').locator('svg[role="img"]').waitFor();
        const secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
        expect(secret).toMatch(/^[A-Z2-7]+=*$/);
        await page.getByTestId('totp-confirm').locator('[name="code"]').fill(totp(secret));
        await page.getByTestId('totp-confirm').locator('button[type="submit"]').click();
        await page.getByTestId('backup-codes').waitFor();
        await expect(page.getByTestId('backup-codes').locator('li').count()).resolves.toBe(10);
        await noHorizontalOverflow(page);
        await shot('security');
        await page.getByTestId('backup-codes-done').click();
        await page.locator('[data-testid="two-step"][data-enabled="true"]').waitFor();
        // Shown once: nothing on the page repeats them.
        await expect(page.getByTestId('backup-codes').count()).resolves.toBe(0);

        // ── E-invoicing: a simulation unit onboarded step by step against the ZATCA test server ──
        await page.getByTestId('nav-settings').click();
        await page.getByTestId('settings-einvoicing').click();
        await page.getByTestId('egs-create').waitFor();
        await page.getByTestId('egs-create').locator('[name="environment"]').selectOption('simulation');
        await page.getByTestId('egs-create').locator('button[type="submit"]').click();
        const unit = page.locator('[data-testid="egs-unit"][data-environment="simulation"]');
        await unit.and(page.locator('[data-status="new"]')).waitFor();
        await unit.locator('[name="otp"]').fill(zatca.otp);
        await unit.getByTestId('egs-otp-submit').click();
        await unit.and(page.locator('[data-status="compliance"]')).waitFor();
        await unit.getByTestId('egs-run-checks').click();
        await unit.and(page.locator('[data-status="compliance_checked"]')).waitFor();
        await unit.getByTestId('egs-checks').waitFor();
        await unit.getByTestId('egs-production').click();
        await unit.and(page.locator('[data-status="active"]')).waitFor();
        await expect(unit.getByTestId('egs-environment').textContent()).resolves.toBe(
          scenario.lang === 'ar' ? 'محاكاة' : 'Simulation',
        );
        expect(zatca.calls('/compliance').length).toBeGreaterThan(0);
        expect(zatca.calls('/production/csids').length).toBeGreaterThan(0);
        await noHorizontalOverflow(page);
        await shot('einvoicing');

        // ── Numbering and tax: the invoice series that just numbered one, and the country's fixed rates ──
        await page.getByTestId('nav-settings').click();
        await page.getByTestId('settings-numbering').click();
        await page.locator('[data-testid="series-row"]').first().waitFor();
        await page.locator('[data-testid="tax-rates"][data-kind="fixed"]').waitFor();
        await expect(page.getByTestId('tax-rate-form').count()).resolves.toBe(0);
        await noHorizontalOverflow(page);
        await shot('numbering');

        // The one error the browser logs is the refused upload's 415, which the page words as shown above.
        expect(errors.filter((text) => !text.includes('status of 415'))).toEqual([]);
      } finally {
        await context.close();
      }
    }, 240_000);
  }

  // Reminders: a day the API refuses is shown at its row; a day added and saved is there after a reload.
  it('an owner changes the reminder days at 390 px in Arabic', async () => {
    const owner = { email: `huda+reminders${Date.now()}@example.sa`, password: 'correct horse battery' };
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ar-SA' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const days = () =>
      page
        .getByTestId('reminder-day')
        .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-day'))));
    try {
      await registerCompany(page, product.baseUrl, owner);
      await page.getByTestId('nav-settings').click();
      await page.getByTestId('settings-reminders').click();
      await page.getByTestId('reminder-day').first().waitFor();
      await expect(days()).resolves.toEqual([-3, 1, 7, 14]);

      await page.getByLabel('عدد الأيام').fill('400');
      await page.getByLabel('قبل تاريخ الاستحقاق أو بعده').selectOption('after');
      await page.getByRole('button', { name: 'إضافة يوم' }).click();
      await page.getByRole('button', { name: 'حفظ' }).click();
      const refused = page.locator('[data-testid="reminder-day"][data-day="400"]');
      await refused.getByRole('alert').waitFor();
      await refused.getByRole('button').click();

      await page.getByLabel('عدد الأيام').fill('5');
      await page.getByRole('button', { name: 'إضافة يوم' }).click();
      await page.getByRole('button', { name: 'حفظ' }).click();
      await page.getByText('حُفظت إعدادات التذكير.').waitFor();
      await page.reload();
      await page.getByTestId('reminder-day').first().waitFor();
      await expect(days()).resolves.toEqual([-3, 1, 5, 7, 14]);
      await noHorizontalOverflow(page);
      await page.screenshot({ path: '/tmp/web-settings-reminders-ar-390.png', fullPage: true });
      // The refused save's 400 (a day out of range) is the one error the browser logs.
      expect(errors.filter((text) => !text.includes('status of 400'))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
