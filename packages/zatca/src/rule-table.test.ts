// The product's ZATCA rule table against ZATCA's own: the SDK's rule tables (rules-ksa.tsv, rules-en.tsv beside
// validate.sh) give each rule id its flag, error or warning. A product rule with another severity than ZATCA's
// either refuses what ZATCA accepts or lets through what it rejects.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
});
