// UBL 2.1 invoice per the ZATCA XML Implementation Standard (structure of the SDK R3.4.8 samples).
// Amounts are written exactly as the totals engine computed them: this module never does arithmetic on money.
// Output is deterministic and already canonical (see xml-writer.ts), so the invoice hash needs no DOM.
import type { LineResult, ResolvedAllowanceCharge, TotalsResult, VatBreakdown } from '@invoiceflow/totals';
import { UBL_NS } from './invoice-hash';
import type { ZatcaAddress, ZatcaInvoiceInput, ZatcaLineText } from './types';
import { renderLocalized } from './types';
import { leaf, node, optLeaf } from './xml-writer';

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** BT-3 codes (XML standard §11.2.1, BR-KSA-05). */
export const INVOICE_TYPE_CODES = {
  invoice: '388',
  credit_note: '381',
  debit_note: '383',
  prepayment: '386',
} as const;

/** KSA-2 "NNPNESB" (BR-KSA-06). */
export function transactionCode(input: Pick<ZatcaInvoiceInput, 'subtype' | 'flags'>): string {
  const f = input.flags ?? {};
  const bit = (b: boolean | undefined) => (b ? '1' : '0');
  return `${input.subtype === 'standard' ? '01' : '02'}${bit(f.third_party)}${bit(f.nominal)}${bit(f.export)}${bit(f.summary)}${bit(f.self_billed)}`;
}

/** Percent with two decimals ("15" → "15.00"), by string manipulation (BR-KSA-DEC-02: at most two decimals). */
export function formatPercent(rate: string): string {
  const [int = '0', frac = ''] = rate.trim().split('.');
  if (frac.length > 2) return rate.trim();
  return `${int === '' ? '0' : int}.${frac.padEnd(2, '0')}`;
}

/** The pieces of the document; the signer assembles them around the signature and the QR. */
export interface InvoiceParts {
  rootOpen: string;
  /** From ProfileID through the PIH AdditionalDocumentReference (the QR reference goes after it). */
  head: string;
  /** cac:Signature (excluded from the hash). */
  signature: string;
  /** From AccountingSupplierParty to the last InvoiceLine. */
  body: string;
  rootClose: string;
}

const ROOT_OPEN = `<Invoice xmlns="${UBL_NS.invoice}" xmlns:cac="${UBL_NS.cac}" xmlns:cbc="${UBL_NS.cbc}" xmlns:ext="${UBL_NS.ext}">`;

// BR-KSA-28..30: the values of the signature placeholder.
const SIGNATURE_PLACEHOLDER = node(
  'cac:Signature',
  leaf('cbc:ID', 'urn:oasis:names:specification:ubl:signature:Invoice') +
    leaf('cbc:SignatureMethod', 'urn:oasis:names:specification:ubl:dsig:enveloped:xades'),
);

function address(a: ZatcaAddress): string {
  return node(
    'cac:PostalAddress',
    optLeaf('cbc:StreetName', a.street) +
      optLeaf('cbc:AdditionalStreetName', a.additional_street) +
      optLeaf('cbc:BuildingNumber', a.building_number) +
      optLeaf('cbc:PlotIdentification', a.additional_number) +
      optLeaf('cbc:CitySubdivisionName', a.district) +
      optLeaf('cbc:CityName', a.city) +
      optLeaf('cbc:PostalZone', a.postal_code) +
      optLeaf('cbc:CountrySubentity', a.province) +
      node('cac:Country', leaf('cbc:IdentificationCode', a.country)),
  );
}

function taxScheme(): string {
  return node('cac:TaxScheme', leaf('cbc:ID', 'VAT'));
}

function partyTaxScheme(vat: string | undefined): string {
  return vat ? node('cac:PartyTaxScheme', leaf('cbc:CompanyID', vat) + taxScheme()) : '';
}

function sellerParty(input: ZatcaInvoiceInput): string {
  const s = input.seller;
  const id = s.other_id
    ? node('cac:PartyIdentification', leaf('cbc:ID', s.other_id.value, [['schemeID', s.other_id.scheme]]))
    : '';
  return node(
    'cac:AccountingSupplierParty',
    node(
      'cac:Party',
      id +
        address(s.address) +
        partyTaxScheme(s.vat_number) +
        node('cac:PartyLegalEntity', leaf('cbc:RegistrationName', renderLocalized(s.name))),
    ),
  );
}

