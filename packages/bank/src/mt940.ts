// SWIFT MT940 customer statements, read with exact amounts. (The npm parsers of this format turn amounts into
// JavaScript numbers, and the maintained-looking one was last released in 2019: the format is small enough to read
// here, with its own checks.) Tags: 20 reference, 25 account, 28C statement number, 60F/60M opening balance,
// 61 statement line, 86 information to the account owner (for the line before it), 62F/62M closing balance.
// Each statement is checked: the opening balance plus its lines is the closing balance.
import { Decimal, parseDecimal } from '@invoiceflow/totals';
import { type BankBalance, BankFileError, type BankStatement, type BankTransaction } from './types';

interface Field {
  tag: string;
  value: string;
  line: number;
}

const TAG = /^:(\d{2}[A-Z]?):(.*)$/;
const IBAN = /\b([A-Z]{2}\d{2}[A-Z0-9]{11,30})\b/;

function fieldsOf(text: string): Field[] {
  const fields: Field[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/^\{4:/, '');
    const tag = TAG.exec(line);
    if (tag) fields.push({ tag: tag[1] as string, value: tag[2] as string, line: i + 1 });
    else if (/^-\}?\s*$|^\{[1-5]:|^\s*$/.test(line)) return;
    else {
      const last = fields[fields.length - 1];
      if (!last)
        throw new BankFileError(
          'BANK_FILE_INVALID',
          'The file does not start with an MT940 tag.',
          `line ${i + 1}`,
        );
      last.value += `\n${line}`;
    }
  });
  return fields;
}

function yearOf(yy: string): number {
  const n = Number(yy);
  return n < 80 ? 2000 + n : 1900 + n;
}

function isoDate(yymmdd: string, at: string): string {
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(yymmdd);
  const month = Number(m?.[2]);
  const day = Number(m?.[3]);
  if (!m || month < 1 || month > 12 || day < 1 || day > 31) {
    throw new BankFileError('BANK_FILE_INVALID', `Not a date: ${yymmdd}.`, at);
  }
  return `${yearOf(m[1] as string)}-${m[2]}-${m[3]}`;
}

function amountOf(text: string, at: string): Decimal {
  if (!/^\d+,\d*$/.test(text))
    throw new BankFileError('BANK_FILE_INVALID', `Not an MT940 amount: ${text}.`, at);
  return parseDecimal(text.replace(',', '.').replace(/\.$/, '')) as Decimal;
}

function balanceOf(field: Field): { balance: BankBalance; currency: string } {
  const m = /^([CD])(\d{6})([A-Z]{3})(\d+,\d*)$/.exec(field.value.trim());
  const at = `line ${field.line}`;
  if (!m)
    throw new BankFileError(
      'BANK_FILE_INVALID',
      `A balance (:${field.tag}:) is not D/C, date, currency, amount.`,
      at,
    );
  const amount = amountOf(m[4] as string, at);
  return {
    balance: {
      amount: (m[1] === 'D' ? amount.negated() : amount).toPlain(),
      date: isoDate(m[2] as string, at),
    },
    currency: m[3] as string,
  };
}

/** Field 86: "?20…?29" (German banks) or "/TAG/value" (SEPA-style) subfields, else free text. */
function detailsOf(text: string): {
  remittance: string | null;
  name: string | null;
  iban: string | null;
  reference: string | null;
} {
  const flat = text.replace(/\n/g, '');
  const question = [...flat.matchAll(/\?(\d{2})([^?]*)/g)];
  if (question.length > 0) {
    const sub = (codes: number[]) =>
      question
        .filter((q) => codes.includes(Number(q[1])))
        .map((q) => q[2])
        .join('')
        .trim() || null;
    const remittance = sub([20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 60, 61, 62, 63]);
    return {
      remittance,
      name: sub([32, 33]),
      iban: sub([31]),
      reference: /EREF\+(\S+)/.exec(remittance ?? '')?.[1] ?? null,
    };
  }
  const slash = [...flat.matchAll(/\/([A-Z]{2,4})\/([^/]*)/g)];
  if (slash.length > 0) {
    const sub = (tag: string) => slash.find((s) => s[1] === tag)?.[2]?.trim() || null;
    return {
      remittance: sub('REMI') ?? flat,
      name: sub('NAME'),
      iban: sub('IBAN') ?? IBAN.exec(flat)?.[1] ?? null,
      reference: sub('EREF'),
    };
  }
  const free = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
  return { remittance: free || null, name: null, iban: IBAN.exec(free)?.[1] ?? null, reference: null };
}

const LINE_61 = /^(\d{6})(\d{4})?(RC|RD|C|D)([A-Z])?(\d+,\d*)([A-Z][A-Z0-9]{3})(.*)$/;

