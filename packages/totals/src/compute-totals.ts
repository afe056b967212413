// The totals engine: every amount of an invoice, computed once, the same in the browser and on the server.
// Pure: no I/O, no clock, no globals beyond constant tables and a bounded cache.
//
// Order of computation (EN 16931 §6.4 and ZATCA XML Implementation Standard §10):
//   line gross  = round(quantity × unit_price / base_quantity)                       BR-KSA-EN16931-11, ibr-147-ae
//   line net    = gross − line allowances + line charges                             BT-131
//   line VAT    = round(net × rate / 100); amount with VAT = net + line VAT           KSA-11, KSA-12 (BR-KSA-51)
//   breakdown   = per (category, rate): Σ nets + doc charges − doc allowances;       BR-S-08, BR-Z-08, …
//                 VAT = round(taxable × rate / 100) on the group, not Σ line VATs    BR-CO-17, BR-S-09
//   totals      = BR-CO-10 … BR-CO-16; prepaid includes ZATCA prepayment lines       BR-KSA-80
//
// Issue codes (official rule ids where one exists):
//   LINES_REQUIRED, INVALID_NUMBER, BR-22 / BR-26 (quantity / price missing), QUANTITY_NEGATIVE (SA: BR-KSA-F-04),
//   QUANTITY_ZERO, QUANTITY_TOO_MANY_DECIMALS (> 6), BR-27 (negative price), PRICE_TOO_MANY_DECIMALS (> 6),
//   BASE_QUANTITY_NOT_POSITIVE (SA: BR-KSA-EN16931-12), VAT_CATEGORY_UNKNOWN, VAT_CATEGORY_NOT_ALLOWED (AE: ibr-139-ae,
//   ibr-114-ae, ibr-115-ae), VAT_RATE_REQUIRED, VAT_RATE_OUT_OF_RANGE, BR-KSA-DEC-02, rate rules from vat-rules.ts
//   (BR-KSA-84, BR-Z-05…07, BR-E-05…07, BR-KSA-11…13, BR-KSA-76…78, ibr-190-ae, ibr-111-ae, aligned-ibrp-*-05…07,
//   BR-S-05…07, BR-AE-05…07, BR-IC-05…07, BR-G-05…07), exemption reasons (BR-KSA-23, BR-KSA-24, BR-KSA-69,
//   BR-KSA-CL-04, BR-KSA-CL-07, ibr-167-ae, ibr-168-ae, ibr-169-ae, BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10,
//   BR-S-10, EXEMPTION_REASON_CONFLICT), allowances and charges (BR-31, BR-36, BR-41, BR-43 amount missing,
//   BR-32 / BR-37 document category missing on a multi-category invoice, AMOUNT_NEGATIVE,
//   ALLOWANCE_CHARGE_NEGATIVE, PERCENT_OUT_OF_RANGE, BR-KSA-DEC-01, ALLOWANCE_CHARGE_AMOUNT_MISMATCH
//   (SA: BR-KSA-EN16931-03, AE: ibr-131-ae / ibr-146-ae), ALLOWANCE_EXCEEDS_BASE, AMOUNT_TOO_MANY_DECIMALS
//   (BR-DEC-01, -05, -16, -17, -24, -27 generalised to the currency's digits)), prepayment lines (BR-KSA-82,
//   BR-KSA-75, BR-KSA-79, BR-KSA-DEC-06), currencies (BR-05, CURRENCY_INVALID, BR-KSA-EN16931-02, ibr-140-ae,
//   EXCHANGE_RATE_REQUIRED (AE: ibr-159-ae), EXCHANGE_RATE_INVALID, BR-KSA-90, ibr-002-ae), JURISDICTION_UNKNOWN.
import { currencyDigits } from './currency';
import { type Decimal, HUNDRED, HUNDREDTH, ONE, parseDecimal, ZERO } from './decimal';
import { reasonCodeForText, reasonCodesOf } from './reason-codes';
import { DEFAULT_RULE_SET, type EngineRules, isJurisdiction, type RateLevel, RULE_SETS } from './rule-sets';
import type {
  AllowanceChargeInput,
  DecimalInput,
  DocumentInput,
  DocumentTotals,
  Jurisdiction,
  LineInput,
  LineResult,
  ResolvedAllowanceCharge,
  TotalsIssue,
  TotalsResult,
  VatBreakdown,
  VatCategory,
} from './types';
import { isGroupedByCategoryOnly, isVatCategory, isVatFree, rateFraction } from './vat-rules';

/** Quantities and unit prices may carry up to 6 decimals (ZATCA's samples print quantities with 6). */
const MAX_QUANTITY_DECIMALS = 6;
const MAX_PRICE_DECIMALS = 6;

/** Reads a user value as a decimal: parseDecimal, or parseBigDecimal when a test checks the fast path against it. */
export type DecimalParser = (value: DecimalInput | null | undefined) => Decimal | undefined;

interface Context {
  jurisdiction: Jurisdiction;
  rules: EngineRules;
  currency: string;
  digits: number;
  /** 0 printed with the currency's digits ("0.00"). */
  zeroText: string;
  errors: TotalsIssue[];
  parse: DecimalParser;
}

/** A line or document allowance/charge's contribution to one VAT breakdown group. */
interface GroupMember {
  path: string;
  category: VatCategory;
  rate: Decimal;
  rateText: string;
  /** The breakdown it falls into: its category, with the rate unless the category has one breakdown. */
  groupKey: string;
  /** Signed contribution to the taxable amount. */
  amount: Decimal;
  exemptionReasonCode?: string;
  exemptionReason?: string;
}

