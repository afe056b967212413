// One jurisdiction profile per country: everything that differs by country lives here, and the API, the web app
// and the PDF ask the profile instead of testing a country code. SA and AE have their own profiles; every other
// ISO 3166-1 country gets the generic (EN 16931) profile with the country's defaults.
import { categoriesOf, type Jurisdiction, type VatCategory } from '@invoiceflow/totals';
import { type CountryDefaults, countryDefaults, isCountryCode } from './countries';
import { FTA_VAT_201, VAT_BY_RATE, type VatReturnForm, ZATCA_VAT_RETURN } from './vat-return';

export type PartyRole = 'seller' | 'buyer';
export type InvoiceSubtype = 'standard' | 'simplified';
export type DocumentKind = 'invoice' | 'credit_note' | 'debit_note';
/** E-invoice formats a profile's invoices are issued in (Peppol BIS Billing 3.0 is the generic profile's next). */
export type EInvoiceFormat = 'zatca-ubl' | 'pint-ae' | 'peppol-bis-3';

export interface AddressInput {
  street?: string | null;
  building_number?: string | null;
  additional_number?: string | null;
  district?: string | null;
  city?: string | null;
  postal_code?: string | null;
  country?: string | null;
  emirate?: string | null;
}

/** An issue with a party's field; `path` is relative to the party ("address.postal_code", "vat_number"). */
export interface PartyIssue {
  path: string;
  code: string;
  message: string;
  /** The message in Arabic, when it says more than the rule's general one. */
  message_ar?: string;
}

/** BT-46-1: the schemes of a buyer's id beside or instead of a VAT number (ZATCA BR-KSA-14). */
export const BUYER_ID_SCHEMES = [
  'TIN',
  'CRN',
  'MOM',
  'MLS',
  '700',
  'SAG',
  'NAT',
  'GCC',
  'IQA',
  'PAS',
  'OTH',
] as const;
export type BuyerIdScheme = (typeof BUYER_ID_SCHEMES)[number];
/** BT-29-1: the schemes of a Saudi seller's registration (ZATCA BR-KSA-08), in the order ZATCA asks for them. */
export const SELLER_ID_SCHEMES = ['CRN', 'MOM', 'MLS', 'SAG', 'OTH', '700'] as const;
/**
 * PINT AE BTAE-15: what a UAE company's legal registration is — trade licence, Emirates ID, passport, cabinet
 * decision (ibr-173-ae).
 */
export const UAE_REGISTRATION_TYPES = ['TL', 'EID', 'PAS', 'CD'] as const;
export type SellerIdScheme = (typeof SELLER_ID_SCHEMES)[number] | (typeof UAE_REGISTRATION_TYPES)[number];

export interface TaxRatePolicy {
  /** fixed: the rule set decides the rates; company: each company keeps its own list. */
  kind: 'fixed' | 'company';
  /** The rates offered in the editor (fixed) or a new company's list (company), in percent. */
  rates: readonly string[];
}

