// Questions about VAT categories and rates, answered from the rule sets (rule-sets.ts) and EN 16931.
import { type Decimal, HUNDREDTH } from './decimal';
import { type Jurisdiction, RULE_SETS } from './rule-sets';
import { REVERSE_CHARGE, VAT_CATEGORIES, type VatCategory } from './types';

export type { RateLevel } from './rule-sets';

const ALL_CATEGORIES: ReadonlySet<string> = new Set(VAT_CATEGORIES);

export function isVatCategory(value: unknown): value is VatCategory {
  return typeof value === 'string' && ALL_CATEGORIES.has(value);
}

export function isCategoryAllowed(jurisdiction: Jurisdiction, category: VatCategory): boolean {
  return RULE_SETS[jurisdiction].categories.has(category);
}

/** The categories a rule set allows, in UNCL 5305 order (the editor's and the product form's choices). */
export function categoriesOf(jurisdiction: Jurisdiction): VatCategory[] {
  return VAT_CATEGORIES.filter((category) => RULE_SETS[jurisdiction].categories.has(category));
}

/** ZATCA-style closed lists of exemption reason codes for a category, when the rule set has one. */
export function exemptionCodesOf(
  jurisdiction: Jurisdiction,
  category: VatCategory,
): readonly string[] | undefined {
  const codes = RULE_SETS[jurisdiction].exemptionCodes?.[category];
  return codes ? [...codes] : undefined;
}

/**
 * Categories on which the seller charges no VAT whatever the rate says: zero rated, exempt, out of scope
 * (BR-Z-09, BR-E-09, BR-O-09), reverse charge (BR-AE-09; aligned-ibrp-ae-09-ae and ibr-162-ae although PINT AE
 * lines carry rate 5), intra-community and export (BR-IC-09, BR-G-09), and PINT AE's margin scheme N (ibr-108-ae).
 */
export function isVatFree(category: VatCategory): boolean {
  return category !== 'S' && category !== 'L' && category !== 'M';
}

/**
 * Categories with exactly one VAT breakdown whatever the rates of their lines and allowances: BR-Z-08, BR-E-08,
 * BR-O-08, BR-AE-08 (and ZATCA's copies of them) sum every line of the category; the PINT AE example
 * "Doc-level-allowance-AE-category" puts an AE allowance at rate 0 into the AE breakdown at rate 5.
 * S, L, M and N break down per rate (BR-S-08, ibr-102-ae).
 */
export function isGroupedByCategoryOnly(category: VatCategory): boolean {
  return (
    category === 'Z' ||
    category === 'E' ||
    category === 'O' ||
    category === REVERSE_CHARGE ||
    category === 'K' ||
    category === 'G'
  );
}

/** The rate used when the input gives none (rule-sets.ts: zatca S 15 %; pint-ae S, AE, N 5 %; en16931 none for S, L, M). */
export function defaultVatRate(jurisdiction: Jurisdiction, category: VatCategory): string | undefined {
  return RULE_SETS[jurisdiction].defaultRates[category];
}

// A bounded cache of rate / 100: a document has few distinct rates and division is big.js's slowest operation.
const rateFractions = new Map<string, Decimal>();

export function rateFraction(rate: Decimal, rateText: string): Decimal {
  let fraction = rateFractions.get(rateText);
  if (!fraction) {
    fraction = rate.times(HUNDREDTH);
    if (rateFractions.size > 64) rateFractions.clear();
    rateFractions.set(rateText, fraction);
  }
  return fraction;
}