interface Group {
  category: VatCategory;
  rate: Decimal;
  rateText: string;
  taxable: Decimal;
  firstPath: string;
  /** The last document allowance in the group, blamed when the group goes negative. */
  lastAllowancePath?: string;
  exemptionReasonCode?: string;
  exemptionReason?: string;
}

interface LineOutcome {
  result: LineResult;
  net: Decimal;
  member?: GroupMember;
  prepaid?: Decimal;
}

export function computeTotals(input: DocumentInput): TotalsResult {
  return computeTotalsWith(input, parseDecimal);
}

/** computeTotals reading every user value with `parse` (properties.test.ts runs it with big.js alone). */
export function computeTotalsWith(input: DocumentInput, parse: DecimalParser): TotalsResult {
  const ctx = createContext(input, parse);
  const lineInputs: readonly LineInput[] = Array.isArray(input.lines) ? input.lines : [];
  if (lineInputs.length === 0) {
    // BR-16: an invoice has at least one line.
    addIssue(ctx, 'lines', 'LINES_REQUIRED', 'Add at least one line.');
  }

  const lines = lineInputs.map((line, index) => computeLine(ctx, line ?? ({} as LineInput), index));
  let lineExtension = ZERO;
  for (const line of lines) lineExtension = lineExtension.plus(line.net);

  const documentInputs: readonly AllowanceChargeInput[] = Array.isArray(input.allowances_charges)
    ? input.allowances_charges
    : [];
  const lineVat = soleLineVat(lines);
  const documentAllowancesCharges = documentInputs.map((ac, index) =>
    computeDocumentAllowanceCharge(ctx, ac ?? ({} as AllowanceChargeInput), index, lineExtension, lineVat),
  );

  let allowanceTotal = ZERO;
  let chargeTotal = ZERO;
  for (const { resolved, amount } of documentAllowancesCharges) {
    if (resolved.is_charge) chargeTotal = chargeTotal.plus(amount);
    else allowanceTotal = allowanceTotal.plus(amount);
  }
  // Only a document allowance can exceed the lines: a negative line (a quantity below 0) is its own error.
  if (allowanceTotal.gt(ZERO) && allowanceTotal.gt(lineExtension.plus(chargeTotal))) {
    addIssue(
      ctx,
      'allowances_charges',
      'ALLOWANCE_EXCEEDS_BASE',
      'Document allowances exceed the sum of the lines and charges.',
    );
  }

  const members: GroupMember[] = [];
  for (const line of lines) if (line.member) members.push(line.member);
  for (const ac of documentAllowancesCharges) members.push(ac.member);
  const groups = groupByVatCategory(ctx, members);
  const vatBreakdown: VatBreakdown[] = [];
  let taxAmount = ZERO;
  for (const group of groups) {
    const vat = groupVat(ctx, group);
    vatBreakdown.push(breakdownOf(ctx, group, vat));
    taxAmount = taxAmount.plus(vat);
  }

  const taxExclusive = lineExtension.minus(allowanceTotal).plus(chargeTotal);
  const taxInclusive = taxExclusive.plus(taxAmount);
  let prepaid = readMoney(ctx, input.prepaid_amount, '', 'prepaid_amount', 'BR-DEC-16', false) ?? ZERO;
  if (prepaid.isNegative())
    addIssue(ctx, 'prepaid_amount', 'AMOUNT_NEGATIVE', 'The prepaid amount cannot be negative.');
  for (const line of lines) if (line.prepaid) prepaid = prepaid.plus(line.prepaid);
  const rounding = readMoney(ctx, input.rounding_amount, '', 'rounding_amount', 'BR-DEC-17', true) ?? ZERO;
  const payable = taxInclusive.minus(prepaid).plus(rounding);

  const totals: DocumentTotals = {
    currency: ctx.currency,
    line_extension_amount: money(ctx, lineExtension),
    allowance_total_amount: money(ctx, allowanceTotal),
    charge_total_amount: money(ctx, chargeTotal),
    tax_exclusive_amount: money(ctx, taxExclusive),
    tax_amount: money(ctx, taxAmount),
    tax_inclusive_amount: money(ctx, taxInclusive),
    prepaid_amount: money(ctx, prepaid),
    rounding_amount: money(ctx, rounding),
    payable_amount: money(ctx, payable),
  };
  addTaxCurrency(ctx, input, taxAmount, totals);

  return {
    lines: lines.map((line) => line.result),
    allowances_charges: documentAllowancesCharges.map((ac) => ac.resolved),
    vat_breakdown: vatBreakdown,
    totals,
    errors: ctx.errors,
  };
}

// ---------------------------------------------------------------------------------------------- context

const JURISDICTION_NAMES = Object.keys(RULE_SETS)
  .join(', ')
  .replace(/, (?=[^,]*$)/, ' or ');

