import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { extractText, hasPoppler } from '@invoiceflow/pdf/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, createTestApp, registerUser, type TestApp } from '../../../test/support/app';

const NL_COMPANY = {
  legal_name_en: 'Jansen Design',
  country: 'NL',
  vat_number: 'NL123456789B01',
  address: { street: 'Keizersgracht 1', city: 'Amsterdam', postal_code: '1015 CJ', country: 'NL' },
};

let t: TestApp;
let call: Call;
let dir: string;
beforeAll(async () => {
  t = await createTestApp();
  call = as(t.app, await registerUser(t.app, NL_COMPANY));
  dir = mkdtempSync(path.join(tmpdir(), 'invoiceflow-hours-'));
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

async function aCustomer(name: string): Promise<string> {
  const response = await call({
    method: 'POST',
    url: '/api/v1/customers',
    payload: { name_en: name, address: { country: 'NL', city: 'Utrecht', street: 'Oudegracht 1' } },
  });
  expect(response.statusCode).toBe(201);
  return response.json().id;
}

async function hours(customerId: string, fields: object = {}) {
  const response = await call({
    method: 'POST',
    url: '/api/v1/time-entries',
    payload: {
      customer_id: customerId,
      entry_date: '2026-02-10',
      hours: '2.5',
      hourly_rate: '80',
      ...fields,
    },
  });
  if (response.statusCode !== 201) throw new Error(`time entry: ${response.statusCode} ${response.body}`);
  return response.json();
}

describe('time entries', () => {
  it('records decimal hours at a rate, and refuses what no day holds', async () => {
    const customerId = await aCustomer('Bakkerij de Vries');
    expect(await hours(customerId, { project: 'Website', description: 'Design review' })).toMatchObject({
      customer_id: customerId,
      project: 'Website',
      hours: '2.5',
      hourly_rate: '80.00',
      amount: '200.00',
      currency: 'EUR',
      is_billable: true,
      invoice_id: null,
    });
    for (const [payload, field, code] of [
      [{ hours: '25' }, 'hours', 'HOURS_OUT_OF_RANGE'],
      [{ hours: '0' }, 'hours', 'HOURS_OUT_OF_RANGE'],
      [{ hours: '1.255' }, 'hours', 'TOO_MANY_DECIMALS'],
      [{ customer_id: '00000000-0000-4000-8000-000000000000' }, 'customer_id', 'NOT_FOUND'],
    ] as const) {
      const response = await call({
        method: 'POST',
        url: '/api/v1/time-entries',
        payload: {
          customer_id: customerId,
          entry_date: '2026-02-10',
          hours: '1',
          hourly_rate: '80',
          ...(payload as Record<string, string>),
        },
      });
      expect({ status: response.statusCode, error: response.json().errors?.[0] }).toMatchObject({
        status: 422,
        error: { path: field, code },
      });
    }
  });

  it("turns a customer's unbilled billable hours into a draft's lines, locks them, and prints them on the PDF", async () => {
    const customerId = await aCustomer('Studio Noord');
    const otherCustomer = await aCustomer('Elsewhere BV');
    const first = await hours(customerId, {
      entry_date: '2026-02-03',
      hours: '3',
      project: 'Logo',
      description: 'Sketches',
    });
    const second = await hours(customerId, {
      entry_date: '2026-02-04',
      hours: '1.25',
      project: 'Logo',
      description: 'Revisions',
    });
    const unbillable = await hours(customerId, { is_billable: false, description: 'Internal call' });
    const elsewhere = await hours(otherCustomer, { description: 'Not this customer' });

    const billed = await call({
      method: 'POST',
      url: '/api/v1/time-entries/invoice',
      payload: { customer_id: customerId, vat_rate: '21' },
    });
    expect(billed.statusCode).toBe(201);
    const { invoice, time_entry_ids } = billed.json();
    expect(time_entry_ids).toEqual([first.id, second.id]);
    expect(invoice).toMatchObject({ stored_status: 'draft', customer_name: 'Studio Noord' });

    for (const entry of [first, second]) {
      const read = (await call({ method: 'GET', url: `/api/v1/time-entries/${entry.id}` })).json();
      expect(read).toMatchObject({ invoice_id: invoice.id, invoice_number: invoice.invoice_number });
      const edit = await call({
        method: 'PATCH',
        url: `/api/v1/time-entries/${entry.id}`,
        payload: { hours: '9' },
      });
      expect(edit.statusCode).toBe(409);
      expect(edit.json()).toMatchObject({ code: 'TIME_ENTRY_INVOICED', invoice_id: invoice.id });
      expect((await call({ method: 'DELETE', url: `/api/v1/time-entries/${entry.id}` })).json().code).toBe(
        'TIME_ENTRY_INVOICED',
      );
    }
    for (const entry of [unbillable, elsewhere])
      expect(
        (await call({ method: 'GET', url: `/api/v1/time-entries/${entry.id}` })).json().invoice_id,
      ).toBeNull();
    const unbilled = (
      await call({ method: 'GET', url: `/api/v1/time-entries?customer_id=${customerId}&is_invoiced=false` })
    ).json();
    expect(unbilled.time_entries.map((e: { id: string }) => e.id)).toEqual([unbillable.id]);

    // Nothing left to bill, and billed hours cannot be billed twice.
    const again = await call({
      method: 'POST',
      url: '/api/v1/time-entries/invoice',
      payload: { customer_id: customerId },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('NOTHING_TO_INVOICE');
    const twice = await call({
      method: 'POST',
      url: '/api/v1/time-entries/invoice',
      payload: { customer_id: customerId, time_entry_ids: [first.id, unbillable.id] },
    });
    expect(twice.statusCode).toBe(422);
    expect(twice.json().errors.map((e: { code: string }) => e.code)).toEqual([
      'TIME_ENTRY_INVOICED',
      'NOT_BILLABLE',
    ]);

    // 3 × 80 + 1.25 × 80 = 340.00 net, 21 % VAT 71.40.
    const issued = await call({ method: 'POST', url: `/api/v1/invoices/${invoice.id}/issue`, payload: {} });
    expect(issued.statusCode).toBe(200);
    expect(issued.json()).toMatchObject({ total_amount: '411.40' });
    const pdf = await call({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/pdf` });
    expect(pdf.statusCode).toBe(200);
    // The PDF's text is read with poppler's pdftotext: skipped visibly without it, a failure under CI.
    if (!hasPoppler) {
      if (process.env.CI === 'true') throw new Error('pdftotext (poppler-utils) is needed to read the PDF');
      console.warn('pdftotext not found: the hours on the invoice PDF are not checked');
    } else {
      const file = path.join(dir, 'hours.pdf');
      writeFileSync(file, pdf.rawPayload);
      const text = extractText(file, '-raw');
      expect(text).toContain('2026-02-03 · Logo · Sketches');
      expect(text).toContain('2026-02-04 · Logo · Revisions');
      expect(text).not.toContain('Internal call');
    }
    expect(
      (await call({ method: 'GET', url: `/api/v1/time-entries/${first.id}` })).json().invoice_number,
    ).toBe(issued.json().invoice_number);
  });

  it('releases the hours when their draft is deleted', async () => {
    const customerId = await aCustomer('Release BV');
    const entry = await hours(customerId);
    const billed = (
      await call({
        method: 'POST',
        url: '/api/v1/time-entries/invoice',
        payload: { customer_id: customerId },
      })
    ).json();
    expect((await call({ method: 'DELETE', url: `/api/v1/invoices/${billed.invoice.id}` })).statusCode).toBe(
      204,
    );
    const read = (await call({ method: 'GET', url: `/api/v1/time-entries/${entry.id}` })).json();
    expect(read.invoice_id).toBeNull();
    expect(
      (
        await call({ method: 'PATCH', url: `/api/v1/time-entries/${entry.id}`, payload: { hours: '3' } })
      ).json().hours,
    ).toBe('3');
  });
});
