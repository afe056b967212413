// The product's ZATCA rule table against ZATCA's own: the SDK's rule tables (rules-ksa.tsv, rules-en.tsv beside
// validate.sh) give each rule id its flag, error or warning. A product rule with another severity than ZATCA's
// either refuses what ZATCA accepts or lets through what it rejects.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { profileFor } from '@invoiceflow/jurisdictions';
import { describe, expect, it } from 'vitest';
import { arabicMessageOf, severityOf, ZATCA_RULES } from './rule-table';
import { validatorsDir } from './test-support/validator';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tablesDir = path.join(validatorsDir(), 'zatca');
const hasTables = existsSync(path.join(tablesDir, 'rules-ksa.tsv'));
if (!hasTables && process.env.CI === 'true')
  throw new Error(`ZATCA rule tables required under CI: ${tablesDir}`);

function officialSeverities(): Map<string, string> {
  const severities = new Map<string, string>();
  for (const file of ['rules-ksa.tsv', 'rules-en.tsv']) {
    const rows = readFileSync(path.join(tablesDir, file), 'utf8').split('\n').slice(1);
    for (const row of rows) {
      const [id, flag] = row.split('\t');
      if (id && flag) severities.set(id.trim(), flag.trim());
    }
  }
  return severities;
}

/** Where the product checks ZATCA rules: the document rules, the engine's rule sets, the Saudi profile, issuing. */
const RULE_SOURCES = [
  'packages/zatca/src/rules.ts',
  'packages/totals/src/rule-sets.ts',
  'packages/totals/src/compute-totals.ts',
  'packages/jurisdictions/src/profiles.ts',
  'packages/jurisdictions/src/parties.ts',
  'apps/api/src/modules/invoices/service.ts',
  'apps/api/src/modules/invoices/document-input.ts',
  ...readdirSync(path.join(repoRoot, 'apps/api/src/modules/zatca'))
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => `apps/api/src/modules/zatca/${name}`),
];

describe.skipIf(!hasTables)('ZATCA rule severities', () => {
  it('gives every rule of the product the severity of the official rule tables', () => {
    const official = officialSeverities();
    const differing = Object.entries(ZATCA_RULES)
      .filter(([id, rule]) => official.get(id) !== rule.severity)
      .map(([id, rule]) => `${id}: product ${rule.severity}, ZATCA ${official.get(id) ?? 'no such rule'}`);
    expect(differing).toEqual([]);
  });

  it('has every official rule id the product reports in its table', () => {
    const official = officialSeverities();
    const missing = new Set<string>();
    for (const file of RULE_SOURCES) {
      const text = readFileSync(path.join(repoRoot, file), 'utf8');
      for (const [, id] of text.matchAll(/'((?:BR|BR-KSA|BR-CL-KSA)-[A-Za-z0-9-]+)'/g)) {
        if (id && official.has(id) && !ZATCA_RULES[id]) missing.add(`${id} (${file})`);
      }
    }
    expect([...missing]).toEqual([]);
  });

  it('answers the official severity at run time and an Arabic message for each rule', () => {
    expect(severityOf('BR-KSA-84')).toBe('error');
    expect(severityOf('BR-KSA-19')).toBe('warning');
    expect(severityOf('QUANTITY_ZERO')).toBe('error');
    for (const id of Object.keys(ZATCA_RULES)) expect(arabicMessageOf(id)).toMatch(/[\u0600-\u06FF]/);
  });

  it('reports from the ZATCA rules only rule ids of ZATCA’s tables or its Implementation Standard', () => {
    const official = officialSeverities();
    const standard = readFileSync(
      path.join(tablesDir, 'docs/20220624_ZATCA_Electronic_Invoice_XML_Implementation_Standard_vF.txt'),
      'utf8',
    );
    const zatcaOnly = RULE_SOURCES.filter((file) => file.includes('/zatca/'));
    const unknown = new Set<string>();
    for (const file of zatcaOnly) {
      const text = readFileSync(path.join(repoRoot, file), 'utf8');
      for (const [, id] of text.matchAll(/'((?:BR|BR-KSA|BR-CL-KSA)-[A-Za-z0-9-]+)'/g)) {
        if (id && !official.has(id) && !new RegExp(`\\b${id}\\b`).test(standard))
          unknown.add(`${id} (${file})`);
      }
    }
    expect([...unknown]).toEqual([]);
  });
});

/** The rule ids of a UBL regime's official validation artefacts (../shared/validators/ubl). */
function ublRuleIds(relative: string): Set<string> {
  const text = readFileSync(path.join(validatorsDir(), 'ubl', relative), 'utf8');
  return new Set(
    [...text.matchAll(/id="([A-Za-z0-9-]+)"|\[((?:BR|ibr)-[A-Za-z0-9-]+)\]/g)].map((m) => m[1] ?? m[2] ?? ''),
  );
}

const hasUblTables = existsSync(path.join(validatorsDir(), 'ubl/en16931/xslt/EN16931-UBL-validation.xslt'));

describe.skipIf(!hasTables || !hasUblTables)('rule ids of the other profiles', () => {
  it('names a missing buyer name by each regime’s own official rule id', () => {
    const ids = {
      SA: officialSeverities(),
      AE: ublRuleIds('pint-ae/billing/trn-invoice/schematron/PINT-UBL-validation-preprocessed.sch'),
      DE: ublRuleIds('en16931/xslt/EN16931-UBL-validation.xslt'),
    };
    const wrong = Object.entries(ids)
      .map(([country, official]) => [country, profileFor(country).buyerNameRequiredCode, official] as const)
      .filter(([, code, official]) => !official.has(code))
      .map(([country, code]) => `${country}: ${code}`);
    expect(wrong).toEqual([]);
  });
});