function createContext(input: DocumentInput, parse: DecimalParser): Context {
  const errors: TotalsIssue[] = [];
  // The product's first market and the seeds' default; callers for the UAE or Peppol say so explicitly.
  const jurisdiction: Jurisdiction = isJurisdiction(input.jurisdiction)
    ? input.jurisdiction
    : DEFAULT_RULE_SET;
  const rules = RULE_SETS[jurisdiction];
  const ctx: Context = { jurisdiction, rules, currency: '', digits: 2, zeroText: '0.00', errors, parse };
  if (input.jurisdiction !== undefined && input.jurisdiction !== jurisdiction) {
    addIssue(ctx, 'jurisdiction', 'JURISDICTION_UNKNOWN', `Jurisdiction must be ${JURISDICTION_NAMES}.`);
  }
  const fallback = rules.taxCurrency;
  const currency = typeof input.currency === 'string' ? input.currency.trim().toUpperCase() : fallback;
  if (currency === undefined) {
    addIssue(ctx, 'currency', 'BR-05', 'The invoice currency is required.');
  } else if (!isCurrencyCode(currency)) {
    addIssue(ctx, 'currency', 'CURRENCY_INVALID', 'The currency must be an ISO 4217 code such as SAR.');
  } else {
    ctx.currency = currency;
    ctx.digits = currencyDigits(currency);
    ctx.zeroText = ZERO.toFixed(ctx.digits);
  }
  return ctx;
}

/** Three letters A to Z, as ISO 4217 codes are. */
function isCurrencyCode(code: string): boolean {
  if (code.length !== 3) return false;
  for (let i = 0; i < 3; i++) {
    const letter = code.charCodeAt(i);
    if (letter < 65 || letter > 90) return false;
  }
  return true;
}

function addIssue(ctx: Context, path: string, code: string, message: string): void {
  ctx.errors.push({ path, code, message });
}

/**
 * An issue with a field of `owner` ("lines.3" and "quantity": "lines.3.quantity"; "" for the document). Paths
 * are joined only when an issue is reported: the live preview computes far more fields than it reports.
 */
function addFieldIssue(ctx: Context, owner: string, field: string, code: string, message: string): void {
  addIssue(ctx, owner === '' ? field : `${owner}.${field}`, code, message);
}

function money(ctx: Context, value: Decimal): string {
  return value.toFixed(ctx.digits);
}

/** Reads a required or optional decimal; reports INVALID_NUMBER (or the missing code) and returns undefined. */
function readDecimal(
  ctx: Context,
  value: DecimalInput | undefined,
  owner: string,
  field: string,
  missingCode?: string,
): Decimal | undefined {
  if (value === undefined || value === null || value === '') {
    if (missingCode) addFieldIssue(ctx, owner, field, missingCode, 'This value is required.');
    return undefined;
  }
  const parsed = ctx.parse(value);
  if (!parsed) addFieldIssue(ctx, owner, field, 'INVALID_NUMBER', 'Enter a number.');
  return parsed;
}

/** An amount typed by the user: at most the currency's digits (BR-DEC-*), rounded to them if it has more. */
function readMoney(
  ctx: Context,
  value: DecimalInput | undefined,
  owner: string,
  field: string,
  decimalsCode: string,
  mayBeNegative: boolean,
): Decimal | undefined {
  const amount = readDecimal(ctx, value, owner, field);
  if (!amount) return undefined;
  if (!mayBeNegative && amount.isNegative()) {
    addFieldIssue(ctx, owner, field, 'AMOUNT_NEGATIVE', 'The amount cannot be negative.');
  }
  if (amount.decimalPlaces() > ctx.digits) {
    addFieldIssue(
      ctx,
      owner,
      field,
      decimalsCode,
      `At most ${ctx.digits} decimals for ${ctx.currency || 'this currency'}.`,
    );
    return amount.round(ctx.digits);
  }
  return amount;
}

// ---------------------------------------------------------------------------------------------- lines

