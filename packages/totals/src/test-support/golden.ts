// Test support: where the official samples live, and how a result is compared with what a sample states.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Big } from '../decimal';
import type { TotalsResult } from '../types';
import type { StatedAmounts } from './ubl-to-input';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * The official validators and samples live outside the project (shared/validators/README.md): found through
 * INVOICE_VALIDATORS_DIR, default ../shared/validators. Absent: undefined (tests skip), unless CI=true.
 */
export function validatorsDir(): string | undefined {
  const dir = resolve(repoRoot, process.env.INVOICE_VALIDATORS_DIR ?? '../shared/validators');
  if (existsSync(dir)) return dir;
  if (process.env.CI === 'true')
    throw new Error(`Official validators not found at ${dir} (required under CI)`);
  console.warn(`Skipping golden tests: official samples not found at ${dir} (set INVOICE_VALIDATORS_DIR)`);
  return undefined;
}

export function listXmlFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...listXmlFiles(path));
    else if (/\.xml$/i.test(name)) files.push(path);
  }
  return files;
}

export interface CompareOptions {
  /** Round what the sample states to this many digits first (PINT AE examples print 4-decimal subtotals). */
  roundStatedTo?: number;
  /** Values the rules require where the sample itself is inconsistent, by path ("lines.0.vat_amount"). */
  corrections?: Readonly<Record<string, string>>;
}

/**
 * Every amount the sample states against the engine's, as decimals ("285" equals "285.00").
 * Returns the differences as readable strings: a test expects an empty list.
 */
export function differencesFromStated(
  result: TotalsResult,
  stated: StatedAmounts,
  options: CompareOptions = {},
): string[] {
  const differences: string[] = [];
  const expect = (path: string, statedValue: string | undefined, actual: string | undefined) => {
    if (statedValue === undefined) return;
    const wanted = options.corrections?.[path] ?? statedValue;
    const wantedDecimal =
      options.roundStatedTo === undefined ? Big(wanted) : Big(wanted).round(options.roundStatedTo);
    if (actual === undefined || !wantedDecimal.eq(actual)) {
      differences.push(
        `${path}: sample ${statedValue}${wanted === statedValue ? '' : ` (rules: ${wanted})`}, engine ${actual}`,
      );
    }
  };

  for (const [field, value] of Object.entries(stated.totals)) {
    expect(`totals.${field}`, value, result.totals[field as keyof typeof result.totals]);
  }

  stated.lines.forEach((line, index) => {
    const actual = result.lines[index];
    expect(`lines.${index}.net_amount`, line.line_extension_amount, actual?.net_amount);
    expect(`lines.${index}.vat_amount`, line.tax_amount, actual?.vat_amount);
    expect(`lines.${index}.amount_with_vat`, line.amount_with_vat, actual?.amount_with_vat);
    if (line.prepayment) {
      expect(
        `lines.${index}.prepayment.taxable_amount`,
        line.prepayment.taxable_amount,
        actual?.prepayment?.taxable_amount,
      );
      expect(
        `lines.${index}.prepayment.vat_amount`,
        line.prepayment.vat_amount,
        actual?.prepayment?.vat_amount,
      );
      if (
        actual &&
        (actual.vat_category !== line.prepayment.category || !Big(actual.vat_rate).eq(line.prepayment.rate))
      ) {
        differences.push(
          `lines.${index}: prepayment category ${line.prepayment.category}/${line.prepayment.rate}`,
        );
      }
    }
  });
  if (result.lines.length !== stated.lines.length) {
    differences.push(`lines: sample ${stated.lines.length}, engine ${result.lines.length}`);
  }

  // Match breakdowns by category and rate; every stated one must exist and nothing extra may appear.
  const remaining = [...result.vat_breakdown];
  stated.vat_breakdown.forEach((subtotal, index) => {
    const at = remaining.findIndex((b) => b.category === subtotal.category && Big(b.rate).eq(subtotal.rate));
    if (at < 0) {
      differences.push(`vat_breakdown: no ${subtotal.category}/${subtotal.rate} in the engine's breakdown`);
      return;
    }
    const [actual] = remaining.splice(at, 1);
    expect(`vat_breakdown.${index}.taxable_amount`, subtotal.taxable_amount, actual?.taxable_amount);
    expect(`vat_breakdown.${index}.vat_amount`, subtotal.vat_amount, actual?.vat_amount);
  });
  for (const extra of remaining)
    differences.push(`vat_breakdown: unexpected ${extra.category}/${extra.rate}`);
  return differences;
}
