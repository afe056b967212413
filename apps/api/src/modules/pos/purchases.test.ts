// Sales at a till, through HTTP: the billing API's example as written, change from the drawer's counts (not
// greedy), stock, and one transaction that leaves nothing behind when any step fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AE_COMPANY,
  as,
  type Call,
  createTestApp,
  openSecondApp,
  registerUser,
  type TestApp,
} from '../../../test/support/app';

const IN_COMPANY = {
  legal_name_en: 'Sharma Stores',
  country: 'IN',
  vat_number: '27AAPFU0939F1ZV',
  address: { street: 'MG Road 12', city: 'Pune', postal_code: '411001', country: 'IN' },
};

let t: TestApp;
let shop: Call;
beforeAll(async () => {
  t = await createTestApp();
  shop = as(t.app, await registerUser(t.app, IN_COMPANY));
});
afterAll(() => t.close());

async function product(c: Call, body: object): Promise<string> {
  const response = await c({ method: 'POST', url: '/api/v1/products', payload: body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

async function till(c: Call, name: string): Promise<string> {
  const response = await c({ method: 'POST', url: '/api/v1/tills', payload: { name } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

async function stockOf(c: Call, id: string): Promise<string | null> {
  return (await c({ method: 'GET', url: `/api/v1/products/${id}` })).json().stock;
}

async function drawerOf(c: Call, tillId?: string) {
  const url = tillId ? `/api/v1/denominations?till_id=${tillId}` : '/api/v1/denominations';
  return (await c({ method: 'GET', url })).json().denominations as {
    value: string;
    available_count: number;
  }[];
}

describe('the billing example, as written', () => {
  let iphone: string;
  let cover: string;

  it('creates products and a denomination, and records the purchase with its change', async () => {
    iphone = await product(shop, { name: 'iPhone 15', stock: 10, price: 80000, tax_percent: 18 });
    cover = await product(shop, { name: 'Cover', stock: 5, price: 10000, tax_percent: 18 });
    const denomination = await shop({
      method: 'POST',
      url: '/api/v1/denominations',
      payload: { value: 500, available_count: 100 },
    });
    expect(denomination.statusCode, denomination.body).toBe(201);
    expect(denomination.json()).toEqual({ value: '500.00', available_count: 100 });

    const purchase = await shop({
      method: 'POST',
      url: '/api/v1/purchases',
      payload: {
        customer_email: 'selva@gmail.com',
        items: [
          { product_id: iphone, quantity: 1 },
          { product_id: cover, quantity: 2 },
        ],
        paid_amount: 120000,
      },
    });
    expect(purchase.statusCode, purchase.body).toBe(201);
    // 80000 + 2 × 10000 at 18 %: 118000.00; 2000.00 back as four 500 notes.
    expect(purchase.json()).toMatchObject({
      customer_email: 'selva@gmail.com',
      currency: 'INR',
      subtotal: '100000.00',
      tax_amount: '18000.00',
      total_amount: '118000.00',
      paid_amount: '120000.00',
      change_amount: '2000.00',
      change: [{ value: '500.00', count: 4 }],
      items: [
        { product_id: iphone, name: 'iPhone 15', quantity: '1', unit_price: '80000.00', tax_percent: '18' },
        { product_id: cover, name: 'Cover', quantity: '2', unit_price: '10000.00', tax_percent: '18' },
      ],
    });
    expect(await stockOf(shop, iphone)).toBe('9');
    expect(await stockOf(shop, cover)).toBe('3');
    expect(await drawerOf(shop)).toEqual([{ value: '500.00', available_count: 96 }]);

    const id = purchase.json().id;
    const read = await shop({ method: 'GET', url: `/api/v1/purchases/${id}` });
    expect(read.json()).toEqual(purchase.json());
    const list = await shop({ method: 'GET', url: '/api/v1/purchases' });
    expect(list.json().purchases.map((p: { id: string }) => p.id)).toEqual([id]);
    // The sale is an issued invoice of the company's series, the stock movements point at it.
    const invoice = await shop({ method: 'GET', url: `/api/v1/invoices/${purchase.json().invoice_id}` });
    expect(invoice.json()).toMatchObject({ status: 'issued', total_amount: '118000.00' });
    const movements = (
      await shop({ method: 'GET', url: `/api/v1/products/${cover}/stock-movements` })
    ).json();
    expect(movements.movements[0]).toMatchObject({
      kind: 'sale',
      quantity: '-2',
      balance: '3',
      invoice_id: purchase.json().invoice_id,
    });
  });

  it('keeps the prices as sold when the catalogue changes later', async () => {
    const [first] = (await shop({ method: 'GET', url: '/api/v1/purchases' })).json().purchases;
    await shop({
      method: 'PUT',
      url: `/api/v1/products/${iphone}`,
      payload: { price: 99999, name: 'iPhone 16' },
    });
    const again = (await shop({ method: 'GET', url: `/api/v1/purchases/${first.id}` })).json();
    expect(again.items[0]).toMatchObject({ name: 'iPhone 15', unit_price: '80000.00' });
    expect(again.total_amount).toBe('118000.00');
  });

  it('finds the customer again by e-mail instead of making a second one', async () => {
    const sold = await shop({
      method: 'POST',
      url: '/api/v1/purchases',
      payload: {
        customer_email: 'SELVA@gmail.com',
        items: [{ product_id: cover, quantity: 1 }],
        paid_amount: 11800,
      },
    });
    expect(sold.statusCode, sold.body).toBe(201);
    const [latest, first] = (await shop({ method: 'GET', url: '/api/v1/purchases' })).json().purchases;
    expect(latest.customer_id).toBe(first.customer_id);
  });
});

describe('change from the drawer', () => {
  it('pays 60 from {50, 20, 20, 20} as three 20s, where greedy would give up', async () => {
    const pen = await product(shop, { name: 'Pen', stock: 5, price: 100, tax_percent: 18 });
    const tillId = await till(shop, 'Change till');
    for (const [value, count] of [
      [50, 1],
      [20, 3],
    ] as const) {
      await shop({
        method: 'POST',
        url: '/api/v1/denominations',
        payload: { value, available_count: count, till_id: tillId },
      });
    }
    const sold = await shop({
      method: 'POST',
      url: '/api/v1/purchases',
      payload: { items: [{ product_id: pen, quantity: 1 }], paid_amount: 178, till_id: tillId },
    });
    expect(sold.statusCode, sold.body).toBe(201);
    expect(sold.json()).toMatchObject({
      total_amount: '118.00',
      change_amount: '60.00',
      change: [{ value: '20.00', count: 3 }],
    });
    expect(await drawerOf(shop, tillId)).toEqual([
      { value: '50.00', available_count: 1 },
      { value: '20.00', available_count: 0 },
    ]);
  });

  it('refuses change it cannot make, and underpayment, leaving stock, drawer and numbering alone', async () => {
    const pen = await product(shop, { name: 'Marker', stock: 5, price: 100, tax_percent: 18 });
    const tillId = await till(shop, 'Small till');
    await shop({
      method: 'POST',
      url: '/api/v1/denominations',
      payload: { value: 50, available_count: 3, till_id: tillId },
    });
    const before = (await shop({ method: 'GET', url: '/api/v1/invoices?page_size=1' })).json();
    const noChange = await shop({
      method: 'POST',
      url: '/api/v1/purchases',
      payload: { items: [{ product_id: pen, quantity: 1 }], paid_amount: 200, till_id: tillId },
    });
    expect(noChange.statusCode, noChange.body).toBe(409);
    expect(noChange.json()).toMatchObject({ code: 'CHANGE_UNAVAILABLE', change_amount: '82.00' });
    const short = await shop({
      method: 'POST',
      url: '/api/v1/purchases',
      payload: { items: [{ product_id: pen, quantity: 1 }], paid_amount: '117.99', till_id: tillId },
    });
    expect(short.statusCode, short.body).toBe(422);
    expect(short.json()).toMatchObject({ code: 'PAYMENT_TOO_LOW', total_amount: '118.00' });
    expect(await stockOf(shop, pen)).toBe('5');
    expect(await drawerOf(shop, tillId)).toEqual([{ value: '50.00', available_count: 3 }]);
    const after = (await shop({ method: 'GET', url: '/api/v1/invoices?page_size=1' })).json();
    expect(after.total).toBe(before.total);
    // Exact change with the customer's own notes in the drawer: 150 handed over as three 50s for 118 → no 32 to give.
    const tendered = await shop({
      method: 'POST',
      url: '/api/v1/purchases',
      payload: {
        items: [{ product_id: pen, quantity: 1 }],
        paid_amount: 118,
        tendered: [
          { value: 50, count: 2 },
          { value: '18', count: 1 },
        ],
        till_id: tillId,
      },
    });
    expect(tendered.statusCode, tendered.body).toBe(201);
    expect(await drawerOf(shop, tillId)).toEqual([
      { value: '50.00', available_count: 5 },
      { value: '18.00', available_count: 1 },
    ]);
  });
});

describe('stock at the till', () => {
  it('refuses more than is left with 409 INSUFFICIENT_STOCK naming the product', async () => {
    const lamp = await product(shop, { name: 'Desk lamp', stock: 1, price: 10, tax_percent: 18 });
    const sold = await shop({
      method: 'POST',
      url: '/api/v1/purchases',
      payload: { items: [{ product_id: lamp, quantity: 2 }], paid_amount: 100 },
    });
    expect(sold.statusCode, sold.body).toBe(409);
    expect(sold.json()).toMatchObject({
      code: 'INSUFFICIENT_STOCK',
      product_id: lamp,
      product_name: 'Desk lamp',
    });
    expect(sold.json().errors[0]).toMatchObject({ path: 'items.0.quantity', code: 'INSUFFICIENT_STOCK' });
    expect(await stockOf(shop, lamp)).toBe('1');
  });

  it('sells a service without stock', async () => {
    const repair = await product(shop, { name: 'Repair', price: 100, tax_percent: 18 });
    const sold = await shop({
      method: 'POST',
      url: '/api/v1/purchases',
      payload: { items: [{ product_id: repair, quantity: 1 }], paid_amount: 118 },
    });
    expect(sold.statusCode, sold.body).toBe(201);
    expect(await stockOf(shop, repair)).toBeNull();
  });
});

describe('one transaction per sale', () => {
  it('a failure after the stock and drawer moved and the number was taken leaves all of them untouched', async () => {
    const cup = await product(shop, { name: 'Cup', stock: 4, price: 100, tax_percent: 18 });
    const tillId = await till(shop, 'Fault till');
    await shop({
      method: 'POST',
      url: '/api/v1/denominations',
      payload: { value: 1, available_count: 50, till_id: tillId },
    });
    const invoicesBefore = (await shop({ method: 'GET', url: '/api/v1/invoices?page_size=100' })).json();
    // The sale row is written last, after stock, invoice number and drawer counts: failing it fails the commit.
    await t.database.execute(`
      CREATE FUNCTION fail_sale() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected failure before commit'; END $$;
      CREATE TRIGGER fail_sale BEFORE INSERT ON sales FOR EACH ROW EXECUTE FUNCTION fail_sale();`);
    try {
      const failed = await shop({
        method: 'POST',
        url: '/api/v1/purchases',
        headers: { 'idempotency-key': 'sale-fault-1' },
        payload: { items: [{ product_id: cup, quantity: 2 }], paid_amount: 240, till_id: tillId },
      });
      expect(failed.statusCode).toBe(500);
    } finally {
      await t.database.execute('DROP TRIGGER fail_sale ON sales; DROP FUNCTION fail_sale();');
    }
    expect(await stockOf(shop, cup)).toBe('4');
    expect(await drawerOf(shop, tillId)).toEqual([{ value: '1.00', available_count: 50 }]);
    const movements = (await shop({ method: 'GET', url: `/api/v1/products/${cup}/stock-movements` })).json();
    expect(movements.movements.map((m: { kind: string }) => m.kind)).toEqual(['opening']);
    const invoicesAfter = (await shop({ method: 'GET', url: '/api/v1/invoices?page_size=1' })).json();
    expect(invoicesAfter.total).toBe(invoicesBefore.total);
    // The number the failed sale had taken goes to the next one: the series stays gapless.
    const retried = await shop({
      method: 'POST',
      url: '/api/v1/purchases',
      headers: { 'idempotency-key': 'sale-fault-1' },
      payload: { items: [{ product_id: cup, quantity: 2 }], paid_amount: 240, till_id: tillId },
    });
    expect(retried.statusCode, retried.body).toBe(201);
    const last = invoicesBefore.invoices
      .map((invoice: { invoice_number: string }) => invoice.invoice_number)
      .sort()
      .at(-1) as string;
    const next = `${last.slice(0, -6)}${String(Number(last.slice(-6)) + 1).padStart(6, '0')}`;
    expect(retried.json().invoice_number).toBe(next);
    expect(retried.json().change).toEqual([{ value: '1.00', count: 4 }]);
  });

  it('records a sale once however often the till retries it with its Idempotency-Key', async () => {
    const plate = await product(shop, { name: 'Plate', stock: 10, price: 100, tax_percent: 18 });
    const request = {
      method: 'POST' as const,
      url: '/api/v1/purchases',
      headers: { 'idempotency-key': 'till-7-sale-0001' },
      payload: { items: [{ product_id: plate, quantity: 1 }], paid_amount: 118 },
    };
    const answers = [await shop(request), await shop(request), await shop(request)];
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201]);
    expect(answers[1]?.headers['idempotent-replayed']).toBe('true');
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    expect(await stockOf(shop, plate)).toBe('9');
    const reused = await shop({ ...request, payload: { ...request.payload, paid_amount: 200 } });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('sales at once on several tills (PostgreSQL)', () => {
  it('the last unit sold from two tills at once: one sale, one 409 naming the product', async () => {
    const second = await openSecondApp(t);
    if (!second) throw new Error('PostgreSQL expected');
    try {
      const owner = await registerUser(t.app, IN_COMPANY);
      const tillA = as(t.app, owner);
      const tillB = as(second.app, owner);
      const [a, b] = [await till(tillA, 'Front'), await till(tillA, 'Back')];
      for (let trial = 0; trial < 5; trial++) {
        const last = await product(tillA, {
          name: `Last lamp ${trial}`,
          stock: 1,
          price: 10,
          tax_percent: 18,
        });
        const sell = (c: Call, tillId: string) =>
          c({
            method: 'POST',
            url: '/api/v1/purchases',
            payload: { items: [{ product_id: last, quantity: 1 }], paid_amount: '11.80', till_id: tillId },
          });
        const answers = await Promise.all([sell(tillA, a), sell(tillB, b)]);
        expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, 409]);
        const refused = answers.find((answer) => answer.statusCode === 409);
        expect(refused?.json()).toMatchObject({
          code: 'INSUFFICIENT_STOCK',
          product_id: last,
          product_name: `Last lamp ${trial}`,
        });
        expect(await stockOf(tillA, last)).toBe('0');
      }
    } finally {
      await second.close();
    }
  });

  it('200 concurrent sales on four tills, items in either order: stock never below zero, no deadlock', async () => {
    const owner = await registerUser(t.app, IN_COMPANY);
    const c = as(t.app, owner);
    const tillIds: string[] = [];
    for (const name of ['T1', 'T2', 'T3', 'T4']) tillIds.push(await till(c, name));
    const bowls = await product(c, { name: 'Bowl', stock: 150, price: 10, tax_percent: 18 });
    const spoons = await product(c, { name: 'Spoon', stock: 1000, price: 10, tax_percent: 18 });
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, index) => {
        const items = [
          { product_id: bowls, quantity: 1 },
          { product_id: spoons, quantity: 1 },
        ];
        return c({
          method: 'POST',
          url: '/api/v1/purchases',
          payload: {
            items: index % 2 === 0 ? items : items.reverse(),
            paid_amount: '23.60',
            till_id: tillIds[index % 4],
          },
        });
      }),
    );
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(150);
    expect(statuses.filter((status) => status === 409)).toHaveLength(50);
    for (const answer of answers.filter((a) => a.statusCode === 409)) {
      expect(answer.json()).toMatchObject({ code: 'INSUFFICIENT_STOCK', product_name: 'Bowl' });
    }
    expect(await stockOf(c, bowls)).toBe('0');
    expect(await stockOf(c, spoons)).toBe('850');
    const { rows } = await t.database.execute(
      'SELECT count(*)::int AS n, min(balance)::text AS lowest FROM stock_movements WHERE product_id = $1',
      [bowls],
    );
    expect(rows[0]).toEqual({ n: 151, lowest: '0' });
    // Every sale is an invoice with its own number: 150 sales, 150 numbers, no gap.
    const list = (await c({ method: 'GET', url: '/api/v1/invoices?page_size=100' })).json();
    expect(list.total).toBe(150);
  }, 300_000);
});

describe('a UAE company’s sale', () => {
  it('is a simplified tax invoice at the UAE rate', async () => {
    const uae = as(t.app, await registerUser(t.app, AE_COMPANY));
    const tea = await product(uae, { name: 'Karak tea', price: 10, stock: 20 });
    const sold = await uae({
      method: 'POST',
      url: '/api/v1/purchases',
      payload: {
        customer_email: 'guest@example.com',
        items: [{ product_id: tea, quantity: 2 }],
        paid_amount: 21,
      },
    });
    expect(sold.statusCode, sold.body).toBe(201);
    expect(sold.json()).toMatchObject({
      currency: 'AED',
      invoice_subtype: 'simplified',
      total_amount: '21.00',
      change_amount: '0.00',
      change: [],
      items: [{ tax_percent: '5' }],
    });
  });
});

describe("a till's own number series", () => {
  it('numbers its sales and returns in its own gapless series, beside the company series', async () => {
    const own = await as(t.app, await registerUser(t.app, { ...IN_COMPANY, legal_name_en: 'Sharma Two' }));
    const pen = await product(own, { name: 'Pen', stock: 10, price: 50, tax_percent: 18 });
    const front = await own({
      method: 'POST',
      url: '/api/v1/tills',
      payload: { name: 'Front', series_code: 'T1' },
    });
    expect(front.statusCode, front.body).toBe(201);
    expect(front.json().series_code).toBe('T1');
    const back = await till(own, 'Back');
    const sale = async (tillId: string) => {
      const sold = await own({
        method: 'POST',
        url: '/api/v1/purchases',
        payload: { items: [{ product_id: pen, quantity: 1 }], paid_amount: 59, till_id: tillId },
      });
      expect(sold.statusCode, sold.body).toBe(201);
      return sold.json() as { id: string; invoice_number: string };
    };
    const year = new Date().getUTCFullYear();
    const first = await sale(front.json().id);
    const elsewhere = await sale(back);
    const second = await sale(front.json().id);
    expect(first.invoice_number).toMatch(/^INV-\d{4}-T1-000001$/);
    expect(second.invoice_number).toBe(first.invoice_number.replace(/000001$/, '000002'));
    expect(elsewhere.invoice_number).toMatch(/^INV-\d{4}-000001$/);
    expect(Math.abs(Number(first.invoice_number.slice(4, 8)) - year)).toBeLessThanOrEqual(1);

    const coins = await own({
      method: 'POST',
      url: '/api/v1/denominations',
      payload: { value: 1, available_count: 100, till_id: front.json().id },
    });
    expect(coins.statusCode, coins.body).toBe(201);
    const returned = await own({
      method: 'POST',
      url: `/api/v1/purchases/${first.id}/returns`,
      payload: { items: [{ product_id: pen, quantity: 1 }] },
    });
    expect(returned.statusCode, returned.body).toBe(201);
    expect(returned.json().credit_note_number).toMatch(/^CRN-\d{4}-T1-000001$/);
    expect(await stockOf(own, pen)).toBe('8');

    // The code is the till's alone, and a hand-typed number may not pose as one of its series.
    const taken = await own({
      method: 'POST',
      url: '/api/v1/tills',
      payload: { name: 'Side', series_code: 'T1' },
    });
    expect(taken.statusCode, taken.body).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'TILL_SERIES_TAKEN', errors: [{ path: 'series_code' }] });
    const bad = await own({
      method: 'POST',
      url: '/api/v1/tills',
      payload: { name: 'Side', series_code: '12' },
    });
    expect(bad.statusCode, bad.body).toBe(400);
    const customer = await own({
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name: 'Walk-in Ltd' },
    });
    const posing = await own({
      method: 'POST',
      url: '/api/v1/invoices',
      payload: {
        customer_id: customer.json().id,
        invoice_number: first.invoice_number.replace(/000001$/, '000009'),
        lines: [{ description: 'Pen', quantity: 1, unit_price: 50, vat_rate: 18 }],
      },
    });
    expect(posing.statusCode, posing.body).toBe(201);
    const issued = await own({
      method: 'POST',
      url: `/api/v1/invoices/${posing.json().id}/issue`,
      payload: {},
    });
    expect(issued.statusCode, issued.body).toBe(422);
    expect(issued.json().errors).toEqual([expect.objectContaining({ code: 'INVOICE_NUMBER_RESERVED' })]);
  });
});
