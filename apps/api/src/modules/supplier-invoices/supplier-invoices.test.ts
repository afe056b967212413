import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  as,
  type Call,
  createTestApp,
  openSecondApp,
  registerUser,
  type Session,
  type TestApp,
} from '../../../test/support/app';
import { SA_BUYER } from '../../../test/support/companies';

const VALIDATORS =
  process.env.INVOICE_VALIDATORS_DIR ?? path.resolve(__dirname, '../../../../../../shared/validators');
const UBL_DIR = path.join(VALIDATORS, 'ubl');

let t: TestApp;
let owner: Session;
let call: Call;
const dir = mkdtempSync(path.join(tmpdir(), 'ap-'));
beforeAll(async () => {
  t = await createTestApp();
  owner = await registerUser(t.app);
  call = as(t.app, owner);
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const upload = (xml: string | Buffer, c: Call = call) =>
  c({
    method: 'POST',
    url: '/api/v1/supplier-invoices/upload',
    headers: { 'content-type': 'application/xml' },
    payload: xml,
  });
const count = async () =>
  (await call({ method: 'GET', url: '/api/v1/supplier-invoices?page_size=1' })).json().total as number;

/** The official examples: every UBL invoice and credit note under the validators' example folders. */
function officialExamples(): string[] {
  if (!existsSync(UBL_DIR)) return [];
  const out = execFileSync('find', [UBL_DIR, '-type', 'f', '-iname', '*.xml'], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((f) => /\/(examples?|examples-[^/]+)\//.test(f) && !/\/(xsd|src|broken)\//.test(f))
    .sort();
}

/** What the file's own text says, by regular expressions (not by the reader under test). */
function oracle(xml: string) {
  const body = xml
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(\w+:)?UBLExtensions[\s\S]*?<\/(\w+:)?UBLExtensions>/, '');
  const first = (re: RegExp, text = body) => re.exec(text)?.[1]?.trim() ?? null;
  const supplier = first(/<(?:\w+:)?AccountingSupplierParty>([\s\S]*?)<\/(?:\w+:)?AccountingSupplierParty>/);
  const schemes = [
    ...(supplier ?? '').matchAll(/<(?:\w+:)?PartyTaxScheme>([\s\S]*?)<\/(?:\w+:)?PartyTaxScheme>/g),
  ];
  const vat =
    schemes.find((m) => /<(?:\w+:)?TaxScheme>\s*<(?:\w+:)?ID[^>]*>\s*VAT\s*</.test(m[1] ?? '')) ?? schemes[0];
  return {
    number: first(/<cbc:ID[^>]*>([^<]*)<\/cbc:ID>/),
    currency: first(/<cbc:DocumentCurrencyCode[^>]*>([^<]*)</),
    payable: first(/<cbc:PayableAmount[^>]*>([^<]*)</),
    taxNumber: vat ? first(/<(?:\w+:)?CompanyID[^>]*>([^<]*)</, vat[1]) : null,
    lines: (body.match(/<(?:\w+:)?(?:InvoiceLine|CreditNoteLine)>/g) ?? []).length,
  };
}

const digitsOf = (currency: string) =>
  ['KWD', 'BHD', 'OMR', 'JOD'].includes(currency) ? 3 : currency === 'JPY' ? 0 : 2;
/** "1436.5" in a 2-digit currency reads "1436.50": the file's number padded to the currency's digits. */
function padded(value: string, currency: string) {
  const digits = digitsOf(currency);
  const [whole, fraction = ''] = value.replace(/^\+/, '').split('.');
  if (fraction.length > digits) return value;
  return digits === 0 ? whole : `${whole}.${fraction.padEnd(digits, '0')}`;
}

describe('uploaded UBL supplier invoices', () => {
  const files = officialExamples();
  it('finds the official examples', () => {
    if (files.length === 0 && process.env.CI !== 'true') {
      console.warn(`validators not found under ${UBL_DIR}: the examples test is skipped`);
      return;
    }
    expect(files.length).toBeGreaterThan(50);
  });

  it.each(files.map((f) => [path.relative(UBL_DIR, f), f]))(
    '%s uploads with its number, tax id, totals, lines',
    async (_name, file) => {
      const xml = readFileSync(file as string);
      const expected = oracle(xml.toString('utf8'));
      // Many examples share a supplier and a number: each goes to a company of its own.
      const uploader = as(t.app, await registerUser(t.app));
      const response = await upload(xml, uploader);
      expect(response.statusCode, response.body).toBe(201);
      const invoice = response.json();
      expect(invoice.number).toBe(expected.number);
      expect(invoice.currency).toBe(expected.currency);
      expect(invoice.supplier_trn).toBe(expected.taxNumber?.replace(/\s+/g, '') ?? null);
      expect(invoice.payable_amount).toBe(padded(expected.payable ?? '', invoice.currency));
      expect(invoice.lines).toHaveLength(expected.lines);
      expect(invoice.source).toBe('upload');
      const original = await uploader({
        method: 'GET',
        url: `/api/v1/supplier-invoices/${invoice.id}/original`,
      });
      expect(original.statusCode).toBe(200);
      expect(original.rawPayload.equals(xml)).toBe(true);
    },
  );

  it('refuses hostile and broken XML with the reader’s code, storing nothing', async () => {
    const secret = path.join(dir, 'secret.txt');
    writeFileSync(secret, 'TOP-SECRET-CONTENT-4711');
    const base = readFileSync(path.join(UBL_DIR, 'peppol/examples-3.0.21/base-example.xml'), 'utf8').replace(
      /^<\?xml[^>]*\?>/,
      '',
    );
    const before = await count();
    const cases: [string, string | Buffer, string, number][] = [
      [
        'external entity',
        `<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY x SYSTEM "file://${secret}">]>${base.replace('<cbc:Note>', '<cbc:Note>&x;')}`,
        'XML_DOCTYPE_REFUSED',
        422,
      ],
      [
        'billion laughs',
        `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>`,
        'XML_DOCTYPE_REFUSED',
        422,
      ],
      ['50 MB', Buffer.alloc(50 * 1024 * 1024, 0x20), 'XML_TOO_LARGE', 413],
      ['malformed', base.slice(0, base.length / 2), 'XML_MALFORMED', 422],
      [
        'not an invoice',
        '<?xml version="1.0"?><Order xmlns="urn:x"><ID>1</ID></Order>',
        'NOT_UBL_INVOICE',
        422,
      ],
    ];
    for (const [name, xml, code, status] of cases) {
      const response = await upload(xml);
      expect(response.statusCode, `${name}: ${response.body.slice(0, 300)}`).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().code, name).toBe(code);
      expect(response.body).not.toContain('TOP-SECRET');
    }
    expect(await count()).toBe(before);
    const all = await call({ method: 'GET', url: '/api/v1/supplier-invoices?page_size=100' });
    expect(all.body).not.toContain('TOP-SECRET');
  });
});

// The three-way match through the API, on a company of its own.

let m: Session;
let mc: Call;
let vendors = 0;
async function aVendor(extra: object = {}) {
  const vat = `3${String(100000000 + ++vendors).padStart(9, '0')}00003`;
  const response = await mc({
    method: 'POST',
    url: '/api/v1/vendors',
    payload: {
      ...SA_BUYER,
      vat_number: vat,
      name_en: `Supplier ${vendors}`,
      email: `s${vendors}@example.com`,
      ...extra,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function aReceivedOrder(
  vendorId: string,
  lines: { description: string; quantity: string; unit_price: string; received: string }[],
) {
  const created = await mc({
    method: 'POST',
    url: '/api/v1/purchase-orders',
    payload: { vendor_id: vendorId, lines: lines.map(({ received: _, ...l }) => ({ ...l, vat_rate: '15' })) },
  });
  expect(created.statusCode, created.body).toBe(201);
  const order = created.json();
  expect(
    (
      await mc({
        method: 'POST',
        url: `/api/v1/purchase-orders/${order.id}/send`,
        payload: { to: 'x@example.com' },
      })
    ).statusCode,
  ).toBe(202);
  const received = lines
    .map((l, i) => ({ purchase_order_line_id: order.lines[i].id, quantity: l.received }))
    .filter((l) => l.quantity !== '0');
  if (received.length > 0) {
    const receipt = await mc({
      method: 'POST',
      url: `/api/v1/purchase-orders/${order.id}/receipts`,
      payload: { lines: received },
    });
    expect(receipt.statusCode, receipt.body).toBe(201);
  }
  return order;
}

let numbers = 0;
async function anInvoice(payload: Record<string, unknown>, c: Call = mc) {
  const response = await c({
    method: 'POST',
    url: '/api/v1/supplier-invoices',
    payload: { number: `SUP-${++numbers}`, issue_date: '2026-11-01', due_date: '2026-11-30', ...payload },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}
const matchOf = async (id: string) =>
  (await mc({ method: 'GET', url: `/api/v1/supplier-invoices/${id}/match` })).json();
const codes = (match: {
  reasons: { code: string; exception: boolean }[];
  lines: { reasons: { code: string; exception: boolean }[] }[];
}) =>
  [...match.reasons, ...match.lines.flatMap((l) => l.reasons)].map(
    (r) => `${r.code}${r.exception ? '!' : ''}`,
  );

describe('three-way match', () => {
  beforeAll(async () => {
    m = await registerUser(t.app);
    mc = as(t.app, m);
  });

  it('matches a table of cases and keeps the result', async () => {
    const v = await aVendor();
    const paper = () =>
      aReceivedOrder(v.id, [
        { description: 'A4 paper', quantity: '100', unit_price: '10.00', received: '100' },
      ]);
    const line = (quantity: string, unit_price: string, extra: object = {}) => ({
      description: 'A4 paper',
      quantity,
      unit_price,
      vat_rate: '15',
      ...extra,
    });

    const cases: {
      name: string;
      setup: () => Promise<Record<string, unknown>>;
      status: string;
      reasons: string[];
      approvable: boolean;
    }[] = [
      {
        name: 'exact',
        setup: async () => ({ po_number: (await paper()).number, lines: [line('100', '10.00')] }),
        status: 'full_match',
        reasons: [],
        approvable: true,
      },
      {
        name: 'price 3 % over, under the 5 % tolerance',
        setup: async () => ({ po_number: (await paper()).number, lines: [line('100', '10.30')] }),
        status: 'variance_detected',
        reasons: ['PRICE_ABOVE_ORDER'],
        approvable: true,
      },
      {
        name: 'price 6 % over the tolerance',
        setup: async () => ({ po_number: (await paper()).number, lines: [line('100', '10.60')] }),
        status: 'partial_match',
        reasons: ['PRICE_ABOVE_ORDER!'],
        approvable: false,
      },
      {
        name: 'price under the order',
        setup: async () => ({ po_number: (await paper()).number, lines: [line('100', '9.90')] }),
        status: 'variance_detected',
        reasons: ['PRICE_BELOW_ORDER'],
        approvable: true,
      },
      {
        name: 'billed over received',
        setup: async () => ({
          po_number: (
            await aReceivedOrder(v.id, [
              { description: 'Chair', quantity: '10', unit_price: '200', received: '8' },
            ])
          ).number,
          lines: [{ description: 'Chair', quantity: '10', unit_price: '200' }],
        }),
        status: 'partial_match',
        reasons: ['QUANTITY_ABOVE_RECEIVED!'],
        approvable: false,
      },
      {
        name: 'partial receipt billed as received',
        setup: async () => ({
          po_number: (
            await aReceivedOrder(v.id, [
              { description: 'Chair', quantity: '10', unit_price: '200', received: '6' },
            ])
          ).number,
          lines: [{ description: 'Chair', quantity: '6', unit_price: '200' }],
        }),
        status: 'full_match',
        reasons: [],
        approvable: true,
      },
      {
        name: 'two purchase orders on one invoice',
        setup: async () => {
          const a = await aReceivedOrder(v.id, [
            { description: 'Desk', quantity: '2', unit_price: '900', received: '2' },
          ]);
          const b = await aReceivedOrder(v.id, [
            { description: 'Desk', quantity: '1', unit_price: '950', received: '1' },
          ]);
          return {
            order_references: [a.number, b.number],
            lines: [
              { description: 'Desk', quantity: '2', unit_price: '900', order_reference: a.number },
              { description: 'Desk', quantity: '1', unit_price: '950', order_reference: b.number },
            ],
          };
        },
        status: 'full_match',
        reasons: [],
        approvable: true,
      },
      {
        name: 'no purchase order',
        setup: async () => ({ vendor_id: (await aVendor()).id, lines: [line('1', '10')] }),
        status: 'not_matched',
        reasons: ['NO_ORDER!'],
        approvable: false,
      },
      {
        name: 'unknown supplier',
        setup: async () => ({
          vendor_id: undefined,
          supplier_trn: '399999999800003',
          lines: [line('1', '10')],
        }),
        status: 'not_matched',
        reasons: ['UNKNOWN_SUPPLIER!'],
        approvable: false,
      },
    ];
    for (const c of cases) {
      const invoice = await anInvoice({ vendor_id: v.id, ...(await c.setup()) });
      expect(invoice.match_status, c.name).toBe(c.status);
      const match = await matchOf(invoice.id);
      expect({
        name: c.name,
        status: match.status,
        reasons: codes(match),
        approvable: match.approvable,
      }).toEqual({
        name: c.name,
        status: c.status,
        reasons: c.reasons,
        approvable: c.approvable,
      });
      const filtered = await mc({
        method: 'GET',
        url: `/api/v1/inward-invoices?matching_status=${c.status}&page_size=100`,
      });
      expect(filtered.json().supplier_invoices.map((i: { id: string }) => i.id)).toContain(invoice.id);
    }
  });

  it('matches again after a goods receipt; approval bills the goods once, a second invoice for them is a variance', async () => {
    const v = await aVendor();
    const order = await aReceivedOrder(v.id, [
      { description: 'Bolts', quantity: '10', unit_price: '5', received: '0' },
    ]);
    const invoice = await anInvoice({
      vendor_id: v.id,
      po_number: order.number,
      lines: [{ description: 'Bolts', quantity: '10', unit_price: '5' }],
    });
    expect(codes(await matchOf(invoice.id))).toEqual(['NOT_RECEIVED!']);
    const refused = await mc({
      method: 'POST',
      url: `/api/v1/supplier-invoices/${invoice.id}/approve`,
      payload: {},
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('SUPPLIER_INVOICE_HAS_EXCEPTIONS');
    await mc({
      method: 'POST',
      url: `/api/v1/purchase-orders/${order.id}/receipts`,
      payload: { lines: [{ purchase_order_line_id: order.lines[0].id, quantity: '10' }] },
    });
    const again = await mc({ method: 'POST', url: `/api/v1/supplier-invoices/${invoice.id}/match` });
    expect(again.json()).toMatchObject({ status: 'full_match', approvable: true });

    const approved = await mc({ method: 'POST', url: `/api/v1/supplier-invoices/${invoice.id}/approve` });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', override_reason: null });
    const twice = await mc({ method: 'POST', url: `/api/v1/supplier-invoices/${invoice.id}/approve` });
    expect(twice.json().approved_at).toBe(approved.json().approved_at);
    const dispute = await mc({
      method: 'POST',
      url: `/api/v1/supplier-invoices/${invoice.id}/dispute`,
      payload: { reason: 'Too late' },
    });
    expect(dispute.statusCode).toBe(409);
    expect(dispute.json().code).toBe('SUPPLIER_INVOICE_ALREADY_APPROVED');
    expect(
      (await mc({ method: 'POST', url: `/api/v1/supplier-invoices/${invoice.id}/match` })).json().code,
    ).toBe('SUPPLIER_INVOICE_NOT_MATCHABLE');

    const second = await anInvoice({
      vendor_id: v.id,
      po_number: order.number,
      lines: [{ description: 'Bolts', quantity: '10', unit_price: '5' }],
    });
    expect(second.match_status).toBe('partial_match');
    expect(codes(await matchOf(second.id))).toEqual(['NOT_RECEIVED!']);
    // Disputed, then approved over the exception with a reason: both in the audit log.
    const disputed = await mc({
      method: 'POST',
      url: `/api/v1/supplier-invoices/${second.id}/dispute`,
      payload: { reason: 'Billed twice' },
    });
    expect(disputed.json()).toMatchObject({ status: 'disputed', dispute_reason: 'Billed twice' });
    const overridden = await mc({
      method: 'POST',
      url: `/api/v1/supplier-invoices/${second.id}/approve`,
      payload: { override_reason: 'Agreed by phone: a second delivery is on its way' },
    });
    expect(overridden.statusCode, overridden.body).toBe(200);
    expect(overridden.json()).toMatchObject({
      status: 'approved',
      override_reason: 'Agreed by phone: a second delivery is on its way',
    });
    const audit = await mc({ method: 'GET', url: `/api/v1/audit-log?entity_id=${second.id}` });
    if (audit.statusCode === 200) {
      expect(audit.body).toContain('supplier_invoice.disputed');
      expect(audit.body).toContain('supplier_invoice.approved');
    }
  });

  it('refuses a duplicate number of the same vendor (typed in or uploaded) with 409', async () => {
    const v = await aVendor();
    await anInvoice({
      vendor_id: v.id,
      number: 'DUP-1',
      lines: [{ description: 'x', quantity: '1', unit_price: '1' }],
    });
    const again = await mc({
      method: 'POST',
      url: '/api/v1/supplier-invoices',
      payload: {
        vendor_id: v.id,
        number: 'DUP-1',
        issue_date: '2026-11-02',
        lines: [{ description: 'y', quantity: '2', unit_price: '1' }],
      },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('DUPLICATE_SUPPLIER_INVOICE');
    const byTrn = await mc({
      method: 'POST',
      url: '/api/v1/supplier-invoices',
      payload: {
        supplier_trn: v.vat_number,
        number: 'DUP-1',
        issue_date: '2026-11-02',
        lines: [{ description: 'y', quantity: '2', unit_price: '1' }],
      },
    });
    expect(byTrn.statusCode).toBe(409);
  });

  it('lets owners and admins approve; finance, viewers and accountants cannot', async () => {
    const v = await aVendor();
    const invoice = await anInvoice({
      vendor_id: v.id,
      lines: [{ description: 'x', quantity: '1', unit_price: '1' }],
    });
    for (const role of ['finance', 'viewer']) {
      const member = as(t.app, await addMember(t.app, m, role));
      for (const action of ['approve', 'dispute']) {
        const response = await member({
          method: 'POST',
          url: `/api/v1/supplier-invoices/${invoice.id}/${action}`,
          payload: { reason: 'Because' },
        });
        expect(response.statusCode, `${role} ${action}`).toBe(403);
      }
    }
    const accountant = as(t.app, await addMember(t.app, m, 'accountant', ['invoices']));
    expect(
      (await accountant({ method: 'GET', url: `/api/v1/supplier-invoices/${invoice.id}` })).statusCode,
    ).toBe(403);
    const admin = as(t.app, await addMember(t.app, m, 'admin'));
    const approved = await admin({
      method: 'POST',
      url: `/api/v1/supplier-invoices/${invoice.id}/approve`,
      payload: { override_reason: 'No order for services' },
    });
    expect(approved.statusCode, approved.body).toBe(200);
  });
});

describe('bills to pay', () => {
  it('allocates one payment to two bills, refuses over-allocation, ages open bills on a fixed date', async () => {
    const v = await aVendor();
    const bill = async (due: string, price: string) => {
      const invoice = await anInvoice({
        vendor_id: v.id,
        due_date: due,
        issue_date: '2026-01-01',
        lines: [{ description: 'Service', quantity: '1', unit_price: price }],
      });
      const approved = await mc({
        method: 'POST',
        url: `/api/v1/supplier-invoices/${invoice.id}/approve`,
        payload: { override_reason: 'Services, no order' },
      });
      expect(approved.statusCode, approved.body).toBe(200);
      return invoice;
    };
    const a = await bill('2026-12-20', '100.00');
    const b = await bill('2026-11-15', '50.00');
    const c = await bill('2026-08-01', '30.00');
    const over = await mc({
      method: 'POST',
      url: '/api/v1/supplier-payments',
      payload: {
        amount: '200',
        payment_date: '2026-12-01',
        method: 'bank_transfer',
        allocations: [{ supplier_invoice_id: a.id, amount: '120' }],
      },
    });
    expect(over.statusCode).toBe(422);
    expect(over.json().errors).toEqual([
      expect.objectContaining({ path: 'allocations.0.amount', code: 'OVER_ALLOCATION' }),
    ]);
    const beyondPayment = await mc({
      method: 'POST',
      url: '/api/v1/supplier-payments',
      payload: {
        amount: '10',
        payment_date: '2026-12-01',
        method: 'bank_transfer',
        allocations: [{ supplier_invoice_id: a.id, amount: '20' }],
      },
    });
    expect(beyondPayment.json().errors).toEqual([
      expect.objectContaining({ path: 'allocations', code: 'OVER_ALLOCATION' }),
    ]);
    const paid = await mc({
      method: 'POST',
      url: '/api/v1/supplier-payments',
      payload: {
        amount: '90',
        payment_date: '2026-12-01',
        method: 'bank_transfer',
        reference: 'TRF-1',
        allocations: [
          { supplier_invoice_id: a.id, amount: '40' },
          { supplier_invoice_id: b.id, amount: '50' },
        ],
      },
    });
    expect(paid.statusCode, paid.body).toBe(201);
    expect(paid.json()).toMatchObject({ amount: '90.00', allocated_amount: '90.00' });
    const bills = (await mc({ method: 'GET', url: `/api/v1/bills?vendor_id=${v.id}&state=all` })).json()
      .bills;
    expect(
      bills.map((x: { number: string; open_amount: string; payment_status: string }) => [
        x.number,
        x.open_amount,
        x.payment_status,
      ]),
    ).toEqual([
      [c.number, '30.00', 'unpaid'],
      [b.number, '0.00', 'paid'],
      [a.number, '60.00', 'partially_paid'],
    ]);
    const aging = (await mc({ method: 'GET', url: '/api/v1/payables/aging?as_of=2026-12-01' })).json();
    expect(aging.as_of).toBe('2026-12-01');
    const sar = aging.currencies.find((x: { currency: string }) => x.currency === 'SAR');
    // a is not due yet; b is paid; c is 122 days late. Earlier tests' approved bills of this company count too.
    expect(Number(sar.current)).toBeGreaterThanOrEqual(60);
    expect(sar.days_90_plus).not.toBe('0.00');
  });

  it('pays a bill once when the same Idempotency-Key is sent again, and refuses the key for another payment', async () => {
    const v = await aVendor();
    const invoice = await anInvoice({
      vendor_id: v.id,
      due_date: '2026-12-20',
      issue_date: '2026-01-01',
      lines: [{ description: 'Service', quantity: '1', unit_price: '80.00' }],
    });
    await mc({
      method: 'POST',
      url: `/api/v1/supplier-invoices/${invoice.id}/approve`,
      payload: { override_reason: 'Services, no order' },
    });
    const payment = {
      amount: '40',
      payment_date: '2026-12-01',
      method: 'bank_transfer',
      allocations: [{ supplier_invoice_id: invoice.id, amount: '40' }],
    };
    const headers = { 'idempotency-key': `pay-${invoice.id}` };
    const first = await mc({ method: 'POST', url: '/api/v1/supplier-payments', payload: payment, headers });
    const again = await mc({ method: 'POST', url: '/api/v1/supplier-payments', payload: payment, headers });
    expect(first.statusCode, first.body).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    const other = await mc({
      method: 'POST',
      url: '/api/v1/supplier-payments',
      payload: { ...payment, amount: '41', allocations: [{ supplier_invoice_id: invoice.id, amount: '41' }] },
      headers,
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    const bills = (await mc({ method: 'GET', url: `/api/v1/bills?vendor_id=${v.id}&state=all` })).json()
      .bills;
    expect(bills[0]).toMatchObject({ open_amount: '40.00', payment_status: 'partially_paid' });
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('at once (PostgreSQL)', () => {
  it('10 identical uploads store exactly one; 5 approvals at once bill once', async () => {
    const second = await openSecondApp(t);
    if (!second) throw new Error('PostgreSQL expected');
    try {
      const xml = readFileSync(
        path.join(UBL_DIR, 'pint-ae/billing/trn-invoice/example/Commercial invoice.xml'),
      );
      const fresh = await registerUser(t.app);
      const calls = [as(t.app, fresh), as(second.app, fresh)];
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => upload(xml, calls[i % 2] as Call)),
      );
      const statuses = answers.map((a) => a.statusCode).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
      const list = await (calls[0] as Call)({ method: 'GET', url: '/api/v1/supplier-invoices' });
      expect(list.json().total).toBe(1);

      const v = await aVendor();
      const order = await aReceivedOrder(v.id, [
        { description: 'Nuts', quantity: '10', unit_price: '1', received: '10' },
      ]);
      const invoice = await anInvoice({
        vendor_id: v.id,
        po_number: order.number,
        lines: [{ description: 'Nuts', quantity: '10', unit_price: '1' }],
      });
      const mc2 = as(second.app, m);
      const approvals = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          (i % 2 ? mc : mc2)({ method: 'POST', url: `/api/v1/supplier-invoices/${invoice.id}/approve` }),
        ),
      );
      expect(approvals.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
      const po = (await mc({ method: 'GET', url: `/api/v1/purchase-orders/${order.id}` })).json();
      expect(po.lines[0].billed_quantity ?? null).toBe('10');
    } finally {
      await second.close();
    }
  });
});
