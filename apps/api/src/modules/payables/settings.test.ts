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

let t: TestApp;
let owner: Session;
let call: Call;
beforeAll(async () => ({ t, owner, call } = await openAppWithOwner()));
afterAll(() => t.close());

const SETTINGS = {
  price_percent: '2.5',
  price_absolute: '10.00',
  quantity_percent: null,
  quantity_absolute: '1',
  over_receipt_percent: '10',
};

describe('payables settings', () => {
  it('starts at the defaults, keeps what is set per company, and refuses negative tolerances', async () => {
    const first = await call({ method: 'GET', url: '/api/v1/payables/settings/' });
    expect(first.json()).toEqual({
      price_percent: '5',
      price_absolute: null,
      quantity_percent: '0',
      quantity_absolute: null,
      over_receipt_percent: '0',
    });
    const put = await call({ method: 'PUT', url: '/api/v1/payables/settings', payload: SETTINGS });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual(SETTINGS);
    expect((await call({ method: 'GET', url: '/api/v1/payables/settings' })).json()).toEqual(SETTINGS);

    const negative = await call({
      method: 'PUT',
      url: '/api/v1/payables/settings',
      payload: { ...SETTINGS, over_receipt_percent: '-1' },
    });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().errors[0]).toMatchObject({ path: 'over_receipt_percent', code: 'NEGATIVE' });
    expect((await call({ method: 'GET', url: '/api/v1/payables/settings' })).json()).toEqual(SETTINGS);

    const stranger = as(t.app, await registerUser(t.app));
    expect((await stranger({ method: 'GET', url: '/api/v1/payables/settings' })).json().price_percent).toBe(
      '5',
    );
  });

  it('lets finance read but not change the tolerances', async () => {
    const finance = as(t.app, await addMember(t.app, owner, 'finance'));
    expect((await finance({ method: 'GET', url: '/api/v1/payables/settings' })).statusCode).toBe(200);
    const put = await finance({ method: 'PUT', url: '/api/v1/payables/settings', payload: SETTINGS });
    expect(put.statusCode).toBe(403);
  });
});
