// The contract of the totals engine. Shared by the browser editor, the API, the e-invoice builders and the PDF.
// Field names are snake_case because these shapes cross the wire unchanged (the seeds' JSON is snake_case).
// Every amount is a decimal string ("5750.00"); inputs also accept numbers, which are read through String(n)
// so 0.1 stays "0.1" and never becomes a binary fraction.

export type DecimalInput = string | number;

/** UNCL 5305 VAT category codes used by EN 16931, ZATCA and PINT AE: the one list (API, web, PDF import it). */
export const VAT_CATEGORIES = ['S', 'Z', 'E', 'O', 'AE', 'K', 'G', 'L', 'M', 'N'] as const;
/** UNCL 5305 "AE", VAT reverse charge: a category code, named so that it does not read as a country. */
export const REVERSE_CHARGE = 'AE' satisfies (typeof VAT_CATEGORIES)[number];
export type VatCategory = (typeof VAT_CATEGORIES)[number];

/** Which rule set applies: rates, allowed categories, exemption reasons (rule-sets.ts). */
import type { Jurisdiction } from './rule-sets';

export type { Jurisdiction };

export interface AllowanceChargeInput {
  is_charge: boolean;
  /** Absolute amount in document currency. Either amount or percent is given. */
  amount?: DecimalInput;
  /** Percentage (e.g. "10" for 10 %) of base_amount. */
  percent?: DecimalInput;
  /** Base for percent; defaults to the line's gross amount (line level) or the sum of line nets (document level). */
  base_amount?: DecimalInput;
  reason?: string;
  /** UNTDID 5189 for allowances, UNTDID 7161 for charges. */
  reason_code?: string;
  /** Document level only: the VAT category and rate the allowance or charge falls under. */
  vat_category?: VatCategory;
  vat_rate?: DecimalInput;
  /** Document level only: exemption reason (BT-95/BT-102 category E etc.; PINT AE ibr-168-ae, ibr-169-ae). */
  exemption_reason_code?: string;
  exemption_reason?: string;
}

/** ZATCA prepayment adjustment: a line referencing an earlier prepayment invoice (386). */
export interface PrepaymentReferenceInput {
  invoice_number: string;
  uuid: string;
  issue_date: string;
  issue_time?: string;
  /** Taxable amount and VAT that were already invoiced on the prepayment invoice. */
  taxable_amount: DecimalInput;
  vat_amount?: DecimalInput;
}

export interface LineInput {
  description?: string;
  description_ar?: string;
  quantity: DecimalInput;
  /** UN/ECE Recommendation 20 unit code; defaults to 'PCE'. */
  unit_code?: string;
  /** Net unit price (after any price discount); may carry more decimals than the currency. */
  unit_price: DecimalInput;
  /** Price base quantity (BT-149); default 1. */
  base_quantity?: DecimalInput;
  /** Gross price before the price discount (BT-148); informational, the net unit_price drives the amounts. */
  gross_price?: DecimalInput;
  allowances_charges?: AllowanceChargeInput[];
  vat_category?: VatCategory;
  /** Percent, e.g. "15". When absent it defaults from the jurisdiction and category (S: 15 zatca / 5 pint-ae; others 0). */
  vat_rate?: DecimalInput;
  exemption_reason_code?: string;
  exemption_reason?: string;
  prepayment?: PrepaymentReferenceInput;
}

export interface DocumentInput {
  jurisdiction?: Jurisdiction;
  /** ISO 4217 document currency; default the rule set's tax currency (SAR for zatca, AED for pint-ae). */
  currency?: string;
  /** Tax accounting currency (SAR/AED) when it differs from the document currency. */
  tax_currency?: string;
  /** Units of tax_currency for one unit of currency. Required when tax_currency differs. */
  exchange_rate?: DecimalInput;
  lines: LineInput[];
  allowances_charges?: AllowanceChargeInput[];
  /** Amount paid in advance outside any prepayment line (BT-113). */
  prepaid_amount?: DecimalInput;
  /** Payable rounding amount (BT-114), e.g. to round cash totals. */
  rounding_amount?: DecimalInput;
}

export interface ResolvedAllowanceCharge {
  is_charge: boolean;
  amount: string;
  percent?: string;
  base_amount?: string;
  reason?: string;
  reason_code?: string;
  vat_category?: VatCategory;
  vat_rate?: string;
  exemption_reason_code?: string;
  exemption_reason?: string;
}

export interface LineResult {
  index: number;
  quantity: string;
  unit_code: string;
  unit_price: string;
  base_quantity: string;
  /** quantity × unit_price / base_quantity, rounded to the currency. */
  gross_amount: string;
  allowance_total: string;
  charge_total: string;
  /** BT-131: gross − allowances + charges. */
  net_amount: string;
  vat_category: VatCategory;
  vat_rate: string;
  /** ZATCA KSA-11: round(net_amount × rate). */
  vat_amount: string;
  /** ZATCA KSA-12: net_amount + vat_amount. */
  amount_with_vat: string;
  allowances_charges: ResolvedAllowanceCharge[];
  exemption_reason_code?: string;
  exemption_reason?: string;
  prepayment?: { taxable_amount: string; vat_amount: string };
}

export interface VatBreakdown {
  category: VatCategory;
  rate: string;
  /** BT-116 */
  taxable_amount: string;
  /** BT-117 = round(taxable_amount × rate) */
  vat_amount: string;
  exemption_reason_code?: string;
  exemption_reason?: string;
}

export interface DocumentTotals {
  currency: string;
  /** BT-106 sum of line nets */
  line_extension_amount: string;
  /** BT-107 */
  allowance_total_amount: string;
  /** BT-108 */
  charge_total_amount: string;
  /** BT-109 */
  tax_exclusive_amount: string;
  /** BT-110 */
  tax_amount: string;
  /** BT-112 */
  tax_inclusive_amount: string;
  /** BT-113 */
  prepaid_amount: string;
  /** BT-114 */
  rounding_amount: string;
  /** BT-115 */
  payable_amount: string;
  tax_currency?: string;
  exchange_rate?: string;
  /** BT-111: VAT total in the tax currency. */
  tax_amount_in_tax_currency?: string;
}

export interface TotalsIssue {
  /** Field path in the input, e.g. "lines.2.vat_rate". */
  path: string;
  /** Stable code, e.g. "VAT_RATE_NOT_ALLOWED", or an official rule id such as "BR-S-05". */
  code: string;
  message: string;
}

export interface TotalsResult {
  lines: LineResult[];
  allowances_charges: ResolvedAllowanceCharge[];
  vat_breakdown: VatBreakdown[];
  totals: DocumentTotals;
  /** Problems that would block issuing. Amounts are still computed where the input allows. */
  errors: TotalsIssue[];
}
