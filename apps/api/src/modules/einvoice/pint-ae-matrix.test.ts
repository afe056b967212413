// The business cases of the official PINT AE examples (../shared/validators/ubl/pint-ae/*/trn-*/example) made
// over HTTP from our own request bodies: each a draft (POST /invoices) finalized (POST /invoices/{id}/finalize),
// its stored document (GET /invoices/{id}/xml) through the official validator in one call: 0 fatal. Beside them,
// what PINT AE refuses at finalize, with the rule id and the request field to fix.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ublValidatorAvailable,
  validateUblFiles,
} from '../../../../../packages/ubl/src/test-support/validator';
import {
  AE_COMPANY,
  as,
  type Call,
  createTestApp,
  registerUser,
  type TestApp,
} from '../../../test/support/app';

let t: TestApp;
let c: Call;
beforeAll(async () => {
  t = await createTestApp();
  c = as(
    t.app,
    await registerUser(t.app, {
      ...AE_COMPANY,
      legal_name_en: 'Falcon Trading LLC',
      vat_number: '100123456700003',
      registration_number: 'TL778899',
    }),
  );
});
afterAll(() => t.close());

const IBAN = 'AE070331234567890123456';
const DUE = { due_date: '2099-12-31' };
const transfer = {
  code: '30',
  account_id: IBAN,
  account_name: 'Falcon Trading current',
  bank_id: 'EBILAEAD',
};
const card = { code: '48' };
const goods = (description: string, quantity: string, unit_price: string, extra: object = {}) => ({
  description,
  quantity,
  unit_price,
  item_type: 'goods',
  hs_code: '85171300',
  ...extra,
});
const service = (description: string, quantity: string, unit_price: string, extra: object = {}) => ({
  description,
  quantity,
  unit_price,
  item_type: 'services',
  service_code: '998314',
  ...extra,
});
const reverseCharge = (description: string, quantity: string, unit_price: string, rcm: string) =>
  goods(description, quantity, unit_price, {
    vat_category: 'AE',
    hs_code: '71081300',
    rcm_type: rcm,
    gtin: '04012345123456',
  });

async function post(url: string, payload: object, status: number) {
  const response = await c({ method: 'POST', url, payload });
  expect(response.statusCode, `${url}: ${response.body}`).toBe(status);
  return response.json();
}

/** A draft finalized through the UAE lifecycle. */
async function finalize(body: object): Promise<{ id: string; invoice_number: string; warnings: unknown[] }> {
  const draft = await post('/api/v1/invoices', body, 201);
  return post(`/api/v1/invoices/${draft.id}/finalize`, {}, 200);
}

/** A draft whose finalize is refused: the errors answered. */
async function refusal(body: object): Promise<{ path: string; code: string }[]> {
  const draft = await post('/api/v1/invoices', body, 201);
  const refused = await c({ method: 'POST', url: `/api/v1/invoices/${draft.id}/finalize` });
  expect(refused.statusCode, refused.body).toBe(422);
  expect(refused.headers['content-type']).toContain('application/problem+json');
  expect(refused.json().code).toBe('INVOICE_INVALID');
  // Still a draft with no number taken.
  const still = await c({ method: 'GET', url: `/api/v1/invoices/${draft.id}` });
  expect(still.json()).toMatchObject({ lifecycle_status: 'draft' });
  return refused.json().errors;
}