export interface JurisdictionProfile {
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** The totals engine's rule set. */
  rules: Jurisdiction;
  /** A new company's time zone and currency; undefined: the company must state it. */
  timeZone?: string;
  currency?: string;
  /** Which label the tax id carries in forms: a VAT number or (UAE) a TRN. */
  taxIdLabel: 'vat_number' | 'trn';
  /** The tax id's problem, or undefined when it is well formed. */
  taxIdProblem(value: string): string | undefined;
  /** The tax id's shape, for forms that judge it while it is typed (undefined: free text). */
  taxIdFormat?: { digits: number; firstDigit?: string; lastDigit?: string };
  /** Formats of address fields (the same patterns addressIssues applies). */
  addressFormats: { building_number?: RegExp; postal_code?: RegExp };
  /** Address fields a company of this country must give (besides street and city). */
  requiredCompanyAddressFields: readonly ('building_number' | 'district' | 'postal_code' | 'emirate')[];
  /** Country subdivisions a full address names (the UAE's emirates), with the field that carries them. */
  subdivisions?: { field: 'emirate'; codes: readonly string[] };
  /** Address fields the forms show and require for this country (besides street and city). */
  addressFields: readonly (
    | 'building_number'
    | 'additional_number'
    | 'district'
    | 'postal_code'
    | 'emirate'
  )[];
  /** Format rules for an address of this country, by the party's role. */
  addressIssues(role: PartyRole, address: AddressInput): PartyIssue[];
  /** What a buyer with an address in this country must carry on a standard invoice. */
  standardBuyerAddressIssues(address: AddressInput): PartyIssue[];
  /** A standard invoice of this seller needs the buyer's tax id. */
  isBuyerTaxIdRequired: boolean;
  /** Rule id when a standard invoice does not name the buyer. */
  buyerNameRequiredCode: string;
  /**
   * The company's registration (commercial registration or licence): whether a company of this country must give
   * it, the rule that asks for it, and the schemes it may be under (empty: one plain number, no scheme).
   */
  sellerRegistration: { isRequired: boolean; code: string; schemes: readonly SellerIdScheme[] };
  taxRates: TaxRatePolicy;
  vatCategories: readonly VatCategory[];
  documentKinds: readonly DocumentKind[];
  subtypes: readonly InvoiceSubtype[];
  /** The statuses an invoice walks through. */
  lifecycle: readonly string[];
  einvoiceFormats: readonly EInvoiceFormat[];
  /**
   * The invoice subtypes whose e-invoice must meet its format's rules before it is issued; for the others the
   * rules are answered as warnings (absent: every subtype).
   */
  einvoiceMandatorySubtypes?: readonly InvoiceSubtype[];
  /**
   * The transaction flags an invoice of this country may carry (ZATCA KSA-2 positions 3–7; PINT AE BTAE-02's
   * eight positions); a flag of another country is refused at its path.
   */
  transactionFlags: readonly TransactionFlag[];
  /** The document-level e-invoice fields an invoice of this country may carry, as the editor offers them. */
  invoiceFields: readonly InvoiceField[];
  /** The codes a credit note must give its reason by (PINT AE BTAE-03); empty: the reason is free text. */
  creditReasonCodes: readonly CreditReasonCode[];
  /** Those of the reason codes that correct no single invoice (PINT AE VD, a volume discount: ibr-055-ae). */
  creditReasonsWithoutInvoice: readonly CreditReasonCode[];
  /** The billing frequencies a continuous supply's period may name (PINT AE BTAE-06); empty: none asked. */
  billingFrequencies: readonly string[];
  /** Whether each line names its item type and an HS or service accounting code (PINT AE BTAE-13, -16, -17). */
  classifiesItems: boolean;
  /** The VAT return a company of this country files, as boxes (vat-return.ts). */
  vatReturn: VatReturnForm;
  pdf: {
    /** Arabic beside English on every label. */
    isBilingual: boolean;
    /** ZATCA's TLV QR code (seller, VAT number, time, totals) on every invoice. */
    hasZatcaQr: boolean;
    /**
     * Invoices are titled "Tax Invoice" / "Simplified Tax Invoice" as the law names them (KSA VAT Implementing
     * Regulations art. 53, UAE Executive Regulation art. 59–60); otherwise plain "Invoice", as the EU VAT
     * Directive (art. 226) and EN 16931 call it.
     */
    hasTaxInvoiceTitle: boolean;
    /**
     * The language of a one-language PDF (ISO 639-1): the country's own where it has one main language; the
     * renderer falls back to English for a language it does not carry.
     */
    language?: string;
  };
  /** Number series prefixes per document kind. */
  numberSeries: Readonly<Record<DocumentKind, string>>;
  /** The prefix of quotations' own series (Q-2026-0001): not a tax document, so not one of the invoice kinds. */
  quoteSeries: string;
}

/** Every transaction flag an invoice may carry, by the e-invoice format that writes it. */
export const ZATCA_TRANSACTION_FLAGS = [
  'third_party',
  'nominal',
  'export',
  'summary',
  'self_billed',
] as const;
export const PINT_AE_TRANSACTION_FLAGS = [
  'free_zone',
  'deemed_supply',
  'margin_scheme',
  'summary',
  'continuous_supply',
  'disclosed_agent',
  'ecommerce',
  'export',
] as const;
export type TransactionFlag =
  | (typeof ZATCA_TRANSACTION_FLAGS)[number]
  | (typeof PINT_AE_TRANSACTION_FLAGS)[number];

/**
 * The document-level fields beyond the buyer, dates and lines: out_of_scope (PINT AE type 480), beneficiary_id
 * (BTAE-01, free zone), principal_id (BTAE-14, disclosed agent), invoice_period (BG-14, summary and continuous
 * supply), buyer_reference (BT-10) and order_reference (BT-13; Peppol asks for one of the two, PEPPOL-EN16931-R003).
 */
