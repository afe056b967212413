// The engine's rules per tax regime, as data: which categories, rates, reason codes and rule ids apply. A rule set
// is named by the rules it follows, never by a country: the jurisdiction profiles (@invoiceflow/jurisdictions) say
// which rule set a country uses. Sources: ZATCA XML Implementation Standard §11.2.4 and the SDK schematron
// (zatca); PINT AE 1.0.4 aligned rules (pint-ae); EN 16931 / Peppol BIS 3 (en16931).
import { Decimal, parseDecimal, ZERO } from './decimal';
import { SAUDI_EXEMPTION_TEXTS } from './reason-codes';
import { REVERSE_CHARGE, type VatCategory } from './types';

export type RateLevel = 'line' | 'prepayment' | 'allowance' | 'charge';
type ByKind = readonly [allowance: string, charge: string];

export interface EngineRules {
  /** Allowed UNCL 5305 categories. */
  categories: ReadonlySet<VatCategory>;
  /** The code when a category is not allowed, per level. */
  categoryNotAllowed: Readonly<Record<RateLevel, string>>;
  /** Categories refused on document allowances / charges, with the codes. */
  noDocumentAllowanceCharge: Partial<Record<VatCategory, ByKind>>;
  /** The rate used when the input gives none; undefined: the caller must say. */
  defaultRates: Readonly<Record<VatCategory, string | undefined>>;
  /** The code when a rate is not allowed for the category, or undefined when it is (0–100 checked before). */
  rateIssue: (category: VatCategory, rate: Decimal, level: RateLevel) => string | undefined;
  rateOutOfRangeCode: string;
  /** At most this many decimals in a VAT rate (reported with rateOutOfRangeCode). */
  maxRateDecimals?: number;
  percentOutOfRangeCode: string;
  maxPercentDecimals?: number;
  quantityNegativeCode: string;
  baseQuantityNotPositiveCode: string;
  allowanceChargeMismatchCode: ByKind;
  /** The closed list of exemption reason codes per category, when the regime has one. */
  exemptionCodes?: Partial<Record<VatCategory, ReadonlySet<string>>>;
  /** The list for a prepayment line (KSA-41), when it is another than the line's. */
  prepaymentExemptionCodes?: Partial<Record<VatCategory, ReadonlySet<string>>>;
  /** Codes for a code outside that list: on an ordinary line / document, on a prepayment line. */
  exemptionCodeNotListedCode?: { line: string; prepayment: string };
  /** Prepayment lines of a zero-VAT category must carry a reason code (reported with exemptionCodeNotListedCode). */
  prepaymentNeedsExemptionCode?: boolean;
  /** Categories whose lines need a reason code, with the code. */
  lineExemptionRequired: Partial<Record<VatCategory, string>>;
  /** Categories whose document allowances / charges need a reason code. */
  documentExemptionRequired: Partial<Record<VatCategory, ByKind>>;
  /** Categories whose breakdown needs a reason code (or, when reasonTextSuffices, a reason text). */
  breakdownExemptionRequired: Partial<Record<VatCategory, string>>;
  breakdownReasonTextSuffices: boolean;
  breakdownExemptionMessage: string;
  /** The regime's tax accounting currency, also the document currency when the input names none. */
  taxCurrency?: string;
  taxCurrencyMismatchCode?: string;
  exchangeRateRequiredCode: string;
  exchangeRateLimit?: { code: string; significantDigits?: number; decimals?: number; message: string };
  /** The fixed text of each exemption reason code: written when the input gives the code alone. */
  exemptionTexts?: Readonly<Record<string, string>>;
  /** Allowance and charge reasons follow UNTDID 5189 / 7161: a code alone gets its name, a name its code. */
  fillsReasonCodes?: boolean;
}

const FIVE = Decimal.of(5);

const suffixOf = (level: RateLevel): string =>
  level === 'allowance' ? '06' : level === 'charge' ? '07' : '05';

/**
 * BR-KSA-84: the standard rate is 15 % or 5 % (5 % survives on transitional supplies contracted before the July
 * 2020 rate change, and on prepayments settling advances invoiced at 5 %). One table for the engine and the
 * ZATCA document rules (packages/zatca/src/rules.ts).
 */
