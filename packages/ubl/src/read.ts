// Reads a UBL 2.1 invoice or credit note that someone else wrote (a supplier's ZATCA, PINT AE or Peppol BIS 3
// document, an inbound Peppol message) into plain data. The XML is read as untrusted (@invoiceflow/safe-xml: no
// DTD or entities, size and depth limits, well-formed only); amounts are kept as the decimal text the document
// prints ("1.00" stays "1.00"); nothing is a float.
import {
  attr,
  child,
  childrenOf,
  type XmlNode as Node,
  parseUntrustedXml,
  text,
  UntrustedXmlError,
} from '@invoiceflow/safe-xml';

export type UblReadErrorCode =
  | 'XML_TOO_LARGE'
  | 'XML_DOCTYPE_REFUSED'
  | 'XML_TOO_DEEP'
  | 'XML_MALFORMED'
  | 'NOT_UBL_INVOICE'
  | 'UBL_FIELD_MISSING'
  | 'UBL_FIELD_INVALID';

export class UblReadError extends Error {
  constructor(
    readonly code: UblReadErrorCode,
    message: string,
    /** The element at fault, as a path from the root (e.g. "LegalMonetaryTotal/PayableAmount"). */
    readonly path?: string,
  ) {
    super(message);
    this.name = 'UblReadError';
  }
}

export interface ReadOptions {
  /** Largest document accepted, in bytes of UTF-8 (default 20 MiB: room for embedded PDFs). */
  maxBytes?: number;
  /** Deepest element nesting accepted (default 64; a UBL invoice needs about 10). */
  maxDepth?: number;
}

export type ReadFormat = 'zatca' | 'pint-ae' | 'peppol-bis-3' | 'ubl';

export interface ReadAddress {
  street: string | null;
  additional_street: string | null;
  building_number: string | null;
  city: string | null;
  postal_code: string | null;
  subdivision: string | null;
  country: string | null;
}

export interface ReadParty {
  name: string | null;
  trading_name: string | null;
  vat_number: string | null;
  /** PartyLegalEntity/CompanyID with its scheme. */
  legal_id: { id: string; scheme: string | null } | null;
  /** PartyIdentification/ID: a CRN, a TIN, a GLN… with its scheme. */
  identifiers: { id: string; scheme: string | null }[];
  endpoint: { id: string; scheme: string | null } | null;
  address: ReadAddress | null;
  contact: { name: string | null; phone: string | null; email: string | null } | null;
}

export interface ReadTaxSubtotal {
  category: string;
  rate: string | null;
  taxable_amount: string | null;
  tax_amount: string;
  exemption_reason_code: string | null;
  exemption_reason: string | null;
}

export interface ReadAllowanceCharge {
  is_charge: boolean;
  amount: string;
  base_amount: string | null;
  percent: string | null;
  reason: string | null;
  reason_code: string | null;
  tax_category: string | null;
  tax_rate: string | null;
}

export interface ReadLine {
  id: string;
  name: string | null;
  description: string | null;
  quantity: string;
  unit_code: string | null;
  /** Net price of one base quantity. */
  unit_price: string | null;
  base_quantity: string | null;
  net_amount: string;
  tax_category: string | null;
  tax_rate: string | null;
  seller_item_id: string | null;
  buyer_item_id: string | null;
  standard_item_id: { id: string; scheme: string | null } | null;
  classification_codes: { code: string; list: string | null }[];
  /** BT-132: the line of the buyer's purchase order this line bills. */
  order_line_ref: string | null;
  allowance_charges: ReadAllowanceCharge[];
}

export interface ReadDocument {
  format: ReadFormat;
  kind: 'invoice' | 'credit_note' | 'debit_note';
  customization_id: string | null;
  profile_id: string | null;
  number: string;
  uuid: string | null;
  type_code: string | null;
  issue_date: string;
  due_date: string | null;
  currency: string;
  tax_currency: string | null;
  buyer_reference: string | null;
  order_reference: string | null;
  billing_references: string[];
  notes: string[];
  period: { start_date: string | null; end_date: string | null } | null;
  seller: ReadParty;
  buyer: ReadParty;
  lines: ReadLine[];
  allowance_charges: ReadAllowanceCharge[];
  tax_total: string | null;
  /** The VAT total in the tax currency, when the document has one (PINT AE in AED, ZATCA in SAR). */
  tax_total_in_tax_currency: string | null;
  tax_subtotals: ReadTaxSubtotal[];
  totals: {
    line_extension: string;
    tax_exclusive: string;
    tax_inclusive: string;
    allowance_total: string | null;
    charge_total: string | null;
    prepaid: string | null;
    rounding: string | null;
    payable: string;
  };
  payment_means: {
    code: string | null;
    payment_id: string | null;
    account_id: string | null;
    account_name: string | null;
  }[];
  /** Embedded attachments (AdditionalDocumentReference): their names and types, not their bytes. */
  attachments: { id: string | null; filename: string | null; mime_code: string | null }[];
}

