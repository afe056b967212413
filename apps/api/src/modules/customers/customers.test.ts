import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AE_COMPANY,
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

const SA_CUSTOMER = {
  kind: 'company',
  ...SA_BUYER,
  contacts: [
    { name: 'Omar', email: 'omar@example.com', role: 'Accounts payable' },
    { name: 'Lina', phone: '+966500000000' },
  ],
  payment_terms_days: 30,
  currency: 'SAR',
};

describe('customers', () => {
  it('creates, reads, changes and lists a customer with contacts and a structured address', async () => {
    const created = await call({ method: 'POST', url: '/api/v1/customers', payload: SA_CUSTOMER });
    expect(created.statusCode).toBe(201);
    const customer = created.json();
    expect(customer).toMatchObject({ ...SA_CUSTOMER, is_archived: false });

    const read = await call({ method: 'GET', url: `/api/v1/customers/${customer.id}` });
    expect(read.json()).toEqual(customer);

    const changed = await call({
      method: 'PATCH',
      url: `/api/v1/customers/${customer.id}`,
      payload: { payment_terms_days: 45, name_ar: null },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      payment_terms_days: 45,
      name_ar: null,
      name_en: SA_CUSTOMER.name_en,
    });

    const list = await call({ method: 'GET', url: '/api/v1/customers?q=advanced' });
    expect(list.json()).toMatchObject({ total: 1, page: 1, page_size: 20 });
    expect(list.json().customers[0].id).toBe(customer.id);
  });

  it('answers seed 001 alias /api/v1/clients/ with a trailing slash', async () => {
    const created = await call({
      method: 'POST',
      url: '/api/v1/clients/',
      payload: { kind: 'individual', name_en: 'Fatimah', address: { country: 'SA', city: 'Jeddah' } },
    });
    expect(created.statusCode).toBe(201);
    const read = await call({ method: 'GET', url: `/api/v1/clients/${created.json().id}/` });
    expect(read.json()).toMatchObject({ kind: 'individual', name_en: 'Fatimah' });
    const list = await call({ method: 'GET', url: '/api/v1/clients/?kind=individual' });
    expect(list.json().customers.map((c: { name_en: string }) => c.name_en)).toContain('Fatimah');
  });

  it('validates the VAT number and the address by the customer country', async () => {
    const response = await call({
      method: 'POST',
      url: '/api/v1/customers',
      payload: {
        ...SA_CUSTOMER,
        vat_number: '123',
        address: { ...SA_CUSTOMER.address, building_number: '12', postal_code: 'ABCDE' },
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'vat_number', code: 'VAT_NUMBER_INVALID' }),
        expect.objectContaining({ path: 'address.building_number', code: 'BR-KSA-37' }),
        expect.objectContaining({ path: 'address.postal_code', code: 'BR-KSA-67' }),
      ]),
    );

    const uae = await call({
      method: 'POST',
      url: '/api/v1/customers',
      payload: {
        name_en: 'Dubai Buyer',
        vat_number: '10000000000000',
        address: { country: 'AE', city: 'Dubai', emirate: 'DXB' },
      },
    });
    expect(uae.statusCode).toBe(400);
    expect(uae.json().errors[0]).toMatchObject({ path: 'vat_number', code: 'VAT_NUMBER_INVALID' });
    const ok = await call({
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name_en: 'Dubai Buyer', vat_number: AE_COMPANY.vat_number, address: { country: 'AE' } },
    });
    expect(ok.statusCode).toBe(201);
  });

  it('validates a PATCH against the whole merged customer', async () => {
    const created = await call({ method: 'POST', url: '/api/v1/customers', payload: SA_CUSTOMER });
    const response = await call({
      method: 'PATCH',
      url: `/api/v1/customers/${created.json().id}`,
      payload: { vat_number: '300000000000000' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({ path: 'vat_number', code: 'VAT_NUMBER_INVALID' });
  });

  it('deletes a customer no invoice uses (204)', async () => {
    const created = await call({ method: 'POST', url: '/api/v1/customers', payload: SA_CUSTOMER });
    const id = created.json().id;
    expect((await call({ method: 'DELETE', url: `/api/v1/customers/${id}` })).statusCode).toBe(204);
    expect((await call({ method: 'GET', url: `/api/v1/customers/${id}` })).statusCode).toBe(404);
  });

  it("hides another company's customers (404)", async () => {
    const created = await call({ method: 'POST', url: '/api/v1/customers', payload: SA_CUSTOMER });
    const stranger = as(t.app, await registerUser(t.app));
    const id = created.json().id;
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const response = await stranger({
        method,
        url: `/api/v1/customers/${id}`,
        ...(method === 'PATCH' ? { payload: { name_en: 'x' } } : {}),
      });
      expect(response.statusCode).toBe(404);
    }
    const list = await stranger({ method: 'GET', url: '/api/v1/customers' });
    expect(list.json().total).toBe(0);
  });

  it('lets a viewer read but not write', async () => {
    const { addMember } = await import('../../../test/support/app');
    const viewer = as(t.app, await addMember(t.app, owner, 'viewer'));
    expect((await viewer({ method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(200);
    expect(
      (await viewer({ method: 'POST', url: '/api/v1/customers', payload: SA_CUSTOMER })).statusCode,
    ).toBe(403);
  });
});