function buyerParty(input: ZatcaInvoiceInput): string {
  const b = input.buyer;
  // The element is mandatory in UBL; an anonymous simplified invoice leaves it empty (Simplified_Invoice sample).
  if (!b) return node('cac:AccountingCustomerParty', '');
  const name = renderLocalized(b.name);
  const party =
    (b.other_id
      ? node('cac:PartyIdentification', leaf('cbc:ID', b.other_id.value, [['schemeID', b.other_id.scheme]]))
      : '') +
    (b.address ? address(b.address) : '') +
    partyTaxScheme(b.vat_number) +
    (name ? node('cac:PartyLegalEntity', leaf('cbc:RegistrationName', name)) : '');
  return node('cac:AccountingCustomerParty', party ? node('cac:Party', party) : '');
}

function taxCategory(
  element: 'cac:TaxCategory' | 'cac:ClassifiedTaxCategory',
  category: string,
  rate: string,
  exemption?: { code?: string; reason?: string },
): string {
  return node(
    element,
    leaf('cbc:ID', category) +
      leaf('cbc:Percent', formatPercent(rate)) +
      optLeaf('cbc:TaxExemptionReasonCode', exemption?.code) +
      optLeaf('cbc:TaxExemptionReason', exemption?.reason) +
      taxScheme(),
  );
}

function allowanceCharge(ac: ResolvedAllowanceCharge, currency: string, documentLevel: boolean): string {
  const cur: [string, string][] = [['currencyID', currency]];
  return node(
    'cac:AllowanceCharge',
    leaf('cbc:ChargeIndicator', ac.is_charge ? 'true' : 'false') +
      optLeaf('cbc:AllowanceChargeReasonCode', ac.reason_code) +
      optLeaf('cbc:AllowanceChargeReason', ac.reason) +
      // BR-KSA-EN16931-04/05: percentage and base amount go together.
      (ac.percent !== undefined && ac.base_amount !== undefined
        ? leaf('cbc:MultiplierFactorNumeric', ac.percent)
        : '') +
      leaf('cbc:Amount', ac.amount, cur) +
      (ac.percent !== undefined && ac.base_amount !== undefined
        ? leaf('cbc:BaseAmount', ac.base_amount, cur)
        : '') +
      (documentLevel ? taxCategory('cac:TaxCategory', ac.vat_category ?? 'S', ac.vat_rate ?? '0') : ''),
  );
}

function taxSubtotal(v: VatBreakdown, currency: string): string {
  const cur: [string, string][] = [['currencyID', currency]];
  return node(
    'cac:TaxSubtotal',
    leaf('cbc:TaxableAmount', v.taxable_amount, cur) +
      leaf('cbc:TaxAmount', v.vat_amount, cur) +
      taxCategory('cac:TaxCategory', v.category, v.rate, {
        code: v.exemption_reason_code,
        reason: v.exemption_reason,
      }),
  );
}

