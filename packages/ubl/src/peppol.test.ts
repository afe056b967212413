// Generic-profile invoices and credit notes through the official Peppol BIS Billing 3.0 validator in one call
// (UBL 2.1 XSD, the EN 16931 and Peppol schematrons): 0 fatal, and no warnings either.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPeppolXml, PEPPOL_BIS3_IDS } from './peppol';
import { PEPPOL_SCENARIOS, peppolScenarioInput } from './test-support/peppol-scenarios';
import { ublValidatorAvailable, validateUblFiles } from './test-support/validator';

describe('Peppol BIS 3 documents', () => {
  it('names the specification and writes the VAT in the tax currency without an exchange rate (UBL-CR-490)', () => {
    const i = PEPPOL_SCENARIOS.findIndex((s) => s.name.includes('USD'));
    const s = PEPPOL_SCENARIOS[i];
    if (!s) throw new Error('missing scenario');
    const input = peppolScenarioInput(s, i);
    const xml = buildPeppolXml(input);
    expect(xml).toContain(`<cbc:CustomizationID>${PEPPOL_BIS3_IDS.customization}</cbc:CustomizationID>`);
    expect(xml).toContain(
      `<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">${input.totals.totals.tax_amount_in_tax_currency}</cbc:TaxAmount></cac:TaxTotal>`,
    );
    expect(xml).not.toContain('TaxExchangeRate');
    expect(xml).not.toContain('cbc:UUID');
  });
});

describe.skipIf(!ublValidatorAvailable())('Peppol BIS 3 scenarios through the official validator', () => {
  it(`${PEPPOL_SCENARIOS.length} scenarios give 0 fatal and no warnings`, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'peppol-'));
    const files = PEPPOL_SCENARIOS.map((s, i) => {
      const input = peppolScenarioInput(s, i);
      expect(input.totals.errors, s.name).toEqual([]);
      const file = path.join(dir, `${String(i).padStart(2, '0')}.xml`);
      writeFileSync(file, buildPeppolXml(input));
      return { name: s.name, file };
    });
    const results = await validateUblFiles(
      'peppol',
      files.map((f) => f.file),
    );
    const failures = files
      .map(({ name, file }) => ({ name, r: results.get(file) }))
      .filter(({ r }) => !r || r.fatal.length > 0 || r.warnings.length > 0)
      .map(({ name, r }) => `${name}: ${r ? [...r.fatal, ...r.warnings].join(' | ') : 'no result'}`);
    expect(failures).toEqual([]);
    expect(results.size).toBe(files.length);
  }, 300_000);
});
