// The UBL 2.1 Invoice / CreditNote core: parties, references, allowances and charges, the VAT breakdown, totals and
// lines, in the XSD's element order. A profile (pint-ae.ts, peppol.ts) supplies what differs: its identifiers,
// the type codes, which tax categories carry a rate, and its own extensions. Amounts are the totals engine's,
// written verbatim; output is deterministic and canonical (xml-writer.ts), so its hash is stable.
import type {
  LineResult,
  ResolvedAllowanceCharge,
  TotalsResult,
  VatBreakdown,
  VatCategory,
} from '@invoiceflow/totals';
import type { UblAddress, UblDocumentInput, UblLineText, UblParty } from './types';
import { type Attrs, leaf, node, optLeaf } from './xml-writer';

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

const NS = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  creditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
} as const;

export type TaxLevel = 'line' | 'document' | 'breakdown';

/** What a profile decides; the core writes the rest. */
export interface ProfileSpec {
  customizationId(input: UblDocumentInput): string;
  profileId(input: UblDocumentInput): string;
  /** cbc:ProfileExecutionID (PINT AE: the transaction type flags). */
  profileExecutionId?(input: UblDocumentInput): string | undefined;
  writesUuid: boolean;
  typeCode(input: UblDocumentInput): string;
  /** Whether a category's rate (cbc:Percent) is written at this level. */
  writesPercent(category: VatCategory, level: TaxLevel): boolean;
  /** Extra cac:AdditionalDocumentReference elements (PINT AE: the AED total of a foreign-currency invoice). */
  additionalReferences?(input: UblDocumentInput): string;
  /** Written after the party's PartyLegalEntity children are settled: the legal registration's attributes. */
  legalRegistrationAttrs(party: UblParty, role: 'seller' | 'buyer'): Attrs | undefined;
  /** The line's own tail after cac:Price (PINT AE: cac:ItemPriceExtension). */
  lineExtension?(line: LineResult, currency: string): string;
  /** Item classification (PINT AE: item type, HS code, service code, RCM type). */
  itemClassification(text: UblLineText, line: LineResult): string;
  /** The tax-currency code written in cbc:TaxCurrencyCode, when it differs from the document currency. */
  taxCurrency(totals: TotalsResult): string | undefined;
  /** Whether a line's tax category repeats its exemption reason (PINT AE ibr-167-ae; EN 16931 UBL-CR-600/601: no). */
  writesLineExemption: boolean;
  /** Whether cac:TaxExchangeRate is written (PINT AE ibr-153-ae; EN 16931 UBL-CR-490: no, BT-111 alone). */
  writesExchangeRate: boolean;
  /** Whether every price states its gross price, with a zero discount when there is none (PINT AE ibr-126-ae). */
  alwaysWritesGrossPrice: boolean;
  /** Whether the VAT breakdown states that prices exclude VAT (PINT AE examples write TaxIncludedIndicator). */
  writesTaxIncludedIndicator: boolean;
}

const cur = (currency: string): Attrs => [['currencyID', currency]];

/**
 * UN/ECE Recommendation 20 withdrew "PCE" (piece) for "H87"; the product's default unit is still PCE, which the
 * PINT AE and EN 16931 code lists refuse (ibr-cl-23, BR-CL-23). Every other code is written as given.
 */
export function unitCodeOf(code: string): string {
  return code === 'PCE' ? 'H87' : code;
}

function isZero(amount: string | undefined): boolean {
  return amount === undefined || /^[-+]?0*(\.0*)?$/.test(amount.trim());
}

export function address(element: string, a: UblAddress): string {
  return node(
    element,
    optLeaf('cbc:StreetName', a.street) +
      optLeaf('cbc:AdditionalStreetName', a.additional_street) +
      optLeaf('cbc:CityName', a.city) +
      optLeaf('cbc:PostalZone', a.postal_code) +
      optLeaf('cbc:CountrySubentity', a.subdivision) +
      node('cac:Country', leaf('cbc:IdentificationCode', a.country)),
  );
}

