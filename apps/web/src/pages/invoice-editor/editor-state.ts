// The invoice editor's state and the pure functions around it: the reducer, the engine input the preview is
// computed from, the issue request (also what the draft stores), and reading a saved draft back.
// No React here, so it is unit tested directly (test/editor-state.test.ts).

import {
  ITEM_TYPES,
  type ItemType,
  PINT_AE_TRANSACTION_FLAGS,
  type TransactionFlag,
  ZATCA_TRANSACTION_FLAGS,
} from '@invoiceflow/jurisdictions';
import {
  type AllowanceChargeInput,
  categoriesOf,
  type DocumentInput,
  defaultVatRate,
  isVatCategory,
  type Jurisdiction,
  type LineInput,
  RULE_SETS,
  type TotalsIssue,
  type VatCategory,
} from '@invoiceflow/totals';
import type { PartyAddress, Product } from '../../api/domain-types';

export interface EditorCustomer {
  id: string;
  name_en: string;
  name_ar: string | null;
  vat_number: string | null;
  address: PartyAddress | null;
  peppol_endpoint?: { scheme: string; id: string } | null;
}

export interface EditorLine {
  /** Stable identity for React keys and memoized rows; never sent to the server. */
  key: string;
  product_id: string | null;
  description: string;
  quantity: string;
  unit_code: string;
  unit_price: string;
  vat_category: VatCategory;
  vat_rate: string;
  exemption_reason_code: string;
  /** Line discount in percent of the line's gross amount (a line allowance, BG-27). */
  discount_percent: string;
  /** PINT AE BTAE-13 and its code (HS for goods, a service accounting code for services); empty: the product's. */
  item_type: ItemType | '';
  hs_code: string;
  service_code: string;
}

export interface EditorAdjustment {
  key: string;
  is_charge: boolean;
  reason: string;
  mode: 'percent' | 'amount';
  value: string;
  vat_category: VatCategory;
  vat_rate: string;
}

/** Every flag a saved draft may hold; the company's profile says which the editor offers. */
const KNOWN_FLAGS: readonly TransactionFlag[] = [
  ...new Set([...ZATCA_TRANSACTION_FLAGS, ...PINT_AE_TRANSACTION_FLAGS]),
];

/** The document-level e-invoice fields (the profile's `invoiceFields`), as typed; empty is not sent. */
export interface EInvoiceFields {
  out_of_scope: boolean;
  beneficiary_id: string;
  principal_id: string;
  period_start: string;
  period_end: string;
  period_frequency: string;
  buyer_reference: string;
  order_reference: string;
}
export type EInvoiceTextField = Exclude<keyof EInvoiceFields, 'out_of_scope'>;

export const emptyEInvoiceFields = (): EInvoiceFields => ({
  out_of_scope: false,
  beneficiary_id: '',
  principal_id: '',
  period_start: '',
  period_end: '',
  period_frequency: '',
  buyer_reference: '',
  order_reference: '',
});

export interface EditorState {
  jurisdiction: Jurisdiction;
  currency: string;
  customer: EditorCustomer | null;
  /** BT-46-1 / BT-46: the buyer's id for this invoice, beside or instead of a VAT number (empty: the customer's). */
  buyer_id_scheme: string;
  buyer_id_number: string;
  /** The flags of the company's profile (ZATCA KSA-2, PINT AE BTAE-02). */
  transaction_flags: Partial<Record<TransactionFlag, boolean>>;
  einvoice: EInvoiceFields;
  invoice_date: string;
  due_date: string;
  notes: string;
  lines: EditorLine[];
  adjustments: EditorAdjustment[];
}

let nextKey = 0;
const newKey = (prefix: string) => `${prefix}${++nextKey}`;

export function emptyLine(jurisdiction: Jurisdiction): EditorLine {
  return {
    key: newKey('l'),
    product_id: null,
    description: '',
    quantity: '1',
    unit_code: 'PCE',
    unit_price: '',
    vat_category: 'S',
    vat_rate: defaultVatRate(jurisdiction, 'S') ?? '',
    exemption_reason_code: '',
    discount_percent: '',
    item_type: '',
    hs_code: '',
    service_code: '',
  };
}