function computeLine(ctx: Context, line: LineInput, index: number): LineOutcome {
  const path = `lines.${index}`;
  const isPrepayment = line.prepayment !== undefined && line.prepayment !== null;
  const quantity = readQuantity(ctx, line.quantity, path, isPrepayment);
  const unitPrice = readUnitPrice(ctx, line.unit_price, path);
  const baseQuantity = readBaseQuantity(ctx, line.base_quantity, path);

  let gross = quantity.times(unitPrice);
  if (baseQuantity !== ONE) gross = gross.div(baseQuantity);
  gross = gross.round(ctx.digits);

  const resolved: ResolvedAllowanceCharge[] = [];
  let allowances = ZERO;
  let charges = ZERO;
  const acInputs = Array.isArray(line.allowances_charges) ? line.allowances_charges : [];
  for (let j = 0; j < acInputs.length; j++) {
    const acPath = `${path}.allowances_charges.${j}`;
    const ac = acInputs[j] ?? ({} as AllowanceChargeInput);
    const amount = resolveAllowanceChargeAmount(ctx, ac, acPath, gross, 'line');
    if (ac.is_charge) {
      charges = charges.plus(amount);
    } else {
      if (amount.gt(gross)) {
        addFieldIssue(
          ctx,
          acPath,
          'amount',
          'ALLOWANCE_EXCEEDS_BASE',
          'The allowance is larger than the line amount.',
        );
      }
      allowances = allowances.plus(amount);
    }
    resolved.push(describeAllowanceCharge(ctx, ac, amount, gross));
  }
  let net = acInputs.length === 0 ? gross : gross.minus(allowances).plus(charges);
  if (net.isNegative() && acInputs.length > 0 && !gross.isNegative() && !allowances.gt(gross)) {
    addIssue(
      ctx,
      `${path}.allowances_charges`,
      'ALLOWANCE_EXCEEDS_BASE',
      'Allowances exceed the line amount.',
    );
  }

  const vat = resolveVat(ctx, line.vat_category, line.vat_rate, path, isPrepayment ? 'prepayment' : 'line');
  const exemptionReasonCode = nonEmpty(line.exemption_reason_code);
  const exemptionReason = nonEmpty(line.exemption_reason) ?? officialExemptionText(ctx, exemptionReasonCode);
  checkLineExemption(ctx, vat.category, exemptionReasonCode, path, isPrepayment);

  let prepaid: Decimal | undefined;
  let prepayment: LineResult['prepayment'];
  if (isPrepayment) {
    // BR-KSA-82: a prepayment line's price, allowances, net amount and VAT are 0; what it carries is the
    // taxable amount and VAT already invoiced (KSA-31, KSA-32), which feed the prepaid amount (BR-KSA-80).
    if (!unitPrice.isZero() || acInputs.length > 0 || !net.isZero()) {
      addIssue(ctx, path, 'BR-KSA-82', 'A prepayment line has price, allowances and net amount 0.');
      net = ZERO;
    }
    const settled = computePrepayment(ctx, line, path, vat.category, vat.rate, vat.rateText);
    prepaid = settled.taxable.plus(settled.vat);
    prepayment = { taxable_amount: money(ctx, settled.taxable), vat_amount: money(ctx, settled.vat) };
  }

  const lineVat =
    isVatFree(vat.category) || isPrepayment ? ZERO : net.times(rateFraction(vat.rate, vat.rateText));
  const roundedVat = lineVat.round(ctx.digits);
  const grossText = money(ctx, gross);
  const result: LineResult = {
    index,
    // Printed plainly: "12.50" → "12.5", while a plain input ("12.5") comes back as typed.
    quantity: quantity.toPlain(),
    unit_code: nonEmpty(line.unit_code) ?? 'PCE',
    unit_price: unitPrice.toPlain(),
    base_quantity: baseQuantity === ONE ? '1' : baseQuantity.toPlain(),
    gross_amount: grossText,
    allowance_total: acInputs.length === 0 ? ctx.zeroText : money(ctx, allowances),
    charge_total: acInputs.length === 0 ? ctx.zeroText : money(ctx, charges),
    net_amount: net === gross ? grossText : money(ctx, net),
    vat_category: vat.category,
    vat_rate: vat.rateText,
    vat_amount: money(ctx, roundedVat),
    amount_with_vat: money(ctx, net.plus(roundedVat)),
    allowances_charges: resolved,
  };
  if (exemptionReasonCode) result.exemption_reason_code = exemptionReasonCode;
  if (exemptionReason) result.exemption_reason = exemptionReason;
  if (prepayment) result.prepayment = prepayment;

  // Prepayment lines stay out of the VAT breakdown: the SDK samples break down only the current supply.
  const member: GroupMember | undefined = isPrepayment
    ? undefined
    : {
        path,
        category: vat.category,
        rate: vat.rate,
        rateText: vat.rateText,
        groupKey: vat.groupKey,
        amount: net,
        exemptionReasonCode,
        exemptionReason,
      };
  return { result, net, member, prepaid };
}

function readQuantity(
  ctx: Context,
  value: DecimalInput | undefined,
  linePath: string,
  isPrepayment: boolean,
): Decimal {
  const quantity = readDecimal(ctx, value, linePath, 'quantity', 'BR-22');
  if (!quantity) return ZERO;
  if (quantity.isNegative()) {
    addFieldIssue(
      ctx,
      linePath,
      'quantity',
      ctx.rules.quantityNegativeCode,
      'The quantity cannot be negative.',
    );
  } else if (quantity.isZero() && !isPrepayment) {
    addFieldIssue(ctx, linePath, 'quantity', 'QUANTITY_ZERO', 'The quantity must be more than 0.');
  }
  if (quantity.decimalPlaces() > MAX_QUANTITY_DECIMALS) {
    const message = `At most ${MAX_QUANTITY_DECIMALS} decimals.`;
    addFieldIssue(ctx, linePath, 'quantity', 'QUANTITY_TOO_MANY_DECIMALS', message);
  }
  return quantity;
}

function readUnitPrice(ctx: Context, value: DecimalInput | undefined, linePath: string): Decimal {
  const price = readDecimal(ctx, value, linePath, 'unit_price', 'BR-26');
  if (!price) return ZERO;
  if (price.isNegative()) {
    addFieldIssue(ctx, linePath, 'unit_price', 'BR-27', 'The unit price cannot be negative.');
  }
  if (price.decimalPlaces() > MAX_PRICE_DECIMALS) {
    const message = `At most ${MAX_PRICE_DECIMALS} decimals.`;
    addFieldIssue(ctx, linePath, 'unit_price', 'PRICE_TOO_MANY_DECIMALS', message);
  }
  return price;
}

function readBaseQuantity(ctx: Context, value: DecimalInput | undefined, linePath: string): Decimal {
  if (value === undefined || value === null || value === 1 || value === '1') return ONE;
  const baseQuantity = readDecimal(ctx, value, linePath, 'base_quantity');
  if (!baseQuantity || baseQuantity.eq(ONE)) return ONE;
  if (baseQuantity.lte(ZERO)) {
    const code = ctx.rules.baseQuantityNotPositiveCode;
    addFieldIssue(ctx, linePath, 'base_quantity', code, 'The price base quantity must be more than 0.');
    return ONE;
  }
  return baseQuantity;
}

