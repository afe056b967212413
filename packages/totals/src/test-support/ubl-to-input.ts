// Test support: reads a UBL 2.1 invoice or credit note (ZATCA, PINT AE, Peppol) into the totals engine's input,
// and collects the amounts the document states so a test can compare them with the engine's.
// Tests only: it depends on fast-xml-parser from the workspace root.
import { XMLParser } from 'fast-xml-parser';
import { Big } from '../decimal';
import type {
  AllowanceChargeInput,
  DocumentInput,
  DocumentTotals,
  Jurisdiction,
  LineInput,
  VatCategory,
} from '../types';

export interface UblToInputOptions {
  jurisdiction: Jurisdiction;
  /** Used when the document states no TaxExchangeRate (the ZATCA SDK samples in USD state none; SAR is pegged at 3.75). */
  exchangeRate?: string;
}

export interface StatedLine {
  id: string;
  line_extension_amount: string;
  /** ZATCA KSA-11 (cac:TaxTotal/cbc:TaxAmount) or PINT AE BTAE-08 (cac:ItemPriceExtension/cac:TaxTotal). */
  tax_amount?: string;
  /** ZATCA KSA-12 (cac:TaxTotal/cbc:RoundingAmount) or PINT AE BTAE-10 (cac:ItemPriceExtension/cbc:Amount). */
  amount_with_vat?: string;
  /** ZATCA prepayment line: KSA-31 and KSA-32. */
  prepayment?: { taxable_amount: string; vat_amount: string; category: string; rate: string };
}

export interface StatedSubtotal {
  category: string;
  rate: string;
  taxable_amount: string;
  vat_amount: string;
}

/** What the document says; amounts as printed ("285" or "285.00"): compare them as decimals. */
export interface StatedAmounts {
  currency: string;
  tax_currency?: string;
  totals: Partial<Record<keyof DocumentTotals, string>>;
  vat_breakdown: StatedSubtotal[];
  lines: StatedLine[];
}

export interface UblSample {
  input: DocumentInput;
  stated: StatedAmounts;
}

type XmlNode = Record<string, unknown>;

const REPEATED = new Set([
  'InvoiceLine',
  'CreditNoteLine',
  'DebitNoteLine',
  'AllowanceCharge',
  'TaxTotal',
  'TaxSubtotal',
  'TaxCategory',
  'DocumentReference',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  // Keep every value as the text the document prints: "1.00" must not become the float 1.
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => REPEATED.has(name),
});

const MONETARY_TOTALS: Record<string, keyof DocumentTotals> = {
  LineExtensionAmount: 'line_extension_amount',
  TaxExclusiveAmount: 'tax_exclusive_amount',
  TaxInclusiveAmount: 'tax_inclusive_amount',
  AllowanceTotalAmount: 'allowance_total_amount',
  ChargeTotalAmount: 'charge_total_amount',
  PrepaidAmount: 'prepaid_amount',
  PayableRoundingAmount: 'rounding_amount',
  PayableAmount: 'payable_amount',
};

