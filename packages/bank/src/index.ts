// @invoiceflow/bank — bank statements in (CAMT.053, MT940, a mapped CSV), exact amounts, and which open invoice or
// bill each transaction pays.
export { parseCamt053 } from './camt053';
export {
  amountOf as parseBankAmount,
  type CsvDateFormat,
  type CsvMapping,
  type CsvRowError,
  parseBankCsv,
} from './csv';
export { parseMt940 } from './mt940';
export {
  AUTO_MATCH_CONFIDENCE,
  automaticMatch,
  type MatchReasonCode,
  type OpenItem,
  type Suggestion,
  suggestMatches,
  transactionFingerprints,
} from './reconcile';
export * from './types';