const UBL_NAMESPACES = {
  Invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  CreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
} as const;

const REPEATED = new Set([
  'InvoiceLine',
  'CreditNoteLine',
  'DebitNoteLine',
  'AllowanceCharge',
  'TaxTotal',
  'TaxSubtotal',
  'Note',
  'BillingReference',
  'PartyIdentification',
  'PartyTaxScheme',
  'PaymentMeans',
  'AdditionalDocumentReference',
  'CommodityClassification',
  'AdditionalItemProperty',
  'OrderLineReference',
  'InvoicePeriod',
  'UBLExtension',
]);

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

function amount(node: Node | undefined, path: string, ...names: string[]): string | null {
  const value = text(node, ...names);
  if (value === null) return null;
  if (!DECIMAL.test(value)) {
    throw new UblReadError(
      'UBL_FIELD_INVALID',
      `${names.join('/')} is not a decimal number.`,
      `${path}${names.join('/')}`,
    );
  }
  return value;
}

function required<T>(value: T | null, path: string, what: string): T {
  if (value === null) throw new UblReadError('UBL_FIELD_MISSING', `The document has no ${what}.`, path);
  return value;
}

function formatOf(customization: string | null, profile: string | null): ReadFormat {
  const id = customization ?? '';
  if (/@ae-1\b/.test(id)) return 'pint-ae';
  if (id.includes('urn:fdc:peppol.eu:2017:poacc:')) return 'peppol-bis-3';
  if (profile === 'reporting:1.0') return 'zatca';
  return 'ubl';
}

function readAddress(node: Node | undefined): ReadAddress | null {
  if (!node) return null;
  return {
    street: text(node, 'StreetName'),
    additional_street: text(node, 'AdditionalStreetName'),
    building_number: text(node, 'BuildingNumber'),
    city: text(node, 'CityName'),
    postal_code: text(node, 'PostalZone'),
    subdivision: text(node, 'CountrySubentity') ?? text(node, 'CountrySubentityCode'),
    country: text(node, 'Country', 'IdentificationCode'),
  };
}

function readParty(party: Node | undefined): ReadParty {
  const taxSchemes = childrenOf(party, 'PartyTaxScheme');
  const vat =
    taxSchemes.find((scheme) => text(scheme, 'TaxScheme', 'ID')?.toUpperCase() === 'VAT') ?? taxSchemes[0];
  const legal = child(party, 'PartyLegalEntity');
  const legalId = text(legal, 'CompanyID');
  const endpointId = text(party, 'EndpointID');
  const contact = child(party, 'Contact');
  return {
    name: text(legal, 'RegistrationName') ?? text(party, 'PartyName', 'Name'),
    trading_name: text(party, 'PartyName', 'Name'),
    vat_number: text(vat, 'CompanyID'),
    legal_id: legalId ? { id: legalId, scheme: attr(legal, 'CompanyID', 'schemeID') } : null,
    identifiers: childrenOf(party, 'PartyIdentification').flatMap((identification) => {
      const id = text(identification, 'ID');
      return id ? [{ id, scheme: attr(identification, 'ID', 'schemeID') }] : [];
    }),
    endpoint: endpointId ? { id: endpointId, scheme: attr(party, 'EndpointID', 'schemeID') } : null,
    address: readAddress(child(party, 'PostalAddress')),
    contact: contact
      ? {
          name: text(contact, 'Name'),
          phone: text(contact, 'Telephone'),
          email: text(contact, 'ElectronicMail'),
        }
      : null,
  };
}

function readAllowanceCharges(node: Node | undefined, path: string): ReadAllowanceCharge[] {
  return childrenOf(node, 'AllowanceCharge').map((entry, i) => {
    const at = `${path}AllowanceCharge[${i + 1}]/`;
    const category = child(entry, 'TaxCategory');
    return {
      is_charge: text(entry, 'ChargeIndicator') === 'true',
      amount: required(amount(entry, at, 'Amount'), `${at}Amount`, 'allowance or charge amount'),
      base_amount: amount(entry, at, 'BaseAmount'),
      percent: amount(entry, at, 'MultiplierFactorNumeric'),
      reason: text(entry, 'AllowanceChargeReason'),
      reason_code: text(entry, 'AllowanceChargeReasonCode'),
      tax_category: text(category, 'ID'),
      tax_rate: amount(category, at, 'Percent'),
    };
  });
}

