// Reads the amounts part of an invoice request (preview, issue, draft) into the totals engine's DocumentInput.
// Two shapes are accepted: the seed's `line_items` ({description, quantity, unit_price, vat_rate}) and the
// engine's full shape (`lines` with categories, allowances and charges, currency, exchange rate…).
// Hand-written rather than a Zod schema: the live preview calls it on every keystroke and must stay lean, and it
// must report every bad field of a half-typed invoice at once rather than stop at the first.

import { ITEM_TYPES, type ItemType } from '@invoiceflow/db/schema';
import type {
  AllowanceChargeInput,
  DocumentInput,
  Jurisdiction,
  LineInput,
  PrepaymentReferenceInput,
  TotalsIssue,
  TotalsResult,
  VatCategory,
} from '@invoiceflow/totals';
import { isVatCategory } from '@invoiceflow/totals';
import { HS_CODE_PATTERN, SERVICE_CODE_PATTERN } from '@invoiceflow/ubl';
import { decimalText, INVALID_NUMBER_MESSAGE } from '../../lib/decimal-input';
import type { FieldError } from '../../lib/errors';

export const MAX_LINES = 1000;
const MAX_ALLOWANCES = 100;
const MAX_TEXT = 1000;

export interface ReadDocument {
  input: DocumentInput;
  /** Field errors found while reading (bad numbers, wrong types), with request paths. */
  errors: FieldError[];
  /** Which key carried the lines: error paths of the engine are reported under it. */
  linesKey: 'lines' | 'line_items';
  /** product_id per line index, when lines name catalogue products (issue only). */
  productIds: (string | undefined)[];
  /** Per line index: the item's classification as the request gives it (a product's fills the gaps). */
  classifications: LineClassification[];
}

/** What an e-invoice says of a line's item beside its amounts (PINT AE BTAE-13, IBT-158, BTAE-17, BTAE-09, IBT-157). */
export interface LineClassification {
  item_type?: ItemType;
  hs_code?: string;
  service_code?: string;
  rcm_type?: string;
  gtin?: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

class Reader {
  readonly errors: FieldError[] = [];

  fail(path: string, code: string, message: string): undefined {
    this.errors.push({ path, code, message });
    return undefined;
  }

  decimal(source: Json, key: string, path: string): string | undefined {
    const value = source[key];
    if (value === undefined || value === null || value === '') return undefined;
    const text = decimalText(value);
    return text ?? this.fail(`${path}${key}`, 'INVALID_NUMBER', INVALID_NUMBER_MESSAGE);
  }

