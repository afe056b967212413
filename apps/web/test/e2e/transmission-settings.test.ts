// Settings → Transmission in Chromium against the built product, with a phoss-ap access point on 127.0.0.1 as the
// provider the save's check calls: a wrong token is refused with the access point's reason and nothing is kept;
// the right one is saved, shows as stored and gives the URL to hand the access point; a save leaving the stored
// token empty keeps it; turning off asks first. Then the page in Arabic at 390 px.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BE_COMPANY } from '../../../api/test/support/companies';
import { type FakeAccessPoint, startFakeAccessPoint } from '../../../api/test/support/fake-phoss-ap';
import {
  closeBrowserSession,
  openBrowserSession,
  type RunningProduct,
  skipOrFailWhenUnavailable,
} from './harness';

const shouldSkip = skipOrFailWhenUnavailable();

describe.skipIf(shouldSkip)(
  'web app: Settings → Transmission (real API, real Chromium, local access point)',
  () => {
    let ap: FakeAccessPoint;
    let product: RunningProduct;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let companyId: string;
    const owner = { email: `lea+transmission${Date.now()}@example.be`, password: 'correct horse battery' };

    beforeAll(async () => {
      ap = await startFakeAccessPoint();
      ({ product, browser, context, page } = await openBrowserSession({ width: 1440, height: 900 }));
      const register = await fetch(`${product.baseUrl}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...owner, full_name: 'Léa Dubois', company: BE_COMPANY }),
      });
      expect(register.status).toBe(201);
      companyId = (await register.json()).company.id;
      page.setDefaultTimeout(10_000);
      await page.goto(`${product.baseUrl}/login`);
      await page.locator('[name="email"]').fill(owner.email);
      await page.locator('[name="password"]').fill(owner.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('sidebar').waitFor();
    }, 180_000);
    afterAll(async () => {
      await closeBrowserSession({ product, browser, context, page });
      await ap?.close();
    });

    it('refuses a wrong token with the provider’s reason, saves the right one, keeps it, and turns off', async () => {
      await page.goto(`${product.baseUrl}/settings`);
      await page.getByTestId('settings-transmission').click();
      await page.getByTestId('transmission-off').waitFor();
      await page.getByLabel('Provider', { exact: true }).selectOption('phoss-ap');
      await page.getByLabel('API address (base URL)', { exact: true }).fill(ap.url);
      const token = page.getByLabel('API token', { exact: true });
      expect(await token.getAttribute('type')).toBe('password');
      await token.fill('not-the-token');
      await page.getByRole('button', { name: 'Check and save' }).click();
      const refused = page.getByTestId('transmission-check-failed');
      await refused.waitFor();
      expect(await refused.textContent()).toContain('Invalid or missing API token');
      expect(await page.getByTestId('transmission-current').count()).toBe(0);

      await token.fill(ap.token);
      await page.getByRole('button', { name: 'Check and save' }).click();
      await page.getByTestId('transmission-notice').waitFor();
      expect(await page.getByTestId('transmission-notice').textContent()).toContain('accepted the test call');
      await page.getByTestId('transmission-current').waitFor();
      expect(await page.getByTestId('transmission-webhook-url').inputValue()).toContain(
        `/api/v1/public/transmission/phoss-ap/${companyId}/inbound`,
      );
      expect(await token.inputValue()).toBe('');
      await page.screenshot({ path: '/tmp/web-transmission-en-1440.png', fullPage: true });
      expect(await token.getAttribute('placeholder')).toBe('Stored');
      expect(await page.getByTestId('credential-api_token-state').textContent()).toBe(
        'Stored. Leave empty to keep it.',
      );
      expect(await page.getByTestId('credential-inbound_token-state').textContent()).toBe('Not stored yet.');

      // The stored token stays when the field is left empty: the check passes with it.
      await page
        .getByLabel('Inbound token (for documents the access point forwards)')
        .fill('inbound-secret-7');
      await page.getByRole('button', { name: 'Check and save' }).click();
      await expect
        .poll(() => page.getByTestId('credential-inbound_token-state').textContent())
        .toBe('Stored. Leave empty to keep it.');
      expect(await page.getByTestId('transmission-check-failed').count()).toBe(0);

      // Turning off asks first: dismissed, nothing changes; accepted, transmission is off.
      page.once('dialog', (dialog) => void dialog.dismiss());
      await page.getByTestId('transmission-turn-off').click();
      expect(await page.getByTestId('transmission-current').count()).toBe(1);
      page.once('dialog', (dialog) => {
        expect(dialog.message()).toContain('Invoices will go by e-mail only');
        void dialog.accept();
      });
      await page.getByTestId('transmission-turn-off').click();
      await page.getByTestId('transmission-off').waitFor();
      expect(await page.getByTestId('transmission-current').count()).toBe(0);
      expect(await page.getByTestId('credential-api_token-state').textContent()).toBe('Not stored yet.');
    });

    it('holds at 390 px in Arabic, right to left, with every field labelled', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByTestId('lang-ar').click();
      await page.getByRole('heading', { name: 'الإرسال الإلكتروني', level: 1 }).waitFor();
      expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
      expect(
        await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        ),
      ).toBeLessThanOrEqual(1);
      for (const input of await page.getByTestId('transmission-form').locator('input, select').all()) {
        const label = await input.evaluate(
          (element) => (element as HTMLInputElement).labels?.[0]?.textContent?.trim() ?? '',
        );
        expect(label.length, (await input.getAttribute('name')) ?? '').toBeGreaterThan(0);
      }
      await page.screenshot({ path: '/tmp/web-transmission-ar-390.png', fullPage: true });
      await page.getByLabel('المزوّد', { exact: true }).selectOption('storecove');
      await page.getByLabel('معرّف الكيان القانوني', { exact: true }).waitFor();
    });
  },
);
