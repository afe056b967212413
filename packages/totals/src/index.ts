// @invoiceflow/totals — the one place every invoice amount is computed (PRODUCT.md §3).
export { computeTotals } from './compute-totals';
export { currencyDigits, formatAmount, roundMoney } from './currency';
export {
  compareMoney,
  fitsCurrency,
  fromMinorUnits,
  minMoney,
  nonNegativeMoney,
  subtractMoney,
  sumMoney,
} from './money-math';
export { type SimpleSummary, simpleSummary } from './simple-summary';
export type * from './types';
export { defaultVatRate, isVatCategory } from './vat-rules';
