// The preview's answer as JSON text, written field by field for its fixed shape (schemas.ts,
// previewResponseSchema): about twice as fast as JSON.stringify on a 10-line breakdown, which walks every object
// generically. Every string goes through `str`, which escapes exactly as JSON.stringify does, so no field's
// content is trusted. preview.test.ts checks that the text parses back to the very object the route computed:
// a field added to the engine's result must be added here too.
import type { LineResult, ResolvedAllowanceCharge, VatBreakdown } from '@invoiceflow/totals';
import type { PreviewAnswer } from './routes';

/** A JSON string literal: quotes around the text when nothing needs escaping, else JSON.stringify's output. */
function str(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    // Control characters, quote, backslash, and surrogates (a lone one is escaped by JSON.stringify).
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) {
      return JSON.stringify(value);
    }
  }
  return `"${value}"`;
}

/** `,"key":"value"` when the optional field is present. */
function opt(key: string, value: string | undefined): string {
  return value === undefined ? '' : `,"${key}":${str(value)}`;
}

function allowanceCharge(ac: ResolvedAllowanceCharge): string {
  return (
    `{"is_charge":${ac.is_charge ? 'true' : 'false'},"amount":${str(ac.amount)}` +
    opt('percent', ac.percent) +
    opt('base_amount', ac.base_amount) +
    opt('reason', ac.reason) +
    opt('reason_code', ac.reason_code) +
    opt('vat_category', ac.vat_category) +
    opt('vat_rate', ac.vat_rate) +
    opt('exemption_reason_code', ac.exemption_reason_code) +
    opt('exemption_reason', ac.exemption_reason) +
    '}'
  );
}

function allowancesCharges(items: readonly ResolvedAllowanceCharge[]): string {
  return items.length === 0 ? '[]' : list(items, allowanceCharge);
}

function line(l: LineResult): string {
  let text =
    `{"index":${l.index},"quantity":${str(l.quantity)},"unit_code":${str(l.unit_code)}` +
    `,"unit_price":${str(l.unit_price)},"base_quantity":${str(l.base_quantity)}` +
    `,"gross_amount":${str(l.gross_amount)},"allowance_total":${str(l.allowance_total)}` +
    `,"charge_total":${str(l.charge_total)},"net_amount":${str(l.net_amount)}` +
    `,"vat_category":${str(l.vat_category)},"vat_rate":${str(l.vat_rate)},"vat_amount":${str(l.vat_amount)}` +
    `,"amount_with_vat":${str(l.amount_with_vat)},"allowances_charges":${allowancesCharges(l.allowances_charges)}` +
    opt('exemption_reason_code', l.exemption_reason_code) +
    opt('exemption_reason', l.exemption_reason);
  if (l.prepayment) {
    text +=
      `,"prepayment":{"taxable_amount":${str(l.prepayment.taxable_amount)}` +
      `,"vat_amount":${str(l.prepayment.vat_amount)}}`;
  }
  return `${text}}`;
}

function breakdown(b: VatBreakdown): string {
  return (
    `{"category":${str(b.category)},"rate":${str(b.rate)},"taxable_amount":${str(b.taxable_amount)}` +
    `,"vat_amount":${str(b.vat_amount)}` +
    opt('exemption_reason_code', b.exemption_reason_code) +
    opt('exemption_reason', b.exemption_reason) +
    '}'
  );
}

function list<T>(items: readonly T[], write: (item: T) => string): string {
  let text = '[';
  for (let i = 0; i < items.length; i++) text += (i === 0 ? '' : ',') + write(items[i] as T);
  return `${text}]`;
}

export function serializePreview(answer: PreviewAnswer): string {
  const t = answer.totals;
  return (
    `{"subtotal":${str(answer.subtotal)},"vat_amount":${str(answer.vat_amount)}` +
    `,"total_amount":${str(answer.total_amount)},"is_valid":${answer.is_valid ? 'true' : 'false'}` +
    `,"errors":${list(answer.errors, (e) => `{"path":${str(e.path)},"code":${str(e.code)},"message":${str(e.message)}}`)}` +
    `,"currency":${str(answer.currency)},"lines":${list(answer.lines, line)}` +
    `,"allowances_charges":${allowancesCharges(answer.allowances_charges)}` +
    `,"vat_breakdown":${list(answer.vat_breakdown, breakdown)}` +
    `,"totals":{"currency":${str(t.currency)},"line_extension_amount":${str(t.line_extension_amount)}` +
    `,"allowance_total_amount":${str(t.allowance_total_amount)},"charge_total_amount":${str(t.charge_total_amount)}` +
    `,"tax_exclusive_amount":${str(t.tax_exclusive_amount)},"tax_amount":${str(t.tax_amount)}` +
    `,"tax_inclusive_amount":${str(t.tax_inclusive_amount)},"prepaid_amount":${str(t.prepaid_amount)}` +
    `,"rounding_amount":${str(t.rounding_amount)},"payable_amount":${str(t.payable_amount)}` +
    opt('tax_currency', t.tax_currency) +
    opt('exchange_rate', t.exchange_rate) +
    opt('tax_amount_in_tax_currency', t.tax_amount_in_tax_currency) +
    '}}'
  );
}