export function lineFromProduct(
  product: Product,
  jurisdiction: Jurisdiction,
  locale: 'en' | 'ar',
): EditorLine {
  const category = isVatCategory(product.vat_category) ? product.vat_category : 'S';
  return {
    ...emptyLine(jurisdiction),
    product_id: product.id,
    description: (locale === 'ar' && product.name_ar) || product.name_en,
    unit_code: product.unit_code,
    unit_price: product.unit_price,
    vat_category: category,
    vat_rate: product.vat_rate,
    item_type: product.item_type ?? '',
    hs_code: product.hs_code ?? '',
    service_code: product.service_code ?? '',
  };
}

export function emptyState(jurisdiction: Jurisdiction, currency: string, today: string): EditorState {
  return {
    jurisdiction,
    currency,
    customer: null,
    buyer_id_scheme: '',
    buyer_id_number: '',
    transaction_flags: {},
    einvoice: emptyEInvoiceFields(),
    invoice_date: today,
    due_date: '',
    notes: '',
    lines: [emptyLine(jurisdiction)],
    adjustments: [],
  };
}

export type EditorAction =
  | { type: 'load'; state: EditorState }
  | {
      type: 'setField';
      field: 'invoice_date' | 'due_date' | 'notes' | 'buyer_id_scheme' | 'buyer_id_number';
      value: string;
    }
  | { type: 'setFlag'; flag: TransactionFlag; value: boolean }
  | { type: 'setEInvoiceField'; field: EInvoiceTextField; value: string }
  | { type: 'setOutOfScope'; value: boolean }
  | { type: 'setCustomer'; customer: EditorCustomer | null }
  | { type: 'addLine'; line?: EditorLine }
  | { type: 'updateLine'; key: string; patch: Partial<Omit<EditorLine, 'key'>> }
  | { type: 'removeLine'; key: string }
  | { type: 'addAdjustment'; is_charge: boolean }
  | { type: 'updateAdjustment'; key: string; patch: Partial<Omit<EditorAdjustment, 'key'>> }
  | { type: 'removeAdjustment'; key: string };

/** Only the edited line gets a new object, so every other memoized row keeps its props and skips rendering. */
export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  switch (action.type) {
    case 'load':
      return action.state;
    case 'setField':
      return { ...state, [action.field]: action.value };
    case 'setFlag':
      return { ...state, transaction_flags: { ...state.transaction_flags, [action.flag]: action.value } };
    case 'setEInvoiceField':
      return { ...state, einvoice: { ...state.einvoice, [action.field]: action.value } };
    case 'setOutOfScope':
      return { ...state, einvoice: { ...state.einvoice, out_of_scope: action.value } };
    case 'setCustomer':
      return { ...state, customer: action.customer };
    case 'addLine': {
      // A blank first line is replaced rather than left behind when a product is picked.
      const [only] = state.lines;
      const isBlank = state.lines.length === 1 && only && !only.description && !only.unit_price;
      const line = action.line ?? emptyLine(state.jurisdiction);
      return { ...state, lines: isBlank && action.line ? [line] : [...state.lines, line] };
    }
    case 'updateLine':
      return {
        ...state,
        lines: state.lines.map((line) => {
          if (line.key !== action.key) return line;
          const next = { ...line, ...action.patch };
          // A new category brings its usual rate (S: 15 % in KSA, 5 % in the UAE; others 0).
          if (action.patch.vat_category && action.patch.vat_rate === undefined) {
            next.vat_rate = defaultVatRate(state.jurisdiction, action.patch.vat_category) ?? '';
            if (action.patch.vat_category === 'S') next.exemption_reason_code = '';
          }
          return next;
        }),
      };
    case 'removeLine':
      return { ...state, lines: state.lines.filter((line) => line.key !== action.key) };
    case 'addAdjustment':
      return {
        ...state,
        adjustments: [
          ...state.adjustments,
          {
            key: newKey('a'),
            is_charge: action.is_charge,
            reason: '',
            mode: action.is_charge ? 'amount' : 'percent',
            value: '',
            vat_category: 'S',
            vat_rate: defaultVatRate(state.jurisdiction, 'S') ?? '',
          },
        ],
      };
    case 'updateAdjustment':
      return {
        ...state,
        adjustments: state.adjustments.map((a) => {
          if (a.key !== action.key) return a;
          const next = { ...a, ...action.patch };
          if (action.patch.vat_category && action.patch.vat_rate === undefined) {
            next.vat_rate = defaultVatRate(state.jurisdiction, action.patch.vat_category) ?? '';
          }
          return next;
        }),
      };
    case 'removeAdjustment':
      return { ...state, adjustments: state.adjustments.filter((a) => a.key !== action.key) };
  }
}