const vatScheme = node('cac:TaxScheme', leaf('cbc:ID', 'VAT'));

function party(spec: ProfileSpec, p: UblParty, role: 'seller' | 'buyer'): string {
  const legal = p.legal_registration;
  const legalAttrs = legal ? spec.legalRegistrationAttrs(p, role) : undefined;
  const contact = p.contact
    ? node(
        'cac:Contact',
        optLeaf('cbc:Name', p.contact.name) +
          optLeaf('cbc:Telephone', p.contact.phone) +
          optLeaf('cbc:ElectronicMail', p.contact.email),
      )
    : '';
  return node(
    'cac:Party',
    (p.endpoint ? leaf('cbc:EndpointID', p.endpoint.id, [['schemeID', p.endpoint.scheme]]) : '') +
      (p.identifier
        ? node(
            'cac:PartyIdentification',
            leaf(
              'cbc:ID',
              p.identifier.id,
              p.identifier.scheme ? [['schemeID', p.identifier.scheme]] : undefined,
            ),
          )
        : '') +
      (p.trade_name ? node('cac:PartyName', leaf('cbc:Name', p.trade_name)) : '') +
      address('cac:PostalAddress', p.address) +
      (p.vat_number ? node('cac:PartyTaxScheme', leaf('cbc:CompanyID', p.vat_number) + vatScheme) : '') +
      // IBT-032: a registration that is not a VAT number is written under another tax scheme (ibr-178-ae, BR-CO-09).
      (p.tax_number && !p.vat_number
        ? node(
            'cac:PartyTaxScheme',
            leaf('cbc:CompanyID', p.tax_number) + node('cac:TaxScheme', leaf('cbc:ID', 'TAX')),
          )
        : '') +
      node(
        'cac:PartyLegalEntity',
        leaf('cbc:RegistrationName', p.name) + (legal ? leaf('cbc:CompanyID', legal.id, legalAttrs) : ''),
      ) +
      contact,
  );
}

export function taxCategory(
  spec: ProfileSpec,
  element: 'cac:TaxCategory' | 'cac:ClassifiedTaxCategory',
  category: VatCategory,
  rate: string | undefined,
  level: TaxLevel,
  exemption?: { code?: string; reason?: string },
): string {
  return node(
    element,
    leaf('cbc:ID', category) +
      (rate !== undefined && spec.writesPercent(category, level) ? leaf('cbc:Percent', rate) : '') +
      optLeaf('cbc:TaxExemptionReasonCode', exemption?.code) +
      optLeaf('cbc:TaxExemptionReason', exemption?.reason) +
      vatScheme,
  );
}

function allowanceCharge(
  spec: ProfileSpec,
  ac: ResolvedAllowanceCharge,
  currency: string,
  documentLevel: boolean,
): string {
  const withBase = ac.percent !== undefined && ac.base_amount !== undefined;
  return node(
    'cac:AllowanceCharge',
    leaf('cbc:ChargeIndicator', ac.is_charge ? 'true' : 'false') +
      optLeaf('cbc:AllowanceChargeReasonCode', ac.reason_code) +
      optLeaf('cbc:AllowanceChargeReason', ac.reason) +
      // BR-KSA-EN16931-04/05, aligned-ibrp-057/058: percentage and base amount go together.
      (withBase && ac.percent !== undefined ? leaf('cbc:MultiplierFactorNumeric', ac.percent) : '') +
      leaf('cbc:Amount', ac.amount, cur(currency)) +
      (withBase && ac.base_amount !== undefined
        ? leaf('cbc:BaseAmount', ac.base_amount, cur(currency))
        : '') +
      (documentLevel
        ? taxCategory(spec, 'cac:TaxCategory', ac.vat_category ?? 'S', ac.vat_rate ?? '0', 'document', {
            code: ac.exemption_reason_code,
            reason: ac.exemption_reason,
          })
        : ''),
  );
}