function lineOf(field: Field, currency: string): Omit<BankTransaction, 'remittance' | 'counterparty'> {
  const at = `line ${field.line}`;
  const [first] = field.value.split('\n');
  const m = LINE_61.exec((first ?? '').trim());
  if (!m)
    throw new BankFileError(
      'BANK_FILE_INVALID',
      'A statement line (:61:) does not follow the MT940 layout.',
      at,
    );
  const valueDate = isoDate(m[1] as string, at);
  let bookingDate = valueDate;
  if (m[2]) {
    // The entry date has no year: the value date's, or the next or last one across a new year.
    const valueYear = Number(valueDate.slice(0, 4));
    const valueMonth = Number(valueDate.slice(5, 7));
    const entryMonth = Number(m[2].slice(0, 2));
    const year =
      valueMonth === 12 && entryMonth === 1
        ? valueYear + 1
        : valueMonth === 1 && entryMonth === 12
          ? valueYear - 1
          : valueYear;
    bookingDate = isoDate(`${String(year).slice(2)}${m[2]}`, at);
  }
  const mark = m[3] as string;
  const amount = amountOf(m[5] as string, at);
  // C and RD (a reversed debit) bring money in; D and RC take it out.
  const isCredit = mark === 'C' || mark === 'RD';
  const [customerRef, bankRef] = (m[7] ?? '').split('//');
  const reference = customerRef?.trim();
  return {
    booking_date: bookingDate,
    value_date: valueDate,
    amount: (isCredit ? amount : amount.negated()).toPlain(),
    currency,
    reference: reference && reference !== 'NONREF' ? reference : null,
    bank_reference: bankRef?.trim() || null,
    transaction_code: m[6] as string,
    is_reversal: mark.startsWith('R'),
  };
}

export function parseMt940(text: string, options: { maxBytes?: number } = {}): BankStatement[] {
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new BankFileError(
      'BANK_FILE_INVALID',
      `The file is larger than ${Math.floor(maxBytes / 1048576)} MiB.`,
    );
  }
  const statements: BankStatement[] = [];
  let current: (BankStatement & { opening: Decimal | null; sum: Decimal }) | null = null;
  let currency: string | null = null;
  let pending: Omit<BankTransaction, 'remittance' | 'counterparty'> | null = null;

  const flushLine = (details: string | null) => {
    if (!pending || !current) return;
    const read = details ? detailsOf(details) : { remittance: null, name: null, iban: null, reference: null };
    current.transactions.push({
      ...pending,
      reference: pending.reference ?? read.reference,
      remittance: read.remittance,
      counterparty: read.name || read.iban ? { name: read.name, iban: read.iban } : null,
    });
    current.sum = current.sum.plus(parseDecimal(pending.amount) as Decimal);
    pending = null;
  };

  const close = (field: Field | null) => {
    if (!current) return;
    flushLine(null);
    if (current.opening !== null && current.closing_balance) {
      const expected = current.opening.plus(current.sum);
      if (!expected.eq(parseDecimal(current.closing_balance.amount) as Decimal)) {
        throw new BankFileError(
          'BANK_FILE_INVALID',
          `The opening balance and the lines make ${expected.toPlain()}, the closing balance says ${current.closing_balance.amount}.`,
          field ? `line ${field.line}` : undefined,
        );
      }
    }
    const { opening: _o, sum: _s, ...statement } = current;
    statements.push(statement);
    current = null;
  };

  for (const field of fieldsOf(text)) {
    switch (field.tag) {
      case '20':
        close(null);
        current = {
          format: 'mt940',
          statement_id: field.value.trim(),
          account: { iban: null, id: null, currency: null },
          opening_balance: null,
          closing_balance: null,
          transactions: [],
          opening: null,
          sum: Decimal.of(0),
        };
        currency = null;
        break;
      case '25': {
        if (!current) break;
        const id = field.value.trim();
        current.account = { ...current.account, id, iban: IBAN.exec(id.replace(/\s/g, ''))?.[1] ?? null };
        break;
      }
      case '28C':
        if (current && !current.statement_id) current.statement_id = field.value.trim();
        break;
      case '60F':
      case '60M': {
        if (!current) break;
        const { balance, currency: c } = balanceOf(field);
        currency = c;
        current.account.currency = c;
        current.opening_balance = balance;
        current.opening = parseDecimal(balance.amount) as Decimal;
        break;
      }
      case '61':
        if (!current || !currency) {
          throw new BankFileError(
            'BANK_FILE_INVALID',
            'A statement line comes before the opening balance.',
            `line ${field.line}`,
          );
        }
        flushLine(null);
        pending = lineOf(field, currency);
        break;
      case '86':
        if (pending) flushLine(field.value);
        break;
      case '62F':
      case '62M': {
        if (!current) break;
        flushLine(null);
        const { balance, currency: c } = balanceOf(field);
        if (currency && c !== currency) {
          throw new BankFileError(
            'BANK_FILE_INVALID',
            'The closing balance is in another currency than the opening one.',
            `line ${field.line}`,
          );
        }
        current.closing_balance = balance;
        close(field);
        break;
      }
      default:
        break;
    }
  }
  close(null);
  if (statements.length === 0)
    throw new BankFileError('BANK_FILE_INVALID', 'The file holds no MT940 statement (:20: … :62F:).');
  return statements;
}