describe('the PINT AE matrix through the API', () => {
  const issued: { name: string; id: string }[] = [];
  let buyer = '';
  let exportBuyer = '';

  beforeAll(async () => {
    buyer = (
      await post(
        '/api/v1/customers',
        {
          name_en: 'Noor Electronics LLC',
          vat_number: '100987654300003',
          id_scheme: 'TL',
          id_number: 'CN1002003',
          registration_authority: 'Abu Dhabi Department of Economic Development',
          address: { street: 'Corniche Road 4', city: 'Abu Dhabi', emirate: 'AUH', country: 'AE' },
        },
        201,
      )
    ).id;
    exportBuyer = (
      await post(
        '/api/v1/customers',
        {
          name_en: 'Perth Imports Pty Ltd',
          id_scheme: 'CD',
          id_number: 'ACN123456',
          registration_authority: 'ASIC',
          address: {
            street: '10 Hay Street',
            city: 'Perth',
            postal_code: '6000',
            region: 'WA',
            country: 'AU',
          },
        },
        201,
      )
    ).id;
    const goodsProduct = (
      await post(
        '/api/v1/products',
        { name_en: 'Router', unit_price: '320.00', item_type: 'goods', hs_code: '85176200' },
        201,
      )
    ).id;
    const serviceProduct = (
      await post(
        '/api/v1/products',
        { name_en: 'Network set-up', unit_price: '750.00', item_type: 'services', service_code: '998315' },
        201,
      )
    ).id;
    const add = async (name: string, body: object) => {
      const invoice = await finalize(body);
      expect(invoice.warnings, name).toEqual([]);
      issued.push({ name, id: invoice.id });
      return invoice.id;
    };
    const B = { customer_id: buyer, ...DUE };

    const standard = await add('standard invoice, mandatory fields', {
      ...B,
      payment_means: card,
      lines: [goods('Phone case', '100', '10')],
    });
    await add('standard tax invoice: allowances, charges, references, period, terms', {
      ...B,
      buyer_reference: 'PO-AE-220',
      order_reference: 'PO-AE-220',
      invoice_period: { start_date: '2025-01-25', end_date: '2025-01-30' },
      payment_means: transfer,
      payment_terms: 'Within a week',
      lines: [
        goods('Cable kit', '2000', '4.9', {
          allowances_charges: [
            { is_charge: false, percent: '3', base_amount: '9800', reason_code: '95', reason: 'Discount' },
            {
              is_charge: true,
              percent: '10',
              base_amount: '9800',
              reason_code: 'AAC',
              reason: 'Modification',
            },
          ],
        }),
      ],
      allowances_charges: [
        { is_charge: false, amount: '100', reason_code: '100', reason: 'Special rebate', vat_category: 'S' },
        { is_charge: true, amount: '40', reason_code: 'AAT', reason: 'Rush delivery', vat_category: 'S' },
      ],
    });
    await add('zero-rated domestic supply', {
      ...B,
      lines: [goods('Medical device', '10', '250', { vat_category: 'Z', hs_code: '90189000' })],
    });
    await add('zero-rated export in USD with AED tax amounts, buyer off Peppol', {
      customer_id: exportBuyer,
      ...DUE,
      transaction_flags: { export: true },
      currency: 'USD',
      exchange_rate: '3.6725',
      delivery: {
        address: { street: '1 Harbour Road', city: 'Fremantle', region: 'WA', country: 'AU' },
      },
      lines: [goods('Smartphones', '50', '49.75', { vat_category: 'Z' })],
    });
    await add('supply involving a free zone', {
      ...B,
      transaction_flags: { free_zone: true },
      beneficiary_id: '100444555600003',
      lines: [goods('Pallet racks', '500', '140')],
    });
    await add('supply under the reverse charge', {
      ...B,
      lines: [reverseCharge('Gold bars 1kg', '3', '990', 'DL8.48.3.1')],
    });
    await add('margin scheme', {
      ...B,
      transaction_flags: { margin_scheme: true },
      payment_means: card,
      lines: [goods('Used car', '1', '42000', { vat_category: 'N', hs_code: '87032310' })],
    });
    await add('deemed supply', {
      ...B,
      transaction_flags: { deemed_supply: true },
      lines: [
        {
          description: 'Staff gift hampers',
          quantity: '2',
          unit_price: '140',
          item_type: 'both',
          hs_code: '21069098',
          service_code: '998599',
        },
      ],
    });
    await add('summary tax invoice', {
      ...B,
      transaction_flags: { summary: true },
      invoice_period: { start_date: '2025-01-01', end_date: '2025-01-31' },
      lines: [
        goods('Phone cases', '100', '14.25'),
        goods('Chargers', '150', '23.75'),
        reverseCharge('Mobile phones', '30', '99', 'DL8.48.8.1'),
      ],
    });
    await add('continuous supplies, billed monthly', {
      ...B,
      transaction_flags: { continuous_supply: true },
      invoice_period: { start_date: '2025-01-01', end_date: '2025-01-31', frequency: 'MTH' },
      lines: [
        service('Cab services, monthly', '10', '500'),
        service('Passenger transport', '1455', '0.5', {
          service_code: '996412',
          vat_category: 'E',
          exemption_reason_code: 'VATEX-AE-LOCAL-PT',
          exemption_reason: 'Local passenger transport',
        }),
      ],
    });
    await add('disclosed agent billing', {
      ...B,
      transaction_flags: { disclosed_agent: true },
      principal_id: '100555666700003',
      lines: [goods('Perfume', '50', '19.5')],
    });
    await add('supply through e-commerce, with its delivery date and address', {
      ...B,
      transaction_flags: { ecommerce: true },
      payment_means: card,
      delivery: {
        date: '2025-02-11',
        address: { street: 'Al Reem Island, Tower 3', city: 'Abu Dhabi', emirate: 'AUH', country: 'AE' },
      },
      lines: [goods('Headphones', '1', '100')],
    });
    const outOfScope = await add('out of scope of VAT (commercial invoice 480)', {
      ...B,
      out_of_scope: true,
      payment_means: { code: '10' },
      lines: [goods('Donated goods', '1000', '150', { vat_category: 'O' })],
    });
    const inEuro = await add('standard invoice in EUR with AED tax amounts', {
      ...B,
      currency: 'EUR',
      exchange_rate: '3.985214',
      lines: [goods('Server rack', '3', '1234.56'), goods('Rack rails', '7', '99.99', { vat_category: 'Z' })],
    });
    await add('exempt and standard lines, exempt document allowance', {
      ...B,
      lines: [
        service('Advisory', '1', '5000'),
        service('Loan arrangement', '1', '20000', {
          service_code: '997113',
          vat_category: 'E',
          exemption_reason_code: 'VATEX-AE-FIN',
          exemption_reason: 'Financial services',
        }),
      ],
      allowances_charges: [
        {
          is_charge: false,
          amount: '100',
          reason_code: '95',
          reason: 'Discount',
          vat_category: 'E',
          exemption_reason_code: 'VATEX-AE-FIN',
          exemption_reason: 'Financial services',
        },
      ],
    });
    await add('zero-rated document charge', {
      ...B,
      lines: [goods('Insulin pens', '2', '800', { vat_category: 'Z', hs_code: '30043100' })],
      allowances_charges: [
        { is_charge: true, amount: '50', reason_code: 'FC', reason: 'Freight', vat_category: 'Z' },
      ],
    });
    await add('goods and services from the catalogue, one code overridden on the line', {
      ...B,
      lines: [
        { product_id: goodsProduct, quantity: '4' },
        { product_id: serviceProduct, quantity: '1' },
        { product_id: goodsProduct, quantity: '1', hs_code: '85176290' },
      ],
    });
    await add('IBAN payment means with BIC and remittance reference, delivery date', {
      ...B,
      payment_means: { ...transfer, payment_id: 'INV-REF-7781' },
      delivery: { date: '2025-02-03' },
      lines: [service('Maintenance contract', '1', '2400')],
    });
    const selfBilled = await add('self-billing invoice', {
      ...B,
      transaction_flags: { self_billed: true },
      lines: [goods('Scrap copper bought', '2000', '4.9', { hs_code: '74040000' })],
    });
    for (const code of ['DL8.61.1.A', 'DL8.61.1.B', 'DL8.61.1.C', 'DL8.61.1.D', 'DL8.61.1.E', 'VD']) {
      await add(`credit note, reason ${code}`, {
        type: 'credit_note',
        original_invoice_id: standard,
        reason: code === 'VD' ? 'Volume discount for the quarter' : 'Goods returned',
        reason_code: code,
        lines: [goods('Phone case', '2', '10')],
      });
    }
    await add('credit note in EUR with AED tax amounts', {
      type: 'credit_note',
      original_invoice_id: inEuro,
      exchange_rate: '3.985214',
      reason: 'Price corrected',
      reason_code: 'DL8.61.1.C',
      lines: [goods('Server rack', '1', '100')],
    });
    await add('credit note of an out-of-scope supply (81)', {
      type: 'credit_note',
      original_invoice_id: outOfScope,
      out_of_scope: true,
      reason: 'Returned',
      reason_code: 'DL8.61.1.A',
      lines: [goods('Donated goods', '10', '150', { vat_category: 'O' })],
    });
    await add('self-billing credit note', {
      type: 'credit_note',
      original_invoice_id: selfBilled,
      reason: 'Weight corrected',
      reason_code: 'DL8.61.1.B',
      lines: [goods('Scrap copper bought', '100', '4.9', { hs_code: '74040000' })],
    });
  }, 300_000);

  it('finalizes at least 25 scenarios, each with its document', async () => {
    expect(issued.length).toBeGreaterThanOrEqual(25);
    const first = await c({ method: 'GET', url: `/api/v1/invoices/${issued[0]?.id}/xml` });
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('<cbc:CustomizationID>urn:peppol:pint:billing-1@ae-1</cbc:CustomizationID>');
  });

  it('writes what the request named: period, delivery, payment means, item classification, self-billing', async () => {
    const xmlOf = async (name: string) => {
      const found = issued.find((i) => i.name.startsWith(name));
      if (!found) throw new Error(name);
      return (await c({ method: 'GET', url: `/api/v1/invoices/${found.id}/xml` })).body;
    };
    const monthly = await xmlOf('continuous supplies');
    expect(monthly).toContain(
      '<cac:InvoicePeriod><cbc:StartDate>2025-01-01</cbc:StartDate><cbc:EndDate>2025-01-31</cbc:EndDate><cbc:DescriptionCode>MTH</cbc:DescriptionCode></cac:InvoicePeriod>',
    );
    expect(monthly).toContain('<cbc:ID schemeID="SAC">996412</cbc:ID>');
    const paid = await xmlOf('IBAN payment means');
    expect(paid).toContain(
      `<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cbc:PaymentID>INV-REF-7781</cbc:PaymentID><cac:PayeeFinancialAccount><cbc:ID>${IBAN}</cbc:ID><cbc:Name>Falcon Trading current</cbc:Name><cac:FinancialInstitutionBranch><cbc:ID>EBILAEAD</cbc:ID></cac:FinancialInstitutionBranch></cac:PayeeFinancialAccount></cac:PaymentMeans>`,
    );
    expect(paid).toContain('<cbc:ActualDeliveryDate>2025-02-03</cbc:ActualDeliveryDate>');
    // No payment means named: the company's default account, by credit transfer.
    const zero = await xmlOf('zero-rated domestic');
    expect(zero).toContain(
      `<cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cac:PayeeFinancialAccount><cbc:ID>${IBAN}</cbc:ID>`,
    );
    const catalogue = await xmlOf('goods and services from the catalogue');
    expect(catalogue).toContain(
      '<cbc:ItemClassificationCode listID="HS">85176200</cbc:ItemClassificationCode>',
    );
    expect(catalogue).toContain(
      '<cbc:ItemClassificationCode listID="HS">85176290</cbc:ItemClassificationCode>',
    );
    expect(catalogue).toContain('<cbc:ID schemeID="SAC">998315</cbc:ID>');
    const selfBilling = await xmlOf('self-billing invoice');
    expect(selfBilling).toContain('urn:peppol:pint:selfbilling-1@ae-1');
    expect(selfBilling).toContain('<cbc:InvoiceTypeCode>389</cbc:InvoiceTypeCode>');
    // The supplier is the customer; the company is the buyer.
    expect(selfBilling.indexOf('Noor Electronics LLC')).toBeLessThan(
      selfBilling.indexOf('Falcon Trading LLC'),
    );
    const volume = await xmlOf('credit note, reason VD');
    expect(volume).not.toContain('<cac:BillingReference>');
  });

  it.skipIf(!ublValidatorAvailable())(
    'every document gives 0 fatal on the official PINT AE validator (one call)',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'pint-ae-matrix-'));
      try {
        const files = await Promise.all(
          issued.map(async ({ name, id }, i) => {
            const xml = await c({ method: 'GET', url: `/api/v1/invoices/${id}/xml` });
            expect(xml.statusCode).toBe(200);
            const file = path.join(dir, `${String(i).padStart(2, '0')}.xml`);
            writeFileSync(file, xml.body);
            return { name, file };
          }),
        );
        const results = await validateUblFiles(
          'pint-ae',
          files.map((f) => f.file),
        );
        const failures = files
          .map(({ name, file }) => ({ name, r: results.get(file) }))
          .filter(({ r }) => !r || r.fatal.length > 0)
          .map(({ name, r }) => `${name}: ${r ? r.fatal.join(' | ') : 'no result'}`);
        expect(failures).toEqual([]);
        expect(results.size).toBe(files.length);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    300_000,
  );

  it('refuses at finalize what PINT AE would reject, with the rule id at the request field', async () => {
    const B = { customer_id: buyer, ...DUE };
    expect(
      await refusal({ ...B, transaction_flags: { free_zone: true }, lines: [goods('Racks', '1', '10')] }),
    ).toEqual([expect.objectContaining({ path: 'beneficiary_id', code: 'ibr-007-ae' })]);
    expect(
      await refusal({
        ...B,
        lines: [{ description: 'Router', quantity: '1', unit_price: '9', item_type: 'goods' }],
      }),
    ).toEqual([expect.objectContaining({ path: 'lines.0.hs_code', code: 'ibr-184-ae' })]);
    expect(
      await refusal({ ...B, payment_means: { code: '30' }, lines: [goods('Router', '1', '9')] }),
    ).toEqual([expect.objectContaining({ path: 'payment_means.account_id', code: 'ibr-192-ae' })]);
    expect(
      await refusal({ ...B, transaction_flags: { summary: true }, lines: [goods('Router', '1', '9')] }),
    ).toEqual([expect.objectContaining({ path: 'invoice_period', code: 'ibr-138-ae' })]);
    expect(await refusal({ customer_id: buyer, lines: [goods('Router', '1', '9')] })).toEqual([
      expect.objectContaining({ path: 'due_date', code: 'ibr-127-ae' }),
    ]);
    expect(
      await refusal({
        type: 'credit_note',
        original_invoice_id: issued[0]?.id,
        reason: 'Returned',
        lines: [goods('Phone case', '1', '10')],
      }),
    ).toEqual([expect.objectContaining({ path: 'reason_code', code: 'ibr-158-ae' })]);
  });

  it('refuses malformed classifications and payment means when the draft is saved', async () => {
    const bad = await c({
      method: 'POST',
      url: '/api/v1/products',
      payload: { name_en: 'Router', unit_price: '1', item_type: 'goods', hs_code: '8517-62' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([expect.objectContaining({ path: 'hs_code' })]);
    const iban = await c({
      method: 'POST',
      url: '/api/v1/invoices',
      payload: { customer_id: buyer, payment_means: { code: '30', account_id: 'AE070331234567890123457' } },
    });
    expect(iban.statusCode).toBe(400);
    expect(iban.json().errors).toEqual([
      expect.objectContaining({ path: 'payment_means.account_id', code: 'IBAN_INVALID' }),
    ]);
    const period = await c({
      method: 'POST',
      url: '/api/v1/invoices',
      payload: { customer_id: buyer, invoice_period: { start_date: '2025-02-01', end_date: '2025-01-01' } },
    });
    expect(period.statusCode).toBe(400);
    expect(period.json().errors).toEqual([
      expect.objectContaining({ path: 'invoice_period.end_date', code: 'PERIOD_ENDS_BEFORE_START' }),
    ]);
  });
});