export const SAUDI_STANDARD_RATES: readonly string[] = ['15', '5'];
const SAUDI_STANDARD_RATE_VALUES = SAUDI_STANDARD_RATES.map((rate) => Decimal.of(Number(rate)));

/** Whether a standard-rated (S) rate is one BR-KSA-84 allows. */
export function isSaudiStandardRate(rate: Decimal | string): boolean {
  const value = typeof rate === 'string' ? parseDecimal(rate) : rate;
  return value !== undefined && SAUDI_STANDARD_RATE_VALUES.some((allowed) => value.eq(allowed));
}

function saudiRateIssue(category: VatCategory, rate: Decimal, level: RateLevel): string | undefined {
  if (category === 'S') return isSaudiStandardRate(rate) ? undefined : 'BR-KSA-84';
  if (rate.isZero()) return undefined;
  return SAUDI_ZERO_RATE_CODES[category]?.[level] ?? 'VAT_RATE_NOT_ALLOWED';
}

const SAUDI_ZERO_RATE_CODES: Partial<Record<VatCategory, Record<RateLevel, string>>> = {
  Z: { line: 'BR-Z-05', allowance: 'BR-Z-06', charge: 'BR-Z-07', prepayment: 'BR-KSA-76' },
  E: { line: 'BR-E-05', allowance: 'BR-E-06', charge: 'BR-E-07', prepayment: 'BR-KSA-77' },
  O: { line: 'BR-KSA-11', allowance: 'BR-KSA-12', charge: 'BR-KSA-13', prepayment: 'BR-KSA-78' },
};

function emiratiRateIssue(category: VatCategory, rate: Decimal, level: RateLevel): string | undefined {
  switch (category) {
    case 'S':
      return rate.eq(FIVE) ? undefined : 'ibr-190-ae';
    case REVERSE_CHARGE:
      // Lines carry the rate the buyer self-accounts at (aligned-ibrp-ae-05-ae); document level must be 0.
      if (level === 'allowance') return rate.isZero() ? undefined : 'aligned-ibrp-ae-06';
      if (level === 'charge') return rate.isZero() ? undefined : 'aligned-ibrp-ae-07';
      return rate.eq(FIVE) || rate.isZero() ? undefined : 'VAT_RATE_NOT_ALLOWED';
    case 'N':
      return rate.eq(FIVE) ? undefined : 'ibr-111-ae';
    default:
      return rate.isZero() ? undefined : `aligned-ibrp-${category.toLowerCase()}-${suffixOf(level)}`;
  }
}

const GENERIC_RULE_PREFIX: Partial<Record<VatCategory, string>> = {
  Z: 'BR-Z',
  E: 'BR-E',
  O: 'BR-O',
  AE: 'BR-AE',
  K: 'BR-IC',
  G: 'BR-G',
};

function genericRateIssue(category: VatCategory, rate: Decimal, level: RateLevel): string | undefined {
  const suffix = suffixOf(level);
  if (category === 'S') return rate.gt(ZERO) ? undefined : `BR-S-${suffix}`;
  if (category === 'L' || category === 'M') return undefined;
  if (rate.isZero()) return undefined;
  return `${GENERIC_RULE_PREFIX[category] ?? 'BR'}-${suffix}`;
}

/**
 * ZATCA §11.2.4 exemption (or exception) reason codes per category, with the codes the SDK schematron accepts
 * beyond it (BR-KSA-CL-04): VATEX-SA-MLTRY, VATEX-SA-DIPLOMAT, VATEX-SA-DUTYFREE and VATEX-SA-ROYALDECREE.
 * (The schematron's list also holds "VATEX-SA-32(bis)", which no ZATCA text names or describes: not offered.)
 */
export const SAUDI_EXEMPTION_CODES: Partial<Record<VatCategory, readonly string[]>> = {
  E: ['VATEX-SA-29', 'VATEX-SA-29-7', 'VATEX-SA-30'],
  Z: [
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
    'VATEX-SA-DIPLOMAT',
    'VATEX-SA-DUTYFREE',
    'VATEX-SA-ROYALDECREE',
  ],
  O: ['VATEX-SA-OOS'],
};