export function ublToInput(xml: string, options: UblToInputOptions): UblSample {
  const parsed = parser.parse(xml) as XmlNode;
  const root = (parsed.Invoice ?? parsed.CreditNote ?? parsed.DebitNote) as XmlNode | undefined;
  if (!root) throw new Error('Not a UBL Invoice, CreditNote or DebitNote');

  const currency = text(root.DocumentCurrencyCode) ?? '';
  const taxCurrency = text(root.TaxCurrencyCode);
  const taxTotals = list(root.TaxTotal);
  const subtotals = taxTotals.flatMap((total) => list(total.TaxSubtotal)).map(readSubtotal);
  const reasonsByCategory = exemptionReasonsByCategory(taxTotals);

  const lineNodes = [...list(root.InvoiceLine), ...list(root.CreditNoteLine), ...list(root.DebitNoteLine)];
  const lines = lineNodes.map((node) => readLine(node, reasonsByCategory));

  const monetary = (root.LegalMonetaryTotal ?? {}) as XmlNode;
  const totals: StatedAmounts['totals'] = {};
  for (const [element, field] of Object.entries(MONETARY_TOTALS)) {
    const value = text(monetary[element]);
    if (value !== undefined) totals[field] = value;
  }
  const withSubtotals = taxTotals.find((total) => list(total.TaxSubtotal).length > 0);
  const documentTax = text(withSubtotals?.TaxAmount);
  if (documentTax !== undefined) totals.tax_amount = documentTax;
  // The other TaxTotal, without subtotals, is the VAT in the tax currency (BT-111).
  const inTaxCurrency = taxTotals.find(
    (total) => total !== withSubtotals && list(total.TaxSubtotal).length === 0,
  );
  const taxCurrencyAmount = text(inTaxCurrency?.TaxAmount);
  if (taxCurrencyAmount !== undefined) totals.tax_amount_in_tax_currency = taxCurrencyAmount;

  const exchangeRate =
    text((root.TaxExchangeRate as XmlNode | undefined)?.CalculationRate) ?? options.exchangeRate;
  let prepaidByLines = Big(0);
  for (const { stated } of lines) {
    if (stated.prepayment) {
      prepaidByLines = prepaidByLines
        .plus(stated.prepayment.taxable_amount)
        .plus(stated.prepayment.vat_amount);
    }
  }

  const input: DocumentInput = {
    jurisdiction: options.jurisdiction,
    currency,
    lines: lines.map((line) => line.input),
    allowances_charges: list(root.AllowanceCharge).map((node) => readAllowanceCharge(node, true)),
  };
  if (taxCurrency) input.tax_currency = taxCurrency;
  if (exchangeRate && taxCurrency && taxCurrency !== currency) input.exchange_rate = exchangeRate;
  // Whatever PrepaidAmount states beyond the prepayment lines is a plain prepaid amount (BT-113).
  const statedPrepaid = totals.prepaid_amount;
  if (statedPrepaid !== undefined) {
    const rest = Big(statedPrepaid).minus(prepaidByLines);
    if (!rest.eq(0)) input.prepaid_amount = rest.toFixed();
  }
  if (totals.rounding_amount !== undefined) input.rounding_amount = totals.rounding_amount;

  return {
    input,
    stated: {
      currency,
      tax_currency: taxCurrency,
      totals,
      vat_breakdown: subtotals,
      lines: lines.map((line) => line.stated),
    },
  };
}

function readLine(
  node: XmlNode,
  reasonsByCategory: Map<string, { code?: string; reason?: string }>,
): { input: LineInput; stated: StatedLine } {
  const item = (node.Item ?? {}) as XmlNode;
  const taxCategory = (item.ClassifiedTaxCategory ?? {}) as XmlNode;
  const category = categoryOf(taxCategory.ID);
  const price = (node.Price ?? {}) as XmlNode;
  const quantity =
    text(node.InvoicedQuantity) ?? text(node.CreditedQuantity) ?? text(node.DebitedQuantity) ?? '0';

  const input: LineInput = {
    description: text(item.Name),
    quantity,
    unit_code: attribute(node.InvoicedQuantity ?? node.CreditedQuantity ?? node.DebitedQuantity, 'unitCode'),
    unit_price: text(price.PriceAmount) ?? '0',
    vat_category: category,
  };
  const baseQuantity = text(price.BaseQuantity);
  if (baseQuantity !== undefined) input.base_quantity = baseQuantity;
  const grossPrice = text(list(price.AllowanceCharge)[0]?.BaseAmount);
  if (grossPrice !== undefined) input.gross_price = grossPrice;
  const rate = text(taxCategory.Percent);
  if (rate !== undefined) input.vat_rate = rate;
  const allowancesCharges = list(node.AllowanceCharge).map((ac) => readAllowanceCharge(ac, false));
  if (allowancesCharges.length > 0) input.allowances_charges = allowancesCharges;

  // ZATCA prints exemption reasons only on the breakdown (cac:TaxSubtotal); PINT AE also on the line.
  const reason = {
    code: text(taxCategory.TaxExemptionReasonCode),
    reason: text(taxCategory.TaxExemptionReason),
  };
  const fallback = reasonsByCategory.get(category);
  const reasonCode = reason.code ?? fallback?.code;
  const reasonText = reason.reason ?? fallback?.reason;
  if (reasonCode) input.exemption_reason_code = reasonCode;
  if (reasonText) input.exemption_reason = reasonText;

  const lineTax = list(node.TaxTotal)[0];
  const extension = (node.ItemPriceExtension ?? {}) as XmlNode;
  const extensionTax = list(extension.TaxTotal)[0];
  const stated: StatedLine = {
    id: text(node.ID) ?? '',
    line_extension_amount: text(node.LineExtensionAmount) ?? '',
    tax_amount: text(lineTax?.TaxAmount) ?? text(extensionTax?.TaxAmount),
    amount_with_vat: text(lineTax?.RoundingAmount) ?? text(extension.Amount),
  };

  const reference = list(node.DocumentReference).find((ref) => text(ref.DocumentTypeCode) === '386');
  if (reference) {
    const subtotal = list(lineTax?.TaxSubtotal)[0];
    const subtotalCategory = list(subtotal?.TaxCategory)[0] ?? {};
    const prepaidTaxable = text(subtotal?.TaxableAmount) ?? '0';
    const prepaidVat = text(subtotal?.TaxAmount) ?? '0';
    input.prepayment = {
      invoice_number: text(reference.ID) ?? '',
      uuid: text(reference.UUID) ?? '',
      issue_date: text(reference.IssueDate) ?? '',
      issue_time: text(reference.IssueTime),
      taxable_amount: prepaidTaxable,
      vat_amount: prepaidVat,
    };
    stated.prepayment = {
      taxable_amount: prepaidTaxable,
      vat_amount: prepaidVat,
      category: categoryOf(subtotalCategory.ID),
      rate: text(subtotalCategory.Percent) ?? '0',
    };
  }
  return { input, stated };
}

