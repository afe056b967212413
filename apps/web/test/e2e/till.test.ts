import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeBrowserSession,
  ensureWebBuilt,
  launchBrowser,
  type RunningProduct,
  skipOrFailWhenUnavailable,
  startProduct,
} from './harness';

// The till screen in the real product and a real browser, on a landscape tablet (1024×768): a shift opened
// with a counted float, a sale from search and scanner to the printed receipt, cash in and out, a close whose
// count differs, and the screen in Arabic on a portrait tablet (768 px) without sideways scrolling.

const shouldSkip = skipOrFailWhenUnavailable();

describe.skipIf(shouldSkip)('web app: the till (real API, real Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    // The product is started with a longer wait than the harness's default: on a shared, loaded machine the
    // server's first start (migrations on a fresh database) can take over a minute and a half.
    ensureWebBuilt();
    product = await startProduct({ timeoutMs: 240_000 });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'en-US' });
    page = await context.newPage();
  }, 300_000);
  afterAll(() => closeBrowserSession({ product, browser, context }));

  const field = (name: string) => page.locator(`[name="${name}"]`);
  const text = async (testId: string) =>
    ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\s/g, ' ').trim();
  /** A call to the API as the signed-in user (catalogue and drawer set-up, which other screens own). */
  const apiCall = (method: string, url: string, body: unknown) =>
    page.evaluate(
      async ({ method, url, body }) => {
        const refreshed = await fetch('/api/v1/auth/refresh', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refresh_token: localStorage.getItem('invoiceflow.refresh_token') }),
        });
        const tokens = (await refreshed.json()) as { access_token: string; refresh_token: string };
        localStorage.setItem('invoiceflow.refresh_token', tokens.refresh_token);
        const res = await fetch(url, {
          method,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.access_token}` },
          body: JSON.stringify(body),
        });
        return { status: res.status, body: await res.text() };
      },
      { method, url, body },
    );

  it('signs up an Indian shop with two products in stock and a drawer of notes and coins', async () => {
    await page.goto(`${product.baseUrl}/register`);
    await field('full_name').fill('Priya Sharma');
    await field('email').fill(`priya+till${Date.now()}@example.in`);
    await field('password').fill('correct horse battery');
    await field('company.country').selectOption('IN');
    await field('company.legal_name_en').fill('Sharma Stores');
    await field('company.vat_number').fill('27AAPFU0939F1ZV');
    await field('company.address.street').fill('MG Road 12');
    await field('company.address.city').fill('Pune');
    await field('company.address.postal_code').fill('411001');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('welcome').waitFor();

    for (const item of [
      { name: 'Blue Pen', sku: 'PEN-001', price: '100', tax_percent: '18', stock: '10' },
      { name: 'Notebook', sku: 'NB-200', price: '50', tax_percent: '18', stock: '5' },
    ]) {
      const created = await apiCall('POST', '/api/v1/products', item);
      expect(created.status, created.body).toBe(201);
    }
    for (const value of ['100', '50', '20', '10', '5', '2', '1']) {
      const added = await apiCall('POST', '/api/v1/denominations', { value, available_count: 0 });
      expect(added.status, added.body).toBe(201);
    }
  });

  it('sells from search to printed receipt, with the change broken down and the stock going down', async () => {
    await page.getByTestId('nav-till').click();
    await page.getByTestId('open-session').waitFor();
    // Float: 5 × 100 + 4 × 50 + 5 × 20 + 10 × 10 + 10 × 5 + 10 × 2 + 20 × 1 = 990.
    const float: Record<string, string> = {
      '100.00': '5',
      '50.00': '4',
      '20.00': '5',
      '10.00': '10',
      '5.00': '10',
      '2.00': '10',
      '1.00': '20',
    };
    for (const [value, count] of Object.entries(float)) await field(`float.${value}`).fill(count);
    expect(await text('float-total')).toBe('990.00');
    await page.getByTestId('open-session-submit').click();

    // The search field has the focus: type a name, pick it with the arrows and Enter.
    const search = field('product_search');
    await search.waitFor();
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
    await search.fill('Note');
    await page.getByTestId('product-result').filter({ hasText: 'Notebook' }).waitFor();
    expect(await text('product-stock')).toBe('In stock: 5');
    await search.press('ArrowDown');
    await search.press('Enter');
    await page.getByTestId('cart-line').first().waitFor();

    // A USB scanner: the code typed in a burst, then Enter, before any search settles.
    await search.pressSequentially('PEN-001', { delay: 5 });
    await search.press('Enter');
    await page.getByTestId('cart-line').nth(1).waitFor();
    expect(await page.getByTestId('cart-line').nth(1).textContent()).toContain('Blue Pen');

    // Two notebooks: 2 × 50 + 100 = 200 net, 18 % VAT 36, total 236.
    await page.getByRole('button', { name: 'One more Notebook' }).click();
    expect(await field('items.0.quantity').inputValue()).toBe('2');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="cart-total"]')?.textContent?.includes('236.00') ?? false,
    );

    // Quick amounts: exact, then the next round amounts of the drawer's notes.
    const quick = await page.getByTestId('quick-amount').allTextContents();
    expect(quick.map((q) => q.trim())).toEqual(['Exact', '240.00', '250.00', '300.00']);
    await page.getByTestId('quick-amount').filter({ hasText: '300.00' }).click();
    expect(await field('paid_amount').inputValue()).toBe('300.00');
    await page.getByTestId('sell').click();

    // Change 64.00 in the fewest pieces the drawer holds: 50 + 10 + 2 + 2.
    await page.getByTestId('receipt').waitFor();
    expect(await text('receipt-total')).toContain('236.00');
    expect(await text('receipt-paid')).toBe('300.00');
    expect(await text('receipt-change')).toBe('64.00');
    const pieces = (await page.getByTestId('change-piece').allTextContents()).map((p) =>
      p.replace(/\s/g, ''),
    );
    expect(pieces).toEqual(['1×50.00', '1×10.00', '2×2.00']);
    expect(await page.getByTestId('receipt-line').count()).toBe(2);
    expect(await page.getByTestId('receipt-pdf').getAttribute('href')).toMatch(
      /^\/api\/v1\/purchases\/[0-9a-f-]{36}\/receipt\.pdf$/,
    );

    // Print: the button asks the browser to print, and the print stylesheet keeps only the receipt.
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed += 1;
      };
    });
    await page.getByTestId('print-receipt').click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('sidebar').isVisible()).toBe(false);
    expect(await page.locator('.topbar').isVisible()).toBe(false);
    expect(await page.getByTestId('till-tab-sale').isVisible()).toBe(false);
    expect(await page.getByTestId('print-receipt').isVisible()).toBe(false);
    expect(await page.getByTestId('receipt').isVisible()).toBe(true);
    const receiptWidth = await page.getByTestId('receipt').evaluate((el) => el.getBoundingClientRect().width);
    expect(receiptWidth).toBeLessThanOrEqual(303); // 80 mm at 96 dpi
    await page.emulateMedia({ media: 'screen' });
    expect(await page.getByTestId('sidebar').isVisible()).toBe(true);

    // The next sale: the catalogue shows what is left.
    await page.getByTestId('next-sale').click();
    await search.fill('Note');
    await page.getByTestId('product-result').filter({ hasText: 'Notebook' }).waitFor();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="product-stock"]')?.textContent === 'In stock: 3',
    );
  }, 120_000);

  it('closes the shift with a count that differs: shown per denomination before confirming, and in the Z report', async () => {
    await page.getByTestId('till-tab-cash').click();
    await page.locator('input[name="kind"][value="cash_in"]').check();
    await field('movement.20.00').fill('2');
    await field('reason').fill('Float top-up');
    await page.getByTestId('cash-movement-submit').click();
    await page.getByTestId('report-X').waitFor();
    // The report reloads after the movement is recorded.
    await page.waitForFunction(
      () => document.querySelector('[data-testid="report-cash_in"]')?.textContent === '40.00',
    );

    await page.getByTestId('till-tab-cash').click();
    await page.locator('input[name="kind"][value="cash_out"]').check();
    await field('movement.100.00').fill('1');
    await field('reason').fill('To the bank');
    await page.getByTestId('cash-movement-submit').click();
    await page.getByTestId('report-X').waitFor();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="report-cash_out"]')?.textContent === '100.00',
    );
    // 990 float + 236 kept by the sale + 40 in − 100 out.
    expect(await text('report-expected_cash')).toBe('1,166.00');

    await page.getByTestId('till-tab-close').click();
    // The drawer is read again on opening the panel: its expected counts are the ones to compare with.
    await page.locator('[data-testid="close-session"][aria-busy="false"]').waitFor();
    // The drawer as expected, one 10 missing.
    const rows = await page.getByTestId('count-line').evaluateAll((trs) =>
      trs.map((tr) => ({
        value: tr.getAttribute('data-value') ?? '',
        expected: tr.querySelectorAll('td')[1]?.textContent ?? '0',
      })),
    );
    expect(rows.length).toBe(7);
    // The sale was paid with three 100 notes the till did not count piece by piece (no `tendered`): the drawer's
    // expected pieces leave them out, the expected cash has them. The cashier counts them; one 10 is missing.
    const found: Record<string, number> = { '100.00': 3, '10.00': -1 };
    for (const row of rows) {
      const counted = Number(row.expected) + (found[row.value] ?? 0);
      await field(`closing.${row.value}`).fill(String(counted));
    }
    const tenRow = page.locator('[data-testid="count-line"][data-value="10.00"]');
    expect(((await tenRow.getByTestId('count-line-difference').textContent()) ?? '').replace(/\s/g, '')).toBe(
      '-1(-10.00)',
    );
    expect(await text('close-expected')).toBe('1,166.00');
    expect(await text('close-counted')).toBe('1,156.00');
    expect(await text('close-difference')).toBe('-10.00');
    await page.getByTestId('confirm-close').click();

    await page.getByTestId('report-Z').waitFor();
    expect(await text('report-difference')).toBe('-10.00');
    expect(await text('report-counted_cash')).toBe('1,156.00');
    expect(await text('report-sales_count')).toBe('1');
    await page.getByTestId('open-session').waitFor();
  }, 90_000);

  it('renders in Arabic, right to left, on a 768 px portrait tablet without sideways scrolling', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.evaluate(() => localStorage.setItem('invoiceflow.locale', 'ar'));
    await page.reload();
    await page.getByTestId('open-session').waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await field('float.100.00').fill('3');
    await page.getByTestId('open-session-submit').click();
    const search = field('product_search');
    await search.waitFor();
    await search.fill('Blue');
    await page.getByTestId('product-result').first().waitFor();
    await search.press('ArrowDown');
    await search.press('Enter');
    await page.getByTestId('cart-line').first().waitFor();
    expect(await page.getByRole('heading', { name: 'السلة' }).isVisible()).toBe(true);
    const overflow = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(overflow.scroll).toBeLessThanOrEqual(overflow.client);
    // Digits stay Latin, as in the rest of the app.
    expect(await text('cart-total')).toMatch(/[0-9]/);
    expect(await text('cart-total')).not.toMatch(/[٠-٩]/);
  }, 90_000);
});
