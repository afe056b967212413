import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeBrowserSession,
  openBrowserSession,
  type RunningProduct,
  repoRoot,
  skipOrFailWhenUnavailable,
} from './harness';

// The invoicing flow a user goes through, in the real product and a real browser: sign up, add a customer,
// fill an invoice and watch the preview, reload and find the draft, a conflict from a second tab, issue
// (double click), find it by search, pay it in two steps, see it in Arabic; then the 50-line editor's preview.

const shouldSkip = skipOrFailWhenUnavailable();
const docs = path.join(repoRoot, 'docs');

const owner = {
  fullName: 'Sara Al-Harbi',
  email: `sara+inv${Date.now()}@example.sa`,
  password: 'correct horse battery',
};

describe.skipIf(shouldSkip)('web app: invoicing end to end (real API, real Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let invoiceUrl = '';

  beforeAll(async () => {
    ({ product, browser, context, page } = await openBrowserSession({ width: 1600, height: 1000 }));
  }, 180_000);
  afterAll(() => closeBrowserSession({ product, browser, context }));

  const field = (p: Page, name: string) => p.locator(`[name="${name}"]`);
  // Intl puts a no-break space between the currency code and the amount: compare with plain spaces.
  const text = async (p: Page, testId: string) =>
    ((await p.getByTestId(testId).first().textContent()) ?? '').replace(/\s/g, ' ').trim();
  const accessToken = () =>
    page.evaluate(async () => {
      const res = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: localStorage.getItem('invoiceflow.refresh_token') }),
      });
      const body = (await res.json()) as { access_token: string; refresh_token: string };
      localStorage.setItem('invoiceflow.refresh_token', body.refresh_token);
      return body.access_token;
    });

  it('signs up, adds a customer and a product', async () => {
    await page.goto(`${product.baseUrl}/register`);
    await field(page, 'full_name').fill(owner.fullName);
    await field(page, 'email').fill(owner.email);
    await field(page, 'password').fill(owner.password);
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

    await page.getByTestId('nav-customers').click();
    await page.getByTestId('new-customer').click();
    await field(page, 'name_en').fill('Al Noor Trading Company');
    await field(page, 'name_ar').fill('شركة النور التجارية');
    await field(page, 'vat_number').fill('310122393500003');
    await field(page, 'email').fill('accounts@alnoor.example.sa');
    await field(page, 'street').fill('King Fahd Road');
    await field(page, 'building_number').fill('1234');
    await field(page, 'district').fill('Al Olaya');
    await field(page, 'city').fill('Riyadh');
    await field(page, 'postal_code').fill('12345');
    await page.getByTestId('save-customer').click();
    await page.getByText('Customer saved.').waitFor();
    await page.getByTestId('customer-row').first().waitFor();
    expect(await page.getByTestId('customer-row').count()).toBe(1);

    await page.getByTestId('nav-products').click();
    await page.getByTestId('new-product').click();
    await field(page, 'name_en').fill('Cloud hosting (monthly)');
    await field(page, 'name_ar').fill('استضافة سحابية (شهرية)');
    await field(page, 'sku').fill('HOST-M');
    await field(page, 'unit_code').selectOption('MON');
    await field(page, 'unit_price').fill('1250.00');
    await page.getByTestId('save-product').click();
    await page.getByText('Product saved.').waitFor();
    await page.getByTestId('product-row').first().waitFor();
  });

  it('fills an invoice and the preview follows every keystroke, with rule errors beside the field', async () => {
    await page.getByTestId('nav-invoices').click();
    await page.getByTestId('new-invoice').click();
    await page.getByTestId('invoice-editor').waitFor();

    await page.getByTestId('customer-search').fill('Al Noor');
    await page.getByTestId('customer-option').first().click();
    await page.getByTestId('customer-selected').waitFor();
    expect(await text(page, 'paper-buyer-name')).toBe('Al Noor Trading Company');

    await field(page, 'lines.0.description').fill('Consulting services — network design');
    await field(page, 'lines.0.quantity').fill('2');
    // Typed one key at a time: the preview shows each intermediate amount without a round trip.
    const totals: string[] = [];
    for (const key of ['5', '0', '0']) {
      await field(page, 'lines.0.unit_price').press(key);
      totals.push(await text(page, 'preview-total'));
    }
    expect(totals).toEqual(['SAR 11.50', 'SAR 115.00', 'SAR 1,150.00']);
    expect(await text(page, 'preview-vat')).toBe('150.00');
    expect(await text(page, 'issue-readiness')).toBe('Ready to issue');

    // A 7 % rate on a standard line breaks BR-KSA-84 (5 or 15): said beside the line while typing, and issuing is blocked.
    await field(page, 'lines.0.vat_rate').fill('7');
    const issue = page.locator('[data-testid="field-issue"][data-path="lines.0.vat_rate"]');
    await issue.waitFor();
    expect(await issue.getAttribute('data-code')).toBe('BR-KSA-84');
    expect(await text(page, 'issue-readiness')).toBe('1 to fix before issuing');
    await field(page, 'lines.0.vat_rate').fill('15');
    await issue.waitFor({ state: 'detached' });

    // A catalogue product, a line discount and a document discount.
    await page.getByTestId('add-product').selectOption({ label: 'Cloud hosting (monthly) · 1,250.00' });
    await field(page, 'lines.1.quantity').fill('3');
    await field(page, 'lines.1.discount_percent').fill('10');
    expect(await text(page, 'preview-subtotal')).toBe('4,375.00'); // 1000 + 3 × 1250 − 10 %
    await page.getByTestId('add-discount').click();
    await field(page, 'allowances_charges.0.value').fill('5');
    expect(await text(page, 'preview-allowances')).toBe('−218.75');
    expect(await text(page, 'preview-total')).toBe('SAR 4,779.69'); // 4156.25 + VAT round(623.4375)
    await field(page, 'notes').fill(
      'Bank transfer to Al Rajhi Bank, IBAN SA03 8000 0000 6080 1016 7519. Thank you!',
    );
    expect(await page.getByTestId('paper-line').count()).toBe(2);
  });

  it('auto-saves, restores the draft after a reload, and shows a conflict from another tab', async () => {
    await page.waitForFunction(
      () => document.querySelector('[data-testid="save-status"]')?.textContent?.startsWith('Saved'),
      null,
      {
        timeout: 10_000,
      },
    );
    const totalBefore = await text(page, 'preview-total');
    await page.reload();
    await page.getByTestId('invoice-editor').waitFor();
    expect(await field(page, 'lines.0.description').inputValue()).toBe(
      'Consulting services — network design',
    );
    expect(await text(page, 'paper-buyer-name')).toBe('Al Noor Trading Company');
    expect(await text(page, 'preview-total')).toBe(totalBefore);

    // A second tab edits the same draft and saves first; this tab must not overwrite it silently.
    const other = await context.newPage();
    await other.goto(`${product.baseUrl}/invoices/new`);
    await other.getByTestId('invoice-editor').waitFor();
    await field(other, 'lines.0.quantity').fill('4');
    await other.waitForFunction(
      () =>
        document.querySelector('[data-testid="save-status"]')?.getAttribute('data-state') === 'saved' &&
        document.querySelector('[data-testid="save-status"]')?.textContent?.startsWith('Saved'),
      null,
      { timeout: 10_000 },
    );
    await other.waitForTimeout(2500); // its save of quantity 4 is on the server
    await page.bringToFront();
    await field(page, 'lines.0.quantity').fill('7');
    await page.getByTestId('draft-conflict').waitFor({ timeout: 10_000 });
    expect(await text(page, 'save-status')).toBe('Conflict');
    await page.getByTestId('conflict-reload').click();
    await page.getByTestId('draft-conflict').waitFor({ state: 'detached' });
    expect(await field(page, 'lines.0.quantity').inputValue()).toBe('4');
    await other.close();
    await page.bringToFront();
    await field(page, 'lines.0.quantity').fill('2');
    expect(await text(page, 'preview-total')).toBe('SAR 4,779.69');
  });

  it('issues once on a double click and shows the issued invoice with its files', async () => {
    await page.getByTestId('issue-invoice').dblclick();
    await page.waitForURL(/\/invoices\/[0-9a-f-]{36}\?issued=1$/, { timeout: 20_000 });
    invoiceUrl = page.url().replace(/\?.*$/, '');
    const number = await text(page, 'invoice-number');
    expect(number).toMatch(/^INV-\d{4}-\d{6}$/);
    expect(await text(page, 'preview-total')).toBe('SAR 4,779.69');
    expect(await text(page, 'status-badge')).toBe('Issued');

    const token = await accessToken();
    const list = (await (
      await fetch(`${product.baseUrl}/api/v1/invoices`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { total: number };
    expect(list.total).toBe(1);

    const xml = page.waitForEvent('download');
    await page.getByTestId('download-xml').click();
    const xmlFile = await xml;
    expect(xmlFile.suggestedFilename()).toBe(`${number}.xml`);

    const pdfRoute = await fetch(`${invoiceUrl.replace('/invoices/', '/api/v1/invoices/')}/pdf`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (pdfRoute.ok) {
      const pdf = page.waitForEvent('download');
      await page.getByTestId('download-pdf').click();
      expect((await pdf).suggestedFilename()).toMatch(/\.pdf$/);
    } else {
      // The API has no PDF route yet (reported as a gap): the page says so instead of failing silently.
      await page.getByTestId('download-pdf').click();
      await page.getByText('The server does not provide a PDF for this invoice yet.').waitFor();
      console.warn(`GET /api/v1/invoices/{id}/pdf answered ${pdfRoute.status}: no PDF to show`);
    }

    // After issuing, the draft is gone: a new invoice starts blank.
    await page.goto(`${product.baseUrl}/invoices/new`);
    await page.getByTestId('invoice-editor').waitFor();
    expect(await field(page, 'lines.0.description').inputValue()).toBe('');
  });

  it('finds the invoice by searching as you type, and by status', async () => {
    await page.getByTestId('nav-invoices').click();
    await page.getByTestId('invoice-table').waitFor();
    await page.getByTestId('invoice-search').pressSequentially('Noor', { delay: 40 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="invoice-row"]').length === 1);
    await page.getByTestId('invoice-search').fill('Nobody at all');
    await page.getByText('No invoice matches your search.').waitFor();
    await page.getByTestId('invoice-search').fill('');
    await field(page, 'status').selectOption('paid');
    await page.getByText('No invoice matches your search.').waitFor();
    await field(page, 'status').selectOption('issued');
    await page.getByTestId('invoice-row').first().waitFor();
    await page.getByTestId('invoice-row').first().click();
    await page.getByTestId('invoice-detail').waitFor();
  });

  it('records a partial payment, then the rest allocated from the payments page; the status follows', async () => {
    await field(page, 'amount').fill('1000.00');
    await page.getByTestId('record-payment').click();
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="status-badge"]')?.getAttribute('data-status') ===
        'partially_paid',
    );
    expect(await text(page, 'invoice-amount-due')).toBe('SAR 3,779.69');

    await page.getByTestId('nav-payments').click();
    await page.getByTestId('new-payment').click();
    await field(page, 'customer_id').selectOption({ label: 'Al Noor Trading Company' });
    await page.getByTestId('allocation-table').waitFor();
    await field(page, 'amount').fill('3779.69');
    expect(await page.getByLabel(/^Allocate INV-/).inputValue()).toBe('3779.69');
    await page.getByTestId('save-payment').click();
    await page.getByText('Payment recorded.').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="payment-row"]').length === 2);

    await page.goto(invoiceUrl);
    await page.getByTestId('invoice-detail').waitFor();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="status-badge"]')?.getAttribute('data-status') === 'paid',
    );
    expect(await text(page, 'invoice-amount-due')).toBe('SAR 0.00');

    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('revenue-chart').waitFor();
    const revenue = await page.getByTestId('stat-revenue').locator('.stat-value').textContent();
    expect(revenue?.replace(/\s/g, ' ')).toBe('SAR 4,779.69');
  });

  it('mirrors the layout in Arabic, and takes the editor screenshots', async () => {
    // A fuller invoice for the pictures.
    await page.goto(`${product.baseUrl}/invoices/new`);
    await page.getByTestId('invoice-editor').waitFor();
    await page.getByTestId('customer-search').fill('Noor');
    await page.getByTestId('customer-option').first().click();
    const lines: [string, string, string, string][] = [
      ['Network design workshop (2 days)', '2', '4500.00', ''],
      ['Cloud hosting (monthly)', '3', '1250.00', '10'],
      ['Firewall appliance FG-100F', '1', '9800.00', '5'],
      ['On-site installation', '6', '350.00', ''],
      ['Support contract, 12 months', '1', '6000.00', ''],
    ];
    for (const [i, [description, quantity, price, discount]] of lines.entries()) {
      if (i > 0) await page.getByTestId('add-line').click();
      await field(page, `lines.${i}.description`).fill(description);
      await field(page, `lines.${i}.quantity`).fill(quantity);
      await field(page, `lines.${i}.unit_price`).fill(price);
      if (discount) await field(page, `lines.${i}.discount_percent`).fill(discount);
    }
    await field(page, 'due_date').fill(
      await page.evaluate(() => {
        const d = new Date(Date.now() + 30 * 86_400_000);
        return d.toISOString().slice(0, 10);
      }),
    );
    await field(page, 'notes').fill('Payment by bank transfer within 30 days. Thank you for your business.');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="save-status"]')?.textContent?.startsWith('Saved'),
      null,
      {
        timeout: 10_000,
      },
    );
    // The pictures: a taller window so the whole invoice shows, scrolled to the top, nothing focused.
    await page.setViewportSize({ width: 1600, height: 1240 });
    const picture = async (file: string) => {
      await page.evaluate(() => {
        (document.activeElement as HTMLElement | null)?.blur();
        window.scrollTo(0, 0);
      });
      await page.mouse.move(0, 0);
      // The README's screenshots are refreshed on request only (UPDATE_SCREENSHOTS=1): a test run leaves docs/ alone.
      const target =
        process.env.UPDATE_SCREENSHOTS === '1'
          ? path.join(docs, file)
          : path.join(tmpdir(), `invoiceflow-${file}`);
      await page.screenshot({ path: target });
    };
    await picture('editor-en.png');

    await page.getByTestId('lang-ar').click();
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    const sidebar = await page.getByTestId('sidebar').boundingBox();
    const form = await page.locator('.editor-form').boundingBox();
    const preview = await page.locator('.editor-preview').boundingBox();
    expect(sidebar && sidebar.x > 800).toBe(true); // navigation on the right
    expect(form && preview && form.x > preview.x).toBe(true); // the form on the right of the preview
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('فاتورة جديدة');
    expect(await text(page, 'preview-total')).toMatch(/^SAR /);
    // Arabic descriptions, as an Arabic-speaking user would type them.
    const arabic = [
      'ورشة تصميم الشبكات (يومان)',
      'استضافة سحابية (شهرية)',
      'جهاز جدار حماية FG-100F',
      'تركيب في الموقع',
      'عقد دعم لمدة ١٢ شهرًا',
    ];
    for (const [i, description] of arabic.entries())
      await field(page, `lines.${i}.description`).fill(description);
    await field(page, 'notes').fill('الدفع بتحويل بنكي خلال ٣٠ يومًا. شكرًا لتعاملكم معنا.');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="save-status"]')?.getAttribute('data-state') === 'saved',
      null,
      {
        timeout: 10_000,
      },
    );
    await picture('editor-ar.png');
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.getByTestId('lang-en').click();
  });

  it('re-renders the preview before the next animation frame of a keystroke on a 50-line invoice', async () => {
    const token = await accessToken();
    const draftLines = Array.from({ length: 50 }, (_, i) => ({
      description: `Item ${i + 1}: spare part ${1000 + i}`,
      quantity: String((i % 7) + 1),
      // 5.00 + i × 13.37, written in halalas so no float is involved.
      unit_price: `${Math.floor((500 + i * 1337) / 100)}.${String((500 + i * 1337) % 100).padStart(2, '0')}`,
      vat_category: i % 10 === 9 ? 'Z' : 'S',
      vat_rate: i % 10 === 9 ? '0' : '15',
      ...(i % 10 === 9 ? { exemption_reason_code: 'VATEX-SA-32' } : {}),
      ...(i % 4 === 0
        ? { allowances_charges: [{ is_charge: false, percent: '5', reason: 'Discount' }] }
        : {}),
    }));
    const latest = await fetch(`${product.baseUrl}/api/v1/drafts/latest`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const version = latest.ok ? ((await latest.json()) as { version: number }).version : undefined;
    const saved = await fetch(`${product.baseUrl}/api/v1/drafts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        draft_data: { currency: 'SAR', lines: draftLines },
        is_auto_saved: true,
        version,
      }),
    });
    expect(saved.ok).toBe(true);

    await page.bringToFront();
    await page.goto(`${product.baseUrl}/invoices/new`);
    await page.getByTestId('invoice-editor').waitFor();
    expect(await page.getByTestId('line-row').count()).toBe(50);
    expect(await page.getByTestId('paper-line').count()).toBe(50);

    await page.evaluate(() => {
      const w = window as unknown as { __frames: { frame: number; dom: number | null; changed: boolean }[] };
      w.__frames = [];
      const paper = document.querySelector('[data-testid="invoice-paper"]') as HTMLElement;
      const totalOf = () => paper.querySelector('[data-testid="preview-total"]')?.textContent ?? '';
      document.addEventListener(
        'input',
        () => {
          const t0 = performance.now();
          const before = totalOf();
          let domAt: number | null = null;
          const observer = new MutationObserver(() => {
            domAt ??= performance.now();
          });
          observer.observe(paper, { subtree: true, childList: true, characterData: true });
          requestAnimationFrame(() => {
            const t1 = performance.now();
            observer.disconnect();
            w.__frames.push({
              frame: t1 - t0,
              dom: domAt === null ? null : domAt - t0,
              changed: totalOf() !== before,
            });
          });
        },
        true,
      );
    });

    // 120 keystrokes into line 25's quantity and price: every one changes the invoice total.
    const quantity = field(page, 'lines.24.quantity');
    const price = field(page, 'lines.24.unit_price');
    for (let round = 0; round < 10; round++) {
      for (const input of [quantity, price]) {
        await input.fill('');
        await input.pressSequentially(`${round + 1}23456`, { delay: 25 });
      }
    }
    const frames = await page.evaluate(
      () =>
        (window as unknown as { __frames: { frame: number; dom: number | null; changed: boolean }[] })
          .__frames,
    );
    // Every keystroke's new total is on the paper when the next frame is painted: the preview is updated in the
    // keystroke's own task (engine + React commit), never a frame or a server round trip later. How many
    // milliseconds that takes is measured by bench/editor-frames.bench.ts, not asserted here.
    const typed = frames.filter((f) => f.changed);
    expect(typed.length).toBeGreaterThanOrEqual(100);
    expect(typed.every((f) => f.dom !== null)).toBe(true);
  }, 0);
});
