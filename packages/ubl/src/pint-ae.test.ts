// The business cases of the official PINT AE examples rebuilt from our inputs, through the official validator in
// one call (UBL 2.1 XSD, PINT AE 1.0.4 schematron and the AE jurisdiction rules): 0 fatal.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPintAeXml, pintAeTypeCode, totalWithVatInAed, transactionTypeCode } from './pint-ae';
import { PINT_AE_SCENARIOS, pintAeScenarioInput } from './test-support/pint-ae-scenarios';
import { ublValidatorAvailable, validateUblFiles } from './test-support/validator';

describe('PINT AE documents', () => {
  it('writes the transaction type flags in the code list order', () => {
    expect(transactionTypeCode(undefined)).toBe('00000000');
    expect(transactionTypeCode({ free_zone: true })).toBe('10000000');
    expect(transactionTypeCode({ deemed_supply: true, export: true })).toBe('01000001');
    expect(transactionTypeCode({ margin_scheme: true, summary: true, continuous_supply: true })).toBe(
      '00111000',
    );
    expect(transactionTypeCode({ disclosed_agent: true, ecommerce: true })).toBe('00000110');
  });

  it('picks the document type code', () => {
    expect(pintAeTypeCode({ kind: 'invoice' })).toBe('380');
    expect(pintAeTypeCode({ kind: 'invoice', out_of_scope: true })).toBe('480');
    expect(pintAeTypeCode({ kind: 'invoice', self_billing: true })).toBe('389');
    expect(pintAeTypeCode({ kind: 'credit_note' })).toBe('381');
    expect(pintAeTypeCode({ kind: 'credit_note', out_of_scope: true })).toBe('81');
    expect(pintAeTypeCode({ kind: 'credit_note', self_billing: true })).toBe('261');
  });

  it('states the AED amounts of a foreign-currency invoice', () => {
    const i = PINT_AE_SCENARIOS.findIndex((s) => s.name.startsWith('export in USD'));
    const s = PINT_AE_SCENARIOS[i];
    if (!s) throw new Error('missing scenario');
    const input = pintAeScenarioInput(s, i);
    const xml = buildPintAeXml(input);
    // 5000 × 49.75 = 248,750.00 USD at 3.6725 = 913,534.375 → 913,534.38 AED (half up).
    expect(totalWithVatInAed(input.totals)).toBe('913534.38');
    expect(xml).toContain('<cbc:DocumentDescription>AED 913534.38</cbc:DocumentDescription>');
    expect(xml).toContain('<cbc:TaxCurrencyCode>AED</cbc:TaxCurrencyCode>');
    expect(xml).toContain(
      '<cac:TaxTotal><cbc:TaxAmount currencyID="AED">0.00</cbc:TaxAmount></cac:TaxTotal>',
    );
  });

  it('writes the withdrawn Rec 20 unit PCE as H87 (ibr-cl-23), any other unit as given', () => {
    const s = PINT_AE_SCENARIOS[0];
    if (!s) throw new Error('missing scenario');
    const input = pintAeScenarioInput(
      {
        ...s,
        totals: {
          lines: [
            { quantity: '3', unit_price: '10', unit_code: 'PCE' },
            { quantity: '2', unit_price: '5', unit_code: 'KGM' },
          ],
        },
      },
      0,
    );
    const xml = buildPintAeXml(input);
    expect(xml).toContain('<cbc:InvoicedQuantity unitCode="H87">3</cbc:InvoicedQuantity>');
    expect(xml).toContain('<cbc:InvoicedQuantity unitCode="KGM">2</cbc:InvoicedQuantity>');
    expect(xml).not.toContain('"PCE"');
  });

  it('is deterministic', () => {
    const s = PINT_AE_SCENARIOS[1];
    if (!s) throw new Error('missing scenario');
    expect(buildPintAeXml(pintAeScenarioInput(s, 1))).toBe(
      buildPintAeXml(structuredClone(pintAeScenarioInput(s, 1))),
    );
  });
});

describe.skipIf(!ublValidatorAvailable())('PINT AE scenarios through the official validator', () => {
  it(`${PINT_AE_SCENARIOS.length} scenarios give 0 fatal`, async () => {
    expect(PINT_AE_SCENARIOS.length).toBeGreaterThanOrEqual(25);
    const dir = mkdtempSync(path.join(tmpdir(), 'pint-ae-'));
    const files = PINT_AE_SCENARIOS.map((s, i) => {
      const input = pintAeScenarioInput(s, i);
      expect(input.totals.errors, s.name).toEqual([]);
      const file = path.join(dir, `${String(i).padStart(2, '0')}.xml`);
      writeFileSync(file, buildPintAeXml(input));
      return { name: s.name, file };
    });
    const results = await validateUblFiles(
      'pint-ae',
      files.map((f) => f.file),
    );
    const failures = files
      .map(({ name, file }) => ({ name, r: results.get(file) }))
      .filter(({ r }) => !r || r.fatal.length > 0)
      .map(({ name, r }) => `${name}: ${r ? r.fatal.join(' | ') : 'no result'}`);
    expect(failures).toEqual([]);
    expect(results.size).toBe(files.length);
  }, 300_000);
});
