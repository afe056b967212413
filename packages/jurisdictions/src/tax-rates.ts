// A company's own tax rates (generic profile): percentages from 0 to 100 with at most 2 decimals, kept in a
// canonical text ("21", "5.5") so "21.00" and "21" are one rate.
import type { TotalsResult } from '@invoiceflow/totals';
import type { PartyIssue } from './profiles';

const RATE = /^\d{1,3}(\.\d{1,2})?$/;

export function taxRateProblem(value: string): string | undefined {
  if (!RATE.test(value)) return 'A tax rate is a percentage with at most 2 decimals, e.g. 21 or 5.5.';
  if (Number(value) > 100) return 'A tax rate is at most 100 %.';
  return undefined;
}

/** "21.00" → "21", "5.50" → "5.5", "007" → "7" (decimal text only; never through a float). */
export function normaliseTaxRate(value: string): string {
  const [whole, fraction = ''] = value.split('.');
  const integer = (whole ?? '').replace(/^0+(?=\d)/, '');
  const decimals = fraction.replace(/0+$/, '');
  return decimals ? `${integer}.${decimals}` : integer;
}

/**
 * The lines and document allowances/charges whose rate is not in the company's list (normalised rates), with
 * paths as the request named them: issuing refuses these, and the preview shows the same errors.
 */
export function rateListIssues(
  allowed: ReadonlySet<string>,
  totals: Pick<TotalsResult, 'lines' | 'allowances_charges'>,
  linesKey: string,
): PartyIssue[] {
  const issues: PartyIssue[] = [];
  const check = (rate: string | undefined, path: string) => {
    if (rate === undefined || allowed.has(normaliseTaxRate(rate))) return;
    issues.push({
      path,
      code: 'VAT_RATE_NOT_IN_COMPANY_LIST',
      message: `${rate} % is not one of the company's tax rates (${[...allowed].join(', ')}); add it first.`,
    });
  };
  totals.lines.forEach((line, i) => {
    check(line.vat_rate, `${linesKey}.${i}.vat_rate`);
  });
  totals.allowances_charges.forEach((ac, i) => {
    check(ac.vat_rate, `allowances_charges.${i}.vat_rate`);
  });
  return issues;
}

let zones: ReadonlySet<string> | undefined;

/** An IANA time zone this runtime knows (Intl), e.g. Europe/Amsterdam. */
export function isTimeZone(value: string): boolean {
  if (value === 'UTC') return true;
  zones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (zones.has(value)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value.includes('/');
  } catch {
    return false;
  }
}