const toSets = (codes: Partial<Record<VatCategory, readonly string[]>>) =>
  Object.fromEntries(Object.entries(codes).map(([k, v]) => [k, new Set(v)])) as Partial<
    Record<VatCategory, ReadonlySet<string>>
  >;

const zeroUnless = (
  given: Partial<Record<VatCategory, string | undefined>>,
): Record<VatCategory, string | undefined> => ({
  S: '0',
  Z: '0',
  E: '0',
  O: '0',
  AE: '0',
  K: '0',
  G: '0',
  L: '0',
  M: '0',
  N: '0',
  ...given,
});

const GENERIC_NOT_ALLOWED: Record<RateLevel, string> = {
  line: 'VAT_CATEGORY_NOT_ALLOWED',
  prepayment: 'VAT_CATEGORY_NOT_ALLOWED',
  allowance: 'VAT_CATEGORY_NOT_ALLOWED',
  charge: 'VAT_CATEGORY_NOT_ALLOWED',
};

const RULE_SET_TABLE = {
  zatca: {
    // ZATCA §11.2.4: a subset of UNCL 5305.
    categories: new Set<VatCategory>(['S', 'Z', 'E', 'O']),
    categoryNotAllowed: GENERIC_NOT_ALLOWED,
    noDocumentAllowanceCharge: {},
    defaultRates: zeroUnless({ S: '15' }),
    rateIssue: saudiRateIssue,
    rateOutOfRangeCode: 'BR-KSA-DEC-02',
    maxRateDecimals: 2,
    percentOutOfRangeCode: 'BR-KSA-DEC-01',
    maxPercentDecimals: 2,
    quantityNegativeCode: 'BR-KSA-F-04',
    baseQuantityNotPositiveCode: 'BR-KSA-EN16931-12',
    allowanceChargeMismatchCode: ['BR-KSA-EN16931-03', 'BR-KSA-EN16931-03'],
    exemptionCodes: toSets(SAUDI_EXEMPTION_CODES),
    // BR-KSA-CL-07: the SDK's list for a prepayment's reason has no VATEX-SA-ROYALDECREE.
    prepaymentExemptionCodes: toSets({
      ...SAUDI_EXEMPTION_CODES,
      Z: SAUDI_EXEMPTION_CODES.Z?.filter((code) => code !== 'VATEX-SA-ROYALDECREE'),
    }),
    exemptionCodeNotListedCode: { line: 'BR-KSA-CL-04', prepayment: 'BR-KSA-CL-07' },
    prepaymentNeedsExemptionCode: true,
    lineExemptionRequired: {},
    documentExemptionRequired: {},
    // BR-KSA-69 (Z), BR-KSA-23 (E), BR-KSA-24 (O).
    breakdownExemptionRequired: { Z: 'BR-KSA-69', E: 'BR-KSA-23', O: 'BR-KSA-24' },
    breakdownReasonTextSuffices: false,
    breakdownExemptionMessage: 'needs a ZATCA exemption reason code.',
    // BR-KSA-68: a Saudi invoice always states its tax currency (SAR).
    taxCurrency: 'SAR',
    taxCurrencyMismatchCode: 'BR-KSA-EN16931-02',
    exchangeRateRequiredCode: 'EXCHANGE_RATE_REQUIRED',
    exchangeRateLimit: {
      code: 'BR-KSA-90',
      significantDigits: 14,
      message: 'At most 14 digits in the exchange rate.',
    },
    // BR-KSA-83: §11.2.4 fixes the text of each code; BR-KSA-19 / BR-KSA-21: a charge has a code and a reason.
    exemptionTexts: SAUDI_EXEMPTION_TEXTS,
    fillsReasonCodes: true,
  },
  'pint-ae': {
    // PINT AE aligned tax category codes (ibr-139-ae); N is "Standard rate additional VAT" (margin scheme).
    categories: new Set<VatCategory>(['S', 'Z', 'E', 'O', REVERSE_CHARGE, 'N']),
    categoryNotAllowed: {
      line: 'ibr-139-ae',
      prepayment: 'ibr-139-ae',
      allowance: 'ibr-115-ae',
      charge: 'ibr-114-ae',
    },
    // ibr-115-ae / ibr-114-ae: no document level allowance or charge under "Standard rate additional VAT".
    noDocumentAllowanceCharge: { N: ['ibr-115-ae', 'ibr-114-ae'] },
    // S, AE (reverse charge) and N (margin) 5 % as the PINT AE examples carry.
    defaultRates: zeroUnless({ S: '5', AE: '5', N: '5' }),
    rateIssue: emiratiRateIssue,
    rateOutOfRangeCode: 'VAT_RATE_OUT_OF_RANGE',
    percentOutOfRangeCode: 'PERCENT_OUT_OF_RANGE',
    quantityNegativeCode: 'QUANTITY_NEGATIVE',
    baseQuantityNotPositiveCode: 'BASE_QUANTITY_NOT_POSITIVE',
    allowanceChargeMismatchCode: ['ibr-131-ae', 'ibr-146-ae'],
    lineExemptionRequired: { E: 'ibr-167-ae' },
    documentExemptionRequired: { E: ['ibr-168-ae', 'ibr-169-ae'] },
    breakdownExemptionRequired: {},
    breakdownReasonTextSuffices: false,
    breakdownExemptionMessage: 'needs an exemption reason code.',
    // ibr-140-ae: the tax accounting currency is AED.
    taxCurrency: 'AED',
    taxCurrencyMismatchCode: 'ibr-140-ae',
    exchangeRateRequiredCode: 'ibr-159-ae',
    exchangeRateLimit: {
      code: 'ibr-002-ae',
      decimals: 6,
      message: 'At most 6 decimals in the exchange rate.',
    },
  },
  en16931: {
    // EN 16931 UNCL 5305 subset (N is a PINT AE code, not an EN 16931 one).
    categories: new Set<VatCategory>(['S', 'Z', 'E', 'O', REVERSE_CHARGE, 'K', 'G', 'L', 'M']),
    categoryNotAllowed: GENERIC_NOT_ALLOWED,
    noDocumentAllowanceCharge: {},
    // No default for S, L, M: the caller must say.
    defaultRates: zeroUnless({ S: undefined, L: undefined, M: undefined }),
    rateIssue: genericRateIssue,
    rateOutOfRangeCode: 'VAT_RATE_OUT_OF_RANGE',
    percentOutOfRangeCode: 'PERCENT_OUT_OF_RANGE',
    quantityNegativeCode: 'QUANTITY_NEGATIVE',
    baseQuantityNotPositiveCode: 'BASE_QUANTITY_NOT_POSITIVE',
    allowanceChargeMismatchCode: ['ALLOWANCE_CHARGE_AMOUNT_MISMATCH', 'ALLOWANCE_CHARGE_AMOUNT_MISMATCH'],
    lineExemptionRequired: {},
    documentExemptionRequired: {},
    // EN 16931: these breakdowns need an exemption reason code or text (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10).
    breakdownExemptionRequired: { E: 'BR-E-10', AE: 'BR-AE-10', K: 'BR-IC-10', G: 'BR-G-10', O: 'BR-O-10' },
    breakdownReasonTextSuffices: true,
    breakdownExemptionMessage: 'needs an exemption reason code or text.',
    exchangeRateRequiredCode: 'EXCHANGE_RATE_REQUIRED',
  },
} satisfies Record<string, EngineRules>;

/** A rule set's name: the value of DocumentInput.jurisdiction. */
export type Jurisdiction = keyof typeof RULE_SET_TABLE;

export const RULE_SETS: Readonly<Record<Jurisdiction, EngineRules>> = RULE_SET_TABLE;

/** The rule set of a document that names none: the product's first market, the seeds' default. */
export const DEFAULT_RULE_SET: Jurisdiction = 'zatca';

export function isJurisdiction(value: unknown): value is Jurisdiction {
  return typeof value === 'string' && Object.hasOwn(RULE_SETS, value);
}

export function rulesOf(jurisdiction: Jurisdiction): EngineRules {
  return RULE_SETS[jurisdiction];
}
