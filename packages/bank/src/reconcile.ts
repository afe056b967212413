// Which open invoice (money in) or bill (money out) a bank transaction pays, with a confidence and the reasons a
// person can check. Evidence, strongest first: the structured payment reference the invoice asked for; the invoice
// number in the reference or the remittance text; the amount due, exactly; the payer's IBAN known for the customer;
// the payer's name. One transaction may pay several invoices named in its text whose amounts due add up to it.
import { createHash } from 'node:crypto';
import { Decimal, parseDecimal } from '@invoiceflow/totals';
import type { BankTransaction } from './types';

export interface OpenItem {
  id: string;
  kind: 'invoice' | 'bill';
  number: string;
  /** What is still due, positive, in the item's currency. */
  amount_due: string;
  currency: string;
  counterparty_name: string | null;
  /** IBANs the counterparty paid from or is paid to before. */
  counterparty_ibans: readonly string[];
  /** A structured creditor reference the invoice printed (RF…, or a national one), if any. */
  payment_reference: string | null;
}

export type MatchReasonCode =
  | 'PAYMENT_REFERENCE'
  | 'NUMBER_IN_TEXT'
  | 'AMOUNT_EQUALS_DUE'
  | 'AMOUNT_BELOW_DUE'
  | 'FEE_DEDUCTED'
  | 'AMOUNTS_ADD_UP'
  | 'IBAN_KNOWN'
  | 'NAME_SIMILAR';

export interface Suggestion {
  items: { id: string; amount: string }[];
  /** 0–100. */
  confidence: number;
  reasons: { code: MatchReasonCode; message: string }[];
}

const WEIGHTS: Record<MatchReasonCode, number> = {
  PAYMENT_REFERENCE: 70,
  NUMBER_IN_TEXT: 50,
  AMOUNT_EQUALS_DUE: 30,
  AMOUNTS_ADD_UP: 35,
  AMOUNT_BELOW_DUE: 5,
  FEE_DEDUCTED: 20,
  IBAN_KNOWN: 25,
  NAME_SIMILAR: 15,
};

/**
 * A payment this close below what is due (at most 2 % of it) is read as the whole invoice less a charge taken on
 * the way (a correspondent bank's fee, a card or transfer fee): suggested, never matched without asking, with the
 * difference named so the person can write it off as a bank charge or ask the customer for it.
 */
const FEE_SHARE = Decimal.of(2, 2);

/** At or above: confident enough to record without asking, when it is the only such suggestion. */
export const AUTO_MATCH_CONFIDENCE = 90;

function dec(value: string): Decimal {
  const parsed = parseDecimal(value);
  if (!parsed) throw new RangeError(`not a decimal: ${value}`);
  return parsed;
}

function compact(text: string): string {
  return text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^A-Z0-9\u0600-\u06FF]/g, '');
}

function words(text: string | null): Set<string> {
  const ignored = new Set([
    'BV',
    'LLC',
    'LTD',
    'GMBH',
    'CO',
    'INC',
    'THE',
    'AND',
    'FZE',
    'FZCO',
    'NV',
    'SA',
    'AG',
  ]);
  return new Set(
    (text ?? '')
      .normalize('NFKC')
      .toUpperCase()
      .split(/[^A-Z0-9\u0600-\u06FF]+/)
      .filter((w) => w.length > 1 && !ignored.has(w)),
  );
}

function nameSimilar(a: string | null, b: string | null): boolean {
  const x = words(a);
  const y = words(b);
  if (x.size === 0 || y.size === 0) return false;
  let shared = 0;
  for (const w of x) if (y.has(w)) shared++;
  return shared / Math.min(x.size, y.size) >= 0.5;
}

/** Whether the invoice number appears in the text as a whole token ("INV-2026-0042", "INV 2026 0042", "inv2026/0042"). */
function mentions(text: string, number: string): boolean {
  const target = compact(number);
  if (target.length < 3) return false;
  const haystack = compact(text);
  let at = haystack.indexOf(target);
  while (at !== -1) {
    // Not part of a longer number: INV-42 must not match INV-420, 2026-7 not 12026-7.
    const next = haystack.charAt(at + target.length);
    const before = haystack.charAt(at - 1);
    const endsClean = !/[0-9]/.test(next) || !/[0-9]$/.test(target);
    const startsClean = !/[0-9]/.test(before) || !/^[0-9]/.test(target);
    if (endsClean && startsClean) return true;
    at = haystack.indexOf(target, at + 1);
  }
  return false;
}

