import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpServer } from '../../../api/test/support/smtp';
import {
  type BrowserSession,
  closeBrowserSession,
  openBrowserSession,
  repoRoot,
  skipOrFailWhenUnavailable,
} from './harness';

// Every page of the product, as each kind of person sees it — signed out, a company's owner (the install's first
// account, so also the platform's administrator), its accountant and a customer's portal user — at 390 and 1440 px,
// in English and in Arabic. On each: no serious or critical accessibility violation (axe-core, WCAG 2.1 A/AA), no
// console error, nothing wider than the window. A screenshot of each lands in test-results/pages (or
// E2E_SCREENSHOT_DIR). The problems of the whole walk are reported together.

const shouldSkip = skipOrFailWhenUnavailable();
const screenshotDir = process.env.E2E_SCREENSHOT_DIR ?? path.join(repoRoot, 'test-results/pages');

type Person = 'visitor' | 'owner' | 'accountant' | 'client';
interface Ids {
  invoice: string;
  quote: string;
  quoteToken: string;
  purchaseOrder: string;
  supplierInvoice: string;
  company: string;
}

/**
 * `refused`: the page's own request is refused by design (a made-up link token): the browser logs that answer's
 * status as a console error whatever the page does, so that one line is expected; the page must still say why.
 */
const PAGES: { person: Person; path: (ids: Ids) => string; name: string; refused?: number }[] = [
  ...['/login', '/register', '/forgot-password', '/reset-password?token=x'].map((p) => ({
    person: 'visitor' as const,
    name: p.split('?')[0] as string,
    path: () => p,
  })),
  { person: 'visitor', name: '/verify-email', path: () => '/verify-email?token=x', refused: 400 },
  { person: 'visitor', name: '/accept-invitation', path: () => '/accept-invitation?token=x' },
  { person: 'visitor', name: '/q/{token}', path: (ids) => `/q/${ids.quoteToken}` },
  ...[
    '/',
    '/invoices',
    '/invoices/new',
    '/quotes',
    '/quotes/new',
    '/recurring',
    '/customers',
    '/products',
    '/till',
    '/imports',
    '/payments',
    '/vendors',
    '/purchase-orders',
    '/purchase-orders/new',
    '/supplier-invoices',
    '/supplier-invoices/new',
    '/bills',
    '/reports',
    '/expenses',
    '/time',
    '/settings',
    '/settings/company',
    '/settings/e-invoicing',
    '/settings/numbering',
    '/settings/security',
    '/settings/team',
    '/settings/payments',
    '/settings/reminders',
    '/settings/webhooks',
    '/settings/accountants',
    '/admin',
    '/admin/analytics',
    '/admin/content',
    '/no-such-page',
  ].map((p) => ({ person: 'owner' as const, name: p, path: () => p })),
  { person: 'owner', name: '/invoices/{id}', path: (ids) => `/invoices/${ids.invoice}` },
  { person: 'owner', name: '/quotes/{id}', path: (ids) => `/quotes/${ids.quote}` },
  { person: 'owner', name: '/quotes/{id}/edit', path: (ids) => `/quotes/${ids.quote}/edit` },
  { person: 'owner', name: '/purchase-orders/{id}', path: (ids) => `/purchase-orders/${ids.purchaseOrder}` },
  {
    person: 'owner',
    name: '/supplier-invoices/{id}',
    path: (ids) => `/supplier-invoices/${ids.supplierInvoice}`,
  },
  { person: 'accountant', name: '/accountant', path: () => '/accountant' },
  ...['invoices', 'customers', 'expenses', 'time-entries', 'payments'].map((section) => ({
    person: 'accountant' as const,
    name: `/accountant/clients/{id}/${section}`,
    path: (ids: Ids) => `/accountant/clients/${ids.company}/${section}`,
  })),
  {
    person: 'accountant',
    name: '/accountant/clients/{id}/invoices/{id}',
    path: (ids) => `/accountant/clients/${ids.company}/invoices/${ids.invoice}`,
  },
  ...['/portal', '/portal/statement', '/portal/payments'].map((p) => ({
    person: 'client' as const,
    name: p,
    path: () => p,
  })),
  { person: 'client', name: '/portal/invoices/{id}', path: (ids) => `/portal/invoices/${ids.invoice}` },
];

const SA_ADDRESS = {
  street: 'King Abdulaziz Road',
  building_number: '4321',
  district: 'Al-Murabba',
  city: 'Riyadh',
  postal_code: '12345',
  country: 'SA',
};

