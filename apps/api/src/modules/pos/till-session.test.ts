// The till screen finds the open shift of a till after a reload: GET /api/v1/tills/{id}/session.
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

describe("a till's open session", () => {
  it('answers the X report of the open shift, and no content before it opens and after it closes', async () => {
    const till = (await c({ method: 'POST', url: '/api/v1/tills', payload: { name: 'Front' } })).json();
    const none = await c({ method: 'GET', url: `/api/v1/tills/${till.id}/session` });
    expect(none.statusCode).toBe(204);
    expect(none.body).toBe('');

    const opened = await c({
      method: 'POST',
      url: `/api/v1/tills/${till.id}/sessions`,
      payload: { counts: [{ value: 10, count: 3 }] },
    });
    expect(opened.statusCode).toBe(201);
    const found = await c({ method: 'GET', url: `/api/v1/tills/${till.id}/session` });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({ id: opened.json().id, report: 'X', opening_float: '30.00' });

    await c({
      method: 'POST',
      url: `/api/v1/cash-sessions/${opened.json().id}/close`,
      payload: { counts: [{ value: 10, count: 3 }] },
    });
    expect((await c({ method: 'GET', url: `/api/v1/tills/${till.id}/session` })).statusCode).toBe(204);

    const unknown = await c({
      method: 'GET',
      url: '/api/v1/tills/00000000-0000-4000-8000-000000000000/session',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('TILL_NOT_FOUND');
  });
});