export const INVOICE_FIELDS = [
  'out_of_scope',
  'beneficiary_id',
  'principal_id',
  'invoice_period',
  'buyer_reference',
  'order_reference',
] as const;
export type InvoiceField = (typeof INVOICE_FIELDS)[number];

/**
 * PINT AE BTAE-03: why a UAE credit note is issued — Federal Decree-Law 8 of 2017 art. 61(1)(a)–(e): the supply
 * cancelled, its tax treatment changed with its nature, the agreed consideration altered (a bad debt too), goods or
 * services returned, tax charged in error — and VD, a volume discount (a credit note without one invoice).
 */
export const PINT_AE_CREDIT_REASONS = [
  'DL8.61.1.A',
  'DL8.61.1.B',
  'DL8.61.1.C',
  'DL8.61.1.D',
  'DL8.61.1.E',
  'VD',
] as const;
export type CreditReasonCode = (typeof PINT_AE_CREDIT_REASONS)[number];

/**
 * PINT AE BTAE-06 (ibr-005-ae): how often a continuous supply is billed — daily, weekly, every 15 days, monthly,
 * every 45 or 60 days, quarterly, yearly, half-yearly, other.
 */
export const PINT_AE_BILLING_FREQUENCIES = [
  'DLY',
  'WKY',
  'Q15',
  'MTH',
  'Q45',
  'Q60',
  'QTR',
  'YRL',
  'HYR',
  'OTH',
] as const;

