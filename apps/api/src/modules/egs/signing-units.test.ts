// Several EGS units of one Saudi company sign at once (one per branch or till), each on its own gapless ICV/PIH
// chain: an invoice names its unit, or takes the company's default one.
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
import { as, createTestApp, registerUser, type TestApp } from '../../../test/support/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Call = ReturnType<typeof as>;
const PER_UNIT = 50;
const pens = { description: 'Pen', description_ar: 'قلم', quantity: '3', unit_price: '34' };

async function createUnit(c: Call, body: object): Promise<{ id: string; is_default: boolean }> {
  const response = await c({
    method: 'POST',
    url: '/api/v1/egs',
    payload: { environment: 'local', ...body },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function issue(c: Call, body: object) {
  return c({
    method: 'POST',
    url: '/api/v1/invoices/generate',
    payload: { customer_name: 'Walk-in', lines: [pens], ...body },
  });
}

interface Signed {
  id: string;
  egs_id: string;
  icv: number;
  invoice_hash: string;
  previous_hash: string;
}

async function zatcaOf(c: Call, id: string): Promise<Signed> {
  return { id, ...(await c({ method: 'GET', url: `/api/v1/invoices/${id}/zatca` })).json() };
}

describe('two EGS units of one company', () => {
  let c: Call;
  let tillA: { id: string };
  let tillB: { id: string };
  const signed: Signed[] = [];

  beforeAll(async () => {
    c = as(t.app, await registerUser(t.app));
    tillA = await createUnit(c, { branch_name: 'Till A' });
    // null: an additional unit beside the default one, not its replacement.
    tillB = await createUnit(c, { branch_name: 'Till B', replaces_egs_id: null });
  });

  it('keeps the first unit as default and runs the additional one beside it', async () => {
    const units = (await c({ method: 'GET', url: '/api/v1/egs' })).json().egs_units;
    expect(
      units.map((u: { id: string; status: string; is_default: boolean }) => [u.id, u.status, u.is_default]),
    ).toEqual(
      expect.arrayContaining([
        [tillA.id, 'active', true],
        [tillB.id, 'active', false],
      ]),
    );
  });

  it(`issues ${PER_UNIT} invoices on each unit at once: two independent gapless ICV chains`, async () => {
    const answers = await Promise.all(
      Array.from({ length: PER_UNIT * 2 }, (_, index) =>
        issue(c, { egs_unit_id: index % 2 === 0 ? tillA.id : tillB.id }),
      ),
    );
    expect(answers.filter((answer) => answer.statusCode !== 201).map((answer) => answer.body)).toEqual([]);
    for (const answer of answers) signed.push(await zatcaOf(c, answer.json().id));
    for (const unit of [tillA, tillB]) {
      const chain = signed.filter((doc) => doc.egs_id === unit.id).sort((a, b) => a.icv - b.icv);
      expect(chain.map((doc) => doc.icv)).toEqual(Array.from({ length: PER_UNIT }, (_, i) => i + 1));
      chain.forEach((doc, index) => {
        expect(doc.previous_hash).toBe(index === 0 ? FIRST_PIH : chain[index - 1]?.invoice_hash);
      });
    }
    const units = (await c({ method: 'GET', url: '/api/v1/egs' })).json().egs_units;
    for (const unit of units) expect(unit.last_icv).toBe(PER_UNIT);
    const verified = (await c({ method: 'GET', url: '/api/v1/compliance/chain/verify' })).json();
    expect(verified).toMatchObject({ ok: true, count: PER_UNIT * 2, egs_units: 2 });
  }, 300_000);

  const validator = zatcaValidatorAvailability();
  it.skipIf(!validator.available)(
    'every XML passes the official ZATCA validator with its own predecessor’s PIH',
    async () => {
      expect(signed).toHaveLength(PER_UNIT * 2);
      const dir = mkdtempSync(path.join(tmpdir(), 'zatca-units-'));
      try {
        const entries = [];
        for (const unit of [tillA, tillB]) {
          const chain = signed.filter((doc) => doc.egs_id === unit.id).sort((a, b) => a.icv - b.icv);
          for (const [index, doc] of chain.entries()) {
            const file = path.join(dir, `${unit.id}-${String(doc.icv).padStart(3, '0')}.xml`);
            writeFileSync(file, (await c({ method: 'GET', url: `/api/v1/invoices/${doc.id}/xml` })).body);
            // The hash of the previous document of the same unit, not of the other unit's documents.
            const pih = index === 0 ? FIRST_PIH : (chain[index - 1]?.invoice_hash ?? '');
            entries.push({ file, pih, doc });
          }
        }
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

  it('signs with the default unit when none is named, and the default can be changed', async () => {
    const byDefault = await zatcaOf(c, (await issue(c, {})).json().id);
    expect(byDefault).toMatchObject({ egs_id: tillA.id, icv: PER_UNIT + 1 });
    const changed = await c({ method: 'POST', url: `/api/v1/egs/${tillB.id}/default` });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ is_default: true, is_current: true });
    const afterChange = await zatcaOf(c, (await issue(c, {})).json().id);
    expect(afterChange).toMatchObject({ egs_id: tillB.id, icv: PER_UNIT + 1 });
  });

  it('refuses a unit that is retired, not yet onboarded or another company’s, before taking a number', async () => {
    const other = as(t.app, await registerUser(t.app));
    const foreign = await createUnit(other, {});
    // A renewal of till A: once active, the new unit takes over and till A is retired (its chain kept).
    const renewal = await createUnit(c, { replaces_egs_id: tillA.id });
    const pending = await c({ method: 'POST', url: '/api/v1/egs', payload: { environment: 'simulation' } });
    expect(pending.statusCode, pending.body).toBe(201);
    const before = (await c({ method: 'GET', url: '/api/v1/invoices?page_size=1' })).json();
    for (const [unitId, code] of [
      [tillA.id, 'EGS_NOT_ACTIVE'],
      [pending.json().id, 'EGS_NOT_ACTIVE'],
      [foreign.id, 'EGS_NOT_FOUND'],
    ]) {
      const refused = await issue(c, { egs_unit_id: unitId });
      expect(refused.statusCode, refused.body).toBe(422);
      expect(refused.json().errors).toEqual([expect.objectContaining({ path: 'egs_unit_id', code })]);
    }
    const next = (await issue(c, { egs_unit_id: renewal.id })).json();
    // The refusals took no number: the series goes on without a gap.
    expect(next.invoice_number).toMatch(new RegExp(`-${String(before.total + 1).padStart(6, '0')}$`));
    expect(await zatcaOf(c, next.id)).toMatchObject({ egs_id: renewal.id, icv: 1, previous_hash: FIRST_PIH });
    const verified = (await c({ method: 'GET', url: '/api/v1/compliance/chain/verify' })).json();
    expect(verified).toMatchObject({ ok: true, egs_units: 3 });
  });
});