function invoiceLine(line: LineResult, text: ZatcaLineText, position: number, currency: string): string {
  const cur: [string, string][] = [['currencyID', currency]];
  const p = text.prepayment;
  // KSA-26..30: the prepayment invoice this adjustment line settles (BR-KSA-74: type 386).
  const docRef = p
    ? node(
        'cac:DocumentReference',
        leaf('cbc:ID', p.invoice_number) +
          leaf('cbc:UUID', p.uuid) +
          leaf('cbc:IssueDate', p.issue_date) +
          optLeaf('cbc:IssueTime', p.issue_time) +
          leaf('cbc:DocumentTypeCode', INVOICE_TYPE_CODES.prepayment),
      )
    : '';
  // KSA-31..34: prepaid taxable amount and VAT under the line's category.
  const prepaymentSubtotal = line.prepayment
    ? node(
        'cac:TaxSubtotal',
        leaf('cbc:TaxableAmount', line.prepayment.taxable_amount, cur) +
          leaf('cbc:TaxAmount', line.prepayment.vat_amount, cur) +
          taxCategory('cac:TaxCategory', line.vat_category, line.vat_rate, {
            code: line.exemption_reason_code,
            reason: line.exemption_reason,
          }),
      )
    : '';
  return node(
    'cac:InvoiceLine',
    leaf('cbc:ID', String(position)) +
      leaf('cbc:InvoicedQuantity', formatQuantity(line.quantity), [['unitCode', line.unit_code]]) +
      leaf('cbc:LineExtensionAmount', line.net_amount, cur) +
      docRef +
      line.allowances_charges.map((ac) => allowanceCharge(ac, currency, false)).join('') +
      // KSA-11 line VAT and KSA-12 line amount with VAT (BR-KSA-52/53), written in RoundingAmount.
      node(
        'cac:TaxTotal',
        leaf('cbc:TaxAmount', line.vat_amount, cur) +
          leaf('cbc:RoundingAmount', line.amount_with_vat, cur) +
          prepaymentSubtotal,
      ) +
      node(
        'cac:Item',
        leaf('cbc:Name', renderLocalized(text.name)) +
          (text.seller_item_id
            ? node('cac:SellersItemIdentification', leaf('cbc:ID', text.seller_item_id))
            : '') +
          taxCategory('cac:ClassifiedTaxCategory', line.vat_category, line.vat_rate),
      ) +
      node(
        'cac:Price',
        leaf('cbc:PriceAmount', line.unit_price, cur) +
          (line.base_quantity !== '1'
            ? leaf('cbc:BaseQuantity', line.base_quantity, [['unitCode', line.unit_code]])
            : ''),
      ),
  );
}

/**
 * Trap: ZATCA's EN 16931 schematron tests BR-22 as the string `InvoicedQuantity != '0'`, so the literal "0" of a
 * prepayment adjustment line fails while the same value written "0.00" (as in the SDK samples) passes.
 */
export function formatQuantity(quantity: string): string {
  return /^[-+]?0+$/.test(quantity.trim()) ? '0.00' : quantity;
}

function isZero(amount: string | undefined): boolean {
  return amount === undefined || /^[-+]?0*(\.0*)?$/.test(amount.trim());
}

function monetaryTotal(t: TotalsResult['totals']): string {
  const cur: [string, string][] = [['currencyID', t.currency]];
  return node(
    'cac:LegalMonetaryTotal',
    leaf('cbc:LineExtensionAmount', t.line_extension_amount, cur) +
      leaf('cbc:TaxExclusiveAmount', t.tax_exclusive_amount, cur) +
      leaf('cbc:TaxInclusiveAmount', t.tax_inclusive_amount, cur) +
      leaf('cbc:AllowanceTotalAmount', t.allowance_total_amount, cur) +
      leaf('cbc:ChargeTotalAmount', t.charge_total_amount, cur) +
      // BR-KSA-73: a prepaid amount calls for prepayment lines, so it is written only when there is one.
      (isZero(t.prepaid_amount) ? '' : leaf('cbc:PrepaidAmount', t.prepaid_amount, cur)) +
      (isZero(t.rounding_amount) ? '' : leaf('cbc:PayableRoundingAmount', t.rounding_amount, cur)) +
      leaf('cbc:PayableAmount', t.payable_amount, cur),
  );
}

