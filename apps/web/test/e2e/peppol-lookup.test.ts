import { parseParticipantId, smlName } from '@invoiceflow/smp';
import { PEPPOL_BIS3_IDS } from '@invoiceflow/ubl';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestSmpCa,
  issueTestSmpCertificate,
} from '../../../../packages/smp/src/test-support/smp-signing';
import { type FakeSml, startFakeSml } from '../../../api/test/support/fake-sml';
import { type FakeSmp, startFakeSmp } from '../../../api/test/support/fake-smp';
import {
  closeBrowserSession,
  openBrowserSession,
  type RunningProduct,
  skipOrFailWhenUnavailable,
} from './harness';

// The invoice editor asks the Peppol network about the buyer's Peppol address before the invoice is sent: an SML
// (DNS on 127.0.0.1) and an SMP (HTTP on 127.0.0.1, answers signed by a test SMP certificate) stand in for it.

const shouldSkip = skipOrFailWhenUnavailable();
const ZONE = 'sml.e2e.test';
const INVOICE = `urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##${PEPPOL_BIS3_IDS.customization}::2.1`;
const ORDER =
  'urn:oasis:names:specification:ubl:schema:xsd:Order-2::Order##urn:fdc:peppol.eu:poacc:trns:order:3::2.1';

describe.skipIf(shouldSkip)('web app: the buyer’s Peppol address checked in the editor', () => {
  let product: RunningProduct;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let sml: FakeSml;
  let smp: FakeSmp;

  beforeAll(async () => {
    sml = await startFakeSml();
    smp = await startFakeSmp();
    const ca = createTestSmpCa();
    const signer = issueTestSmpCertificate(ca);
    const publish = (participant: string, documentType: string) => {
      const parsed = parseParticipantId(participant);
      if ('problem' in parsed) throw new Error(participant);
      sml.publish(smlName(parsed, ZONE), [{ regexp: `!^.*$!${smp.url}!` }]);
      smp.publish(
        {
          participant,
          documents: [
            {
              documentType,
              processes: [{ id: PEPPOL_BIS3_IDS.profile, endpoint: 'https://ap.example/as4' }],
            },
          ],
        },
        signer,
      );
    };
    publish('0088:5790000435975', INVOICE);
    publish('0088:5790000435982', ORDER);
    ({ product, browser, context, page } = await openBrowserSession(
      { width: 1280, height: 900 },
      {
        PEPPOL_DNS_SERVER: sml.server,
        PEPPOL_SML_ZONE: ZONE,
        PEPPOL_SMP_TRUST_PEM: ca.certificatePem,
        PEPPOL_SMP_ALLOW_PRIVATE: 'true',
      },
    ));
  }, 180_000);
  afterAll(async () => {
    await closeBrowserSession({ product, browser, context });
    await sml?.close();
    await smp?.close();
  });

  const field = (name: string) => page.locator(`[name="${name}"]`);

  async function createCustomer(name: string, endpoint: { scheme: string; id: string }) {
    const status = await page.evaluate(
      async ({ name, endpoint }) => {
        const refresh = await fetch('/api/v1/auth/refresh', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refresh_token: localStorage.getItem('invoiceflow.refresh_token') }),
        });
        const tokens = (await refresh.json()) as { access_token: string; refresh_token: string };
        localStorage.setItem('invoiceflow.refresh_token', tokens.refresh_token);
        const res = await fetch('/api/v1/customers', {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            name_en: name,
            vat_number: 'DK12345678',
            address: { street: 'Strøget 1', city: 'København', postal_code: '1160', country: 'DK' },
            peppol_endpoint: endpoint,
          }),
        });
        return res.status;
      },
      { name, endpoint },
    );
    expect(status).toBe(201);
  }

  async function pick(name: string) {
    await page.goto(`${product.baseUrl}/invoices/new`);
    await page.getByTestId('invoice-editor').waitFor();
    await page.getByTestId('customer-search').fill(name);
    // The list shows the latest customers until the search answers: pick the one by its name.
    await page.getByTestId('customer-option').filter({ hasText: name }).first().click();
    await page.getByTestId('customer-selected').waitFor();
  }

  it('warns for a buyer not on Peppol and one that does not receive invoices, not for one that does', async () => {
    await page.goto(`${product.baseUrl}/register`);
    await field('full_name').fill('Eva Jansen');
    await field('email').fill(`eva+${Date.now()}@example.nl`);
    await field('password').fill('correct horse battery');
    await field('company.country').selectOption('NL');
    await field('company.legal_name_en').fill('Jansen Design');
    await field('company.vat_number').fill('NL123456789B01');
    await field('company.address.street').fill('Keizersgracht 1');
    await field('company.address.city').fill('Amsterdam');
    await field('company.address.postal_code').fill('1015 CJ');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('welcome').waitFor();

    await createCustomer('Receiving Buyer ApS', { scheme: '0088', id: '5790000435975' });
    await createCustomer('Ordering Buyer ApS', { scheme: '0088', id: '5790000435982' });
    await createCustomer('Absent Buyer ApS', { scheme: '0088', id: '5790000435999' });

    await pick('Receiving Buyer');
    await page.getByTestId('peppol-receiver-ok').waitFor();
    expect(await page.getByTestId('peppol-receiver-warning').count()).toBe(0);

    await pick('Ordering Buyer');
    await page.getByTestId('peppol-receiver-warning').waitFor();
    expect(await page.getByTestId('peppol-receiver-warning').textContent()).toContain(
      'does not receive invoices',
    );

    await pick('Absent Buyer');
    await page.getByTestId('peppol-receiver-warning').waitFor();
    expect(await page.getByTestId('peppol-receiver-warning').textContent()).toContain(
      '0088:5790000435999 is not registered on the Peppol network',
    );
  });
});
