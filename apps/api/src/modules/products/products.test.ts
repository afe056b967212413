import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AE_COMPANY, as, createTestApp, registerUser, type TestApp } from '../../../test/support/app';

let t: TestApp;
let call: ReturnType<typeof as>;
beforeAll(async () => {
  t = await createTestApp();
  call = as(t.app, await registerUser(t.app));
});
afterAll(() => t.close());

const PRODUCT = {
  name_en: 'Laptop',
  name_ar: 'حاسوب محمول',
  sku: 'LAP-01',
  unit_code: 'PCE',
  unit_price: '3499.99',
};

describe('products', () => {
  it('creates with the country default VAT rate, reads, changes, lists and searches', async () => {
    const created = await call({ method: 'POST', url: '/api/v1/products', payload: PRODUCT });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      ...PRODUCT,
      vat_category: 'S',
      vat_rate: '15',
      is_archived: false,
    });
    const id = created.json().id;
    const changed = await call({
      method: 'PATCH',
      url: `/api/v1/products/${id}`,
      payload: { unit_price: 3299.5 },
    });
    // A price has at least the company currency's digits (SAR: 2), and keeps finer ones.
    expect(changed.json().unit_price).toBe('3299.50');
    const found = await call({ method: 'GET', url: '/api/v1/products?q=lap-0' });
    expect(found.json(), found.body).toMatchObject({ total: 1, products: [{ id, unit_price: '3299.50' }] });
    const fine = await call({
      method: 'PATCH',
      url: `/api/v1/products/${id}`,
      payload: { unit_price: '0.125' },
    });
    expect(fine.json().unit_price).toBe('0.125');
    expect((await call({ method: 'GET', url: '/api/v1/products?q=حاسوب' })).json().total).toBe(1);
    // A UAE company's standard rate is 5 %.
    const uae = as(t.app, await registerUser(t.app, AE_COMPANY));
    const there = await uae({ method: 'POST', url: '/api/v1/products', payload: PRODUCT });
    expect(there.json()).toMatchObject({ vat_rate: '5', sku: 'LAP-01' });
  });

  it('keeps SKUs unique per company (409 SKU_TAKEN)', async () => {
    await call({ method: 'POST', url: '/api/v1/products', payload: { ...PRODUCT, sku: 'UNIQ-1' } });
    const again = await call({
      method: 'POST',
      url: '/api/v1/products',
      payload: { ...PRODUCT, sku: 'UNIQ-1' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('SKU_TAKEN');
    const other = await call({
      method: 'POST',
      url: '/api/v1/products',
      payload: { ...PRODUCT, sku: 'UNIQ-2' },
    });
    const renamed = await call({
      method: 'PATCH',
      url: `/api/v1/products/${other.json().id}`,
      payload: { sku: 'UNIQ-1' },
    });
    expect(renamed.statusCode).toBe(409);
  });

  it('checks price and VAT with the totals engine, field by field', async () => {
    const response = await call({
      method: 'POST',
      url: '/api/v1/products',
      payload: { name_en: 'Odd', unit_price: '1e3', vat_category: 'Z', vat_rate: '15' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({ path: 'unit_price', code: 'INVALID_NUMBER' });
    const rate = await call({
      method: 'POST',
      url: '/api/v1/products',
      payload: { name_en: 'Odd', unit_price: '10', vat_category: 'Z', vat_rate: '15' },
    });
    expect(rate.statusCode).toBe(400);
    expect(rate.json().errors.map((e: { path: string }) => e.path)).toContain('vat_rate');
    const negative = await call({
      method: 'POST',
      url: '/api/v1/products',
      payload: { name_en: 'Neg', unit_price: -1 },
    });
    expect(negative.json().errors[0]).toMatchObject({ path: 'unit_price', code: 'BR-27' });
  });

  it('deletes an unused product (204)', async () => {
    const created = await call({
      method: 'POST',
      url: '/api/v1/products',
      payload: { name_en: 'Temp', unit_price: 1 },
    });
    expect((await call({ method: 'DELETE', url: `/api/v1/products/${created.json().id}` })).statusCode).toBe(
      204,
    );
    expect((await call({ method: 'GET', url: `/api/v1/products/${created.json().id}` })).statusCode).toBe(
      404,
    );
  });
});

describe('seed-style products with stock', () => {
  const IN_COMPANY = {
    legal_name_en: 'Sharma Stores',
    country: 'IN',
    vat_number: '27AAPFU0939F1ZV',
    address: { street: 'MG Road 12', city: 'Pune', postal_code: '411001', country: 'IN' },
  };

  it('accepts name, price, tax_percent and stock, and answers with both spellings', async () => {
    const shop = as(t.app, await registerUser(t.app, IN_COMPANY));
    const created = await shop({
      method: 'POST',
      url: '/api/v1/products',
      payload: { name: 'iPhone 15', stock: 10, price: 80000, tax_percent: 18 },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      name_en: 'iPhone 15',
      name: 'iPhone 15',
      unit_price: '80000.00',
      price: '80000.00',
      vat_rate: '18',
      tax_percent: '18',
      stock_quantity: '10',
      stock: '10',
    });
    const id = created.json().id;
    const put = await shop({
      method: 'PUT',
      url: `/api/v1/products/${id}`,
      payload: { name: 'iPhone 15', stock: 7, price: 79000, tax_percent: 18 },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ price: '79000.00', stock: '7' });
    const received = await shop({
      method: 'POST',
      url: `/api/v1/products/${id}/stock-movements`,
      payload: { kind: 'receipt', quantity: 5, note: 'Delivery 42' },
    });
    expect(received.statusCode, received.body).toBe(201);
    expect(received.json()).toMatchObject({ kind: 'receipt', quantity: '5', balance: '12' });
    const movements = (await shop({ method: 'GET', url: `/api/v1/products/${id}/stock-movements` })).json();
    expect(
      movements.movements.map((m: { kind: string; quantity: string; balance: string }) => [
        m.kind,
        m.quantity,
        m.balance,
      ]),
    ).toEqual([
      ['receipt', '5', '12'],
      ['adjustment', '-3', '7'],
      ['opening', '10', '10'],
    ]);
    const tooMuch = await shop({
      method: 'POST',
      url: `/api/v1/products/${id}/stock-movements`,
      payload: { kind: 'adjustment', quantity: -13 },
    });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json()).toMatchObject({ code: 'INSUFFICIENT_STOCK', product_id: id });
    expect(tooMuch.json().message).toContain('iPhone 15');
  });

  it('refuses a stock below zero, a missing name and an alias that contradicts our field', async () => {
    const negative = await call({
      method: 'POST',
      url: '/api/v1/products',
      payload: { name: 'Pen', price: 2, stock: -1 },
    });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().errors).toEqual([
      expect.objectContaining({ path: 'stock', code: 'STOCK_NEGATIVE' }),
    ]);
    const both = await call({
      method: 'POST',
      url: '/api/v1/products',
      payload: { name: 'Pen', name_en: 'Ink pen', price: 2 },
    });
    expect(both.json().errors).toEqual([expect.objectContaining({ path: 'name', code: 'ALIAS_CONFLICT' })]);
    const nameless = await call({ method: 'POST', url: '/api/v1/products', payload: { price: 2 } });
    expect(nameless.json().errors).toEqual([expect.objectContaining({ path: 'name_en', code: 'REQUIRED' })]);
  });

  it('keeps stock at zero or above in the database itself', async () => {
    const created = await call({
      method: 'POST',
      url: '/api/v1/products',
      payload: { name: 'Mug', price: 20, stock: 1 },
    });
    await expect(
      t.database.execute(`UPDATE products SET stock_quantity = -1 WHERE id = '${created.json().id}'`),
    ).rejects.toThrow(/products_stock_not_negative/);
  });
});