export function buildInvoiceParts(input: ZatcaInvoiceInput): InvoiceParts {
  const { totals } = input;
  const t = totals.totals;
  const currency = t.currency;
  const taxCurrency = t.tax_currency ?? 'SAR';
  if (input.lines.length !== totals.lines.length) {
    throw new Error(`lines: ${input.lines.length} line texts for ${totals.lines.length} computed lines`);
  }

  const head =
    leaf('cbc:ProfileID', 'reporting:1.0') + // BR-KSA-EN16931-01
    leaf('cbc:ID', input.number) +
    leaf('cbc:UUID', input.uuid) +
    leaf('cbc:IssueDate', input.issue_date) +
    leaf('cbc:IssueTime', input.issue_time) +
    leaf('cbc:InvoiceTypeCode', INVOICE_TYPE_CODES[input.type], [['name', transactionCode(input)]]) +
    (input.notes ?? [])
      .map((n) => leaf('cbc:Note', n.text, n.language ? [['languageID', n.language]] : undefined))
      .join('') +
    leaf('cbc:DocumentCurrencyCode', currency) +
    leaf('cbc:TaxCurrencyCode', taxCurrency) + // BR-KSA-68
    (input.billing_references ?? [])
      .map((id) => node('cac:BillingReference', node('cac:InvoiceDocumentReference', leaf('cbc:ID', id))))
      .join('') +
    // KSA-16 invoice counter value
    node('cac:AdditionalDocumentReference', leaf('cbc:ID', 'ICV') + leaf('cbc:UUID', String(input.counter))) +
    // KSA-13 previous invoice hash
    node(
      'cac:AdditionalDocumentReference',
      leaf('cbc:ID', 'PIH') +
        node(
          'cac:Attachment',
          leaf('cbc:EmbeddedDocumentBinaryObject', input.previous_hash, [['mimeCode', 'text/plain']]),
        ),
    );

  const delivery =
    input.supply_date || input.supply_end_date
      ? node(
          'cac:Delivery',
          optLeaf('cbc:ActualDeliveryDate', input.supply_date) + // KSA-5
            optLeaf('cbc:LatestDeliveryDate', input.supply_end_date), // KSA-24
        )
      : '';

  const paymentMeans = node(
    'cac:PaymentMeans',
    leaf('cbc:PaymentMeansCode', input.payment_means_code ?? '10') +
      optLeaf('cbc:InstructionNote', input.note_reason), // KSA-10 (BR-KSA-17)
  );

  // BR-KSA-87..89: KSA-36..39 when the document currency is not the tax currency.
  const exchangeRate =
    currency !== taxCurrency && t.exchange_rate
      ? node(
          'cac:TaxExchangeRate',
          leaf('cbc:SourceCurrencyCode', currency) +
            leaf('cbc:TargetCurrencyCode', taxCurrency) +
            leaf('cbc:CalculationRate', t.exchange_rate),
        )
      : '';

  // BT-111 (tax currency, no subtotals) first, then BT-110 with the VAT breakdown (BR-KSA-EN16931-08/09),
  // as in the foreign-currency sample.
  const vatInTaxCurrency =
    currency === taxCurrency ? t.tax_amount : (t.tax_amount_in_tax_currency ?? t.tax_amount);
  const taxTotals =
    node('cac:TaxTotal', leaf('cbc:TaxAmount', vatInTaxCurrency, [['currencyID', taxCurrency]])) +
    node(
      'cac:TaxTotal',
      leaf('cbc:TaxAmount', t.tax_amount, [['currencyID', currency]]) +
        totals.vat_breakdown.map((v) => taxSubtotal(v, currency)).join(''),
    );

  const body =
    sellerParty(input) +
    buyerParty(input) +
    delivery +
    paymentMeans +
    totals.allowances_charges.map((ac) => allowanceCharge(ac, currency, true)).join('') +
    exchangeRate +
    taxTotals +
    monetaryTotal(t) +
    totals.lines
      .map((line, i) => {
        const text = input.lines[i];
        if (!text) throw new Error(`lines.${i}: missing line text`);
        return invoiceLine(line, text, i + 1, currency);
      })
      .join('');

  return { rootOpen: ROOT_OPEN, head, signature: SIGNATURE_PLACEHOLDER, body, rootClose: '</Invoice>' };
}

/** The unsigned invoice (with the cac:Signature placeholder, without UBLExtensions and QR). */
export function buildInvoiceXml(input: ZatcaInvoiceInput): string {
  const p = buildInvoiceParts(input);
  return XML_DECLARATION + p.rootOpen + p.head + p.signature + p.body + p.rootClose;
}

/** What ZATCA hashes, as a string: the document without UBLExtensions, cac:Signature and the QR reference. */
export function canonicalHashInput(parts: InvoiceParts): string {
  return parts.rootOpen + parts.head + parts.body + parts.rootClose;
}