function taxSubtotal(spec: ProfileSpec, v: VatBreakdown, currency: string): string {
  return node(
    'cac:TaxSubtotal',
    leaf('cbc:TaxableAmount', v.taxable_amount, cur(currency)) +
      leaf('cbc:TaxAmount', v.vat_amount, cur(currency)) +
      taxCategory(spec, 'cac:TaxCategory', v.category, v.rate, 'breakdown', {
        code: v.exemption_reason_code,
        reason: v.exemption_reason,
      }),
  );
}

function period(
  element: string,
  p: { start?: string; end?: string; frequency?: string } | undefined,
): string {
  if (!p || (!p.start && !p.end)) return '';
  return node(
    element,
    optLeaf('cbc:StartDate', p.start) +
      optLeaf('cbc:EndDate', p.end) +
      optLeaf('cbc:DescriptionCode', p.frequency),
  );
}

function line(
  spec: ProfileSpec,
  input: UblDocumentInput,
  result: LineResult,
  text: UblLineText,
  position: number,
  currency: string,
): string {
  const credit = input.kind === 'credit_note';
  const gross = text.gross_price !== undefined && text.price_discount !== undefined;
  const item = node(
    'cac:Item',
    leaf('cbc:Description', text.description ?? text.name) +
      leaf('cbc:Name', text.name) +
      (text.buyer_item_id ? node('cac:BuyersItemIdentification', leaf('cbc:ID', text.buyer_item_id)) : '') +
      (text.seller_item_id
        ? node('cac:SellersItemIdentification', leaf('cbc:ID', text.seller_item_id))
        : '') +
      (text.standard_id
        ? node(
            'cac:StandardItemIdentification',
            leaf('cbc:ID', text.standard_id.id, [['schemeID', text.standard_id.scheme]]),
          )
        : '') +
      spec.itemClassification(text, result) +
      taxCategory(
        spec,
        'cac:ClassifiedTaxCategory',
        result.vat_category,
        result.vat_rate,
        'line',
        spec.writesLineExemption
          ? { code: result.exemption_reason_code, reason: result.exemption_reason }
          : undefined,
      ),
  );
  const price = node(
    'cac:Price',
    leaf('cbc:PriceAmount', result.unit_price, cur(currency)) +
      leaf('cbc:BaseQuantity', result.base_quantity, [['unitCode', unitCodeOf(result.unit_code)]]) +
      (gross || spec.alwaysWritesGrossPrice
        ? node(
            'cac:AllowanceCharge',
            leaf('cbc:ChargeIndicator', 'false') +
              leaf('cbc:Amount', gross ? (text.price_discount ?? '0') : '0', cur(currency)) +
              leaf(
                'cbc:BaseAmount',
                gross ? (text.gross_price ?? result.unit_price) : result.unit_price,
                cur(currency),
              ),
          )
        : ''),
  );
  const acs = result.allowances_charges.map((ac) => allowanceCharge(spec, ac, currency, false)).join('');
  return node(
    credit ? 'cac:CreditNoteLine' : 'cac:InvoiceLine',
    leaf('cbc:ID', String(position)) +
      optLeaf('cbc:Note', text.note) +
      leaf(credit ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity', result.quantity, [
        ['unitCode', unitCodeOf(result.unit_code)],
      ]) +
      leaf('cbc:LineExtensionAmount', result.net_amount, cur(currency)) +
      period('cac:InvoicePeriod', text.period) +
      acs +
      item +
      price +
      (spec.lineExtension?.(result, currency) ?? ''),
  );
}