const trimmed = (value: string) => value.trim();
const orUndefined = (value: string) => (value.trim() === '' ? undefined : value.trim());

function lineAllowances(line: EditorLine): AllowanceChargeInput[] | undefined {
  const percent = orUndefined(line.discount_percent);
  // UNTDID 5189 code 95: discount.
  return percent === undefined
    ? undefined
    : [{ is_charge: false, percent, reason: 'Discount', reason_code: '95' }];
}

function documentAllowanceCharge(a: EditorAdjustment): AllowanceChargeInput {
  const value = orUndefined(a.value);
  const reason = a.reason.trim() || (a.is_charge ? 'Charge' : 'Discount');
  return {
    is_charge: a.is_charge,
    ...(a.mode === 'percent' ? { percent: value } : { amount: value }),
    reason,
    // UNTDID 5189 95 (discount) for allowances, UNTDID 7161 ABK (miscellaneous) for charges.
    reason_code: a.is_charge ? 'ABK' : '95',
    vat_category: a.vat_category,
    vat_rate: orUndefined(a.vat_rate),
  };
}

function engineLine(line: EditorLine): LineInput {
  const input: LineInput = {
    description: line.description,
    quantity: trimmed(line.quantity),
    unit_price: trimmed(line.unit_price),
    unit_code: line.unit_code || 'PCE',
    vat_category: line.vat_category,
  };
  const rate = orUndefined(line.vat_rate);
  if (rate !== undefined) input.vat_rate = rate;
  const code = orUndefined(line.exemption_reason_code);
  if (code !== undefined) input.exemption_reason_code = code;
  const allowances = lineAllowances(line);
  if (allowances) input.allowances_charges = allowances;
  return input;
}

/** What the totals engine computes the preview from: the same fields the server reads from the issue body. */
export function toDocumentInput(
  state: Pick<EditorState, 'jurisdiction' | 'currency' | 'lines' | 'adjustments'>,
): DocumentInput {
  const input: DocumentInput = {
    jurisdiction: state.jurisdiction,
    currency: state.currency,
    lines: state.lines.map(engineLine),
  };
  if (state.adjustments.length > 0) input.allowances_charges = state.adjustments.map(documentAllowanceCharge);
  return input;
}

/** The issue request (POST /invoices/generate), which is also what the auto-saved draft keeps. */
export function toIssueBody(state: EditorState): Record<string, unknown> {
  const body: Record<string, unknown> = {
    currency: state.currency,
    lines: state.lines.map((line) => ({
      ...engineLine(line),
      ...(line.product_id ? { product_id: line.product_id } : {}),
      ...classificationOf(line),
    })),
  };
  if (state.customer) body.customer_id = state.customer.id;
  Object.assign(body, buyerFields(state));
  if (state.invoice_date) body.invoice_date = state.invoice_date;
  if (state.due_date) body.due_date = state.due_date;
  if (state.notes.trim()) body.notes = state.notes;
  if (state.adjustments.length > 0) body.allowances_charges = state.adjustments.map(documentAllowanceCharge);
  Object.assign(body, einvoiceBody(state.einvoice));
  return body;
}

/** A line's item type and code as the issue body names them; empty fields leave the product's. */
function classificationOf(line: EditorLine): Record<string, string> {
  const fields: Record<string, string> = {};
  if (line.item_type) fields.item_type = line.item_type;
  const hs = orUndefined(line.hs_code);
  if (hs !== undefined) fields.hs_code = hs;
  const service = orUndefined(line.service_code);
  if (service !== undefined) fields.service_code = service;
  return fields;
}

