// Golden tests: PINT AE (UAE) examples under the pint-ae rule set, and Peppol BIS 3 / EN 16931 examples under en16931.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeTotals } from './index';
import { differencesFromStated, listXmlFiles, validatorsDir } from './test-support/golden';
import { ublToInput } from './test-support/ubl-to-input';

const root = validatorsDir();
const pintAe = root
  ? listXmlFiles(join(root, 'ubl/pint-ae')).filter((path) => path.includes('/example/'))
  : [];

// PINT AE examples print VAT breakdown amounts and line VAT (BTAE-08, BTAE-10) unrounded, to 4 or 5 decimals
// ("532.1645"), next to a rounded document TaxAmount ("532.16"); "Disclosed.agent.billing" even has a line charge
// of 24.375 and a line net of 999.375 while its LineExtensionAmount is 999.38. An AED amount has 2 decimals
// (BR-DEC-*), so the comparison rounds what the example states to 2 decimals.
const AED_DIGITS = 2;

// BTAE-10 = 999.375 + 49.9688 unrounded; with the line net rounded to 999.38 (as the example's own
// LineExtensionAmount is) the line VAT is 49.97 and the amount with VAT 1049.35, not round(1049.3438) = 1049.34.
const CORRECTIONS: Record<string, Record<string, string>> = {
  'Disclosed.agent.billing.xml': { 'lines.0.amount_with_vat': '1049.35' },
};

// Issues the engine rightly reports on examples that break a rule.
const EXPECTED_ISSUES: Record<string, string[]> = {
  // ibr-168-ae / ibr-169-ae: an exempt document allowance or charge needs an exemption reason code.
  'Doc-level-allowance-E-category.xml': ['ibr-168-ae'],
  'Doc-level-charge-E-category.xml': ['ibr-169-ae'],
  // Line charge 24.375 AED (3 decimals) and an allowance base of 999.375.
  'Disclosed.agent.billing.xml': ['BR-DEC-27', 'AMOUNT_TOO_MANY_DECIMALS'],
};

describe.skipIf(!root)('PINT AE examples', () => {
  it('finds the official examples', () => {
    expect(pintAe.length).toBeGreaterThanOrEqual(5);
  });

  it.each(pintAe.map((path) => [basename(path), path]))('%s', (name, path) => {
    const { input, stated } = ublToInput(readFileSync(path, 'utf8'), { jurisdiction: 'pint-ae' });
    const result = computeTotals(input);

    expect(
      differencesFromStated(result, stated, { roundStatedTo: AED_DIGITS, corrections: CORRECTIONS[name] }),
    ).toEqual([]);
    expect(result.errors.map((issue) => issue.code)).toEqual(EXPECTED_ISSUES[name] ?? []);
  });

  it('puts a reverse charge allowance at rate 0 into the AE breakdown at rate 5, with no VAT', () => {
    const path = pintAe.find((file) => basename(file) === 'Doc-level-allowance-AE-category.xml');
    if (!path) throw new Error('missing example');
    const result = computeTotals(ublToInput(readFileSync(path, 'utf8'), { jurisdiction: 'pint-ae' }).input);
    expect(result.vat_breakdown).toEqual([
      { category: 'AE', rate: '5', taxable_amount: '900.00', vat_amount: '0.00' },
    ]);
  });
});

// Peppol BIS Billing 3 and EN 16931 examples whose figures are consistent. (The older EN 16931 "guide-example"
// and "ubl-tc434-example1/2/3/10" files multiply quantity × price to something else than the line amount.)
const GENERIC_EXAMPLES: Record<string, string[]> = {
  'peppol/examples-3.0.21/Vat-category-S.xml': [],
  'peppol/examples-3.0.21/vat-category-E.xml': [],
  'peppol/examples-3.0.21/vat-category-Z.xml': [],
  'peppol/examples-3.0.21/vat-category-O.xml': [],
  // A return line with quantity −1: EN 16931 accepts it, the engine asks for a credit note instead.
  'peppol/examples-3.0.21/base-example.xml': ['QUANTITY_NEGATIVE'],
  'en16931/examples/sample-discount-price.xml': [],
  'en16931/examples/ubl-tc434-example4.xml': [],
};

describe.skipIf(!root)('Peppol and EN 16931 examples', () => {
  it.each(Object.entries(GENERIC_EXAMPLES))('%s', (relative, expectedIssues) => {
    const { input, stated } = ublToInput(readFileSync(join(root ?? '', 'ubl', relative), 'utf8'), {
      jurisdiction: 'en16931',
    });
    const result = computeTotals(input);

    expect(differencesFromStated(result, stated)).toEqual([]);
    expect(result.errors.map((issue) => issue.code)).toEqual(expectedIssues);
  });
});