function paymentMeans(input: UblDocumentInput): string {
  const p = input.payment_means;
  if (!p) return '';
  return node(
    'cac:PaymentMeans',
    leaf('cbc:PaymentMeansCode', p.code) +
      optLeaf('cbc:PaymentID', p.payment_id) +
      (p.account_id
        ? node(
            'cac:PayeeFinancialAccount',
            leaf('cbc:ID', p.account_id) +
              optLeaf('cbc:Name', p.account_name) +
              (p.bank_id ? node('cac:FinancialInstitutionBranch', leaf('cbc:ID', p.bank_id)) : ''),
          )
        : ''),
  );
}

function delivery(input: UblDocumentInput): string {
  const d = input.delivery;
  if (!d) return '';
  return node(
    'cac:Delivery',
    optLeaf('cbc:ActualDeliveryDate', d.date) +
      (d.address ? node('cac:DeliveryLocation', address('cac:Address', d.address)) : '') +
      (d.incoterms
        ? node('cac:DeliveryTerms', leaf('cbc:ID', d.incoterms, [['schemeID', 'Incoterms']]))
        : ''),
  );
}

function monetaryTotal(t: TotalsResult['totals']): string {
  const c = cur(t.currency);
  return node(
    'cac:LegalMonetaryTotal',
    leaf('cbc:LineExtensionAmount', t.line_extension_amount, c) +
      leaf('cbc:TaxExclusiveAmount', t.tax_exclusive_amount, c) +
      leaf('cbc:TaxInclusiveAmount', t.tax_inclusive_amount, c) +
      (isZero(t.allowance_total_amount)
        ? ''
        : leaf('cbc:AllowanceTotalAmount', t.allowance_total_amount, c)) +
      (isZero(t.charge_total_amount) ? '' : leaf('cbc:ChargeTotalAmount', t.charge_total_amount, c)) +
      (isZero(t.prepaid_amount) ? '' : leaf('cbc:PrepaidAmount', t.prepaid_amount, c)) +
      (isZero(t.rounding_amount) ? '' : leaf('cbc:PayableRoundingAmount', t.rounding_amount, c)) +
      leaf('cbc:PayableAmount', t.payable_amount, c),
  );
}

