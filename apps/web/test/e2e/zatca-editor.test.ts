import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeBrowserSession,
  openBrowserSession,
  type RunningProduct,
  skipOrFailWhenUnavailable,
} from './harness';

// A Saudi seller in the editor: zero-rated and exempt lines where the user only picks the codes (the texts are
// the codes' own), and a refusal of the ZATCA rules shown where the user is looking, with the header saying why.

const shouldSkip = skipOrFailWhenUnavailable();

describe.skipIf(shouldSkip)(
  'web app: ZATCA lines and refusals in the editor (real API, real Chromium)',
  () => {
    let product: RunningProduct;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      ({ product, browser, context, page } = await openBrowserSession());
    }, 180_000);
    afterAll(() => closeBrowserSession({ product, browser, context }));

    const field = (p: Page, name: string) => p.locator(`[name="${name}"]`);
    const text = async (testId: string) =>
      ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\s/g, ' ').trim();

    async function fillLine(
      index: number,
      line: { description: string; price: string; category?: string; code?: string },
    ) {
      if (index > 0) await page.getByTestId('add-line').click();
      await field(page, `lines.${index}.description`).fill(line.description);
      await field(page, `lines.${index}.quantity`).fill('1');
      await field(page, `lines.${index}.unit_price`).fill(line.price);
      if (line.category) await field(page, `lines.${index}.vat_category`).selectOption(line.category);
      if (line.code) await field(page, `lines.${index}.exemption_reason_code`).selectOption(line.code);
    }

    it('signs up a Saudi company', async () => {
      await page.goto(`${product.baseUrl}/register`);
      await field(page, 'full_name').fill('Sara Al-Harbi');
      await field(page, 'email').fill(`sara+zatca${Date.now()}@example.sa`);
      await field(page, 'password').fill('correct horse battery');
      await field(page, 'company.legal_name_en').fill('Maximum Speed Tech Supply LTD');
      await field(page, 'company.legal_name_ar').fill('شركة أقصى سرعة للتوريدات التقنية');
      await field(page, 'company.vat_number').fill('399999999900003');
      await field(page, 'company.registration_number').fill('1010010000');
      await field(page, 'company.address.street').fill('Prince Sultan Street');
      await field(page, 'company.address.building_number').fill('2322');
      await field(page, 'company.address.district').fill('Al-Murabba');
      await field(page, 'company.address.city').fill('Riyadh');
      await field(page, 'company.address.postal_code').fill('23333');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByTestId('welcome').waitFor();
    });

    /** A call to the API as the signed-in user (the refresh token the app keeps, rotated as the app does). */
    async function apiCall<T>(method: string, url: string, body?: unknown): Promise<T> {
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
          return res.json();
        },
        { method, url, body },
      ) as Promise<T>;
    }

    it('asks a Saudi company for its commercial registration number', async () => {
      const other = await browser.newContext();
      const form = await other.newPage();
      await form.goto(`${product.baseUrl}/register`);
      await field(form, 'full_name').fill('Omar');
      await form.getByRole('button', { name: 'Create account' }).click();
      await expect
        .poll(() => field(form, 'company.registration_number').getAttribute('aria-invalid'))
        .toBe('true');
      await other.close();
    });

    it('shows the warnings ZATCA would give before issuing, and issues with a buyer ID and the flags', async () => {
      // A customer whose national address lacks its district and postal code: ZATCA only warns (BR-KSA-63).
      await apiCall('POST', '/api/v1/customers', {
        name_en: 'Al Noor Trading',
        vat_number: '399999999800003',
        address: { street: 'Olaya Street', building_number: '1234', city: 'Riyadh', country: 'SA' },
      });
      await page.getByTestId('nav-invoices').click();
      await page.getByTestId('new-invoice').click();
      await page.getByTestId('invoice-editor').waitFor();
      await page.getByTestId('customer-search').fill('Al Noor');
      await page.getByTestId('customer-option').first().click();
      await page.getByTestId('customer-selected').waitFor();
      await fillLine(0, { description: 'Consulting', price: '1000' });
      const warnings = page.getByTestId('preview-warnings');
      await warnings.waitFor();
      expect(await warnings.locator('li').first().getAttribute('data-code')).toBe('BR-KSA-63');
      expect(await text('issue-readiness')).toBe('Ready to issue');
      // The buyer's id and the KSA-2 flags are fields of the invoice.
      await page.getByTestId('zatca-section').waitFor();
      await field(page, 'customer_id_scheme').selectOption('CRN');
      await field(page, 'customer_id_number').fill('1010101010');
      await field(page, 'transaction_flags.third_party').check();
      await page.getByTestId('issue-invoice').click();
      await page.waitForURL(/\/invoices\/[0-9a-f-]{36}\?issued=1/);
      const id = /\/invoices\/([0-9a-f-]{36})/.exec(page.url())?.[1];
      await page.getByTestId('invoice-warnings').waitFor();
      const invoice = await apiCall<{
        transaction_flags: Record<string, boolean>;
        warnings: { code: string }[];
        buyer: { id_scheme?: string; id_number?: string };
      }>('GET', `/api/v1/invoices/${id}`);
      expect(invoice.transaction_flags).toEqual({ third_party: true });
      expect(invoice.warnings.map((w) => w.code)).toContain('BR-KSA-63');
      expect(JSON.stringify(invoice)).toContain('1010101010');
    });

    it('issues a zero-rated and an exempt line where the user only picked the codes', async () => {
      await page.getByTestId('nav-invoices').click();
      await page.getByTestId('new-invoice').click();
      await page.getByTestId('invoice-editor').waitFor();
      await fillLine(0, { description: 'Insulin pens', price: '120', category: 'Z', code: 'VATEX-SA-35' });
      await fillLine(1, {
        description: 'Life insurance',
        price: '300',
        category: 'E',
        code: 'VATEX-SA-29-7',
      });
      expect(await text('issue-readiness')).toBe('Ready to issue');
      await page.getByTestId('issue-invoice').click();
      await page.waitForURL(/\/invoices\/[0-9a-f-]{36}\?issued=1/);
      await page
        .getByText(/INV-\d{4}-\d{6}/)
        .first()
        .waitFor();
      const id = /\/invoices\/([0-9a-f-]{36})/.exec(page.url())?.[1];
      const breakdown = await page.evaluate(async (invoiceId) => {
        const refresh = await fetch('/api/v1/auth/refresh', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refresh_token: localStorage.getItem('invoiceflow.refresh_token') }),
        });
        const tokens = (await refresh.json()) as { access_token: string; refresh_token: string };
        localStorage.setItem('invoiceflow.refresh_token', tokens.refresh_token);
        const res = await fetch(`/api/v1/invoices/${invoiceId}`, {
          headers: { authorization: `Bearer ${tokens.access_token}` },
        });
        return ((await res.json()) as { vat_breakdown: { exemption_reason?: string }[] }).vat_breakdown;
      }, id);
      expect(breakdown.map((b) => b.exemption_reason)).toEqual([
        'Medicines and medical equipment',
        'Life insurance services mentioned in Article 29 of the VAT Regulations',
      ]);
    });

    it('brings a refusal of the ZATCA rules into view and says in the header what is wrong', async () => {
      await page.getByTestId('nav-invoices').click();
      await page.getByTestId('new-invoice').click();
      await page.getByTestId('invoice-editor').waitFor();
      // Private education to a citizen needs the buyer's national ID (BR-KSA-49): only the server knows the rule.
      await fillLine(0, {
        description: 'Tuition, term 1',
        price: '9000',
        category: 'Z',
        code: 'VATEX-SA-EDU',
      });
      for (let i = 1; i < 12; i++) await fillLine(i, { description: `Course book ${i}`, price: '80' });
      expect(await text('issue-readiness')).toBe('Ready to issue');
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.getByTestId('issue-invoice').click();
      const refusal = page.getByTestId('issue-refusal');
      await refusal.waitFor();
      await expect
        .poll(() =>
          refusal.evaluate((el) => {
            const box = el.getBoundingClientRect();
            return box.top >= 0 && box.top < window.innerHeight;
          }),
        )
        .toBe(true);
      expect(await text('issue-errors')).toContain('BR-KSA-49');
      const badge = await text('issue-readiness');
      expect(badge).toMatch(/^Not issued: /);
      expect(badge).toContain('national ID');
      // Changing the invoice takes the verdict back to the engine's.
      await field(page, 'lines.0.exemption_reason_code').selectOption('VATEX-SA-35');
      expect(await text('issue-readiness')).toBe('Ready to issue');
    });
  },
);
