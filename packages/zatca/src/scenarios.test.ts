// Built-and-signed invoices from the scenario table, chained (ICV and PIH) like one EGS, through the official
// validator: each invoice is checked with --pih = the previous invoice's hash.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeInvoiceHash, FIRST_PIH } from './invoice-hash';
import { parseQrPayload } from './qr';
import { validateZatcaInvoice } from './rules';
import { verifyInvoiceSignature } from './signature';
import { buildSignedInvoice } from './signed-invoice';
import { SCENARIOS, scenarioInput } from './test-support/scenarios';
import {
  describeFailures,
  sdkSamples,
  sdkSigningKeys,
  validateZatcaFiles,
  type ZatcaValidationResult,
  zatcaValidatorAvailability,
} from './test-support/validator';

const canRun = zatcaValidatorAvailability().available && sdkSamples().length > 0;

describe.skipIf(!canRun)('scenario chain through the official validator', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'zatca-scenarios-'));
  const chain: { name: string; file: string; pih: string; hash: string }[] = [];
  let results = new Map<string, ZatcaValidationResult>();

  it(`builds, signs and chains ${SCENARIOS.length} scenarios`, () => {
    const keys = sdkSigningKeys();
    let previous = FIRST_PIH;
    SCENARIOS.forEach((s, i) => {
      const input = scenarioInput(s, i, previous);
      expect(validateZatcaInvoice(input, { now: new Date('2025-02-01T00:00:00Z') }), s.name).toEqual([]);
      const signed = buildSignedInvoice(input, keys, { signingTime: '2025-01-15T10:00:00' });
      // The fast path's hash is the DOM + C14N hash of what it wrote.
      expect(computeInvoiceHash(signed.xml), s.name).toBe(signed.hash);
      expect(verifyInvoiceSignature(signed.xml).valid, s.name).toBe(true);
      expect(parseQrPayload(signed.qr).totalWithVat).toBe(input.totals.totals.tax_inclusive_amount);
      const file = path.join(dir, `${String(i).padStart(2, '0')}.xml`);
      writeFileSync(file, signed.xml);
      chain.push({ name: s.name, file, pih: previous, hash: signed.hash });
      previous = signed.hash;
    });
    expect(chain.length).toBeGreaterThanOrEqual(30);
  });

  it('every invoice passes with GLOBAL VALIDATION RESULT = PASSED', async () => {
    results = await validateZatcaFiles(chain.map((c) => ({ file: c.file, pih: c.pih })));
    const failed = chain
      .map((c) => ({ c, r: results.get(c.file) }))
      .filter(({ r }) => r?.global !== 'PASSED')
      .map(({ c, r }) => `${c.name}: ${r ? describeFailures(r) : 'no result'}`);
    expect(failed).toEqual([]);
  }, 300_000);

  it('the validator computes the same hashes as we do, and no KSA warnings except BR-KSA-98', () => {
    for (const c of chain) {
      const r = results.get(c.file);
      expect(r?.invoiceHash, c.name).toBe(c.hash);
      const warnings = (r?.stages ?? []).flatMap((s) => s.warnings).filter((w) => !w.startsWith('BR-KSA-98'));
      expect(warnings, c.name).toEqual([]);
    }
  });
});
