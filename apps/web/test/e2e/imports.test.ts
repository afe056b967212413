import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeBrowserSession,
  openBrowserSession,
  type RunningProduct,
  skipOrFailWhenUnavailable,
} from './harness';

const shouldSkip = skipOrFailWhenUnavailable();

/** A customer export as another system writes it: its own column names, which the page matches to ours. */
function customersCsv(badRows: ReadonlySet<number>): Buffer {
  const lines = ['Customer Name,VAT No,E-mail,Town,Country Code,Payment Terms'];
  for (let i = 1; i <= 40; i++) {
    if (badRows.has(i) && i % 2 === 0)
      lines.push(`,,c${i}@example.sa,Riyadh,SA,30`); // no name
    else if (badRows.has(i)) lines.push(`Imported Customer ${i},12345,c${i}@example.sa,Riyadh,SA,30`);
    else lines.push(`Imported Customer ${i},,c${i}@example.sa,Riyadh,SA,30`);
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

describe.skipIf(shouldSkip)('web app: importing customers from a file (real API, real Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let session: { access_token: string; company: { id: string } };
  const owner = { email: `importer+${Date.now()}@example.sa`, password: 'correct horse battery' };
  const field = (p: Page, name: string) => p.locator(`[name="${name}"]`);
  const customerTotal = async () => {
    const res = await fetch(`${product.baseUrl}/api/v1/customers?page_size=1`, {
      headers: { authorization: `Bearer ${session.access_token}`, 'x-company-id': session.company.id },
    });
    return (await res.json()).total as number;
  };

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
    session = await register.json();
    await page.goto(`${product.baseUrl}/login`);
    await field(page, 'email').fill(owner.email);
    await field(page, 'password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('sidebar').waitFor();
  }, 180_000);
  afterAll(() => closeBrowserSession({ product, browser, context, page }));

  async function upload(file: Buffer) {
    await page.getByLabel('Customers', { exact: true }).check();
    await page.getByLabel('File (CSV or .xlsx)').setInputFiles({
      name: 'customers.csv',
      mimeType: 'text/csv',
      buffer: file,
    });
    await page.getByTestId('upload-import').click();
    await page.getByTestId('import-mapping').waitFor();
  }

  async function uploadAndCheck(file: Buffer) {
    await upload(file);
    await page.getByTestId('start-dry-run').click();
    await page.getByTestId('dry-run-result').waitFor({ timeout: 60_000 });
  }

  it('shows the 2 bad rows and imports nothing, then imports the fixed file with its progress to 100 %', async () => {
    await page.getByTestId('nav-imports').click();
    await page.getByTestId('import-page').waitFor();
    await upload(customersCsv(new Set([7, 30])));
    // The header's own names are matched to our fields, and a wrong one can be changed by hand.
    expect(await field(page, 'mapping.name_en').inputValue()).toBe('Customer Name');
    expect(await field(page, 'mapping.vat_number').inputValue()).toBe('VAT No');
    expect(await field(page, 'mapping.city').inputValue()).toBe('Town');
    await field(page, 'mapping.email').selectOption('');
    await field(page, 'mapping.email').selectOption('E-mail');
    await page.getByTestId('start-dry-run').click();
    const result = page.getByTestId('dry-run-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.getAttribute('data-bad-rows')).toBe('2');
    const rows = page.getByTestId('import-error-row');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    // File rows as a spreadsheet shows them: the header is row 1, so customer 7 is row 8.
    const cells = async (n: number) => (await rows.nth(n).locator('td').allTextContents()).slice(0, 2);
    expect(await cells(0)).toEqual(['8', 'vat_number']);
    expect(await cells(1)).toEqual(['31', 'name_en']);
    expect(await rows.nth(0).textContent()).toContain('Saudi VAT number');
    expect(await page.getByTestId('start-import').count()).toBe(0);
    // The bad rows download as the user's own columns with an error column.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-errors').click(),
    ]);
    const errorsFile = await download.createReadStream().then(async (stream) => {
      let text = '';
      for await (const chunk of stream) text += chunk.toString();
      return text;
    });
    expect(errorsFile.split(/\r?\n/).filter(Boolean)).toHaveLength(3);
    expect(errorsFile).toContain('Imported Customer 7');
    expect(await customerTotal()).toBe(0);

    await page.getByRole('button', { name: 'Upload the corrected file' }).click();
    await uploadAndCheck(customersCsv(new Set()));
    expect(await result.getAttribute('data-bad-rows')).toBe('0');
    await page.getByTestId('start-import').click();
    await page.getByTestId('import-result').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-result').getAttribute('data-status')).toBe('imported');
    const bar = page.getByRole('progressbar');
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    expect(await page.getByTestId('import-result').textContent()).toContain('40 Customers imported');
    expect(await customerTotal()).toBe(40);

    await page.getByTestId('nav-customers').click();
    await page.getByTestId('customer-table').waitFor();
    await page
      .getByText(/^Imported Customer \d+$/)
      .first()
      .waitFor();
    expect(await page.getByTestId('customer-row').count()).toBeGreaterThan(0);
  }, 180_000);

  it('reads the import screen in Arabic, right to left, with the same steps', async () => {
    await page.evaluate(() => localStorage.setItem('invoiceflow.locale', 'ar'));
    await page.goto(`${product.baseUrl}/imports`);
    await page.getByTestId('import-page').waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('الاستيراد');
    await page.getByLabel('العملاء', { exact: true }).check();
    expect(await page.getByTestId('upload-import').textContent()).toBe('رفع');
  });
});
