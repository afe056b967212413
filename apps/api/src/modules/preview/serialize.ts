// The preview's answer as JSON text, written field by field for its fixed shape (schemas.ts,
// previewResponseSchema): about twice as fast as JSON.stringify on a 10-line breakdown, which walks every object
// generically. Every string goes through `esc`, which escapes exactly as JSON.stringify does, so no field's
// content is trusted. preview.test.ts checks that the text parses back to the very object the route computed:
// a field added to the engine's result must be added here too.
import type { LineResult, ResolvedAllowanceCharge, VatBreakdown } from '@invoiceflow/totals';
import type { PreviewAnswer } from './routes';

/**
 * What goes between the quotes of a JSON string literal: the text itself when nothing needs escaping (no copy;
 * the quotes are written in the templates), else JSON.stringify's escaping.
 */
function esc(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    // Control characters, quote, backslash, and surrogates (a lone one is escaped by JSON.stringify).
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) {
      return JSON.stringify(value).slice(1, -1);
    }
  }
  return value;
}

/** `,"key":"value"` when the optional field is present. */
function opt(key: string, value: string | undefined): string {
  return value === undefined ? '' : `,"${key}":"${esc(value)}"`;
}

function allowanceCharge(ac: ResolvedAllowanceCharge): string {
  return (
    `{"is_charge":${ac.is_charge ? 'true' : 'false'},"amount":"${esc(ac.amount)}"` +
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
    `{"index":${l.index},"quantity":"${esc(l.quantity)}","unit_code":"${esc(l.unit_code)}"` +
    `,"unit_price":"${esc(l.unit_price)}","base_quantity":"${esc(l.base_quantity)}"` +
    `,"gross_amount":"${esc(l.gross_amount)}","allowance_total":"${esc(l.allowance_total)}"` +
    `,"charge_total":"${esc(l.charge_total)}","net_amount":"${esc(l.net_amount)}"` +
    `,"vat_category":"${esc(l.vat_category)}","vat_rate":"${esc(l.vat_rate)}","vat_amount":"${esc(l.vat_amount)}"` +
    `,"amount_with_vat":"${esc(l.amount_with_vat)}","allowances_charges":${allowancesCharges(l.allowances_charges)}` +
    opt('exemption_reason_code', l.exemption_reason_code) +
    opt('exemption_reason', l.exemption_reason);
  if (l.prepayment) {
    text +=
      `,"prepayment":{"taxable_amount":"${esc(l.prepayment.taxable_amount)}"` +
      `,"vat_amount":"${esc(l.prepayment.vat_amount)}"}`;
  }
  return `${text}}`;
}

function breakdown(b: VatBreakdown): string {
  return (
    `{"category":"${esc(b.category)}","rate":"${esc(b.rate)}","taxable_amount":"${esc(b.taxable_amount)}"` +
    `,"vat_amount":"${esc(b.vat_amount)}"` +
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

function issue(e: PreviewAnswer['errors'][number]): string {
  return `{"path":"${esc(e.path)}","code":"${esc(e.code)}","message":"${esc(e.message)}","message_ar":"${esc(e.message_ar)}"}`;
}

export function serializePreview(answer: PreviewAnswer): string {
  const t = answer.totals;
  return (
    `{"subtotal":"${esc(answer.subtotal)}","vat_amount":"${esc(answer.vat_amount)}"` +
    `,"total_amount":"${esc(answer.total_amount)}","is_valid":${answer.is_valid ? 'true' : 'false'}` +
    `,"errors":${list(answer.errors, issue)},"warnings":${list(answer.warnings, issue)}` +
    `,"currency":"${esc(answer.currency)}","lines":${list(answer.lines, line)}` +
    `,"allowances_charges":${allowancesCharges(answer.allowances_charges)}` +
    `,"vat_breakdown":${list(answer.vat_breakdown, breakdown)}` +
    `,"totals":{"currency":"${esc(t.currency)}","line_extension_amount":"${esc(t.line_extension_amount)}"` +
    `,"allowance_total_amount":"${esc(t.allowance_total_amount)}","charge_total_amount":"${esc(t.charge_total_amount)}"` +
    `,"tax_exclusive_amount":"${esc(t.tax_exclusive_amount)}","tax_amount":"${esc(t.tax_amount)}"` +
    `,"tax_inclusive_amount":"${esc(t.tax_inclusive_amount)}","prepaid_amount":"${esc(t.prepaid_amount)}"` +
    `,"rounding_amount":"${esc(t.rounding_amount)}","payable_amount":"${esc(t.payable_amount)}"` +
    opt('tax_currency', t.tax_currency) +
    opt('exchange_rate', t.exchange_rate) +
    opt('tax_amount_in_tax_currency', t.tax_amount_in_tax_currency) +
    '}}'
  );
}