function computePrepayment(
  ctx: Context,
  line: LineInput,
  path: string,
  category: VatCategory,
  rate: Decimal,
  rateText: string,
): { taxable: Decimal; vat: Decimal } {
  const reference = line.prepayment ?? ({} as NonNullable<LineInput['prepayment']>);
  const owner = `${path}.prepayment`;
  const taxable = readMoney(ctx, reference.taxable_amount, owner, 'taxable_amount', 'BR-KSA-DEC-06', false);
  if (!taxable) {
    if (reference.taxable_amount === undefined) {
      addFieldIssue(ctx, owner, 'taxable_amount', 'BR-KSA-75', 'The prepaid taxable amount is required.');
    }
    return { taxable: ZERO, vat: ZERO };
  }
  const expectedVat = isVatFree(category)
    ? ZERO
    : taxable.times(rateFraction(rate, rateText)).round(ctx.digits);
  const given = readMoney(ctx, reference.vat_amount, owner, 'vat_amount', 'BR-KSA-DEC-06', false);
  if (given && !given.eq(expectedVat)) {
    const message = `The prepaid VAT should be ${money(ctx, expectedVat)}.`;
    addFieldIssue(ctx, owner, 'vat_amount', 'BR-KSA-79', message);
  }
  return { taxable, vat: given ?? expectedVat };
}

// ---------------------------------------------------------------------------------------------- VAT category and rate

interface ResolvedVat {
  category: VatCategory;
  rate: Decimal;
  rateText: string;
  /** GroupMember.groupKey, made once per verdict. */
  groupKey: string;
}

function resolveVat(
  ctx: Context,
  categoryInput: unknown,
  rateInput: DecimalInput | undefined,
  path: string,
  level: RateLevel,
): ResolvedVat {
  let category: VatCategory = 'S';
  if (categoryInput !== undefined && categoryInput !== null && categoryInput !== '') {
    if (isVatCategory(categoryInput)) {
      category = categoryInput;
    } else {
      addIssue(ctx, `${path}.vat_category`, 'VAT_CATEGORY_UNKNOWN', 'Unknown VAT category.');
    }
  }
  const refused = ctx.rules.noDocumentAllowanceCharge[category];
  if (!ctx.rules.categories.has(category)) {
    addIssue(ctx, `${path}.vat_category`, ctx.rules.categoryNotAllowed[level], 'VAT category not used here.');
  } else if (refused && (level === 'allowance' || level === 'charge')) {
    const code = level === 'allowance' ? refused[0] : refused[1];
    addIssue(
      ctx,
      `${path}.vat_category`,
      code,
      'Category N is not allowed on document allowances or charges.',
    );
  }

  const verdict = rateVerdict(ctx.jurisdiction, category, rateInput, level);
  if (verdict.issue) addIssue(ctx, `${path}.vat_rate`, verdict.issue.code, verdict.issue.message);
  return verdict;
}

interface RateVerdict extends ResolvedVat {
  issue?: { code: string; message: string };
}

// Rates repeat on every line and every keystroke of the live preview: judge each (jurisdiction, level, category,
// rate) once. Bounded; a verdict holds no path, so it is shared safely.
type VerdictTable = Map<DecimalInput | undefined, RateVerdict>;
const verdictTables = (): Record<RateLevel, Map<VatCategory, VerdictTable>> => ({
  line: new Map(),
  prepayment: new Map(),
  allowance: new Map(),
  charge: new Map(),
});
const rateVerdicts = Object.fromEntries(
  Object.keys(RULE_SETS).map((name) => [name, verdictTables()]),
) as Record<Jurisdiction, Record<RateLevel, Map<VatCategory, VerdictTable>>>;

function rateVerdict(
  jurisdiction: Jurisdiction,
  category: VatCategory,
  rateInput: DecimalInput | undefined,
  level: RateLevel,
): RateVerdict {
  const tables = rateVerdicts[jurisdiction][level];
  let table = tables.get(category);
  if (!table) {
    table = new Map();
    tables.set(category, table);
  }
  const rateKey = rateInput === null || rateInput === '' ? undefined : rateInput;
  let verdict = table.get(rateKey);
  if (!verdict) {
    verdict = judgeRate(jurisdiction, category, rateKey, level);
    if (table.size > 64) table.clear();
    table.set(rateKey, verdict);
  }
  return verdict;
}

function judgeRate(
  jurisdiction: Jurisdiction,
  category: VatCategory,
  rateInput: DecimalInput | undefined,
  level: RateLevel,
): RateVerdict {
  const verdict = (rate: Decimal, issue?: RateVerdict['issue']): RateVerdict => {
    const rateText = rate.toPlain();
    const groupKey = isGroupedByCategoryOnly(category) ? category : `${category}|${rateText}`;
    return issue ? { category, rate, rateText, groupKey, issue } : { category, rate, rateText, groupKey };
  };
  const rules = RULE_SETS[jurisdiction];
  if (rateInput === undefined) {
    const fallback = rules.defaultRates[category];
    if (fallback !== undefined) return verdict(parseDecimal(fallback) ?? ZERO);
    return verdict(ZERO, {
      code: 'VAT_RATE_REQUIRED',
      message: `A VAT rate is required for category ${category}.`,
    });
  }
  const rate = parseDecimal(rateInput);
  if (!rate) return verdict(ZERO, { code: 'INVALID_NUMBER', message: 'Enter a number.' });
  if (rate.isNegative() || rate.gt(HUNDRED)) {
    const code = rules.rateOutOfRangeCode;
    return verdict(rate, { code, message: 'The VAT rate is a percentage from 0 to 100.' });
  }
  if (rules.maxRateDecimals !== undefined && rate.decimalPlaces() > rules.maxRateDecimals) {
    const message = `At most ${rules.maxRateDecimals} decimals in a VAT rate.`;
    return verdict(rate, { code: rules.rateOutOfRangeCode, message });
  }
  const code = rules.rateIssue(category, rate, level);
  if (!code) return verdict(rate);
  return verdict(rate, {
    code,
    message: `Rate ${rate.toPlain()} % is not allowed for category ${category}.`,
  });
}