function readLine(line: Node, kind: ReadDocument['kind'], index: number): ReadLine {
  const at = `${kind === 'credit_note' ? 'CreditNoteLine' : kind === 'debit_note' ? 'DebitNoteLine' : 'InvoiceLine'}[${index + 1}]/`;
  const quantityName =
    kind === 'credit_note'
      ? 'CreditedQuantity'
      : kind === 'debit_note'
        ? 'DebitedQuantity'
        : 'InvoicedQuantity';
  const item = child(line, 'Item');
  const category = child(item, 'ClassifiedTaxCategory');
  const price = child(line, 'Price');
  const standardId = text(item, 'StandardItemIdentification', 'ID');
  return {
    id: required(text(line, 'ID'), `${at}ID`, 'line id'),
    name: text(item, 'Name'),
    description: text(item, 'Description'),
    quantity: required(amount(line, at, quantityName), `${at}${quantityName}`, 'line quantity'),
    unit_code: attr(line, quantityName, 'unitCode'),
    unit_price: amount(price, `${at}Price/`, 'PriceAmount'),
    base_quantity: amount(price, `${at}Price/`, 'BaseQuantity'),
    net_amount: required(amount(line, at, 'LineExtensionAmount'), `${at}LineExtensionAmount`, 'line amount'),
    tax_category: text(category, 'ID'),
    tax_rate: amount(category, `${at}Item/ClassifiedTaxCategory/`, 'Percent'),
    seller_item_id: text(item, 'SellersItemIdentification', 'ID'),
    buyer_item_id: text(item, 'BuyersItemIdentification', 'ID'),
    standard_item_id: standardId
      ? { id: standardId, scheme: attr(child(item, 'StandardItemIdentification'), 'ID', 'schemeID') }
      : null,
    classification_codes: childrenOf(item, 'CommodityClassification').flatMap((classification) => {
      const code = text(classification, 'ItemClassificationCode');
      return code ? [{ code, list: attr(classification, 'ItemClassificationCode', 'listID') }] : [];
    }),
    order_line_ref: text(line, 'OrderLineReference', 'LineID'),
    allowance_charges: readAllowanceCharges(line, at),
  };
}

/** Reads a UBL 2.1 Invoice or CreditNote; throws UblReadError with a code (and the element) for what it refuses. */
export function readUblDocument(xml: string | Uint8Array, options: ReadOptions = {}): ReadDocument {
  try {
    return readDocument(xml, options);
  } catch (error) {
    // The XML's own refusals (an undefined entity may surface while reading a value) under the reader's codes.
    if (error instanceof UntrustedXmlError) throw new UblReadError(error.code, error.message);
    throw error;
  }
}

