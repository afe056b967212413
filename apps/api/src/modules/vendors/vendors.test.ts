import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AE_COMPANY,
  addMember,
  as,
  type Call,
  openAppWithOwner,
  registerUser,
  type Session,
  type TestApp,
} from '../../../test/support/app';
import { SA_BUYER } from '../../../test/support/companies';

let t: TestApp;
let owner: Session;
let call: Call;
beforeAll(async () => ({ t, owner, call } = await openAppWithOwner()));
afterAll(() => t.close());

/** A Saudi supplier: the SA buyer's valid VAT number and national address, paid into a Saudi IBAN. */
const SA_VENDOR = {
  ...SA_BUYER,
  name_en: 'Riyadh Paper Supplies',
  contacts: [{ name: 'Huda', email: 'huda@example.com', role: 'Sales' }],
  payment_terms_days: 30,
  currency: 'SAR',
  peppol_endpoint: { scheme: '0235', id: '310122393500003' },
  bank_name: 'Al Rajhi Bank',
};

describe('vendors', () => {
  it('creates, reads, changes and searches a vendor, its IBAN stored compact', async () => {
    const created = await call({
      method: 'POST',
      url: '/api/v1/vendors/',
      payload: { ...SA_VENDOR, iban: 'sa03 8000 0000 6080 1016 7519' },
    });
    expect(created.statusCode).toBe(201);
    const vendor = created.json();
    expect(vendor).toMatchObject({ ...SA_VENDOR, iban: 'SA0380000000608010167519', is_archived: false });

    const read = await call({ method: 'GET', url: `/api/v1/vendors/${vendor.id}/` });
    expect(read.json()).toEqual(vendor);

    const changed = await call({
      method: 'PATCH',
      url: `/api/v1/vendors/${vendor.id}`,
      payload: { payment_terms_days: 60, name_ar: null },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ payment_terms_days: 60, name_ar: null, iban: vendor.iban });

    const byName = await call({ method: 'GET', url: '/api/v1/vendors?q=paper' });
    expect(byName.json().vendors.map((v: { id: string }) => v.id)).toContain(vendor.id);
    const byVat = await call({ method: 'GET', url: '/api/v1/vendors?q=3101223935' });
    expect(byVat.json().vendors.map((v: { id: string }) => v.id)).toContain(vendor.id);
    const none = await call({ method: 'GET', url: '/api/v1/vendors?q=nothing-like-this' });
    expect(none.json()).toMatchObject({ total: 0, vendors: [] });
  });

  it('checks the VAT number/TRN and address by the vendor country, and the IBAN check digits', async () => {
    const response = await call({
      method: 'POST',
      url: '/api/v1/vendors',
      payload: {
        ...SA_VENDOR,
        vat_number: '123',
        iban: 'SA0480000000608010167519',
        address: { ...SA_VENDOR.address, postal_code: 'ABCDE' },
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'vat_number', code: 'VAT_NUMBER_INVALID' }),
        expect.objectContaining({ path: 'address.postal_code', code: 'BR-KSA-66' }), // the seller's rule: the vendor sells
        expect.objectContaining({ path: 'iban', code: 'IBAN_INVALID' }),
      ]),
    );

    const badTrn = await call({
      method: 'POST',
      url: '/api/v1/vendors',
      payload: { name_en: 'Dubai Supplier', vat_number: '10000000000000', address: { country: 'AE' } },
    });
    expect(badTrn.statusCode).toBe(400);
    expect(badTrn.json().errors[0]).toMatchObject({ path: 'vat_number', code: 'VAT_NUMBER_INVALID' });
    const ok = await call({
      method: 'POST',
      url: '/api/v1/vendors',
      payload: {
        name_en: 'Dubai Supplier',
        vat_number: AE_COMPANY.vat_number,
        address: { country: 'AE', emirate: 'DXB' },
        iban: 'AE070331234567890123456',
      },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ vat_number: AE_COMPANY.vat_number, iban: 'AE070331234567890123456' });
  });

  it('validates a PATCH against the whole merged vendor and writes nothing when refused', async () => {
    const created = (await call({ method: 'POST', url: '/api/v1/vendors', payload: SA_VENDOR })).json();
    const response = await call({
      method: 'PATCH',
      url: `/api/v1/vendors/${created.id}`,
      payload: { name_en: 'Renamed', iban: 'GB00 0000' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({ path: 'iban', code: 'IBAN_INVALID' });
    const read = await call({ method: 'GET', url: `/api/v1/vendors/${created.id}` });
    expect(read.json().name_en).toBe(SA_VENDOR.name_en);
  });

  it('archives a vendor (hidden from the list, still readable) and restores it', async () => {
    const created = (
      await call({
        method: 'POST',
        url: '/api/v1/vendors',
        payload: { ...SA_VENDOR, name_en: 'Archive Me Co' },
      })
    ).json();
    const archived = await call({ method: 'DELETE', url: `/api/v1/vendors/${created.id}` });
    expect(archived.statusCode).toBe(200);
    expect(archived.json()).toMatchObject({ id: created.id, is_archived: true });
    const hidden = await call({ method: 'GET', url: '/api/v1/vendors?q=archive%20me' });
    expect(hidden.json().total).toBe(0);
    const shown = await call({ method: 'GET', url: '/api/v1/vendors?q=archive%20me&include_archived=true' });
    expect(shown.json().total).toBe(1);
    expect((await call({ method: 'GET', url: `/api/v1/vendors/${created.id}` })).statusCode).toBe(200);

    const restored = await call({ method: 'POST', url: `/api/v1/vendors/${created.id}/restore` });
    expect(restored.json()).toMatchObject({ is_archived: false, archived_at: null });
    expect((await call({ method: 'GET', url: '/api/v1/vendors?q=archive%20me' })).json().total).toBe(1);
  });

  it("hides another company's vendors (404) and lists none of them", async () => {
    const created = (await call({ method: 'POST', url: '/api/v1/vendors', payload: SA_VENDOR })).json();
    const stranger = as(t.app, await registerUser(t.app));
    for (const [method, url] of [
      ['GET', `/api/v1/vendors/${created.id}`],
      ['PATCH', `/api/v1/vendors/${created.id}`],
      ['DELETE', `/api/v1/vendors/${created.id}`],
      ['POST', `/api/v1/vendors/${created.id}/archive`],
    ] as const) {
      const response = await stranger({
        method,
        url,
        ...(method === 'PATCH' ? { payload: { name_en: 'x' } } : {}),
      });
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('VENDOR_NOT_FOUND');
    }
    expect((await stranger({ method: 'GET', url: '/api/v1/vendors' })).json().total).toBe(0);
    expect((await call({ method: 'GET', url: `/api/v1/vendors/${created.id}` })).json().is_archived).toBe(
      false,
    );
  });

  it('lets a viewer read but not write, and finance write', async () => {
    const viewer = as(t.app, await addMember(t.app, owner, 'viewer'));
    expect((await viewer({ method: 'GET', url: '/api/v1/vendors' })).statusCode).toBe(200);
    expect((await viewer({ method: 'POST', url: '/api/v1/vendors', payload: SA_VENDOR })).statusCode).toBe(
      403,
    );
    const finance = as(t.app, await addMember(t.app, owner, 'finance'));
    expect((await finance({ method: 'POST', url: '/api/v1/vendors', payload: SA_VENDOR })).statusCode).toBe(
      201,
    );
  });

  it('refuses unknown fields and hostile text with a problem, not a 500', async () => {
    const unknown = await call({
      method: 'POST',
      url: '/api/v1/vendors',
      payload: { ...SA_VENDOR, colour: 'red' },
    });
    expect(unknown.statusCode).toBe(400);
    const control = await call({
      method: 'POST',
      url: '/api/v1/vendors',
      payload: { ...SA_VENDOR, name_en: 'Bell\u0007Co' },
    });
    expect(control.statusCode).toBe(400);
    expect(control.headers['content-type']).toContain('application/problem+json');
    // A name is free text: a bidi override is removed, never stored to reorder what a reader sees.
    const bidi = await call({
      method: 'POST',
      url: '/api/v1/vendors',
      payload: { ...SA_VENDOR, name_en: 'Evil\u202Egnp.exe' },
    });
    expect(bidi.statusCode).toBe(201);
    expect(bidi.json().name_en).toBe('Evilgnp.exe');
  });
});