  text(source: Json, key: string, path: string, max = MAX_TEXT): string | undefined {
    const value = source[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') return this.fail(`${path}${key}`, 'INVALID_TYPE', 'Expected text.');
    if (value.length > max) return this.fail(`${path}${key}`, 'TOO_BIG', `At most ${max} characters.`);
    return value;
  }

  matching(source: Json, key: string, path: string, pattern: RegExp, message: string): string | undefined {
    const value = this.text(source, key, path, 50)?.trim();
    if (value === undefined || value === '') return undefined;
    return pattern.test(value) ? value : this.fail(`${path}${key}`, 'INVALID_FORMAT', message);
  }

  list(source: Json, key: string, path: string, max: number): unknown[] | undefined {
    const value = source[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) return this.fail(`${path}${key}`, 'INVALID_TYPE', 'Expected a list.');
    if (value.length > max) return this.fail(`${path}${key}`, 'TOO_BIG', `At most ${max} entries.`);
    return value;
  }
}

function assign<T extends object>(target: T, key: keyof T, value: unknown): void {
  if (value !== undefined) (target as Record<keyof T, unknown>)[key] = value;
}

function readAllowanceCharge(reader: Reader, raw: unknown, path: string): AllowanceChargeInput {
  if (!isObject(raw)) {
    reader.fail(path, 'INVALID_TYPE', 'Expected an allowance or charge object.');
    return { is_charge: false };
  }
  const isCharge = raw.is_charge;
  if (isCharge !== undefined && typeof isCharge !== 'boolean') {
    reader.fail(`${path}.is_charge`, 'INVALID_TYPE', 'Expected true (charge) or false (allowance).');
  }
  const ac: AllowanceChargeInput = { is_charge: isCharge === true };
  const p = `${path}.`;
  assign(ac, 'amount', reader.decimal(raw, 'amount', p));
  assign(ac, 'percent', reader.decimal(raw, 'percent', p));
  assign(ac, 'base_amount', reader.decimal(raw, 'base_amount', p));
  assign(ac, 'vat_rate', reader.decimal(raw, 'vat_rate', p));
  assign(ac, 'reason', reader.text(raw, 'reason', p));
  assign(ac, 'reason_code', reader.text(raw, 'reason_code', p, 10));
  assign(ac, 'vat_category', reader.text(raw, 'vat_category', p, 3));
  assign(ac, 'exemption_reason_code', reader.text(raw, 'exemption_reason_code', p, 50));
  assign(ac, 'exemption_reason', reader.text(raw, 'exemption_reason', p));
  return ac;
}

function readAllowancesCharges(
  reader: Reader,
  source: Json,
  path: string,
): AllowanceChargeInput[] | undefined {
  const items = reader.list(source, 'allowances_charges', path, MAX_ALLOWANCES);
  return items?.map((item, j) => readAllowanceCharge(reader, item, `${path}allowances_charges.${j}`));
}

function readLine(
  reader: Reader,
  raw: unknown,
  path: string,
  isSeedShape: boolean,
): { line: LineInput; productId?: string; classification: LineClassification } {
  if (!isObject(raw)) {
    reader.fail(path, 'INVALID_TYPE', 'Expected a line object.');
    return { line: { quantity: '', unit_price: '' }, classification: {} };
  }
  const p = `${path}.`;
  const line = {
    quantity: reader.decimal(raw, 'quantity', p),
    unit_price: reader.decimal(raw, 'unit_price', p),
  } as LineInput;
  assign(line, 'description', reader.text(raw, 'description', p));
  assign(line, 'description_ar', reader.text(raw, 'description_ar', p));
  assign(line, 'unit_code', reader.text(raw, 'unit_code', p, 3));
  assign(line, 'base_quantity', reader.decimal(raw, 'base_quantity', p));
  assign(line, 'gross_price', reader.decimal(raw, 'gross_price', p));
  assign(line, 'vat_category', reader.text(raw, 'vat_category', p, 3));
  assign(line, 'vat_rate', reader.decimal(raw, 'vat_rate', p));
  assign(line, 'exemption_reason_code', reader.text(raw, 'exemption_reason_code', p, 50));
  assign(line, 'exemption_reason', reader.text(raw, 'exemption_reason', p));
  assign(line, 'allowances_charges', readAllowancesCharges(reader, raw, p));
  // The seed's lines carry only a rate: 0 % means zero-rated (Z), as its 0/5/15 % choice intends.
  if (
    isSeedShape &&
    line.vat_category === undefined &&
    line.vat_rate !== undefined &&
    Number(line.vat_rate) === 0
  ) {
    line.vat_category = 'Z';
  }
  if (isObject(raw.prepayment)) {
    const pp = `${p}prepayment.`;
    const prepayment = {
      invoice_number: reader.text(raw.prepayment, 'invoice_number', pp, 100) ?? '',
      uuid: reader.text(raw.prepayment, 'uuid', pp, 100) ?? '',
      issue_date: reader.text(raw.prepayment, 'issue_date', pp, 30) ?? '',
      taxable_amount: reader.decimal(raw.prepayment, 'taxable_amount', pp),
    } as PrepaymentReferenceInput;
    assign(prepayment, 'issue_time', reader.text(raw.prepayment, 'issue_time', pp, 30));
    assign(prepayment, 'vat_amount', reader.decimal(raw.prepayment, 'vat_amount', pp));
    line.prepayment = prepayment;
  }
  const productId = reader.text(raw, 'product_id', p, 36);
  return { line, productId, classification: readClassification(reader, raw, p) };
}

const ITEM_TYPE_MESSAGE = `One of ${ITEM_TYPES.join(', ')}.`;

function readClassification(reader: Reader, raw: Json, p: string): LineClassification {
  const classification: LineClassification = {};
  const itemType = reader.text(raw, 'item_type', p, 20);
  if (itemType !== undefined) {
    if ((ITEM_TYPES as readonly string[]).includes(itemType)) classification.item_type = itemType as ItemType;
    else reader.fail(`${p}item_type`, 'INVALID_ENUM', ITEM_TYPE_MESSAGE);
  }
  assign(
    classification,
    'hs_code',
    reader.matching(raw, 'hs_code', p, HS_CODE_PATTERN, 'An HS code: 6 to 12 digits.'),
  );
  assign(
    classification,
    'service_code',
    reader.matching(
      raw,
      'service_code',
      p,
      SERVICE_CODE_PATTERN,
      'A service accounting code: up to 20 letters and digits.',
    ),
  );
  assign(classification, 'rcm_type', reader.text(raw, 'rcm_type', p, 20));
  // GS1: a GTIN is 8, 12, 13 or 14 digits.
  assign(
    classification,
    'gtin',
    reader.matching(raw, 'gtin', p, /^(\d{8}|\d{12,14})$/, 'A GTIN: 8, 12, 13 or 14 digits.'),
  );
  return classification;
}

/**
 * Reads the document. `jurisdiction` is the rule set of the company's profile (issue, a signed-in preview) or of
 * the regime a visitor's preview names; without it, what the body says (the engine's default when nothing).
 */
export function readDocument(body: Json, jurisdiction?: Jurisdiction): ReadDocument {
  const reader = new Reader();
  const linesKey = body.lines === undefined && body.line_items !== undefined ? 'line_items' : 'lines';
  const rawLines = reader.list(body, linesKey, '', MAX_LINES) ?? [];
  const productIds: (string | undefined)[] = [];
  const classifications: LineClassification[] = [];
  const lines = rawLines.map((raw, index) => {
    const { line, productId, classification } = readLine(
      reader,
      raw,
      `${linesKey}.${index}`,
      linesKey === 'line_items',
    );
    productIds.push(productId);
    classifications.push(classification);
    return line;
  });
  const input: DocumentInput = { lines };
  const claimed = reader.text(body, 'jurisdiction', '', 10);
  assign(input, 'jurisdiction', jurisdiction ?? claimed);
  assign(input, 'currency', reader.text(body, 'currency', '', 3));
  assign(input, 'tax_currency', reader.text(body, 'tax_currency', '', 3));
  assign(input, 'exchange_rate', reader.decimal(body, 'exchange_rate', ''));
  assign(input, 'prepaid_amount', reader.decimal(body, 'prepaid_amount', ''));
  assign(input, 'rounding_amount', reader.decimal(body, 'rounding_amount', ''));
  assign(input, 'allowances_charges', readAllowancesCharges(reader, body, ''));
  return { input, errors: reader.errors, linesKey, productIds, classifications };
}

/**
 * The engine's issues with request paths (`lines.0.…` → `line_items.0.…` for the seed shape), leaving out
 * what the reader already reported for the same field (a bad number is not also "missing").
 */
export function engineErrors(result: TotalsResult, read: ReadDocument): FieldError[] {
  const reported = new Set(read.errors.map((error) => error.path));
  const errors: FieldError[] = [...read.errors];
  for (const issue of result.errors as TotalsIssue[]) {
    const path =
      read.linesKey === 'line_items' && issue.path.startsWith('lines')
        ? `line_items${issue.path.slice(5)}`
        : issue.path;
    if (!reported.has(path)) errors.push({ path, code: issue.code, message: issue.message });
  }
  return errors;
}

export const isVatCategoryText = (value: string | undefined): value is VatCategory => isVatCategory(value);