describe.skipIf(shouldSkip)(
  'web app: every page, both widths, both languages (real API, real Chromium)',
  () => {
    let session: BrowserSession;
    let mailbox: Awaited<ReturnType<typeof startSmtpServer>>;
    const ids = {} as Ids;
    const refreshTokens = {} as Record<Exclude<Person, 'visitor'>, string>;
    const windows = new Map<Person, { context: BrowserContext; page: Page; errors: string[] }>();
    const stamp = Date.now();

    async function call(method: string, url: string, body?: unknown, token?: string, company?: string) {
      const res = await fetch(`${session.product.baseUrl}${url}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(company ? { 'x-company-id': company } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    }

    /** The path and query of the link matching `pattern` in the newest mail to `to` (waits for it). */
    async function mailedLink(to: string, pattern: RegExp): Promise<string> {
      await mailbox.delivered(to);
      for (let i = 0; i < 300; i++) {
        const texts = mailbox.received
          .filter((m) => m.to.includes(to))
          .map((m) => m.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '='));
        const url = texts
          .map((t) => new RegExp(`https?://[^\\s"<>]*${pattern.source}[^\\s"<>]*`).exec(t)?.[0])
          .find(Boolean);
        if (url) return new URL(url).pathname + new URL(url).search;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`no mail to ${to} with ${pattern}`);
    }

    beforeAll(async () => {
      mkdirSync(screenshotDir, { recursive: true });
      mailbox = await startSmtpServer();
      session = await openBrowserSession(
        { width: 1440, height: 900 },
        { SMTP_URL: mailbox.url, MAIL_POLL_SECONDS: '1' },
      );
      const register = (email: string, name: string, company: object) =>
        call('POST', '/api/v1/auth/register', {
          email,
          password: 'correct horse battery',
          full_name: name,
          company,
        });
      const owner = await register(`owner+walk${stamp}@example.sa`, 'Layla Al-Harbi', {
        legal_name_en: 'Desert Rose Trading Co.',
        legal_name_ar: 'شركة وردة الصحراء للتجارة',
        country: 'SA',
        vat_number: '399999999900003',
        registration_number: '1010010000',
        address: SA_ADDRESS,
      });
      const token = owner.access_token as string;
      ids.company = owner.company.id;
      refreshTokens.owner = owner.refresh_token;
      const asOwner = (method: string, url: string, body?: unknown) =>
        call(method, url, body, token, ids.company);

      const clientEmail = `omar+walk${stamp}@buyer.example.sa`;
      const customer = await asOwner('POST', '/api/v1/customers', {
        name_en: 'Oasis Buyers LLC',
        email: clientEmail,
        vat_number: '300000000000003',
        address: { ...SA_ADDRESS, street: 'King Fahd Road', building_number: '1234' },
      });
      await asOwner('POST', '/api/v1/products', {
        name_en: 'Consulting hour',
        unit_price: '250.00',
        vat_rate: '15',
      });
      const invoice = await asOwner('POST', '/api/v1/invoices/generate', {
        customer_id: customer.id,
        line_items: [{ description: 'Consulting', quantity: 4, unit_price: '250', vat_rate: 15 }],
      });
      ids.invoice = invoice.id;
      const quote = await asOwner('POST', '/api/v1/quotes', {
        customer_id: customer.id,
        line_items: [{ description: 'Network installation', quantity: 2, unit_price: '500', vat_rate: 15 }],
        valid_until: '2099-12-31',
      });
      ids.quote = quote.id;
      const sent = await asOwner('POST', `/api/v1/quotes/${quote.id}/send`, {});
      ids.quoteToken = String(sent.public_url).split('/q/')[1] as string;
      const vendor = await asOwner('POST', '/api/v1/vendors', {
        name_en: 'Najd Paper Supplies',
        address: { city: 'Riyadh', country: 'SA' },
      });
      const order = await asOwner('POST', '/api/v1/purchase-orders', {
        vendor_id: vendor.id,
        lines: [{ description: 'A4 paper, carton', quantity: '10', unit_price: '12.50', vat_rate: '15' }],
      });
      ids.purchaseOrder = order.id;
      const bill = await asOwner('POST', '/api/v1/supplier-invoices', {
        vendor_id: vendor.id,
        number: 'NPS-1001',
        issue_date: '2026-11-01',
        due_date: '2026-11-30',
        lines: [{ description: 'A4 paper, carton', quantity: '10', unit_price: '12.50', vat_rate: '15' }],
      });
      ids.supplierInvoice = bill.id;

      // The accountant: a practice of its own, invited by the owner with every scope, and accepting.
      const accountantEmail = `omar+acct${stamp}@example.sa`;
      const accountant = await register(accountantEmail, 'Omar Practice', {
        legal_name_en: 'Omar Accounting Practice',
        country: 'SA',
        vat_number: '311111111100003',
        registration_number: '1010010001',
        address: SA_ADDRESS,
      });
      refreshTokens.accountant = accountant.refresh_token;
      // Invitations to keep books reach a verified address only.
      const verify = await mailedLink(accountantEmail, /\/verify-email\?token=/);
      await call('POST', '/api/v1/auth/email/verify', {
        token: new URLSearchParams(verify.split('?')[1]).get('token'),
      });
      await asOwner('POST', '/api/v1/companies/current/accountants', {
        email: accountantEmail,
        scopes: ['invoices', 'customers', 'expenses', 'hours', 'payments'],
      });
      const invitations = await call(
        'GET',
        '/api/v1/accountant/invitations',
        undefined,
        accountant.access_token,
      );
      const invitation = invitations.invitations[0];
      await call(
        'POST',
        `/api/v1/accountant/invitations/${invitation.id}/accept`,
        {},
        accountant.access_token,
      );

      // The customer's portal user: invited from the team, accepting by the mailed link.
      await asOwner('POST', '/api/v1/companies/current/members', {
        email: clientEmail,
        role: 'client',
        customer_id: customer.id,
      });
      const accept = await mailedLink(clientEmail, /\/accept-invitation\?token=/);
      const inviteToken = new URLSearchParams(accept.split('?')[1]).get('token');
      await call('POST', '/api/v1/invitations/accept', {
        token: inviteToken,
        full_name: 'Omar Al-Buyer',
        password: 'correct horse battery',
      });
      const client = await call('POST', '/api/v1/auth/login', {
        email: clientEmail,
        password: 'correct horse battery',
      });
      refreshTokens.client = client.refresh_token;

      // One window per person, signed in once: the refresh token the web app keeps, stored before its first page.
      for (const person of ['visitor', 'owner', 'accountant', 'client'] as const) {
        const context = await session.browser.newContext({ viewport: { width: 1440, height: 900 } });
        const refresh = person === 'visitor' ? null : refreshTokens[person];
        await context.addInitScript((value) => {
          try {
            if (value && !sessionStorage.getItem('walk.signed-in')) {
              localStorage.setItem('invoiceflow.refresh_token', value);
              sessionStorage.setItem('walk.signed-in', '1');
            }
          } catch {
            // about:blank has no storage.
          }
        }, refresh);
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(`${session.product.baseUrl}/login`);
        windows.set(person, { context, page, errors });
      }
    }, 300_000);

    afterAll(async () => {
      for (const { context } of windows.values()) await context.close();
      await closeBrowserSession(session ?? {});
      await mailbox?.close();
    });

    for (const locale of ['en', 'ar'] as const) {
      for (const width of [390, 1440]) {
        it(`${locale} at ${width} px: no serious accessibility violation, console error or overflow`, async () => {
          const problems: string[] = [];
          const times: string[] = [];
          // E2E_WALK_ONLY=<regular expression> walks only the pages whose name matches (while fixing one).
          const only = process.env.E2E_WALK_ONLY ? new RegExp(process.env.E2E_WALK_ONLY) : null;
          for (const { person, path: pathOf, name, refused } of PAGES.filter(
            (p) => !only || only.test(p.name),
          )) {
            const started = Date.now();
            const window = windows.get(person);
            if (!window) throw new Error(`no window for ${person}`);
            const { page, errors } = window;
            await page.setViewportSize({ width, height: width < 800 ? 844 : 900 });
            await page.evaluate((value) => localStorage.setItem('invoiceflow.locale', value), locale);
            errors.length = 0;
            await page.goto(session.product.baseUrl + pathOf(ids));
            await page
              .waitForLoadState('networkidle', { timeout: 5_000 })
              .catch(() => problems.push(`${name} (${person}): still loading after 5 s`));
            await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), undefined, {
              timeout: 10_000,
            });
            const where = `${name} (${person})`;
            const dir = await page.evaluate(() => document.documentElement.dir);
            if (dir !== (locale === 'ar' ? 'rtl' : 'ltr')) problems.push(`${where}: dir="${dir}"`);
            // How far the page is wider than the window, and the outermost elements that stick out.
            const overflow = await page.evaluate(() => {
              const width = document.documentElement.clientWidth;
              const out = (el: Element) => {
                const box = el.getBoundingClientRect();
                return box.right > width + 1 || box.left < -1;
              };
              const culprits = [...document.body.querySelectorAll('*')]
                .filter((el) => out(el) && !(el.parentElement && out(el.parentElement)))
                .slice(0, 3)
                .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
              return { by: document.documentElement.scrollWidth - width, culprits };
            });
            if (overflow.by > 1)
              problems.push(
                `${where}: ${overflow.by} px wider than the window (${overflow.culprits.join(', ')})`,
              );
            const axe = await new AxeBuilder({ page })
              .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
              .analyze();
            for (const violation of axe.violations) {
              if (violation.impact !== 'serious' && violation.impact !== 'critical') continue;
              const targets = violation.nodes
                .slice(0, 3)
                .map((node) => node.target.join(' '))
                .join(' | ');
              const why = violation.nodes[0]?.failureSummary?.replace(/\s+/g, ' ').slice(0, 240) ?? '';
              problems.push(`${where}: ${violation.id} (${violation.impact}) at ${targets}: ${why}`);
            }
            const expected = refused ? `the server responded with a status of ${refused}` : null;
            for (const error of errors) {
              if (!expected || !error.includes(expected)) problems.push(`${where}: console error: ${error}`);
            }
            const file = `${locale}-${width}-${person}${name.replace(/[^a-z0-9]+/gi, '-')}.png`;
            await page.screenshot({ path: path.join(screenshotDir, file), fullPage: true });
            times.push(`${name} ${Date.now() - started} ms`);
          }
          console.info(`${locale} ${width}px: ${times.join(', ')}`);
          expect(problems, problems.join('\n')).toEqual([]);
        }, 600_000);
      }
    }
  },
);
