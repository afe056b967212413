// The till's product search: a scanned barcode finds its one product, a name is found by its first keystrokes
// (Latin or Arabic) or by any part of it, an SKU by itself; a barcode with a wrong check digit is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, createTestApp, registerUser, type TestApp } from '../../../test/support/app';
import { isGtin } from './schemas';

let t: TestApp;
let c: Call;
let other: Call;
beforeAll(async () => {
  t = await createTestApp();
  c = as(t.app, await registerUser(t.app));
  other = as(t.app, await registerUser(t.app));
});
afterAll(() => t.close());

const WATER = '6281000000113'; // EAN-13, check digit 3
const DATES = '96385074'; // EAN-8, check digit 4

async function names(call: Call, query: string): Promise<string[]> {
  const response = await call({ method: 'GET', url: `/api/v1/products?${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().products.map((p: { name_en: string }) => p.name_en);
}

describe('GS1 check digits', () => {
  it('accepts GTIN-8, -12, -13 and -14 with the right check digit only', () => {
    for (const code of [WATER, DATES, '036000291452', '4006381333931', '10012345678902']) {
      expect(isGtin(code), code).toBe(true);
    }
    for (const code of ['6281000000114', '96385075', '036000291453', '123', '40063813339310', 'abcdefgh']) {
      expect(isGtin(code), code).toBe(false);
    }
  });
});

describe('product search for the till', () => {
  it('keeps a barcode per product, refuses a wrong check digit and a second product with it', async () => {
    for (const product of [
      { name: 'Water 1.5 L', name_ar: 'مياه معدنية', price: '2', barcode: WATER, sku: 'WAT-150' },
      { name: 'Dates Ajwa', name_ar: 'تمر عجوة', price: '40', barcode: DATES },
      { name: 'Sparkling water', name_ar: 'مياه غازية', price: '3' },
      { name: 'Ahmed’s tea', name_ar: 'شاي أحمد', price: '12' },
    ]) {
      const response = await c({ method: 'POST', url: '/api/v1/products', payload: product });
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json().barcode).toBe(product.barcode ?? null);
    }
    const wrong = await c({
      method: 'POST',
      url: '/api/v1/products',
      payload: { name: 'Juice', price: '5', barcode: '6281000000114' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0]).toMatchObject({ path: 'barcode', code: 'INVALID_GTIN' });
    const twice = await c({
      method: 'POST',
      url: '/api/v1/products',
      payload: { name: 'Water copy', price: '2', barcode: WATER },
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('BARCODE_TAKEN');
    // Another company may sell the same article under the same barcode.
    const elsewhere = await other({
      method: 'POST',
      url: '/api/v1/products',
      payload: { name: 'Water', price: '2', barcode: WATER },
    });
    expect(elsewhere.statusCode).toBe(201);
  });

  it('finds the scanned product by its barcode, only in its own company', async () => {
    expect(await names(c, `barcode=${WATER}`)).toEqual(['Water 1.5 L']);
    expect(await names(c, `barcode=${DATES}`)).toEqual(['Dates Ajwa']);
    expect(await names(other, `barcode=${DATES}`)).toEqual([]);
    const refused = await c({ method: 'GET', url: '/api/v1/products?barcode=12345' });
    expect(refused.statusCode).toBe(400);
  });

  it('finds names by their first letters and by any part, in English and Arabic, and SKUs', async () => {
    expect(await names(c, 'search=wa')).toEqual(['Water 1.5 L']);
    expect(await names(c, 'search=water')).toEqual(['Sparkling water', 'Water 1.5 L']);
    expect(await names(c, 'q=ajw')).toEqual(['Dates Ajwa']);
    expect(await names(c, `search=${encodeURIComponent('مي')}`)).toEqual(['Sparkling water', 'Water 1.5 L']);
    expect(await names(c, `search=${encodeURIComponent('عجوة')}`)).toEqual(['Dates Ajwa']);
    // Hamza folded: "احمد" finds "أحمد".
    expect(await names(c, `search=${encodeURIComponent('احمد')}`)).toEqual(['Ahmed’s tea']);
    expect(await names(c, 'search=wat-1')).toEqual(['Water 1.5 L']);
    // LIKE wildcards are literal.
    expect(await names(c, 'search=%25')).toEqual([]);
  });
});
