// A shift at a till: float counted in, sales, cash out, X report mid-shift, close with a count and the Z report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, createTestApp, registerUser, type TestApp } from '../../../test/support/app';

const IN_COMPANY = {
  legal_name_en: 'Sharma Stores',
  country: 'IN',
  vat_number: '27AAPFU0939F1ZV',
  address: { street: 'MG Road 12', city: 'Pune', postal_code: '411001', country: 'IN' },
};

let t: TestApp;
let c: Call;
beforeAll(async () => {
  t = await createTestApp();
  c = as(t.app, await registerUser(t.app, IN_COMPANY));
});
afterAll(() => t.close());

async function created(url: string, payload: object) {
  const response = await c({ method: 'POST', url, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

describe('a cash session', () => {
  it('expects float + what the sales kept + cash in − cash out, and closes with the counted difference', async () => {
    const till = await created('/api/v1/tills', { name: 'Shift till' });
    const pen = await created('/api/v1/products', { name: 'Pen', price: 100, tax_percent: 18, stock: 10 });
    // Float: 50 + 5 × 10 + 10 × 1 = 110.
    const opened = await created(`/api/v1/tills/${till.id}/sessions`, {
      counts: [
        { value: 50, count: 1 },
        { value: 10, count: 5 },
        { value: 1, count: 10 },
      ],
    });
    expect(opened).toMatchObject({
      report: 'X',
      status: 'open',
      opening_float: '110.00',
      expected_cash: '110.00',
    });
    const again = await c({
      method: 'POST',
      url: `/api/v1/tills/${till.id}/sessions`,
      payload: { counts: [] },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('SESSION_ALREADY_OPEN');

    // 118.00 paid with two 100 notes: 82.00 back (50 + 3 × 10 + 2 × 1) — change is part of the sale.
    const sale = await created('/api/v1/purchases', {
      items: [{ product_id: pen.id, quantity: 1 }],
      paid_amount: 200,
      tendered: [{ value: 100, count: 2 }],
      till_id: till.id,
    });
    expect(sale).toMatchObject({ session_id: opened.id, change_amount: '82.00' });
    expect(sale.change).toEqual([
      { value: '50.00', count: 1 },
      { value: '10.00', count: 3 },
      { value: '1.00', count: 2 },
    ]);
    const mid = (await c({ method: 'GET', url: `/api/v1/cash-sessions/${opened.id}` })).json();
    expect(mid).toMatchObject({
      report: 'X',
      sales_count: 1,
      sales_total: '118.00',
      cash_received: '200.00',
      change_given: '82.00',
      // 110 + 200 − 82, not 110 + 200 − 82 − 82.
      expected_cash: '228.00',
      counted_cash: null,
    });
    // A recount by hand would bypass the session: refused while it is open.
    const recount = await c({
      method: 'PUT',
      url: '/api/v1/denominations/1',
      payload: { available_count: 99, till_id: till.id },
    });
    expect(recount.statusCode).toBe(409);
    expect(recount.json().code).toBe('SESSION_OPEN');

    const dropped = await created(`/api/v1/cash-sessions/${opened.id}/movements`, {
      kind: 'cash_out',
      counts: [{ value: 10, count: 2 }],
      reason: 'Bank drop',
    });
    expect(dropped).toMatchObject({ kind: 'cash_out', amount: '20.00' });
    const tooMuch = await c({
      method: 'POST',
      url: `/api/v1/cash-sessions/${opened.id}/movements`,
      payload: { kind: 'cash_out', counts: [{ value: 50, count: 1 }] },
    });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().code).toBe('NOT_IN_DRAWER');
    const drawer = (await c({ method: 'GET', url: `/api/v1/denominations?till_id=${till.id}` })).json();
    expect(drawer.total).toBe('208.00');

    // Counted at the close: 2 × 100 + 7 × 1 = 207, one short of the 208 expected.
    const closed = await c({
      method: 'POST',
      url: `/api/v1/cash-sessions/${opened.id}/close`,
      payload: {
        counts: [
          { value: 100, count: 2 },
          { value: 1, count: 7 },
        ],
      },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({
      report: 'Z',
      status: 'closed',
      cash_out: '20.00',
      expected_cash: '208.00',
      counted_cash: '207.00',
      difference: '-1.00',
    });
    const after = await c({
      method: 'POST',
      url: `/api/v1/cash-sessions/${opened.id}/movements`,
      payload: { kind: 'cash_in', counts: [{ value: 1, count: 1 }] },
    });
    expect(after.json().code).toBe('SESSION_CLOSED');
    // The next shift starts from what was counted; a sale outside a session belongs to none.
    const next = (await c({ method: 'GET', url: `/api/v1/denominations?till_id=${till.id}` })).json();
    expect(next.total).toBe('207.00');
    const z = (await c({ method: 'GET', url: `/api/v1/cash-sessions/${opened.id}` })).json();
    expect(z).toEqual(closed.json());
  });
});

describe('a return', () => {
  it('credits the sale at the prices as sold, restores the stock and pays the refund from the drawer', async () => {
    const till = await created('/api/v1/tills', { name: 'Returns till' });
    const plate = await created('/api/v1/products', { name: 'Plate', price: 100, tax_percent: 18, stock: 5 });
    await created('/api/v1/denominations', { value: 100, available_count: 0, till_id: till.id });
    await created('/api/v1/denominations', { value: 1, available_count: 20, till_id: till.id });
    const sale = await created('/api/v1/purchases', {
      items: [{ product_id: plate.id, quantity: 2 }],
      paid_amount: 236,
      tendered: [
        { value: 100, count: 2 },
        { value: 1, count: 36 },
      ],
      till_id: till.id,
    });
    await c({ method: 'PUT', url: `/api/v1/products/${plate.id}`, payload: { price: 150 } });
    const returned = await created(`/api/v1/purchases/${sale.id}/returns`, {
      items: [{ product_id: plate.id, quantity: 1 }],
      reason: 'Chipped',
    });
    expect(returned).toMatchObject({
      sale_id: sale.id,
      refund_amount: '118.00',
      refund: [
        { value: '100.00', count: 1 },
        { value: '1.00', count: 18 },
      ],
    });
    expect(returned.credit_note_number).toMatch(/^CRN-/);
    expect((await c({ method: 'GET', url: `/api/v1/products/${plate.id}` })).json().stock).toBe('4');
    const drawer = (await c({ method: 'GET', url: `/api/v1/denominations?till_id=${till.id}` })).json();
    // 236 taken in, 20 in coins before, 118 paid back.
    expect(drawer.total).toBe('138.00');
    // More than is left to credit is refused, and nothing moves.
    const again = await c({
      method: 'POST',
      url: `/api/v1/purchases/${sale.id}/returns`,
      payload: { items: [{ product_id: plate.id, quantity: 2 }] },
    });
    expect(again.statusCode, again.body).toBe(422);
    expect(again.json().code).toBe('CREDIT_EXCEEDS_REMAINING');
    expect((await c({ method: 'GET', url: `/api/v1/products/${plate.id}` })).json().stock).toBe('4');
  });
});