function checkLineExemption(
  ctx: Context,
  category: VatCategory,
  code: string | undefined,
  path: string,
  isPrepayment: boolean,
): void {
  const field = 'exemption_reason_code';
  if (category === 'S') {
    if (code) addFieldIssue(ctx, path, field, 'BR-S-10', 'Standard rated supplies have no exemption reason.');
    return;
  }
  const { exemptionCodeNotListedCode: notListed } = ctx.rules;
  const exemptionCodes = (isPrepayment && ctx.rules.prepaymentExemptionCodes) || ctx.rules.exemptionCodes;
  if (exemptionCodes && notListed) {
    const rule = isPrepayment ? notListed.prepayment : notListed.line;
    if (code && !exemptionCodes[category]?.has(code)) {
      addFieldIssue(ctx, path, field, rule, `${code} is not a ZATCA reason code for category ${category}.`);
    } else if (!code && isPrepayment && ctx.rules.prepaymentNeedsExemptionCode) {
      addFieldIssue(ctx, path, field, rule, `Category ${category} needs an exemption reason code.`);
    }
    return;
  }
  const required = ctx.rules.lineExemptionRequired[category];
  if (required && !code) {
    addFieldIssue(ctx, path, field, required, 'Exempt supplies need an exemption reason code.');
  }
}

// ---------------------------------------------------------------------------------------------- allowances and charges

const MISSING_AMOUNT_CODE: Record<'line' | 'document', [allowance: string, charge: string]> = {
  document: ['BR-31', 'BR-36'],
  line: ['BR-41', 'BR-43'],
};
const DECIMALS_CODE: Record<'line' | 'document', [allowance: string, charge: string]> = {
  document: ['BR-DEC-01', 'BR-DEC-05'],
  line: ['BR-DEC-24', 'BR-DEC-27'],
};

/** The amount of an allowance or charge: given, or percent × base (line gross / sum of line nets by default). */
function resolveAllowanceChargeAmount(
  ctx: Context,
  ac: AllowanceChargeInput,
  path: string,
  defaultBase: Decimal,
  level: 'line' | 'document',
): Decimal {
  const kind = ac.is_charge ? 1 : 0;
  const given = readMoney(ctx, ac.amount, path, 'amount', DECIMALS_CODE[level][kind], true);
  if (given?.isNegative()) {
    addFieldIssue(ctx, path, 'amount', 'ALLOWANCE_CHARGE_NEGATIVE', 'Enter a positive amount.');
  }
  const percent = readDecimal(ctx, ac.percent, path, 'percent');
  if (!percent) {
    if (!given && (ac.amount === undefined || ac.amount === null || ac.amount === '')) {
      const code = MISSING_AMOUNT_CODE[level][kind];
      addFieldIssue(ctx, path, 'amount', code, 'Enter an amount or a percentage.');
    }
    return given ?? ZERO;
  }
  if (percent.isNegative() || percent.gt(HUNDRED)) {
    addFieldIssue(ctx, path, 'percent', ctx.rules.percentOutOfRangeCode, '0–100.');
  } else if (
    ctx.rules.maxPercentDecimals !== undefined &&
    percent.decimalPlaces() > ctx.rules.maxPercentDecimals
  ) {
    const message = `At most ${ctx.rules.maxPercentDecimals} decimals in a percentage.`;
    addFieldIssue(ctx, path, 'percent', ctx.rules.percentOutOfRangeCode, message);
  }
  const base =
    readMoney(ctx, ac.base_amount, path, 'base_amount', 'AMOUNT_TOO_MANY_DECIMALS', false) ?? defaultBase;
  const computed = base.times(percent).times(HUNDREDTH).round(ctx.digits);
  if (given && !given.eq(computed)) {
    addFieldIssue(
      ctx,
      path,
      'amount',
      ctx.rules.allowanceChargeMismatchCode[ac.is_charge ? 1 : 0],
      `Expected ${money(ctx, computed)} (base × %).`,
    );
  }
  return given ?? computed;
}

function describeAllowanceCharge(
  ctx: Context,
  ac: AllowanceChargeInput,
  amount: Decimal,
  defaultBase: Decimal,
): ResolvedAllowanceCharge {
  const resolved: ResolvedAllowanceCharge = { is_charge: ac.is_charge === true, amount: money(ctx, amount) };
  const percent = ctx.parse(ac.percent);
  if (percent) {
    // BR-KSA-EN16931-04 / aligned-ibrp-057: a percentage travels with its base amount.
    resolved.percent = percent.toPlain();
    resolved.base_amount = money(ctx, ctx.parse(ac.base_amount) ?? defaultBase);
  }
  let reason = nonEmpty(ac.reason);
  let reasonCode = nonEmpty(ac.reason_code);
  if (ctx.rules.fillsReasonCodes) {
    const isCharge = ac.is_charge === true;
    if (reason && !reasonCode) reasonCode = reasonCodeForText(isCharge, reason);
    else if (reasonCode && !reason) reason = ownValue(reasonCodesOf(isCharge), reasonCode);
  }
  if (reason) resolved.reason = reason;
  if (reasonCode) resolved.reason_code = reasonCode;
  return resolved;
}