function readAllowanceCharge(node: XmlNode, isDocumentLevel: boolean): AllowanceChargeInput {
  const ac: AllowanceChargeInput = { is_charge: text(node.ChargeIndicator)?.toLowerCase() === 'true' };
  const amount = text(node.Amount);
  const percent = text(node.MultiplierFactorNumeric);
  const base = text(node.BaseAmount);
  if (amount !== undefined) ac.amount = amount;
  if (percent !== undefined) ac.percent = percent;
  if (base !== undefined && percent !== undefined) ac.base_amount = base;
  const reason = text(node.AllowanceChargeReason);
  const reasonCode = text(node.AllowanceChargeReasonCode);
  if (reason) ac.reason = reason;
  if (reasonCode) ac.reason_code = reasonCode;
  if (isDocumentLevel) {
    // Some ZATCA samples repeat cac:TaxCategory; the first one is the allowance's category.
    const taxCategory = list(node.TaxCategory)[0];
    if (taxCategory) {
      ac.vat_category = categoryOf(taxCategory.ID);
      const rate = text(taxCategory.Percent);
      if (rate !== undefined) ac.vat_rate = rate;
      const code = text(taxCategory.TaxExemptionReasonCode);
      const text_ = text(taxCategory.TaxExemptionReason);
      if (code) ac.exemption_reason_code = code;
      if (text_) ac.exemption_reason = text_;
    }
  }
  return ac;
}

function readSubtotal(node: XmlNode): StatedSubtotal {
  const category = list(node.TaxCategory)[0] ?? {};
  return {
    category: categoryOf(category.ID),
    rate: text(category.Percent) ?? '0',
    taxable_amount: text(node.TaxableAmount) ?? '',
    vat_amount: text(node.TaxAmount) ?? '',
  };
}

function exemptionReasonsByCategory(taxTotals: XmlNode[]): Map<string, { code?: string; reason?: string }> {
  const reasons = new Map<string, { code?: string; reason?: string }>();
  for (const subtotal of taxTotals.flatMap((total) => list(total.TaxSubtotal))) {
    const category = list(subtotal.TaxCategory)[0] ?? {};
    const code = text(category.TaxExemptionReasonCode);
    const reason = text(category.TaxExemptionReason);
    if (code || reason) reasons.set(categoryOf(category.ID), { code, reason });
  }
  return reasons;
}

/** The PINT AE code list spells N with a Greek capital Nu (STACK-FINDINGS.md): read it as the Latin N. */
function categoryOf(node: unknown): VatCategory {
  const value = (text(node) ?? 'S').replace('\u039D', 'N');
  return value as VatCategory;
}

function list(node: unknown): XmlNode[] {
  if (node === undefined || node === null) return [];
  return (Array.isArray(node) ? node : [node]) as XmlNode[];
}

function text(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node === 'string') return node.trim();
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (Array.isArray(node)) return text(node[0]);
  if (typeof node === 'object') {
    const value = (node as XmlNode)['#text'];
    return value === undefined ? undefined : text(value);
  }
  return undefined;
}

function attribute(node: unknown, name: string): string | undefined {
  if (node && typeof node === 'object' && !Array.isArray(node)) {
    const value = (node as XmlNode)[`@${name}`];
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}
