export { checkReceipt, type ReceiptCheck } from './receipts';
export {
  DEFAULT_TOLERANCES,
  type InvoiceForMatch,
  type InvoiceLineForMatch,
  type LineMatch,
  type MatchResult,
  type MatchStatus,
  type MatchTolerances,
  matchSupplierInvoice,
  type OrderForMatch,
  type OrderLineForMatch,
  type Reason,
  type ReasonCode,
  type Tolerance,
} from './three-way-match';