/** The VAT category and rate of the lines when they all share one (prepayment lines aside). */
function soleLineVat(lines: readonly LineOutcome[]): GroupMember | undefined {
  let sole: GroupMember | undefined;
  for (const { member } of lines) {
    if (!member) continue;
    if (!sole) sole = member;
    else if (sole.category !== member.category || sole.rateText !== member.rateText) return undefined;
  }
  return sole;
}

function computeDocumentAllowanceCharge(
  ctx: Context,
  ac: AllowanceChargeInput,
  index: number,
  lineExtension: Decimal,
  lineVat: GroupMember | undefined,
): { resolved: ResolvedAllowanceCharge; amount: Decimal; member: GroupMember } {
  const path = `allowances_charges.${index}`;
  const amount = resolveAllowanceChargeAmount(ctx, ac, path, lineExtension, 'document');
  const level: RateLevel = ac.is_charge ? 'charge' : 'allowance';
  let categoryInput: unknown = ac.vat_category;
  let rateInput = ac.vat_rate;
  let exemptionReasonCode = nonEmpty(ac.exemption_reason_code);
  let exemptionReason = nonEmpty(ac.exemption_reason) ?? officialExemptionText(ctx, exemptionReasonCode);
  if (nonEmpty(categoryInput) === undefined) {
    if (lineVat) {
      // An invoice with one VAT category: a discount without a category can only belong to it.
      categoryInput = lineVat.category;
      rateInput ??= lineVat.rateText;
      exemptionReasonCode ??= lineVat.exemptionReasonCode;
      exemptionReason ??= lineVat.exemptionReason;
    } else {
      // BR-32 / BR-37: with several categories the allowance or charge must say which one it reduces or raises.
      const code = ac.is_charge ? 'BR-37' : 'BR-32';
      addFieldIssue(ctx, path, 'vat_category', code, 'Choose the VAT category this amount belongs to.');
    }
  }
  const vat = resolveVat(ctx, categoryInput, rateInput, path, level);
  checkDocumentExemption(ctx, vat.category, exemptionReasonCode, path, level);

  const resolved = describeAllowanceCharge(ctx, ac, amount, lineExtension);
  resolved.vat_category = vat.category;
  resolved.vat_rate = vat.rateText;
  if (exemptionReasonCode) resolved.exemption_reason_code = exemptionReasonCode;
  if (exemptionReason) resolved.exemption_reason = exemptionReason;
  const member: GroupMember = {
    path,
    category: vat.category,
    rate: vat.rate,
    rateText: vat.rateText,
    groupKey: vat.groupKey,
    amount: ac.is_charge ? amount : amount.negated(),
    exemptionReasonCode,
    exemptionReason,
  };
  return { resolved, amount, member };
}

function checkDocumentExemption(
  ctx: Context,
  category: VatCategory,
  code: string | undefined,
  path: string,
  level: RateLevel,
): void {
  const field = 'exemption_reason_code';
  if (category === 'S') {
    if (code) addFieldIssue(ctx, path, field, 'BR-S-10', 'Standard rated amounts have no exemption reason.');
    return;
  }
  const { exemptionCodes, exemptionCodeNotListedCode: notListed } = ctx.rules;
  const required = ctx.rules.documentExemptionRequired[category];
  if (exemptionCodes && notListed && code && !exemptionCodes[category]?.has(code)) {
    const message = `${code} is not a ZATCA reason code for category ${category}.`;
    addFieldIssue(ctx, path, field, notListed.line, message);
  } else if (required && !code) {
    const rule = level === 'charge' ? required[1] : required[0];
    addFieldIssue(ctx, path, field, rule, 'Exempt allowances and charges need an exemption reason code.');
  }
}

// ---------------------------------------------------------------------------------------------- VAT breakdown

/** A document allowance (not a line, whose negative amount is an error of its own field). */
function isDocumentAllowance(member: GroupMember): boolean {
  return member.amount.isNegative() && member.path.startsWith('allowances_charges.');
}

function groupByVatCategory(ctx: Context, members: readonly GroupMember[]): Group[] {
  const groups = new Map<string, Group>();
  for (const member of members) {
    const group = groups.get(member.groupKey);
    if (!group) {
      // The first member fixes the group's rate: lines come before document allowances, so a PINT AE reverse
      // charge breakdown keeps its lines' 5 % even when an allowance says 0.
      groups.set(member.groupKey, {
        category: member.category,
        rate: member.rate,
        rateText: member.rateText,
        taxable: member.amount,
        firstPath: member.path,
        lastAllowancePath: isDocumentAllowance(member) ? member.path : undefined,
        exemptionReasonCode: member.exemptionReasonCode,
        exemptionReason: member.exemptionReason,
      });
      continue;
    }
    group.taxable = group.taxable.plus(member.amount);
    if (isDocumentAllowance(member)) group.lastAllowancePath = member.path;
    mergeExemptionReason(ctx, group, member);
  }
  const result = [...groups.values()];
  for (const group of result) {
    checkGroupExemption(ctx, group);
    // Blamed on an allowance only when one made it negative; a negative line is reported on its own field.
    if (group.taxable.isNegative() && group.lastAllowancePath !== undefined) {
      addIssue(
        ctx,
        group.lastAllowancePath,
        'ALLOWANCE_EXCEEDS_BASE',
        `Allowances make the ${group.category} ${group.rateText} % taxable amount negative.`,
      );
    }
  }
  return result;
}

