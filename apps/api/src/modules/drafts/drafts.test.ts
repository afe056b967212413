import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
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

const draftData = (customer: string) => ({
  invoice_number: 'INV-001',
  customer_name: customer,
  line_items: [{ description: 'Service', quantity: 1 }],
});

describe('drafts', () => {
  it('auto-saves in place: one auto-save draft per user and company, returned by /latest', async () => {
    const user = as(t.app, await registerUser(t.app));
    expect((await user({ method: 'GET', url: '/api/v1/drafts/latest' })).statusCode).toBe(204);
    const first = await user({
      method: 'POST',
      url: '/api/v1/drafts/',
      payload: { draft_data: draftData('A') },
    });
    expect(first.statusCode).toBe(201);
    expect(first.headers.etag).toBe('"v1"');
    const second = await user({
      method: 'POST',
      url: '/api/v1/drafts/',
      payload: { draft_data: draftData('AB'), is_auto_saved: true },
    });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ id: first.json().id, version: 2, draft_data: draftData('AB') });
    const latest = await user({ method: 'GET', url: '/api/v1/drafts/latest' });
    expect(latest.json()).toMatchObject({ id: first.json().id, version: 2, is_auto_saved: true });
    // Named drafts are listed; the auto-save is not.
    expect((await user({ method: 'GET', url: '/api/v1/drafts/' })).json()).toEqual([]);
  });

  it('refuses a stale write (409 DRAFT_CONFLICT with the current version), by body version or If-Match', async () => {
    const user = as(t.app, await registerUser(t.app));
    const first = await user({
      method: 'POST',
      url: '/api/v1/drafts',
      payload: { draft_data: draftData('tab') },
    });
    // Tab 1 saves on top of v1.
    const tab1 = await user({
      method: 'POST',
      url: '/api/v1/drafts',
      payload: { draft_data: draftData('tab 1'), version: 1 },
    });
    expect(tab1.statusCode).toBe(200);
    // Tab 2 still holds v1.
    const tab2 = await user({
      method: 'POST',
      url: '/api/v1/drafts',
      payload: { draft_data: draftData('tab 2') },
      headers: { 'if-match': first.headers.etag as string },
    });
    expect(tab2.statusCode).toBe(409);
    expect(tab2.json()).toMatchObject({ code: 'DRAFT_CONFLICT', current_version: 2 });
    expect(tab2.json().current.draft_data.customer_name).toBe('tab 1');

    const named = await user({
      method: 'POST',
      url: '/api/v1/drafts',
      payload: { draft_data: draftData('x'), is_auto_saved: false, name: 'Quote for X' },
    });
    const id = named.json().id;
    const put = await user({
      method: 'PUT',
      url: `/api/v1/drafts/${id}`,
      payload: { draft_data: draftData('y'), version: 1 },
    });
    expect(put.json().version).toBe(2);
    const stale = await user({
      method: 'PUT',
      url: `/api/v1/drafts/${id}`,
      payload: { draft_data: draftData('z'), version: 1 },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().current_version).toBe(2);
  });

  it('lets only one of two tabs make the first auto-save when both send If-None-Match: *', async () => {
    const user = as(t.app, await registerUser(t.app));
    const firstSave = (customer: string) =>
      user({
        method: 'POST',
        url: '/api/v1/drafts/',
        headers: { 'if-none-match': '*' },
        payload: { draft_data: draftData(customer) },
      });
    const [tab1, tab2] = await Promise.all([firstSave('Tab one'), firstSave('Tab two')]);
    expect([tab1.statusCode, tab2.statusCode].sort()).toEqual([201, 409]);
    const loser = tab1.statusCode === 409 ? tab1 : tab2;
    const winner = tab1.statusCode === 201 ? tab1 : tab2;
    expect(loser.json()).toMatchObject({ code: 'DRAFT_CONFLICT', current_version: 1 });
    const latest = await user({ method: 'GET', url: '/api/v1/drafts/latest' });
    expect(latest.json().draft_data).toEqual(winner.json().draft_data);
  });

  it('keeps named drafts in a list, opens and deletes them', async () => {
    const user = as(t.app, await registerUser(t.app));
    const noName = await user({
      method: 'POST',
      url: '/api/v1/drafts',
      payload: { draft_data: {}, is_auto_saved: false },
    });
    expect(noName.statusCode).toBe(400);
    for (const name of ['First', 'Second']) {
      const saved = await user({
        method: 'POST',
        url: '/api/v1/drafts',
        payload: { draft_data: draftData(name), is_auto_saved: false, name },
      });
      expect(saved.statusCode).toBe(201);
    }
    const list = (await user({ method: 'GET', url: '/api/v1/drafts' })).json();
    expect(list.map((d: { name: string }) => d.name)).toEqual(['Second', 'First']);
    const opened = await user({ method: 'GET', url: `/api/v1/drafts/${list[0].id}` });
    expect(opened.json().draft_data.customer_name).toBe('Second');
    expect((await user({ method: 'DELETE', url: `/api/v1/drafts/${list[0].id}` })).statusCode).toBe(204);
    expect((await user({ method: 'GET', url: `/api/v1/drafts/${list[0].id}` })).statusCode).toBe(404);
  });

  it('refuses a draft over 256 KiB (413)', async () => {
    const big = { notes: 'x'.repeat(256 * 1024) };
    const response = await call({ method: 'POST', url: '/api/v1/drafts', payload: { draft_data: big } });
    expect(response.statusCode).toBe(413);
    const huge = await call({
      method: 'POST',
      url: '/api/v1/drafts',
      payload: { draft_data: { notes: 'x'.repeat(600_000) } },
    });
    expect(huge.statusCode).toBe(413);
  });

  it('keeps drafts per user and per company', async () => {
    const saved = await call({
      method: 'POST',
      url: '/api/v1/drafts',
      payload: { draft_data: draftData('mine') },
    });
    const { addMember } = await import('../../../test/support/app');
    const colleague = as(t.app, await addMember(t.app, owner, 'finance'));
    expect((await colleague({ method: 'GET', url: `/api/v1/drafts/${saved.json().id}` })).statusCode).toBe(
      404,
    );
    expect((await colleague({ method: 'GET', url: '/api/v1/drafts/latest' })).statusCode).toBe(204);
    // The same user in another company has another auto-save.
    const company = await call({
      method: 'POST',
      url: '/api/v1/companies',
      payload: {
        legal_name_en: 'Second Co',
        country: 'AE',
        vat_number: '100000000000003',
        address: { street: 'Road', city: 'Dubai', country: 'AE', emirate: 'DXB' },
      },
    });
    const elsewhere = as(t.app, { ...owner, companyId: company.json().id });
    expect((await elsewhere({ method: 'GET', url: '/api/v1/drafts/latest' })).statusCode).toBe(204);
    expect((await elsewhere({ method: 'DELETE', url: `/api/v1/drafts/${saved.json().id}` })).statusCode).toBe(
      404,
    );
  });
});
