// @invoiceflow/jurisdictions — what differs by country, in one place (pure: no I/O). The API and the web import it.
export { COUNTRY_CODES, isCountryCode } from './countries';
export { type BuyerForRules, buyerIssues, type PartyInput, partyIssues } from './parties';
export {
  type AddressInput,
  BUYER_ID_SCHEMES,
  type BuyerIdScheme,
  DEFAULT_COUNTRY,
  type DocumentKind,
  type EInvoiceFormat,
  EMIRATES,
  findProfile,
  type InvoiceSubtype,
  issuesZatcaXml,
  type JurisdictionProfile,
  NUMBER_SERIES,
  nationalAddressIssue,
  type PartyIssue,
  type PartyRole,
  PINT_AE_TRANSACTION_FLAGS,
  profileFor,
  profileForRules,
  REGIME_NAMES,
  rulesOfRegime,
  SA_VAT_PATTERN,
  SELLER_ID_SCHEMES,
  type SellerIdScheme,
  type TaxRatePolicy,
  type TransactionFlag,
  UAE_REGISTRATION_TYPES,
  ZATCA_COUNTRY,
  ZATCA_TRANSACTION_FLAGS,
} from './profiles';
export { isTimeZone, normaliseTaxRate, rateListIssues, taxRateProblem } from './tax-rates';
