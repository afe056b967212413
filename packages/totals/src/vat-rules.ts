// What each jurisdiction allows: VAT categories, rates, exemption reason codes.
// Sources: ZATCA XML Implementation Standard §11.2.4 and the SDK schematron (SA); PINT AE 1.0.4 aligned rules (AE);
// EN 16931 / Peppol BIS 3 (GENERIC).
import { Decimal, HUNDREDTH, ZERO } from './decimal';
import type { Jurisdiction, VatCategory } from './types';

export type RateLevel = 'line' | 'prepayment' | 'allowance' | 'charge';

const ALL_CATEGORIES: ReadonlySet<string> = new Set(['S', 'Z', 'E', 'O', 'AE', 'K', 'G', 'L', 'M', 'N']);

const CATEGORIES_BY_JURISDICTION: Readonly<Record<Jurisdiction, ReadonlySet<VatCategory>>> = {
  // ZATCA §11.2.4: a subset of UNCL 5305.
  SA: new Set<VatCategory>(['S', 'Z', 'E', 'O']),
  // PINT AE aligned tax category codes (ibr-139-ae); N is "Standard rate additional VAT" (margin scheme).
  AE: new Set<VatCategory>(['S', 'Z', 'E', 'O', 'AE', 'N']),
  // EN 16931 UNCL 5305 subset (N is a PINT AE code, not an EN 16931 one).
  GENERIC: new Set<VatCategory>(['S', 'Z', 'E', 'O', 'AE', 'K', 'G', 'L', 'M']),
};

export function isVatCategory(value: unknown): value is VatCategory {
  return typeof value === 'string' && ALL_CATEGORIES.has(value);
}

export function isCategoryAllowed(jurisdiction: Jurisdiction, category: VatCategory): boolean {
  return CATEGORIES_BY_JURISDICTION[jurisdiction].has(category);
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
    category === 'AE' ||
    category === 'K' ||
    category === 'G'
  );
}

/**
 * The rate used when the input gives none. SA: S 15 %, others 0. AE: S, AE (reverse charge) and N (margin) 5 %
 * as the PINT AE examples carry, others 0. GENERIC: no default for S, L, M (the caller must say).
 */
export function defaultVatRate(jurisdiction: Jurisdiction, category: VatCategory): string | undefined {
  if (jurisdiction === 'SA') return category === 'S' ? '15' : '0';
  if (jurisdiction === 'AE') return category === 'S' || category === 'AE' || category === 'N' ? '5' : '0';
  return category === 'S' || category === 'L' || category === 'M' ? undefined : '0';
}

const FIFTEEN = Decimal.of(15);
const FIVE = Decimal.of(5);

/**
 * The issue code when a rate is not allowed for the category, or undefined when it is. Rates outside 0–100 are
 * checked by the caller.
 */
export function rateIssue(
  jurisdiction: Jurisdiction,
  category: VatCategory,
  rate: Decimal,
  level: RateLevel,
): string | undefined {
  if (jurisdiction === 'SA') return saudiRateIssue(category, rate, level);
  if (jurisdiction === 'AE') return emiratiRateIssue(category, rate, level);
  return genericRateIssue(category, rate, level);
}

function saudiRateIssue(category: VatCategory, rate: Decimal, level: RateLevel): string | undefined {
  if (category === 'S') {
    // BR-KSA-84 allows 5 or 15; 5 % only survives on prepayment lines settling advances invoiced before the
    // July 2020 rate change (SDK sample "Advance Payment adjustments with rate change scenarios").
    if (rate.eq(FIFTEEN) || (level === 'prepayment' && rate.eq(FIVE))) return undefined;
    return 'BR-KSA-84';
  }
  if (rate.isZero()) return undefined;
  const codes: Partial<Record<VatCategory, Record<RateLevel, string>>> = {
    Z: { line: 'BR-Z-05', allowance: 'BR-Z-06', charge: 'BR-Z-07', prepayment: 'BR-KSA-76' },
    E: { line: 'BR-E-05', allowance: 'BR-E-06', charge: 'BR-E-07', prepayment: 'BR-KSA-77' },
    O: { line: 'BR-KSA-11', allowance: 'BR-KSA-12', charge: 'BR-KSA-13', prepayment: 'BR-KSA-78' },
  };
  return codes[category]?.[level] ?? 'VAT_RATE_NOT_ALLOWED';
}

