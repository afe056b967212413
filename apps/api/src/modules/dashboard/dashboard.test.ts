import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  as,
  type Call,
  openAppWithOwner,
  registerUser,
  type Session,
  type TestApp,
} from '../../../test/support/app';
import { createCustomer, issueInvoice } from '../../../test/support/receivables';
import { addDays, companyDate } from '../payments/company-date';

let t: TestApp;
let owner: Session;
let call: Call;
beforeAll(async () => ({ t, owner, call } = await openAppWithOwner()));
afterAll(() => t.close());

const today = companyDate('Asia/Riyadh');

/** The JSON of a successful response (a failure throws with its body, to show in the test output). */
async function ok(response: ReturnType<ReturnType<typeof as>>) {
  const r = await response;
  if (r.statusCode >= 300) throw new Error(`${r.statusCode} ${r.body}`);
  return r.json() as Record<string, unknown> & { id: string };
}

describe('dashboard', () => {
  it('matches the hand-checked figures of a seeded quarter', async () => {
    const alpha = await createCustomer(call, { name_en: 'Alpha Trading' });
    const beta = await createCustomer(call, { name_en: 'Beta Supplies' });
    const gamma = await createCustomer(call, { name_en: 'Gamma Retail' });
    const issue = (customerId: string, net: string, invoiceDate: string, dueInDays: number) =>
      issueInvoice(call, { customerId, net, invoiceDate, dueDate: addDays(today, dueInDays) });
    // Every invoice is one line at 15 % VAT: total = net × 1.15.
    const i1 = await issue(alpha.id, '1000', '2026-01-10', -10); // 1000 + 150 = 1150.00, 10 days late
    const i2 = await issue(alpha.id, '2000', '2026-01-20', -45); // 2000 + 300 = 2300.00, 45 days late
    const i3 = await issue(beta.id, '4000', '2026-02-05', -75); // 4000 + 600 = 4600.00, 75 days late
    const i4 = await issue(beta.id, '800', '2026-02-15', -120); // 800 + 120 = 920.00, 120 days late
    await issue(gamma.id, '3000', '2026-03-01', 15); // 3000 + 450 = 3450.00, due in 15 days
    const i6 = await issue(gamma.id, '500', '2026-03-10', -5); // 500 + 75 = 575.00, paid below
    // Credit note on i3: 1000 + 150 = 1150.00, so 4600.00 − 1150.00 = 3450.00 is due on i3.
    await issueInvoice(call, {
      type: 'credit_note',
      originalInvoiceId: i3.id,
      reason: 'Damaged goods',
      net: '1000',
      invoiceDate: '2026-03-15',
    });

    const pay = (payload: object) => ok(call({ method: 'POST', url: '/api/v1/payments', payload }));
    // P1 completed 2026-02-01: 1000.00 to i1.
    await pay({
      customer_id: alpha.id,
      amount: '1000',
      payment_date: '2026-02-01',
      allocations: [{ invoice_id: i1.id, amount: '1000' }],
    });
    // P2 completed 2026-02-20: 2000.00 to i3.
    await pay({
      customer_id: beta.id,
      amount: '2000',
      payment_date: '2026-02-20',
      allocations: [{ invoice_id: i3.id, amount: '2000' }],
    });
    // P3 completed 2026-03-12: mark-paid i6, 575.00.
    await ok(
      call({
        method: 'POST',
        url: `/api/v1/invoices/${i6.id}/mark-paid`,
        payload: { payment_date: '2026-03-12' },
      }),
    );
    // P4 2026-03-20: 500.00 to i2, then reversed: neither revenue nor paid.
    const p4 = await pay({
      customer_id: alpha.id,
      amount: '500',
      payment_date: '2026-03-20',
      allocations: [{ invoice_id: i2.id, amount: '500' }],
    });
    await ok(call({ method: 'PATCH', url: `/api/v1/payments/${p4.id}`, payload: { status: 'reversed' } }));
    // P5 pending 2026-03-25: 300.00 to i4: not received yet.
    await pay({
      customer_id: beta.id,
      amount: '300',
      status: 'pending',
      payment_date: '2026-03-25',
      allocations: [{ invoice_id: i4.id, amount: '300' }],
    });
    // P6 completed 2026-04-05 (after the quarter): 400.00, 100.00 to i1, 300.00 left as credit.
    await pay({
      customer_id: alpha.id,
      amount: '400',
      payment_date: '2026-04-05',
      allocations: [{ invoice_id: i1.id, amount: '100' }],
    });

    const dashboard = await ok(
      call({ method: 'GET', url: '/api/v1/dashboard?from=2026-01-01&to=2026-03-31' }),
    );
    expect(dashboard).toEqual({
      currency: 'SAR',
      from: '2026-01-01',
      to: '2026-03-31',
      as_of: today,
      // P1 + P2 + P3 = 1000.00 + 2000.00 + 575.00 (P4 reversed, P5 pending, P6 after the quarter).
      revenue_received: '3575.00',
      // February: P1 1000.00 + P2 2000.00; March: P3 575.00.
      revenue_by_month: [
        { month: '2026-02', received: '3000.00' },
        { month: '2026-03', received: '575.00' },
      ],
      // i1 1150 − 1000 − 100 = 50.00; i2 2300.00; i3 4600 − 1150 − 2000 = 1450.00; i4 920.00; i5 3450.00;
      // i6 paid; the credit note is not a receivable. 50 + 2300 + 1450 + 920 + 3450 = 8170.00.
      outstanding: { count: 5, amount: '8170.00' },
      // i1 + i2 + i3 + i4 = 50 + 2300 + 1450 + 920 = 4720.00.
      overdue: { count: 4, amount: '4720.00' },
      aging: {
        current: { count: 1, amount: '3450.00' }, // i5
        days_0_30: { count: 1, amount: '50.00' }, // i1, 10 days
        days_31_60: { count: 1, amount: '2300.00' }, // i2, 45 days
        days_61_90: { count: 1, amount: '1450.00' }, // i3, 75 days
        days_90_plus: { count: 1, amount: '920.00' }, // i4, 120 days
      },
      vat_by_month: [
        // January: i1 150 + i2 300 = 450.00.
        {
          month: '2026-01',
          vat_invoiced: '450.00',
          vat_credited: '0.00',
          vat_due: '450.00',
          vat_recoverable: '0.00',
          vat_payable: '450.00',
        },
        // February: i3 600 + i4 120 = 720.00.
        {
          month: '2026-02',
          vat_invoiced: '720.00',
          vat_credited: '0.00',
          vat_due: '720.00',
          vat_recoverable: '0.00',
          vat_payable: '720.00',
        },
        // March: i5 450 + i6 75 = 525.00, less the credit note's 150.00 = 375.00.
        {
          month: '2026-03',
          vat_invoiced: '525.00',
          vat_credited: '150.00',
          vat_due: '375.00',
          vat_recoverable: '0.00',
          vat_payable: '375.00',
        },
      ],
      top_customers: [
        { customer_id: beta.id, name: 'Beta Supplies', received: '2000.00', invoice_count: 1 }, // P2
        { customer_id: alpha.id, name: 'Alpha Trading', received: '1000.00', invoice_count: 1 }, // P1
        { customer_id: gamma.id, name: 'Gamma Retail', received: '575.00', invoice_count: 1 }, // P3
      ],
    });

    // April alone: P6's 100.00 allocated (its 300.00 credit is not revenue until allocated).
    const april = await ok(call({ method: 'GET', url: '/api/v1/dashboard?from=2026-04-01&to=2026-04-30' }));
    expect(april).toMatchObject({
      revenue_received: '100.00',
      revenue_by_month: [{ month: '2026-04', received: '100.00' }],
      vat_by_month: [],
      outstanding: { amount: '8170.00' },
    });
  });

  it('refuses a reversed range; a viewer reads it; another company sees only its own (nothing)', async () => {
    const bad = await call({ method: 'GET', url: '/api/v1/dashboard?from=2026-05-01&to=2026-04-01' });
    expect(bad.statusCode).toBe(400);
    const viewer = await addMember(t.app, owner, 'viewer');
    expect((await as(t.app, viewer)({ method: 'GET', url: '/api/v1/dashboard' })).statusCode).toBe(200);
    const other = await registerUser(t.app);
    const empty = await ok(as(t.app, other)({ method: 'GET', url: '/api/v1/dashboard' }));
    expect(empty).toMatchObject({
      revenue_received: '0.00',
      revenue_by_month: [],
      outstanding: { count: 0, amount: '0.00' },
      top_customers: [],
    });
  });
});
