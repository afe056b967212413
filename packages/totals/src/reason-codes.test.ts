// The allowance and charge reason lists against the official code lists (UNTDID 5189 and 7161, D.16B, as the
// Peppol PINT validation artefacts ship them in genericode): a code and its name as the lists give them, so a
// free-text reason that is a list name maps to the right code.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALLOWANCE_REASON_CODES, CHARGE_REASON_CODES, reasonCodeForText } from './reason-codes';
import { validatorsDir } from './test-support/golden';

const listsDir = path.join(validatorsDir() ?? '', 'ubl/pint/trn-invoice/codelist');
const hasLists = existsSync(path.join(listsDir, 'UNCL5189.gc'));
if (!hasLists && process.env.CI === 'true')
  throw new Error(`UNTDID code lists required under CI: ${listsDir}`);

/** code → name of a genericode list. */
function officialList(file: string): Record<string, string> {
  const xml = readFileSync(path.join(listsDir, file), 'utf8');
  const entries = [...xml.matchAll(/<gc:Row>([\s\S]*?)<\/gc:Row>/g)].map((row) => {
    const [code = '', name = ''] = [
      ...(row[1] ?? '').matchAll(/<gc:SimpleValue>([\s\S]*?)<\/gc:SimpleValue>/g),
    ].map((value) => (value[1] ?? '').replace(/&amp;/g, '&').replace(/&apos;/g, "'"));
    return [code, name] as const;
  });
  return Object.fromEntries(entries);
}

describe.skipIf(!hasLists)('allowance and charge reason codes', () => {
  it('are the UNTDID 5189 and 7161 lists, each code with its official name', () => {
    expect(ALLOWANCE_REASON_CODES).toEqual(officialList('UNCL5189.gc'));
    expect(CHARGE_REASON_CODES).toEqual(officialList('UNCL7161.gc'));
  });

  it('maps a free-text reason that is a list name to its code', () => {
    expect(reasonCodeForText(true, 'rush delivery')).toBe('AAT');
    expect(reasonCodeForText(false, 'Discount')).toBe('95');
    expect(reasonCodeForText(true, 'Weekend courier premium')).toBeUndefined();
  });
});