/** The document-level e-invoice fields as the issue body names them (the period only when both dates are set). */
function einvoiceBody(fields: EInvoiceFields): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (fields.out_of_scope) body.out_of_scope = true;
  for (const name of ['beneficiary_id', 'principal_id', 'buyer_reference', 'order_reference'] as const) {
    const value = orUndefined(fields[name]);
    if (value !== undefined) body[name] = value;
  }
  if (fields.period_start && fields.period_end) {
    const frequency = orUndefined(fields.period_frequency);
    body.invoice_period = {
      start_date: fields.period_start,
      end_date: fields.period_end,
      ...(frequency ? { frequency } : {}),
    };
  }
  return body;
}

/** The buyer id and the transaction flags, as the issue body names them (scheme and number go together). */
function buyerFields(state: Pick<EditorState, 'buyer_id_scheme' | 'buyer_id_number' | 'transaction_flags'>) {
  const fields: Record<string, unknown> = {};
  const number = state.buyer_id_number.trim();
  if (state.buyer_id_scheme && number) {
    fields.customer_id_scheme = state.buyer_id_scheme;
    fields.customer_id_number = number;
  }
  const flags = Object.fromEntries(
    KNOWN_FLAGS.filter((f) => state.transaction_flags[f]).map((f) => [f, true]),
  );
  if (Object.keys(flags).length > 0) fields.transaction_flags = flags;
  return fields;
}

/**
 * What the live preview judges (POST /preview/calculate): the amounts, and the buyer as the invoice will name it,
 * so the editor shows the warnings the issue would answer before the user issues.
 */
export function toPreviewBody(state: EditorState): Record<string, unknown> {
  const body: Record<string, unknown> = { ...toDocumentInput(state), ...buyerFields(state) };
  delete body.jurisdiction;
  const customer = state.customer;
  if (customer) {
    body.customer_name = customer.name_en;
    if (customer.vat_number) body.customer_vat_number = customer.vat_number;
    if (customer.address) body.customer_address = customer.address;
  }
  return body;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown) =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

/**
 * A saved draft back into editor state. Drafts are whatever a tab last saved (possibly by an older version of
 * this app), so every field is read defensively. The customer is only an id here; the page fetches it.
 */
export function fromDraftData(
  data: Json,
  base: Pick<EditorState, 'jurisdiction' | 'currency'>,
): { state: EditorState; customerId: string | null } {
  const { jurisdiction } = base;
  const rawLines = Array.isArray(data.lines) ? data.lines.filter(isObject) : [];
  const lines = rawLines.map((raw): EditorLine => {
    const category = isVatCategory(raw.vat_category) ? raw.vat_category : 'S';
    const discount = Array.isArray(raw.allowances_charges)
      ? raw.allowances_charges
          .filter(isObject)
          .find((ac) => ac.is_charge !== true && ac.percent !== undefined)
      : undefined;
    return {
      ...emptyLine(jurisdiction),
      product_id: typeof raw.product_id === 'string' ? raw.product_id : null,
      description: text(raw.description),
      quantity: text(raw.quantity),
      unit_code: text(raw.unit_code) || 'PCE',
      unit_price: text(raw.unit_price),
      vat_category: category,
      vat_rate:
        raw.vat_rate === undefined ? (defaultVatRate(jurisdiction, category) ?? '') : text(raw.vat_rate),
      exemption_reason_code: text(raw.exemption_reason_code),
      discount_percent: discount ? text(discount.percent) : '',
      item_type: (ITEM_TYPES as readonly string[]).includes(text(raw.item_type))
        ? (text(raw.item_type) as ItemType)
        : '',
      hs_code: text(raw.hs_code),
      service_code: text(raw.service_code),
    };
  });
  const adjustments = (
    Array.isArray(data.allowances_charges) ? data.allowances_charges.filter(isObject) : []
  ).map((raw): EditorAdjustment => {
    const category = isVatCategory(raw.vat_category) ? raw.vat_category : 'S';
    const isPercent = raw.percent !== undefined;
    return {
      key: newKey('a'),
      is_charge: raw.is_charge === true,
      reason: text(raw.reason),
      mode: isPercent ? 'percent' : 'amount',
      value: text(isPercent ? raw.percent : raw.amount),
      vat_category: category,
      vat_rate:
        raw.vat_rate === undefined ? (defaultVatRate(jurisdiction, category) ?? '') : text(raw.vat_rate),
    };
  });
  return {
    state: {
      jurisdiction,
      currency:
        typeof data.currency === 'string' && /^[A-Z]{3}$/.test(data.currency) ? data.currency : base.currency,
      customer: null,
      buyer_id_scheme: text(data.customer_id_scheme),
      buyer_id_number: text(data.customer_id_number),
      transaction_flags: isObject(data.transaction_flags)
        ? Object.fromEntries(KNOWN_FLAGS.map((f) => [f, (data.transaction_flags as Json)[f] === true]))
        : {},
      einvoice: einvoiceFromDraft(data),
      invoice_date: text(data.invoice_date).slice(0, 10),
      due_date: text(data.due_date).slice(0, 10),
      notes: text(data.notes),
      lines: lines.length > 0 ? lines : [emptyLine(jurisdiction)],
      adjustments,
    },
    customerId: typeof data.customer_id === 'string' ? data.customer_id : null,
  };
}