/** PINT AE BTAE-13: what a line supplies (the product's `item_type`). */
export const ITEM_TYPES = ['goods', 'services', 'both'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** The number series every profile uses today (INV-2026-000042); a profile may name its own. */
export const NUMBER_SERIES = { invoice: 'INV', credit_note: 'CRN', debit_note: 'DBN' } as const;
/**
 * A branch's code inside a series (a till's: INV-2026-T1-000001): a letter, then up to seven letters or digits, so
 * it never reads as the running number.
 */
export const SERIES_CODE_PATTERN = '[A-Z][A-Z0-9]{0,7}';
/** The quotation series every profile uses today (Q-2026-0001). */
export const QUOTE_SERIES = 'Q';
const DOCUMENT_KINDS: readonly DocumentKind[] = ['invoice', 'credit_note', 'debit_note'];

/** KSA VAT registration number: 15 digits, first and last digit 3 (BR-KSA-39, BR-KSA-44). */
export const SA_VAT_PATTERN = /^3\d{13}3$/;
/** UAE Tax Registration Number: 15 digits (PINT AE ibr-…-ae rules on the TRN). */
const AE_TRN_PATTERN = /^\d{15}$/;
/** KSA national address: building number 4 digits (BR-KSA-37). */
const SA_BUILDING_NUMBER_PATTERN = /^\d{4}$/;
/** KSA postal code 5 digits: BR-KSA-66 for the seller, BR-KSA-67 for the buyer. */
const SA_POSTAL_CODE_PATTERN = /^\d{5}$/;
/** PINT AE emirate codes (country subdivision). */
export const EMIRATES = ['AUH', 'DXB', 'SHJ', 'AJM', 'UAQ', 'RAK', 'FUJ'] as const;

const blank = (value: string | null | undefined) => !value?.trim();

function saudiAddressIssues(role: PartyRole, address: AddressInput): PartyIssue[] {
  const issues: PartyIssue[] = [];
  const building = address.building_number;
  if (building !== undefined && building !== null && !SA_BUILDING_NUMBER_PATTERN.test(building)) {
    issues.push({
      path: 'address.building_number',
      code: 'BR-KSA-37',
      message: 'A Saudi building number has 4 digits.',
    });
  }
  const postal = address.postal_code;
  if (postal !== undefined && postal !== null && !SA_POSTAL_CODE_PATTERN.test(postal)) {
    issues.push({
      path: 'address.postal_code',
      code: role === 'seller' ? 'BR-KSA-66' : 'BR-KSA-67',
      message: 'A Saudi postal code has 5 digits.',
    });
  }
  return issues;
}

/** The fields of a Saudi national address (BR-KSA-09 for the seller, BR-KSA-63 for a buyer), in form order. */
const NATIONAL_ADDRESS_FIELDS = {
  street: ['street', 'الشارع'],
  building_number: ['building number', 'رقم المبنى'],
  district: ['district', 'الحي'],
  city: ['city', 'المدينة'],
  postal_code: ['postal code', 'الرمز البريدي'],
} as const;

/** "a، b وc": Arabic joins the last item with و, written against it. */
const listedAr = (names: readonly string[]) =>
  names.length === 1 ? (names[0] ?? '') : `${names.slice(0, -1).join('، ')} و${names.at(-1)}`;

/**
 * One issue for an incomplete Saudi national address (one root cause), naming every missing field, at the first
 * missing field's path (under `prefix`); undefined when nothing is missing. `party` names whose address it is.
 */
export function nationalAddressIssue(
  address: AddressInput | undefined,
  prefix: string,
  code: string,
  party: 'buyer' | 'seller',
): PartyIssue | undefined {
  const missing = (Object.keys(NATIONAL_ADDRESS_FIELDS) as (keyof typeof NATIONAL_ADDRESS_FIELDS)[]).filter(
    (field) => blank(address?.[field]),
  );
  if (missing.length === 0) return undefined;
  const en = missing.map((field) => NATIONAL_ADDRESS_FIELDS[field][0]);
  const ar = missing.map((field) => NATIONAL_ADDRESS_FIELDS[field][1]);
  const whose = party === 'buyer' ? "The buyer's address" : "The company's address";
  const whoseAr = party === 'buyer' ? 'عنوان المشتري' : 'عنوان المنشأة';
  return {
    path: `${prefix}.${missing[0]}`,
    code,
    message: `${whose} lacks the ${en.length === 1 ? en[0] : `${en.slice(0, -1).join(', ')} and ${en.at(-1)}`}: a Saudi national address gives street, building number, district, city and postal code.`,
    message_ar: `${whoseAr} ينقصه ${listedAr(ar)}: العنوان الوطني في المملكة يذكر الشارع ورقم المبنى والحي والمدينة والرمز البريدي.`,
  };
}

/**
 * BR-KSA-63: a buyer in Saudi Arabia gives the national address (one issue naming what is missing), with a
 * 4-digit building number (BR-KSA-37) and a 5-digit postal code (BR-KSA-67) where they are given.
 */
function saudiStandardBuyerAddressIssues(address: AddressInput): PartyIssue[] {
  const issues: PartyIssue[] = [];
  const incomplete = nationalAddressIssue(address, 'address', 'BR-KSA-63', 'buyer');
  if (incomplete) issues.push(incomplete);
  if (!blank(address.building_number) && !SA_BUILDING_NUMBER_PATTERN.test(address.building_number ?? '')) {
    issues.push({
      path: 'address.building_number',
      code: 'BR-KSA-37',
      message: 'A Saudi building number has 4 digits.',
    });
  }
  if (!blank(address.postal_code) && !SA_POSTAL_CODE_PATTERN.test(address.postal_code ?? '')) {
    issues.push({
      path: 'address.postal_code',
      code: 'BR-KSA-67',
      message: 'A Saudi postal code has 5 digits.',
    });
  }
  return issues;
}

const none = (): PartyIssue[] => [];

const SAUDI: JurisdictionProfile = {
  country: 'SA',
  rules: 'zatca',
  timeZone: 'Asia/Riyadh',
  currency: 'SAR',
  taxIdLabel: 'vat_number',
  taxIdProblem: (value) =>
    SA_VAT_PATTERN.test(value) ? undefined : 'A Saudi VAT number has 15 digits and starts and ends with 3.',
  taxIdFormat: { digits: 15, firstDigit: '3', lastDigit: '3' },
  addressFormats: { building_number: SA_BUILDING_NUMBER_PATTERN, postal_code: SA_POSTAL_CODE_PATTERN },
  // BR-KSA-09: a Saudi seller address gives building number, district and postal code.
  requiredCompanyAddressFields: ['building_number', 'district', 'postal_code'],
  addressFields: ['building_number', 'additional_number', 'district', 'postal_code'],
  addressIssues: saudiAddressIssues,
  standardBuyerAddressIssues: saudiStandardBuyerAddressIssues,
  isBuyerTaxIdRequired: true,
  buyerNameRequiredCode: 'BR-KSA-42',
  // BR-KSA-08: without the seller's registration every invoice carries ZATCA's warning.
  sellerRegistration: { isRequired: true, code: 'BR-KSA-08', schemes: SELLER_ID_SCHEMES },
  taxRates: { kind: 'fixed', rates: ['15', '0'] },
  vatCategories: categoriesOf('zatca'),
  documentKinds: DOCUMENT_KINDS,
  subtypes: ['standard', 'simplified'],
  lifecycle: ['draft', 'issued'],
  einvoiceFormats: ['zatca-ubl'],
  transactionFlags: ZATCA_TRANSACTION_FLAGS,
  invoiceFields: [],
  creditReasonCodes: [],
  creditReasonsWithoutInvoice: [],
  billingFrequencies: [],
  classifiesItems: false,
  vatReturn: ZATCA_VAT_RETURN,
  pdf: { isBilingual: true, hasZatcaQr: true, hasTaxInvoiceTitle: true },
  numberSeries: NUMBER_SERIES,
  quoteSeries: QUOTE_SERIES,
};

const EMIRATI: JurisdictionProfile = {
  country: 'AE',
  rules: 'pint-ae',
  timeZone: 'Asia/Dubai',
  currency: 'AED',
  taxIdLabel: 'trn',
  taxIdProblem: (value) => (AE_TRN_PATTERN.test(value) ? undefined : 'A UAE TRN has 15 digits.'),
  taxIdFormat: { digits: 15 },
  addressFormats: {},
  // UAE addresses often have no building number, district or postal code; the emirate is required instead.
  requiredCompanyAddressFields: ['emirate'],
  subdivisions: { field: 'emirate', codes: EMIRATES },
  addressFields: ['postal_code', 'emirate'],
  addressIssues: none,
  standardBuyerAddressIssues: none,
  isBuyerTaxIdRequired: false,
  // PINT AE ibr-007: an invoice names the buyer (IBT-044).
  buyerNameRequiredCode: 'ibr-007',
  sellerRegistration: { isRequired: false, code: 'ibr-173-ae', schemes: UAE_REGISTRATION_TYPES },
  taxRates: { kind: 'fixed', rates: ['5', '0'] },
  vatCategories: categoriesOf('pint-ae'),
  // No debit notes in the UAE: an invoice is corrected by a credit note or a new invoice (PINT AE §1.5.4).
  documentKinds: ['invoice', 'credit_note'],
  subtypes: ['standard', 'simplified'],
  lifecycle: ['draft', 'finalized', 'approved', 'sent'],
  einvoiceFormats: ['pint-ae'],
  // Ministerial Decisions 243 and 244 of 2025: e-invoicing covers business and government buyers; a sale to a
  // consumer (a simplified invoice, a till receipt) is outside it for now, so its PINT AE rules only warn.
  einvoiceMandatorySubtypes: ['standard'],
  // The eight BTAE-02 positions, and self-billing (PINT AE selfbilling-1@ae-1: the buyer issues for its supplier).
  transactionFlags: [...PINT_AE_TRANSACTION_FLAGS, 'self_billed'],
  invoiceFields: INVOICE_FIELDS,
  creditReasonCodes: PINT_AE_CREDIT_REASONS,
  creditReasonsWithoutInvoice: ['VD'],
  billingFrequencies: PINT_AE_BILLING_FREQUENCIES,
  classifiesItems: true,
  vatReturn: FTA_VAT_201,
  pdf: { isBilingual: true, hasZatcaQr: false, hasTaxInvoiceTitle: true },
  numberSeries: NUMBER_SERIES,
  quoteSeries: QUOTE_SERIES,
};

/** Countries whose invoices are written in one main language other than English. */
const COUNTRY_LANGUAGES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(['FR', 'MC'].map((c) => [c, 'fr'])),
  ...Object.fromEntries(['DE', 'AT', 'LI'].map((c) => [c, 'de'])),
  ...Object.fromEntries(['NL', 'SR'].map((c) => [c, 'nl'])),
  ...Object.fromEntries(
    [
      'ES',
      'MX',
      'AR',
      'CL',
      'CO',
      'PE',
      'EC',
      'UY',
      'PY',
      'BO',
      'VE',
      'CR',
      'PA',
      'GT',
      'HN',
      'SV',
      'NI',
      'DO',
      'CU',
    ].map((c) => [c, 'es']),
  ),
};

