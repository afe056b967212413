import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeBrowserSession,
  openBrowserSession,
  type RunningProduct,
  skipOrFailWhenUnavailable,
} from './harness';

const shouldSkip = skipOrFailWhenUnavailable();

describe.skipIf(shouldSkip)(
  'web app: a company outside Saudi Arabia and the UAE (real API, real Chromium)',
  () => {
    let product: RunningProduct;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      ({ product, browser, context, page } = await openBrowserSession());
    }, 180_000);
    afterAll(() => closeBrowserSession({ product, browser, context }));

    const field = (name: string) => page.locator(`[name="${name}"]`);

    it('registers a Dutch company in euros and the editor offers its own tax rates', async () => {
      await page.goto(`${product.baseUrl}/register`);
      await field('full_name').fill('Eva Jansen');
      await field('email').fill(`eva+${Date.now()}@example.nl`);
      await field('password').fill('correct horse battery');
      await field('company.country').selectOption('NL');
      // The country's currency and time zone are filled in; the Saudi address fields are no longer required.
      expect(await field('company.currency').inputValue()).toBe('EUR');
      expect(await field('company.time_zone').inputValue()).toBe('Europe/Amsterdam');
      expect(await field('company.address.building_number').getAttribute('required')).toBeNull();
      await field('company.legal_name_en').fill('Jansen Design');
      await field('company.vat_number').fill('NL123456789B01');
      await field('company.address.street').fill('Keizersgracht 1');
      await field('company.address.city').fill('Amsterdam');
      await field('company.address.postal_code').fill('1015 CJ');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByTestId('welcome').waitFor();

      await page.goto(`${product.baseUrl}/invoices/new`);
      await field('lines.0.vat_rate').waitFor();
      expect(await field('lines.0.vat_rate').inputValue()).toBe('21');
      const offered = await page
        .locator('#company-tax-rates option')
        .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
      expect(offered).toEqual(['21', '9', '0']);
    });
  },
);
