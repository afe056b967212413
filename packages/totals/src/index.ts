// @invoiceflow/totals — the one place every invoice amount is computed (PRODUCT.md §3).
export { computeTotals } from './compute-totals';
export { currencyDigits, formatAmount, roundMoney, unitPriceText } from './currency';
// The engine's exact decimal, for the packages that compute beside it (matching): one arithmetic for the product.
export { Decimal, parseDecimal } from './decimal';
export {
  compareMoney,
  convertMoney,
  exactMinorUnits,
  fitsCurrency,
  fromMinorUnits,
  includedVat,
  minMoney,
  nonNegativeMoney,
  subtractMoney,
  sumMoney,
  toMinorUnits,
} from './money-math';
export {
  ALLOWANCE_REASON_CODES,
  CHARGE_REASON_CODES,
  isOfficialExemptionText,
  reasonCodeForText,
  reasonCodesOf,
  SAUDI_EXEMPTION_TEXTS,
} from './reason-codes';
export {
  DEFAULT_RULE_SET,
  type EngineRules,
  isJurisdiction,
  isSaudiStandardRate,
  RULE_SETS,
  SAUDI_EXEMPTION_CODES,
  SAUDI_STANDARD_RATES,
} from './rule-sets';
export { type SimpleSummary, simpleSummary } from './simple-summary';
export type * from './types';
export { REVERSE_CHARGE, VAT_CATEGORIES } from './types';
export {
  categoriesOf,
  defaultVatRate,
  exemptionCodesOf,
  isCategoryAllowed,
  isVatCategory,
} from './vat-rules';