/** The whole document under a profile. */
export function buildDocument(spec: ProfileSpec, input: UblDocumentInput): string {
  const { totals } = input;
  const t = totals.totals;
  const currency = t.currency;
  const credit = input.kind === 'credit_note';
  if (input.lines.length !== totals.lines.length) {
    throw new Error(`lines: ${input.lines.length} line texts for ${totals.lines.length} computed lines`);
  }
  const taxCurrency = spec.taxCurrency(totals);
  const foreign = taxCurrency !== undefined && taxCurrency !== currency;
  const rootName = credit ? 'CreditNote' : 'Invoice';
  const rootOpen = `<${rootName} xmlns="${credit ? NS.creditNote : NS.invoice}" xmlns:cac="${NS.cac}" xmlns:cbc="${NS.cbc}">`;

  const executionId = spec.profileExecutionId?.(input);
  const head =
    leaf('cbc:CustomizationID', spec.customizationId(input)) +
    leaf('cbc:ProfileID', spec.profileId(input)) +
    optLeaf('cbc:ProfileExecutionID', executionId) +
    leaf('cbc:ID', input.number) +
    (spec.writesUuid ? leaf('cbc:UUID', input.uuid) : '') +
    leaf('cbc:IssueDate', input.issue_date) +
    optLeaf('cbc:IssueTime', input.issue_time) +
    // UBL 2.1: a credit note has no DueDate at the root (it goes in PaymentMeans/PaymentDueDate).
    (credit ? '' : optLeaf('cbc:DueDate', input.due_date)) +
    (credit ? optLeaf('cbc:TaxPointDate', input.tax_point_date) : '') +
    leaf(credit ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode', spec.typeCode(input)) +
    optLeaf('cbc:Note', input.note) +
    (credit ? '' : optLeaf('cbc:TaxPointDate', input.tax_point_date)) +
    leaf('cbc:DocumentCurrencyCode', currency) +
    (foreign && taxCurrency ? leaf('cbc:TaxCurrencyCode', taxCurrency) : '') +
    optLeaf('cbc:BuyerReference', input.buyer_reference) +
    period('cac:InvoicePeriod', input.invoice_period) +
    (credit && input.credit_reason && (input.credit_reason.code || input.credit_reason.text)
      ? node(
          'cac:DiscrepancyResponse',
          optLeaf('cbc:ResponseCode', input.credit_reason.code) +
            optLeaf('cbc:Description', input.credit_reason.text),
        )
      : '') +
    (input.order_reference ? node('cac:OrderReference', leaf('cbc:ID', input.order_reference)) : '') +
    (input.billing_references ?? [])
      .map((r) =>
        node(
          'cac:BillingReference',
          node(
            'cac:InvoiceDocumentReference',
            leaf('cbc:ID', r.number) + optLeaf('cbc:IssueDate', r.issue_date),
          ),
        ),
      )
      .join('') +
    (input.contract_reference
      ? node(
          'cac:ContractDocumentReference',
          leaf('cbc:ID', input.contract_reference.id) +
            optLeaf('cbc:DocumentDescription', input.contract_reference.value),
        )
      : '') +
    (spec.additionalReferences?.(input) ?? '');

  const taxTotals =
    node(
      'cac:TaxTotal',
      leaf('cbc:TaxAmount', t.tax_amount, cur(currency)) +
        (spec.writesTaxIncludedIndicator ? leaf('cbc:TaxIncludedIndicator', 'false') : '') +
        totals.vat_breakdown.map((v) => taxSubtotal(spec, v, currency)).join(''),
    ) +
    // IBT-111 (BR-53, ibr-053): the VAT total in the tax currency, without subtotals.
    (foreign && taxCurrency
      ? node(
          'cac:TaxTotal',
          leaf('cbc:TaxAmount', t.tax_amount_in_tax_currency ?? t.tax_amount, cur(taxCurrency)),
        )
      : '');

  const exchangeRate =
    foreign && taxCurrency && t.exchange_rate && spec.writesExchangeRate
      ? node(
          'cac:TaxExchangeRate',
          leaf('cbc:SourceCurrencyCode', currency) +
            leaf('cbc:TargetCurrencyCode', taxCurrency) +
            leaf('cbc:CalculationRate', t.exchange_rate),
        )
      : '';

  const documentAcs = totals.allowances_charges
    .map((ac) => allowanceCharge(spec, ac, currency, true))
    .join('');
  const body =
    node('cac:AccountingSupplierParty', party(spec, input.seller, 'seller')) +
    node('cac:AccountingCustomerParty', party(spec, input.buyer, 'buyer')) +
    // BTAE-01: the free zone beneficiary (ibr-007-ae).
    (input.beneficiary_id
      ? node(
          'cac:BuyerCustomerParty',
          node('cac:Party', node('cac:PartyIdentification', leaf('cbc:ID', input.beneficiary_id))),
        )
      : '') +
    // BTAE-14: the principal a disclosed agent invoices for (ibr-137-ae).
    (input.principal_id
      ? node(
          'cac:SellerSupplierParty',
          node('cac:Party', node('cac:PartyIdentification', leaf('cbc:ID', input.principal_id))),
        )
      : '') +
    delivery(input) +
    paymentMeans(input) +
    (input.payment_terms ? node('cac:PaymentTerms', leaf('cbc:Note', input.payment_terms)) : '') +
    // UBL 2.1 orders these differently: an invoice's allowances come before the exchange rate, a credit note's after.
    (credit ? exchangeRate + documentAcs : documentAcs + exchangeRate) +
    taxTotals +
    monetaryTotal(t) +
    totals.lines
      .map((result, i) => {
        const text = input.lines[i];
        if (!text) throw new Error(`lines.${i}: missing line text`);
        return line(spec, input, result, text, i + 1, currency);
      })
      .join('');

  return `${XML_DECLARATION}${rootOpen}${head}${body}</${rootName}>`;
}
