// A bank's CSV export, read through a column mapping the user saves per bank. The rows come already split (the API
// parses the file with the same CSV reader as imports); this turns them into transactions with exact amounts, in
// the bank's own date and number conventions, and names the row and column of anything it cannot read.
import { type Decimal, parseDecimal } from '@invoiceflow/totals';
import { BankFileError, type BankStatement, type BankTransaction } from './types';

export type CsvDateFormat =
  | 'YYYY-MM-DD'
  | 'DD-MM-YYYY'
  | 'DD/MM/YYYY'
  | 'MM/DD/YYYY'
  | 'DD.MM.YYYY'
  | 'YYYYMMDD';

export interface CsvMapping {
  /** Column indexes (0-based) of each field; amount, or credit and debit. */
  columns: {
    booking_date: number;
    value_date?: number;
    /** One signed amount… */
    amount?: number;
    /** …or money in and money out in two columns. */
    credit?: number;
    debit?: number;
    currency?: number;
    description?: number;
    counterparty_name?: number;
    counterparty_iban?: number;
    reference?: number;
    bank_reference?: number;
  };
  date_format: CsvDateFormat;
  decimal_separator: '.' | ',';
  /** When no column gives it. */
  currency?: string;
  /** Header rows to skip. */
  skip_rows: number;
}

export interface CsvRowError {
  row: number;
  column: string;
  message: string;
}

function dateOf(value: string, format: CsvDateFormat): string | null {
  const v = value.trim();
  const parts: Record<CsvDateFormat, RegExp> = {
    'YYYY-MM-DD': /^(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})$/,
    'DD-MM-YYYY': /^(?<d>\d{1,2})-(?<m>\d{1,2})-(?<y>\d{4})$/,
    'DD/MM/YYYY': /^(?<d>\d{1,2})\/(?<m>\d{1,2})\/(?<y>\d{4})$/,
    'MM/DD/YYYY': /^(?<m>\d{1,2})\/(?<d>\d{1,2})\/(?<y>\d{4})$/,
    'DD.MM.YYYY': /^(?<d>\d{1,2})\.(?<m>\d{1,2})\.(?<y>\d{4})$/,
    YYYYMMDD: /^(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})$/,
  };
  const g = parts[format].exec(v)?.groups;
  if (!g) return null;
  const y = Number(g.y);
  const m = Number(g.m);
  const d = Number(g.d);
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return null;
  return `${g.y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * "1.234,56" (decimal comma), "1,234.56", "-12.00", "12.00-", "(12.00)", "€ 12", "1 234,56" → a decimal; null for
 * anything else. Grouping separators are the other one of "." and "," (and spaces); they are dropped.
 */
export function amountOf(value: string, decimalSeparator: '.' | ','): Decimal | null {
  let v = value
    .trim()
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(/^[^\d(+-]+|[^\d)+-]+$/g, '');
  let negative = false;
  if (/^\(.*\)$/.test(v)) {
    negative = true;
    v = v.slice(1, -1);
  }
  if (v.endsWith('-')) {
    negative = !negative;
    v = v.slice(0, -1);
  } else if (v.startsWith('-')) {
    negative = !negative;
    v = v.slice(1);
  } else if (v.startsWith('+')) v = v.slice(1);
  const group = decimalSeparator === ',' ? '.' : ',';
  const grouped = new RegExp(`^\\d{1,3}(\\${group}\\d{3})+(\\${decimalSeparator}\\d+)?$`);
  if (grouped.test(v)) v = v.split(group).join('');
  if (!new RegExp(`^\\d+(\\${decimalSeparator}\\d+)?$`).test(v)) return null;
  const parsed = parseDecimal(decimalSeparator === ',' ? v.replace(',', '.') : v);
  if (!parsed) return null;
  return negative ? parsed.negated() : parsed;
}

const cell = (row: readonly string[], index: number | undefined) =>
  index === undefined ? null : (row[index]?.trim() ?? '') || null;

/** Every row read, or every row's problem: a file with a bad row is reported whole, never half-read. */
export function parseBankCsv(
  rows: readonly (readonly string[])[],
  mapping: CsvMapping,
): { statement: BankStatement; errors: [] } | { statement: null; errors: CsvRowError[] } {
  const errors: CsvRowError[] = [];
  const transactions: BankTransaction[] = [];
  const { columns } = mapping;
  if (columns.amount === undefined && (columns.credit === undefined || columns.debit === undefined)) {
    throw new BankFileError(
      'BANK_FILE_INVALID',
      'The mapping names an amount column, or a credit and a debit column.',
    );
  }
  rows.forEach((row, i) => {
    if (i < mapping.skip_rows || row.every((c) => c.trim() === '')) return;
    const rowNumber = i + 1;
    const fail = (column: string, message: string) => errors.push({ row: rowNumber, column, message });
    const bookingDate = dateOf(cell(row, columns.booking_date) ?? '', mapping.date_format);
    if (!bookingDate) fail('booking_date', `Not a date in the ${mapping.date_format} format.`);
    const valueText = cell(row, columns.value_date);
    const valueDate = valueText ? dateOf(valueText, mapping.date_format) : null;
    if (valueText && !valueDate) fail('value_date', `Not a date in the ${mapping.date_format} format.`);
    let amount: Decimal | null = null;
    if (columns.amount !== undefined) {
      amount = amountOf(cell(row, columns.amount) ?? '', mapping.decimal_separator);
      if (!amount) fail('amount', 'Not an amount.');
    } else {
      const credit = cell(row, columns.credit);
      const debit = cell(row, columns.debit);
      const creditAmount = credit ? amountOf(credit, mapping.decimal_separator) : null;
      const debitAmount = debit ? amountOf(debit, mapping.decimal_separator) : null;
      if (credit && !creditAmount) fail('credit', 'Not an amount.');
      else if (debit && !debitAmount) fail('debit', 'Not an amount.');
      else if (!creditAmount === !debitAmount)
        fail('amount', 'Exactly one of credit and debit is filled in.');
      else if (creditAmount) amount = creditAmount;
      else if (debitAmount) amount = debitAmount.isNegative() ? debitAmount : debitAmount.negated();
    }
    const currency = cell(row, columns.currency)?.toUpperCase() ?? mapping.currency ?? null;
    if (!currency || !/^[A-Z]{3}$/.test(currency)) fail('currency', 'No ISO 4217 currency for the row.');
    if (!bookingDate || !amount || !currency) return;
    const name = cell(row, columns.counterparty_name);
    const iban = cell(row, columns.counterparty_iban)?.replace(/\s/g, '').toUpperCase() ?? null;
    transactions.push({
      booking_date: bookingDate,
      value_date: valueDate,
      amount: amount.toPlain(),
      currency,
      reference: cell(row, columns.reference),
      remittance: cell(row, columns.description),
      counterparty: name || iban ? { name, iban } : null,
      bank_reference: cell(row, columns.bank_reference),
      transaction_code: null,
      is_reversal: false,
    });
  });
  if (errors.length > 0) return { statement: null, errors };
  return {
    statement: {
      format: 'csv',
      statement_id: null,
      account: { iban: null, id: null, currency: transactions[0]?.currency ?? mapping.currency ?? null },
      opening_balance: null,
      closing_balance: null,
      transactions,
    },
    errors: [],
  };
}
