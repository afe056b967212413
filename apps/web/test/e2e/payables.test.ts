import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeBrowserSession,
  openBrowserSession,
  type RunningProduct,
  skipOrFailWhenUnavailable,
} from './harness';

// Accounts payable in the real product and a real browser: a vendor, a purchase order received in part, a
// supplier invoice billed above the ordered price, the three-way match showing the variance, the override that
// makes it a bill, the payment of that bill and the payables aging before and after.

const shouldSkip = skipOrFailWhenUnavailable();

describe.skipIf(shouldSkip)('web app: payables (vendors, orders, receipts, supplier invoices, bills)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const owner = { email: `buyer+payables${Date.now()}@example.sa`, password: 'correct horse battery' };
  const field = (p: Page, name: string) => p.locator(`[name="${name}"]`);
  const text = async (p: Page, testId: string) =>
    ((await p.getByTestId(testId).first().textContent()) ?? '').replace(/\s/g, ' ');
  let supplierInvoiceUrl = '';

  beforeAll(async () => {
    ({ product, browser, context, page } = await openBrowserSession());
    const register = await fetch(`${product.baseUrl}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: owner.email,
        password: owner.password,
        full_name: 'Omar Al-Qahtani',
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
    await page.goto(`${product.baseUrl}/login`);
    await field(page, 'email').fill(owner.email);
    await field(page, 'password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('sidebar').waitFor();
  }, 180_000);
  afterAll(async () => {
    await closeBrowserSession({ product, browser, context });
  });

  it('creates a vendor, finds it by search, archives and restores it', async () => {
    await page.getByTestId('nav-vendors').click();
    await page.getByTestId('new-vendor').click();
    await field(page, 'name_en').fill('Gulf Fasteners Co');
    await field(page, 'name_ar').fill('شركة الخليج للمثبتات');
    await field(page, 'vat_number').fill('123');
    await field(page, 'email').fill('orders@gulf-fasteners.example.sa');
    await field(page, 'payment_terms_days').fill('30');
    await field(page, 'city').fill('Dammam');
    await page.getByTestId('add-contact').click();
    await field(page, 'contacts.0.name').fill('Huda');
    await field(page, 'contacts.0.role').fill('Sales');
    await page.getByTestId('save-vendor').click();
    // The country's rule for the VAT number answers on the field.
    await page.locator('[data-invalid] .field-message-error').first().waitFor();
    await field(page, 'vat_number').fill('300000000700003');
    await page.getByTestId('save-vendor').click();
    await page.getByTestId('vendor-form').waitFor({ state: 'detached' });
    const row = page.getByTestId('vendor-row').filter({ hasText: 'Gulf Fasteners Co' });
    await row.waitFor();
    expect(await row.textContent()).toContain('300000000700003');

    await page.getByRole('searchbox').fill('nothing-like-this');
    await page.getByTestId('vendor-row').first().waitFor({ state: 'detached' });
    await page.getByRole('searchbox').fill('Gulf');
    await row.waitFor();
    await row.getByTestId('archive-vendor').click();
    await row.waitFor({ state: 'detached' });
    await page.locator('[name="include_archived"]').check();
    await row.getByTestId('restore-vendor').click();
    await row.getByTestId('archive-vendor').waitFor();
  });

  it('orders 10, sends the order, refuses a receipt of 12 on the line and records 6', async () => {
    await page.getByTestId('nav-purchase-orders').click();
    await page.getByTestId('new-purchase-order').click();
    await field(page, 'vendor_id').selectOption({ label: 'Gulf Fasteners Co' });
    await field(page, 'lines.0.description').fill('Steel bolts M10');
    await field(page, 'lines.0.quantity').fill('10');
    await field(page, 'lines.0.unit_price').fill('5.00');
    await page.getByTestId('save-purchase-order').click();
    await page.getByTestId('purchase-order-detail').waitFor();
    expect(await text(page, 'po-number')).toMatch(/^PO-\d{4}-\d{4}$/);
    // 10 × 5.00 + 15 % VAT.
    expect(await text(page, 'po-total')).toContain('57.50');
    await page.locator('[data-testid="status-badge"][data-status="draft"]').waitFor();
    await page.getByTestId('send-po').click();
    await page.locator('[data-testid="status-badge"][data-status="sent"]').waitFor();

    await page.getByTestId('receive-goods').click();
    await field(page, 'receive.0.quantity').fill('12');
    await page.getByTestId('save-receipt').click();
    const problem = page.getByTestId('receive-error');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('at most 10');
    await field(page, 'receive.0.quantity').fill('6');
    await page.getByTestId('save-receipt').click();
    await page.getByTestId('receive-form').waitFor({ state: 'detached' });
    await page.locator('[data-testid="status-badge"][data-status="partially_received"]').waitFor();
    expect(await text(page, 'po-line-received')).toMatch(/^6(\.0+)?$/);
    await page.getByTestId('receipt-row').waitFor();
  });

  it('enters a supplier invoice 10 % above the ordered price and shows the variance in the match view', async () => {
    await page.getByTestId('nav-supplier-invoices').click();
    await page.getByTestId('new-supplier-invoice').click();
    await field(page, 'vendor_id').selectOption({ label: 'Gulf Fasteners Co' });
    await field(page, 'number').fill('GF-1001');
    await field(page, 'due_date').fill('2099-12-31');
    const po = page.locator('[name="purchase_order"] option').nth(1);
    await po.waitFor({ state: 'attached' });
    await field(page, 'purchase_order').selectOption({ index: 1 });
    await page.getByTestId('copy-order-lines').click();
    // The received 6, at the ordered price; the supplier billed 5.50 instead.
    expect(await field(page, 'lines.0.quantity').inputValue()).toMatch(/^6(\.0+)?$/);
    await field(page, 'lines.0.unit_price').fill('5.50');
    await page.getByTestId('save-supplier-invoice').click();
    await page.getByTestId('supplier-invoice-detail').waitFor();
    supplierInvoiceUrl = page.url();

    // 10 % over the order is beyond the 5 % price tolerance and the 5 % band: a partial match.
    await page.locator('[data-testid="match-badge"][data-status="partial_match"]').waitFor();
    const line = page.getByTestId('match-line').first();
    expect(await line.getByTestId('match-billed-price').textContent()).toContain('5.50');
    // 6 × 0.50 more than ordered: 3.00, 10 %, highlighted and explained on the line.
    const variance = line.getByTestId('match-price-variance');
    expect((await variance.textContent())?.replace(/\s/g, ' ')).toContain('3.00');
    expect(await variance.textContent()).toContain('10');
    expect(await variance.getAttribute('class')).toContain('variance-cell');
    expect(await line.getByTestId('match-received').textContent()).toContain('6');
    const reasons = page.getByTestId('match-line-reasons').first();
    expect(await reasons.textContent()).toContain('Billed at 5.5 a unit against 5 ordered');
    expect(await reasons.locator('[data-code="PRICE_ABOVE_ORDER"]').getAttribute('class')).toContain(
      'reason-exception',
    );

    // At a phone's width the match view stays within the screen: the wide table scrolls inside its card.
    await page.setViewportSize({ width: 390, height: 844 });
    const widths = await page.evaluate(() => {
      const detail = document.querySelector('[data-testid="supplier-invoice-detail"]');
      const card = document.querySelector('[data-testid="match-table"]')?.parentElement;
      return {
        right: detail?.getBoundingClientRect().right ?? Number.POSITIVE_INFINITY,
        cardScrolls: card ? card.scrollWidth > card.clientWidth : false,
      };
    });
    expect(widths.right).toBeLessThanOrEqual(390);
    expect(widths.cardScrolls).toBe(true);
    await page.setViewportSize({ width: 1440, height: 900 });

    // In Arabic the reason reads in Arabic, the figures in Latin digits.
    await page.evaluate(() => localStorage.setItem('invoiceflow.locale', 'ar'));
    await page.reload();
    await page.getByTestId('match-line-reasons').first().waitFor();
    expect(await page.getByTestId('match-line-reasons').first().textContent()).toContain('فُوتر بسعر 5.5');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.evaluate(() => localStorage.setItem('invoiceflow.locale', 'en'));
    await page.reload();
    await page.getByTestId('match-line').first().waitFor();
  });

  it('overrides the exception with a reason; the bill shows in the aging and on the dashboard', async () => {
    expect(await page.getByTestId('approve').count()).toBe(0);
    await expect(page.getByTestId('override').isDisabled()).resolves.toBe(true);
    await field(page, 'reason').fill('Steel surcharge agreed by phone with Huda');
    await page.getByTestId('override').click();
    await page.locator('[data-testid="status-badge"][data-status="approved"]').waitFor();
    expect(await text(page, 'override-reason')).toContain('Steel surcharge agreed');

    await page.getByTestId('nav-bills').click();
    const bill = page.getByTestId('bill-row').filter({ hasText: 'GF-1001' });
    await bill.waitFor();
    // 6 × 5.50 = 33.00 + 15 % VAT = 37.95, not yet due.
    expect(await bill.getByTestId('bill-open').textContent()).toContain('37.95');
    expect(await text(page, 'aging-total')).toContain('37.95');
    expect(
      await page.getByTestId('payables-aging').locator('[data-bucket="current"]').textContent(),
    ).toContain('37.95');

    await page.getByTestId('nav-dashboard').click();
    const card = page.getByTestId('dashboard-payables-aging');
    await card.waitFor();
    expect(await card.getByTestId('aging-total').textContent()).toContain('37.95');
  });

  it('pays the bill: it leaves the open bills, the payment lists it, the aging is empty', async () => {
    await page.getByTestId('nav-bills').click();
    await page.getByTestId('new-supplier-payment').click();
    await field(page, 'vendor_id').selectOption({ label: 'Gulf Fasteners Co' });
    await page.getByTestId('bill-allocation-table').waitFor();
    await field(page, 'amount').fill('37.95');
    expect(await page.getByLabel('Allocate GF-1001').inputValue()).toBe('37.95');
    await field(page, 'reference').fill('TRF-88812');
    await page.getByTestId('save-supplier-payment').click();
    await page.getByTestId('supplier-payment-form').waitFor({ state: 'detached' });
    await page.getByTestId('bill-row').first().waitFor({ state: 'detached' });
    const payment = page.getByTestId('supplier-payment-row').first();
    await payment.waitFor();
    expect(await payment.textContent()).toContain('GF-1001');
    await page.getByTestId('aging-empty').waitFor();

    await field(page, 'state').selectOption('paid');
    const paid = page.getByTestId('bill-row').filter({ hasText: 'GF-1001' });
    await paid.waitFor();
    expect(await paid.locator('[data-testid="status-badge"]').getAttribute('data-status')).toBe('paid');

    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('dashboard-payables-aging').getByTestId('aging-empty').waitFor();
  });

  it('refuses a hostile XML upload with the reader’s reason and stores nothing', async () => {
    await page.getByTestId('nav-supplier-invoices').click();
    await page.getByTestId('supplier-invoice-row').first().waitFor();
    const before = await page.getByTestId('supplier-invoice-row').count();
    await page.getByTestId('upload-xml-input').setInputFiles({
      name: 'laughs.xml',
      mimeType: 'application/xml',
      buffer: Buffer.from(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol;</Invoice>',
      ),
    });
    await page.getByTestId('upload-error').waitFor();
    expect(await page.getByTestId('supplier-invoice-row').count()).toBe(before);
    expect(supplierInvoiceUrl).toMatch(/\/supplier-invoices\/[0-9a-f-]{36}$/);
  });
});