function genericProfile(country: string, defaults: CountryDefaults): JurisdictionProfile {
  return {
    country,
    rules: 'en16931',
    timeZone: defaults.timeZone,
    currency: defaults.currency,
    taxIdLabel: 'vat_number',
    taxIdProblem: () => undefined,
    addressFormats: {},
    requiredCompanyAddressFields: [],
    addressFields: ['postal_code'],
    addressIssues: none,
    standardBuyerAddressIssues: none,
    isBuyerTaxIdRequired: false,
    // EN 16931 BR-7: an invoice names the buyer.
    buyerNameRequiredCode: 'BR-07',
    sellerRegistration: { isRequired: false, code: 'REGISTRATION_NUMBER_REQUIRED', schemes: [] },
    taxRates: { kind: 'company', rates: defaults.taxRates ?? ['0'] },
    vatCategories: categoriesOf('en16931'),
    documentKinds: DOCUMENT_KINDS,
    subtypes: ['standard', 'simplified'],
    lifecycle: ['draft', 'issued'],
    // Peppol BIS Billing 3.0 when both the company and the customer have a Peppol address (modules/einvoice).
    einvoiceFormats: ['peppol-bis-3'],
    transactionFlags: [],
    invoiceFields: ['invoice_period', 'buyer_reference', 'order_reference'],
    creditReasonCodes: [],
    creditReasonsWithoutInvoice: [],
    billingFrequencies: [],
    classifiesItems: false,
    vatReturn: VAT_BY_RATE,
    pdf: {
      isBilingual: false,
      hasZatcaQr: false,
      hasTaxInvoiceTitle: false,
      language: COUNTRY_LANGUAGES[country] ?? 'en',
    },
    numberSeries: NUMBER_SERIES,
    quoteSeries: QUOTE_SERIES,
  };
}