function readDocument(xml: string | Uint8Array, options: ReadOptions): ReadDocument {
  const { rootName, root, source } = parseUntrustedXml(xml, {
    maxBytes: options.maxBytes ?? 20 * 1024 * 1024,
    maxDepth: options.maxDepth ?? 64,
    repeated: REPEATED,
  });
  if (!root || (rootName !== 'Invoice' && rootName !== 'CreditNote')) {
    throw new UblReadError('NOT_UBL_INVOICE', 'The document is not a UBL 2.1 Invoice or CreditNote.');
  }
  if (!source.includes(UBL_NAMESPACES[rootName])) {
    throw new UblReadError('NOT_UBL_INVOICE', `The ${rootName} is not in the UBL 2.1 namespace.`);
  }

  const customization = text(root, 'CustomizationID');
  const profile = text(root, 'ProfileID');
  const typeCode = text(root, rootName === 'Invoice' ? 'InvoiceTypeCode' : 'CreditNoteTypeCode');
  // ZATCA writes its credit and debit notes as Invoice documents with type 381 and 383.
  const kind: ReadDocument['kind'] =
    rootName === 'CreditNote' || typeCode === '381'
      ? 'credit_note'
      : typeCode === '383'
        ? 'debit_note'
        : 'invoice';
  const lineName = rootName === 'CreditNote' ? 'CreditNoteLine' : 'InvoiceLine';
  const lineKind = rootName === 'CreditNote' ? 'credit_note' : 'invoice';
  const currency = required(text(root, 'DocumentCurrencyCode'), 'DocumentCurrencyCode', 'currency');
  const taxCurrency = text(root, 'TaxCurrencyCode');
  const taxTotals = childrenOf(root, 'TaxTotal');
  const currencyOf = (total: Node) => attr(total, 'TaxAmount', 'currencyID');
  const inDocumentCurrency = taxTotals.find((t) => currencyOf(t) === currency) ?? taxTotals[0];
  const inTaxCurrency =
    taxCurrency && taxCurrency !== currency
      ? taxTotals.find((t) => currencyOf(t) === taxCurrency)
      : undefined;
  const monetary = child(root, 'LegalMonetaryTotal');
  const totalsAt = 'LegalMonetaryTotal/';
  const period = child(root, 'InvoicePeriod');
  const lines = childrenOf(root, lineName).map((line, i) => readLine(line, lineKind, i));
  if (lines.length === 0) throw new UblReadError('UBL_FIELD_MISSING', 'The document has no lines.', lineName);

  return {
    format: formatOf(customization, profile),
    kind,
    customization_id: customization,
    profile_id: profile,
    number: required(text(root, 'ID'), 'ID', 'number'),
    uuid: text(root, 'UUID'),
    type_code: typeCode,
    issue_date: required(text(root, 'IssueDate'), 'IssueDate', 'issue date'),
    due_date: text(root, 'DueDate') ?? text(root, 'PaymentMeans', 'PaymentDueDate'),
    currency,
    tax_currency: taxCurrency,
    buyer_reference: text(root, 'BuyerReference'),
    order_reference: text(root, 'OrderReference', 'ID'),
    billing_references: childrenOf(root, 'BillingReference').flatMap((ref) => {
      const id = text(ref, 'InvoiceDocumentReference', 'ID');
      return id ? [id] : [];
    }),
    notes: childrenOf(root, 'Note').flatMap((note) => {
      const value = text(note);
      return value ? [value] : [];
    }),
    period: period ? { start_date: text(period, 'StartDate'), end_date: text(period, 'EndDate') } : null,
    seller: readParty(child(root, 'AccountingSupplierParty', 'Party')),
    buyer: readParty(child(root, 'AccountingCustomerParty', 'Party')),
    lines,
    allowance_charges: readAllowanceCharges(root, ''),
    tax_total: amount(inDocumentCurrency, 'TaxTotal/', 'TaxAmount'),
    tax_total_in_tax_currency: inTaxCurrency ? amount(inTaxCurrency, 'TaxTotal/', 'TaxAmount') : null,
    tax_subtotals: childrenOf(inDocumentCurrency, 'TaxSubtotal').map((subtotal, i) => {
      const at = `TaxTotal/TaxSubtotal[${i + 1}]/`;
      const category = child(subtotal, 'TaxCategory');
      return {
        category: required(text(category, 'ID'), `${at}TaxCategory/ID`, 'tax category'),
        rate: amount(category, `${at}TaxCategory/`, 'Percent'),
        taxable_amount: amount(subtotal, at, 'TaxableAmount'),
        tax_amount: required(amount(subtotal, at, 'TaxAmount'), `${at}TaxAmount`, 'tax amount'),
        exemption_reason_code: text(category, 'TaxExemptionReasonCode'),
        exemption_reason: text(category, 'TaxExemptionReason'),
      };
    }),
    totals: {
      line_extension: required(
        amount(monetary, totalsAt, 'LineExtensionAmount'),
        `${totalsAt}LineExtensionAmount`,
        'line total',
      ),
      tax_exclusive: required(
        amount(monetary, totalsAt, 'TaxExclusiveAmount'),
        `${totalsAt}TaxExclusiveAmount`,
        'total without VAT',
      ),
      tax_inclusive: required(
        amount(monetary, totalsAt, 'TaxInclusiveAmount'),
        `${totalsAt}TaxInclusiveAmount`,
        'total with VAT',
      ),
      allowance_total: amount(monetary, totalsAt, 'AllowanceTotalAmount'),
      charge_total: amount(monetary, totalsAt, 'ChargeTotalAmount'),
      prepaid: amount(monetary, totalsAt, 'PrepaidAmount'),
      rounding: amount(monetary, totalsAt, 'PayableRoundingAmount'),
      payable: required(
        amount(monetary, totalsAt, 'PayableAmount'),
        `${totalsAt}PayableAmount`,
        'amount due',
      ),
    },
    payment_means: childrenOf(root, 'PaymentMeans').map((means) => ({
      code: text(means, 'PaymentMeansCode'),
      payment_id: text(means, 'PaymentID'),
      account_id: text(means, 'PayeeFinancialAccount', 'ID'),
      account_name: text(means, 'PayeeFinancialAccount', 'Name'),
    })),
    attachments: childrenOf(root, 'AdditionalDocumentReference').flatMap((ref) => {
      const binary = child(ref, 'Attachment');
      if (!binary || binary.EmbeddedDocumentBinaryObject === undefined) return [];
      return [
        {
          id: text(ref, 'ID'),
          filename: attr(binary, 'EmbeddedDocumentBinaryObject', 'filename'),
          mime_code: attr(binary, 'EmbeddedDocumentBinaryObject', 'mimeCode'),
        },
      ];
    }),
  };
}