function einvoiceFromDraft(data: Json): EInvoiceFields {
  const period = isObject(data.invoice_period) ? data.invoice_period : {};
  return {
    out_of_scope: data.out_of_scope === true,
    beneficiary_id: text(data.beneficiary_id),
    principal_id: text(data.principal_id),
    period_start: text(period.start_date).slice(0, 10),
    period_end: text(period.end_date).slice(0, 10),
    period_frequency: text(period.frequency),
    buyer_reference: text(data.buyer_reference),
    order_reference: text(data.order_reference),
  };
}

export interface GroupedIssues {
  /** Issues of lines.N.*, by line index. */
  byLine: Map<number, TotalsIssue[]>;
  /** Issues of allowances_charges.N.*, by index. */
  byAdjustment: Map<number, TotalsIssue[]>;
  /** Everything else (lines, currency, …), shown above the lines. */
  document: TotalsIssue[];
}

const LINE_PATH = /^(?:lines|line_items)\.(\d+)(?:\.|$)/;
const ADJUSTMENT_PATH = /^allowances_charges\.(\d+)(?:\.|$)/;

export function groupIssues(issues: readonly TotalsIssue[]): GroupedIssues {
  const grouped: GroupedIssues = { byLine: new Map(), byAdjustment: new Map(), document: [] };
  for (const issue of issues) {
    const line = LINE_PATH.exec(issue.path);
    const adjustment = ADJUSTMENT_PATH.exec(issue.path);
    const [map, index] = line
      ? [grouped.byLine, Number(line[1])]
      : adjustment
        ? [grouped.byAdjustment, Number(adjustment[1])]
        : [null, -1];
    if (!map) {
      grouped.document.push(issue);
      continue;
    }
    const list = map.get(index);
    if (list) list.push(issue);
    else map.set(index, [issue]);
  }
  return grouped;
}

/**
 * The field of a row an issue belongs to: "lines.2.vat_rate" → "vat_rate";
 * "lines.2.allowances_charges.0.percent" → "discount_percent"; anything else → "row".
 */
export function issueField(path: string): string {
  if (LINE_PATH.test(path)) {
    const rest = path.replace(LINE_PATH, '');
    if (rest.startsWith('allowances_charges')) return 'discount_percent';
    return rest.split('.')[0] || 'row';
  }
  const rest = path.replace(ADJUSTMENT_PATH, '');
  if (rest === 'percent' || rest === 'amount') return 'value';
  const field = rest.split('.')[0] ?? '';
  return field === '' ? 'row' : field;
}

export const sameIssues = (a: readonly TotalsIssue[] | undefined, b: readonly TotalsIssue[] | undefined) => {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every(
    (issue, i) => issue.path === b[i]?.path && issue.code === b[i]?.code && issue.message === b[i]?.message,
  );
};

/** The categories each rule set allows, from the totals engine's rule sets (one list for API and web). */
export const CATEGORIES_BY_JURISDICTION = Object.fromEntries(
  Object.keys(RULE_SETS).map((name) => [name, categoriesOf(name as Jurisdiction)]),
) as unknown as Record<Jurisdiction, readonly VatCategory[]>;

/** The id of the list of the company's tax rates every line's rate field offers. */
export const TAX_RATES_LIST = 'company-tax-rates';
