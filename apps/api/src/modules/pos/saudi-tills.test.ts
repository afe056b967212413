// A Saudi company's sales: each a simplified tax invoice signed by its till's own EGS unit, on that unit's own
// ICV/PIH chain — two tills, two chains — and every XML passes the official ZATCA validator with its own
// predecessor's hash.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FIRST_PIH } from '@invoiceflow/zatca';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeFailures,
  validateZatcaFiles,
  zatcaValidatorAvailability,
} from '../../../../../packages/zatca/src/test-support/validator';
import { as, type Call, createTestApp, registerUser, type TestApp } from '../../../test/support/app';

let t: TestApp;
let c: Call;
beforeAll(async () => {
  t = await createTestApp();
  c = as(t.app, await registerUser(t.app));
});
afterAll(() => t.close());

// Chains of two: each later document carries its predecessor's hash; the validator runs once per distinct PIH.
const PER_TILL = 2;

interface Signed {
  id: string;
  egs_id: string;
  icv: number;
  invoice_hash: string;
  previous_hash: string;
}

async function created(url: string, payload: object) {
  const response = await c({ method: 'POST', url, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

describe('two tills of a Saudi company', () => {
  const signed: Signed[] = [];
  const units: string[] = [];

  it('signs each sale as a simplified tax invoice with its till’s own unit, on two gapless chains', async () => {
    units.push((await created('/api/v1/egs', { environment: 'local', branch_name: 'Till 1' })).id);
    units.push(
      (await created('/api/v1/egs', { environment: 'local', branch_name: 'Till 2', replaces_egs_id: null }))
        .id,
    );
    const tills = [
      (await created('/api/v1/tills', { name: 'Till 1', egs_unit_id: units[0] })).id,
      (await created('/api/v1/tills', { name: 'Till 2', egs_unit_id: units[1] })).id,
    ];
    const dates = await created('/api/v1/products', {
      name_en: 'Dates 1 kg',
      name_ar: 'تمر ١ كغ',
      unit_price: '34',
      stock: 100,
    });
    for (const tillId of tills) {
      await created('/api/v1/denominations', { value: 1, available_count: 100, till_id: tillId });
      await created('/api/v1/denominations', { value: '0.10', available_count: 100, till_id: tillId });
    }
    for (let index = 0; index < PER_TILL * 2; index++) {
      const sale = await c({
        method: 'POST',
        url: '/api/v1/purchases',
        payload: {
          customer_email: `walk-in-${index}@example.com`,
          items: [{ product_id: dates.id, quantity: 3 }],
          paid_amount: '120',
          till_id: tills[index % 2],
        },
      });
      expect(sale.statusCode, sale.body).toBe(201);
      // 3 × 34 = 102.00 + 15 % VAT = 117.30; 2.70 back as two 1.00 and seven 0.10.
      expect(sale.json()).toMatchObject({
        invoice_subtype: 'simplified',
        total_amount: '117.30',
        change: [
          { value: '1.00', count: 2 },
          { value: '0.10', count: 7 },
        ],
      });
      expect(sale.json().qr_code_data).toMatch(/^[A-Za-z0-9+/=]+$/);
      const zatca = (
        await c({ method: 'GET', url: `/api/v1/invoices/${sale.json().invoice_id}/zatca` })
      ).json();
      signed.push({ id: sale.json().invoice_id, ...zatca });
    }
    units.forEach((unit, position) => {
      const chain = signed.filter((doc) => doc.egs_id === unit).sort((a, b) => a.icv - b.icv);
      expect(
        chain.map((doc) => doc.icv),
        `till ${position + 1}`,
      ).toEqual(Array.from({ length: PER_TILL }, (_, i) => i + 1));
      chain.forEach((doc, index) => {
        expect(doc.previous_hash).toBe(index === 0 ? FIRST_PIH : chain[index - 1]?.invoice_hash);
      });
    });
    expect((await c({ method: 'GET', url: `/api/v1/products/${dates.id}` })).json().stock).toBe(
      String(100 - 3 * PER_TILL * 2),
    );
  }, 300_000);

  const validator = zatcaValidatorAvailability();
  it.skipIf(!validator.available)(
    'every sale’s XML passes the official ZATCA validator, chained per till',
    async () => {
      expect(signed).toHaveLength(PER_TILL * 2);
      const dir = mkdtempSync(path.join(tmpdir(), 'zatca-tills-'));
      try {
        const entries = [];
        for (const unit of units) {
          const chain = signed.filter((doc) => doc.egs_id === unit).sort((a, b) => a.icv - b.icv);
          for (const [index, doc] of chain.entries()) {
            const file = path.join(dir, `${unit}-${doc.icv}.xml`);
            writeFileSync(file, (await c({ method: 'GET', url: `/api/v1/invoices/${doc.id}/xml` })).body);
            entries.push({ file, pih: index === 0 ? FIRST_PIH : (chain[index - 1]?.invoice_hash ?? '') });
          }
        }
        // One JVM run for all of them.
        const results = await validateZatcaFiles(entries);
        const failed = entries
          .map((entry) => ({ entry, result: results.get(entry.file) }))
          .filter(({ result }) => result?.global !== 'PASSED')
          .map(({ entry, result }) => `${entry.file}: ${result ? describeFailures(result) : 'no result'}`);
        expect(failed).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    900_000,
  );
});