function emiratiRateIssue(category: VatCategory, rate: Decimal, level: RateLevel): string | undefined {
  switch (category) {
    case 'S':
      return rate.eq(FIVE) ? undefined : 'ibr-190-ae';
    case 'AE':
      // Lines carry the rate the buyer self-accounts at (aligned-ibrp-ae-05-ae); document level must be 0.
      if (level === 'allowance') return rate.isZero() ? undefined : 'aligned-ibrp-ae-06';
      if (level === 'charge') return rate.isZero() ? undefined : 'aligned-ibrp-ae-07';
      return rate.eq(FIVE) || rate.isZero() ? undefined : 'VAT_RATE_NOT_ALLOWED';
    case 'N':
      return rate.eq(FIVE) ? undefined : 'ibr-111-ae';
    default: {
      if (rate.isZero()) return undefined;
      const suffix = level === 'allowance' ? '06' : level === 'charge' ? '07' : '05';
      return `aligned-ibrp-${category.toLowerCase()}-${suffix}`;
    }
  }
}

function genericRateIssue(category: VatCategory, rate: Decimal, level: RateLevel): string | undefined {
  const suffix = level === 'allowance' ? '06' : level === 'charge' ? '07' : '05';
  if (category === 'S') return rate.gt(ZERO) ? undefined : `BR-S-${suffix}`;
  if (category === 'L' || category === 'M') return undefined;
  if (rate.isZero()) return undefined;
  const prefix: Partial<Record<VatCategory, string>> = {
    Z: 'BR-Z',
    E: 'BR-E',
    O: 'BR-O',
    AE: 'BR-AE',
    K: 'BR-IC',
    G: 'BR-G',
  };
  return `${prefix[category] ?? 'BR'}-${suffix}`;
}

/** ZATCA §11.2.4 exemption (or exception) reason codes per category, with the SDK schematron's VATEX-SA-MLTRY. */
const SAUDI_EXEMPTION_CODES: Partial<Record<VatCategory, ReadonlySet<string>>> = {
  E: new Set(['VATEX-SA-29', 'VATEX-SA-29-7', 'VATEX-SA-30']),
  Z: new Set([
    'VATEX-SA-32',
    'VATEX-SA-33',
    'VATEX-SA-34-1',
    'VATEX-SA-34-2',
    'VATEX-SA-34-3',
    'VATEX-SA-34-4',
    'VATEX-SA-34-5',
    'VATEX-SA-35',
    'VATEX-SA-36',
    'VATEX-SA-EDU',
    'VATEX-SA-HEA',
    'VATEX-SA-MLTRY',
  ]),
  O: new Set(['VATEX-SA-OOS']),
};

export function isSaudiExemptionCode(category: VatCategory, code: string): boolean {
  return SAUDI_EXEMPTION_CODES[category]?.has(code) ?? false;
}

/** Saudi categories whose VAT breakdown needs a reason code: BR-KSA-69 (Z), BR-KSA-23 (E), BR-KSA-24 (O). */
export const SAUDI_MISSING_EXEMPTION_CODE: Partial<Record<VatCategory, string>> = {
  Z: 'BR-KSA-69',
  E: 'BR-KSA-23',
  O: 'BR-KSA-24',
};

/** EN 16931: these breakdowns need an exemption reason code or text (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10). */
export const GENERIC_MISSING_EXEMPTION_REASON: Partial<Record<VatCategory, string>> = {
  E: 'BR-E-10',
  AE: 'BR-AE-10',
  K: 'BR-IC-10',
  G: 'BR-G-10',
  O: 'BR-O-10',
};

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