const PROFILES = new Map<string, JurisdictionProfile>([
  [SAUDI.country, SAUDI],
  [EMIRATI.country, EMIRATI],
]);

/** The profile of an ISO 3166-1 alpha-2 country; undefined for a code that is not one. */
export function findProfile(country: string): JurisdictionProfile | undefined {
  let profile = PROFILES.get(country);
  if (!profile && isCountryCode(country)) {
    profile = genericProfile(country, countryDefaults(country));
    PROFILES.set(country, profile);
  }
  return profile;
}

/** The profile of a company's (already validated) country. */
export function profileFor(country: string): JurisdictionProfile {
  const profile = findProfile(country);
  if (!profile) throw new Error(`Not an ISO 3166-1 country code: ${country}`);
  return profile;
}

/** The profile whose totals rule set is `rules` (the preview's `jurisdiction`), for buyer rules of that regime. */
export function profileForRules(rules: Jurisdiction): JurisdictionProfile | undefined {
  return REGIME_PROFILES.find((profile) => profile.rules === rules);
}

/** The profiles with a rule set of their own. */
const REGIME_PROFILES: readonly JurisdictionProfile[] = [SAUDI, EMIRATI];

/**
 * The regimes a caller without a company may name (the preview's `jurisdiction`): a country with a rule set of
 * its own by its code, or GENERIC for EN 16931 — to the rule set each stands for.
 */
const NAMED_REGIMES: ReadonlyMap<string, Jurisdiction> = new Map([
  ...REGIME_PROFILES.map((profile) => [profile.country, profile.rules] as const),
  ['GENERIC', 'en16931'],
]);

export const REGIME_NAMES: readonly string[] = [...NAMED_REGIMES.keys()];

/** The rule set a regime name stands for; undefined when it names none. */
export function rulesOfRegime(name: unknown): Jurisdiction | undefined {
  return typeof name === 'string' ? NAMED_REGIMES.get(name) : undefined;
}

/** The country whose tax authority ZATCA is: its e-invoicing units (EGS) and compliance samples are Saudi. */
export const ZATCA_COUNTRY = SAUDI.country;

/** The country whose e-invoices follow PINT AE (its emirates, TRNs and reserved endpoints). */
export const PINT_AE_COUNTRY = EMIRATI.country;

/** The product's first market: the country a new company's form starts with, and a screen without a company shows. */
export const DEFAULT_COUNTRY = SAUDI.country;

/** Whether a company of this country issues ZATCA XML (signed, hashed, chained, with the QR code). */
export function issuesZatcaXml(country: string): boolean {
  return findProfile(country)?.einvoiceFormats.includes('zatca-ubl') ?? false;
}