/** One breakdown carries one reason (BR-Z-08 and friends allow one breakdown per zero-VAT category). */
function mergeExemptionReason(ctx: Context, group: Group, member: GroupMember): void {
  if (!member.exemptionReasonCode) {
    group.exemptionReason ??= member.exemptionReason;
    return;
  }
  if (!group.exemptionReasonCode) {
    group.exemptionReasonCode = member.exemptionReasonCode;
    group.exemptionReason = member.exemptionReason ?? group.exemptionReason;
  } else if (group.exemptionReasonCode !== member.exemptionReasonCode) {
    addFieldIssue(
      ctx,
      member.path,
      'exemption_reason_code',
      'EXEMPTION_REASON_CONFLICT',
      `Category ${group.category} already uses ${group.exemptionReasonCode}: one reason per invoice and category.`,
    );
  }
}

function checkGroupExemption(ctx: Context, group: Group): void {
  if (group.exemptionReasonCode) return;
  const { firstPath, category } = group;
  const field = 'exemption_reason_code';
  if (ctx.rules.breakdownReasonTextSuffices && group.exemptionReason) return;
  const code = ctx.rules.breakdownExemptionRequired[category];
  const message = `Category ${category} ${ctx.rules.breakdownExemptionMessage}`;
  if (code) addFieldIssue(ctx, firstPath, field, code, message);
}

function groupVat(ctx: Context, group: Group): Decimal {
  if (isVatFree(group.category)) return ZERO;
  return group.taxable.times(rateFraction(group.rate, group.rateText)).round(ctx.digits);
}

function breakdownOf(ctx: Context, group: Group, vat: Decimal): VatBreakdown {
  const breakdown: VatBreakdown = {
    category: group.category,
    rate: group.rateText,
    taxable_amount: money(ctx, group.taxable),
    vat_amount: money(ctx, vat),
  };
  if (group.exemptionReasonCode) breakdown.exemption_reason_code = group.exemptionReasonCode;
  if (group.exemptionReason) breakdown.exemption_reason = group.exemptionReason;
  return breakdown;
}

// ---------------------------------------------------------------------------------------------- tax currency

function addTaxCurrency(
  ctx: Context,
  input: DocumentInput,
  taxAmount: Decimal,
  totals: DocumentTotals,
): void {
  // BR-KSA-68: a Saudi invoice always states its tax currency (SAR); PINT AE's is AED (ibr-140-ae).
  const fallback = ctx.rules.taxCurrency;
  const taxCurrency =
    typeof input.tax_currency === 'string' ? input.tax_currency.trim().toUpperCase() : fallback;
  if (!taxCurrency) return;
  if (!isCurrencyCode(taxCurrency)) {
    addIssue(ctx, 'tax_currency', 'CURRENCY_INVALID', 'The tax currency must be an ISO 4217 code.');
    return;
  }
  if (fallback && taxCurrency !== fallback) {
    const code = ctx.rules.taxCurrencyMismatchCode ?? 'TAX_CURRENCY_INVALID';
    addIssue(ctx, 'tax_currency', code, `The tax currency must be ${fallback}.`);
  }
  totals.tax_currency = taxCurrency;
  if (!ctx.currency || taxCurrency === ctx.currency) {
    totals.tax_amount_in_tax_currency = totals.tax_amount;
    return;
  }
  const rate = readDecimal(ctx, input.exchange_rate, '', 'exchange_rate');
  if (!rate) {
    if (input.exchange_rate === undefined || input.exchange_rate === null || input.exchange_rate === '') {
      addIssue(
        ctx,
        'exchange_rate',
        ctx.rules.exchangeRateRequiredCode,
        `Give the ${taxCurrency} per ${ctx.currency} exchange rate.`,
      );
    }
    return;
  }
  if (rate.lte(ZERO)) {
    addIssue(ctx, 'exchange_rate', 'EXCHANGE_RATE_INVALID', 'The exchange rate must be more than 0.');
    return;
  }
  const limit = ctx.rules.exchangeRateLimit;
  if (
    limit &&
    ((limit.significantDigits !== undefined && rate.significantDigits() > limit.significantDigits) ||
      (limit.decimals !== undefined && rate.decimalPlaces() > limit.decimals))
  ) {
    addIssue(ctx, 'exchange_rate', limit.code, limit.message);
  }
  totals.exchange_rate = rate.toPlain();
  // BT-111: the VAT total converted once, at document level (the SDK's USD sample: 285 USD × 3.75 = 1068.75 SAR).
  totals.tax_amount_in_tax_currency = taxAmount.times(rate).toFixed(currencyDigits(taxCurrency));
}

/** The text a rule set fixes for an exemption code, for an input that gives the code alone. */
function officialExemptionText(ctx: Context, code: string | undefined): string | undefined {
  const texts = ctx.rules.exemptionTexts;
  return code === undefined || !texts ? undefined : ownValue(texts, code);
}

/** A table's entry, never an inherited property ("constructor" is no reason code). */
function ownValue(table: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function nonEmpty(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
