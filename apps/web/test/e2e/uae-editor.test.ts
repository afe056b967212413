import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeBrowserSession,
  openBrowserSession,
  type RunningProduct,
  skipOrFailWhenUnavailable,
} from './harness';

// A UAE seller in the editor: the PINT AE fields are the invoice's own (transaction flags, the free zone
// beneficiary, the period of a continuous supply, a line's item type and code), and they reach the XML; a credit
// note names its reason by PINT AE code.

const shouldSkip = skipOrFailWhenUnavailable();

describe.skipIf(shouldSkip)(
  'web app: a UAE company issues PINT AE invoices (real API, real Chromium)',
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

    /** A call to the API as the signed-in user (the refresh token the app keeps, rotated as the app does). */
    async function apiCall(method: string, url: string, body?: unknown): Promise<string> {
      return page.evaluate(
        async ({ method, url, body }) => {
          const refresh = await fetch('/api/v1/auth/refresh', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ refresh_token: localStorage.getItem('invoiceflow.refresh_token') }),
          });
          const tokens = (await refresh.json()) as { access_token: string; refresh_token: string };
          localStorage.setItem('invoiceflow.refresh_token', tokens.refresh_token);
          const res = await fetch(url, {
            method,
            headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
          return res.text();
        },
        { method, url, body },
      );
    }

    it('signs up a UAE company', async () => {
      await page.goto(`${product.baseUrl}/register`);
      await field('full_name').fill('Layla Al Mansoori');
      await field('email').fill(`layla+uae${Date.now()}@example.ae`);
      await field('password').fill('correct horse battery');
      await field('company.country').selectOption('AE');
      expect(await field('company.currency').inputValue()).toBe('AED');
      await field('company.legal_name_en').fill('Falcon Trading LLC');
      await field('company.vat_number').fill('100123456700003');
      await field('company.address.street').fill('Sheikh Zayed Road 1');
      await field('company.address.city').fill('Dubai');
      await field('company.address.emirate').selectOption('DXB');
      await field('company.registration_number').fill('778899');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByTestId('welcome').waitFor();
      // The licence's type and authority (PINT AE BTAE-15/-11) and the account invoices are paid into (ibr-191-ae)
      // are company settings.
      const company = JSON.parse(
        await apiCall('PATCH', '/api/v1/companies/current', {
          registration_scheme: 'TL',
          registration_authority: 'Department of Economy and Tourism',
          bank_account: { iban: 'AE070331234567890123456', account_name: 'Falcon Trading LLC' },
        }),
      ) as { registration_scheme?: string };
      expect(company.registration_scheme).toBe('TL');
    });

    it('offers the PINT AE fields and writes them into the e-invoice', async () => {
      await apiCall('POST', '/api/v1/customers', {
        name_en: 'Noor Electronics LLC',
        vat_number: '100987654300003',
        address: { street: 'Corniche Road 4', city: 'Abu Dhabi', country: 'AE', emirate: 'AUH' },
      });
      await page.getByTestId('nav-invoices').click();
      await page.getByTestId('new-invoice').click();
      await page.getByTestId('invoice-editor').waitFor();
      // The UAE's section, not Saudi Arabia's.
      await page.getByTestId('einvoice-section').waitFor();
      expect(await page.getByTestId('zatca-section').count()).toBe(0);
      expect(await field('transaction_flags.third_party').count()).toBe(0);

      await page.getByTestId('customer-search').fill('Noor');
      await page.getByTestId('customer-option').first().click();
      await page.getByTestId('customer-selected').waitFor();
      await field('due_date').fill('2099-12-31');

      // The beneficiary is asked once the supply is a free zone one; the period once it is continuous.
      expect(await field('beneficiary_id').count()).toBe(0);
      await field('transaction_flags.free_zone').check();
      await field('beneficiary_id').fill('FZ-778899');
      expect(await field('invoice_period.start_date').count()).toBe(0);
      await field('transaction_flags.continuous_supply').check();
      await field('invoice_period.start_date').fill('2026-11-01');
      await field('invoice_period.end_date').fill('2026-11-30');
      await field('invoice_period.frequency').selectOption('MTH');
      await field('order_reference').fill('PO-4411');

      await field('lines.0.description').fill('Network maintenance');
      await field('lines.0.unit_price').fill('2000');
      // A service carries a service accounting code, not an HS code.
      await field('lines.0.item_type').selectOption('services');
      expect(await field('lines.0.hs_code').count()).toBe(0);
      await field('lines.0.service_code').fill('998713');

      await page.getByTestId('issue-invoice').click();
      // Issued, or refused with what the server said (which fails here with its words).
      const refusal = page.getByTestId('issue-refusal');
      await Promise.race([page.waitForURL(/\/invoices\/[0-9a-f-]{36}\?issued=1/), refusal.waitFor()]);
      const refused = (await refusal.count()) > 0 ? await refusal.first().textContent() : null;
      expect(refused).toBeNull();
      const id = /\/invoices\/([0-9a-f-]{36})/.exec(page.url())?.[1];
      const xml = await apiCall('GET', `/api/v1/invoices/${id}/xml`);
      expect(xml).toContain('<cbc:CustomizationID>urn:peppol:pint:billing-1@ae-1</cbc:CustomizationID>');
      // BTAE-02: free zone is the first position, continuous supply the fifth.
      expect(xml).toContain('<cbc:ProfileExecutionID>10001000</cbc:ProfileExecutionID>');
      expect(xml).toContain('FZ-778899');
      expect(xml).toMatch(/<cac:InvoicePeriod>\s*<cbc:StartDate>2026-11-01<\/cbc:StartDate>/);
      expect(xml).toContain('<cbc:ID>PO-4411</cbc:ID>');
      expect(xml).toContain('<cbc:ID schemeID="SAC">998713</cbc:ID>');
      expect(xml).toContain('<cbc:DueDate>2099-12-31</cbc:DueDate>');

      // The credit note names its reason by PINT AE code (BTAE-03); the volume discount, which corrects no single
      // invoice, is not offered here.
      await page.getByTestId('credit-note').click();
      const form = page.getByTestId('credit-form');
      await form.waitFor();
      const codes = await form
        .locator('[name="reason_code"] option')
        .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
      expect(codes).toEqual(['DL8.61.1.A', 'DL8.61.1.B', 'DL8.61.1.C', 'DL8.61.1.D', 'DL8.61.1.E']);
      await form.locator('[name="reason"]').fill('The maintenance contract was cancelled.');
      expect(await form.locator('button[type="submit"]').isDisabled()).toBe(true);
      await form.locator('[name="reason_code"]').selectOption('DL8.61.1.A');
      await form.locator('button[type="submit"]').click();
      const formError = form.locator('.alert');
      await Promise.race([
        page.waitForURL((url) => !url.pathname.endsWith(`/${id}`) && url.search.includes('issued=1')),
        formError.waitFor(),
      ]);
      const creditRefused = (await formError.count()) > 0 ? await formError.first().textContent() : null;
      expect(creditRefused).toBeNull();
      const noteId = /\/invoices\/([0-9a-f-]{36})/.exec(page.url())?.[1];
      const noteXml = await apiCall('GET', `/api/v1/invoices/${noteId}/xml`);
      expect(noteXml).toContain('DL8.61.1.A');
      expect(noteXml).toContain('<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>');
    });

    it('keeps a product’s item type and HS code', async () => {
      await page.goto(`${product.baseUrl}/products`);
      await page.getByTestId('new-product').click();
      await field('name_en').fill('Mobile phone');
      await field('unit_price').fill('1499');
      await field('item_type').selectOption('goods');
      expect(await field('service_code').count()).toBe(0);
      await field('hs_code').fill('851713');
      await page.getByTestId('save-product').click();
      await page.getByTestId('product-form').waitFor({ state: 'detached' });
      const list = JSON.parse(await apiCall('GET', '/api/v1/products?q=Mobile')) as {
        products: { item_type: string | null; hs_code: string | null }[];
      };
      expect(list.products[0]).toMatchObject({ item_type: 'goods', hs_code: '851713' });
    });
  },
);
