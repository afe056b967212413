import { readFileSync } from 'node:fs';
import { extractText, hasPoppler } from '@invoiceflow/pdf/test-support';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeBrowserSession,
  openBrowserSession,
  type RunningProduct,
  skipOrFailWhenUnavailable,
} from './harness';

const shouldSkip = skipOrFailWhenUnavailable();

describe.skipIf(shouldSkip)('web app: reports and exports (real API, real Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const owner = { email: `reports+${Date.now()}@example.sa`, password: 'correct horse battery' };
  const numbers: string[] = [];

  beforeAll(async () => {
    ({ product, browser, context, page } = await openBrowserSession());
    const register = await fetch(`${product.baseUrl}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: owner.email,
        password: owner.password,
        full_name: 'Sara Al-Harbi',
        company: {
          legal_name_en: 'Maximum Speed Tech Supply LTD',
          country: 'SA',
          vat_number: '310122393500003',
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
      }),
    });
    expect(register.status).toBe(201);
    const session = await register.json();
    const headers = {
      authorization: `Bearer ${session.access_token}`,
      'x-company-id': session.company.id,
      'content-type': 'application/json',
    };
    // Two standard-rated invoices in the third quarter of 2026: 1,000.00 and 500.00 net, 150.00 and 75.00 VAT.
    for (const [date, price] of [
      ['2026-07-05', '1000'],
      ['2026-08-12', '500'],
    ]) {
      const issued = await fetch(`${product.baseUrl}/api/v1/invoices/generate`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          invoice_date: date,
          customer_name: 'Fatoora Samples LTD',
          customer_vat_number: '399999999800003',
          customer_address: {
            street: 'Salah Al-Din',
            building_number: '1111',
            district: 'Al-Murooj',
            city: 'Riyadh',
            postal_code: '12222',
            country: 'SA',
          },
          lines: [{ description: 'Consulting', quantity: '1', unit_price: price }],
        }),
      });
      expect(issued.status).toBe(201);
      numbers.push((await issued.json()).invoice_number);
    }
    await page.goto(`${product.baseUrl}/login`);
    await page.locator('[name="email"]').fill(owner.email);
    await page.locator('[name="password"]').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('sidebar').waitFor();
  }, 180_000);
  afterAll(() => closeBrowserSession({ product, browser, context, page }));

  async function choosePeriod(from: string, to: string) {
    await page.getByTestId('report-from').fill(from);
    await page.getByTestId('report-to').fill(to);
  }

  it("shows the quarter's VAT return in ZATCA's boxes and its sales by month and by customer", async () => {
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    await choosePeriod('2026-07-01', '2026-09-30');
    await expect.poll(() => page.getByTestId('net-vat-due').textContent()).toBe('225.00');
    expect(await page.getByTestId('box-1').locator('td').nth(2).textContent()).toBe('1,500.00');
    expect(await page.getByTestId('sales-total').textContent()).toBe('1,725.00');
    expect(await page.getByTestId('sales-report').locator('svg.chart').count()).toBe(1);
    await page.getByTestId('sales-group-by').selectOption('customer');
    await page.getByTestId('sales-report').getByText('Fatoora Samples LTD').waitFor();
    await choosePeriod('2026-10-01', '2026-07-01');
    await page.getByText('Choose a start date on or before the end date.').waitFor();
    expect(await page.getByTestId('export-documents-csv').isDisabled()).toBe(true);
  });

  it('downloads the documents as CSV and the e-invoices as a ZIP', async () => {
    await choosePeriod('2026-07-01', '2026-09-30');
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-documents-csv').click(),
    ]);
    expect(csv.suggestedFilename()).toBe('documents-2026-07-01-2026-09-30.csv');
    const lines = readFileSync((await csv.path()) as string, 'utf8')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(numbers[0]);
    expect(lines[2]).toContain('500.00,75.00,575.00');
    const [zip] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-e-invoices-zip').click(),
    ]);
    expect(zip.suggestedFilename()).toBe('e-invoices-2026-07-01-2026-09-30.zip');
    const bytes = readFileSync((await zip.path()) as string);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(bytes.includes(Buffer.from(`pdf/${numbers[1]}.pdf`))).toBe(true);
  });

  it('shows what customers owe by days past due and downloads it as a PDF written in the background', async () => {
    const aging = page.getByTestId('aging-report');
    await aging.scrollIntoViewIfNeeded();
    // Both invoices are open: 1,150.00 + 575.00.
    await expect.poll(() => aging.getByTestId('aging-total').textContent()).toBe('1,725.00');
    await aging.getByText('Fatoora Samples LTD').waitFor();
    expect(await aging.locator('.aging-bar span').count()).toBeGreaterThan(0);
    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-receivables-aging-pdf').click(),
    ]);
    expect(pdf.suggestedFilename()).toMatch(/^receivables-aging-\d{4}-\d{2}-\d{2}\.pdf$/);
    await page.getByTestId('done-receivables-aging').waitFor();
    const path = (await pdf.path()) as string;
    expect(readFileSync(path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    if (hasPoppler) {
      const text = extractText(path, '-layout');
      expect(text).toContain('Receivables aging');
      expect(text).toMatch(/Total 2 .*1725\.00/);
    }
    // The payables side of the same card: nothing owed.
    await page.getByTestId('aging-side').selectOption('payables');
    await aging.getByText('Nothing open on this day.').waitFor();
  });

  it('keeps the VAT return within a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByTestId('vat-return').waitFor();
    const overflow = await page.evaluate(
      () => document.querySelector('[data-testid="vat-return"]')?.scrollWidth ?? 0,
    );
    expect(overflow).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});