/** Suggestions for one transaction, best first; empty when nothing points anywhere. */
export function suggestMatches(transaction: BankTransaction, open: readonly OpenItem[]): Suggestion[] {
  const amount = dec(transaction.amount);
  const kind = amount.isNegative() ? 'bill' : 'invoice';
  const paid = amount.isNegative() ? amount.negated() : amount;
  const text = [transaction.reference, transaction.remittance].filter(Boolean).join(' ');
  const candidates = open.filter((item) => item.kind === kind && item.currency === transaction.currency);
  const iban = transaction.counterparty?.iban?.replace(/\s/g, '').toUpperCase() ?? null;

  const single: Suggestion[] = [];
  const named: OpenItem[] = [];
  for (const item of candidates) {
    const reasons: Suggestion['reasons'] = [];
    const reference = item.payment_reference ? compact(item.payment_reference) : null;
    if (reference && compact(transaction.reference ?? '') === reference) {
      reasons.push({
        code: 'PAYMENT_REFERENCE',
        message: `The payment reference ${item.payment_reference} of ${item.number}.`,
      });
    }
    if (text && mentions(text, item.number)) {
      named.push(item);
      reasons.push({ code: 'NUMBER_IN_TEXT', message: `${item.number} is named in the payment's text.` });
    }
    const due = dec(item.amount_due);
    if (paid.eq(due))
      reasons.push({
        code: 'AMOUNT_EQUALS_DUE',
        message: `The amount equals what ${item.number} still owes.`,
      });
    else if (paid.lt(due) && reasons.length > 0) {
      const short = due.minus(paid);
      reasons.push(
        short.lte(due.times(FEE_SHARE))
          ? {
              code: 'FEE_DEDUCTED',
              message: `${short.toPlain()} less than ${item.number} owes: a bank charge taken on the way?`,
            }
          : { code: 'AMOUNT_BELOW_DUE', message: `A part payment: ${item.number} owes ${item.amount_due}.` },
      );
    }
    if (iban && item.counterparty_ibans.some((known) => known.replace(/\s/g, '').toUpperCase() === iban)) {
      reasons.push({
        code: 'IBAN_KNOWN',
        message: `The account ${iban} paid or was paid for this counterparty before.`,
      });
    }
    if (nameSimilar(transaction.counterparty?.name ?? null, item.counterparty_name)) {
      reasons.push({
        code: 'NAME_SIMILAR',
        message: `The counterparty's name resembles ${item.counterparty_name}.`,
      });
    }
    // An amount alone, or a name alone, is not evidence of which invoice it is.
    const evidence =
      reasons.some(
        (r) => r.code === 'PAYMENT_REFERENCE' || r.code === 'NUMBER_IN_TEXT' || r.code === 'IBAN_KNOWN',
      ) ||
      (reasons.some((r) => r.code === 'AMOUNT_EQUALS_DUE') && reasons.some((r) => r.code === 'NAME_SIMILAR'));
    if (!evidence) continue;
    const confidence = Math.min(
      100,
      reasons.reduce((sum, r) => sum + WEIGHTS[r.code], 0),
    );
    single.push({
      items: [{ id: item.id, amount: (paid.lt(due) ? paid : due).toPlain() }],
      confidence,
      reasons,
    });
  }

  const suggestions = [...single];
  if (named.length > 1) {
    const total = named.reduce((sum, item) => sum.plus(dec(item.amount_due)), Decimal.of(0));
    if (total.eq(paid)) {
      suggestions.push({
        items: named.map((item) => ({ id: item.id, amount: dec(item.amount_due).toPlain() })),
        confidence: 95,
        reasons: [
          {
            code: 'NUMBER_IN_TEXT',
            message: `${named.map((i) => i.number).join(', ')} are named in the payment's text.`,
          },
          { code: 'AMOUNTS_ADD_UP', message: 'Their amounts due add up to the payment.' },
        ],
      });
    }
  }
  return suggestions.sort((a, b) => b.confidence - a.confidence || b.items.length - a.items.length);
}

/** The suggestion to record without asking: at or above AUTO_MATCH_CONFIDENCE and clearly ahead of the next. */
export function automaticMatch(suggestions: readonly Suggestion[]): Suggestion | null {
  const [best, next] = suggestions;
  if (!best || best.confidence < AUTO_MATCH_CONFIDENCE) return null;
  if (next && next.confidence >= AUTO_MATCH_CONFIDENCE && next.items.length === best.items.length)
    return null;
  return best;
}

/**
 * A transaction's identity across overlapping statement imports: the account, the booking date, the amount, the
 * bank's reference when it gives one (else the reference, counterparty and text), and the occurrence among
 * identical ones in the same file (two identical card payments on one day stay two).
 */
export function transactionFingerprints(
  accountKey: string,
  transactions: readonly BankTransaction[],
): string[] {
  const seen = new Map<string, number>();
  return transactions.map((t) => {
    const identity = t.bank_reference
      ? ['ref', t.bank_reference]
      : [
          'text',
          t.reference ?? '',
          t.counterparty?.iban ?? '',
          t.counterparty?.name ?? '',
          t.remittance ?? '',
        ];
    const key = JSON.stringify([
      accountKey,
      t.booking_date,
      dec(t.amount).toPlain(),
      t.currency,
      ...identity,
    ]);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return createHash('sha256').update(`${key}#${occurrence}`).digest('hex');
  });
}
