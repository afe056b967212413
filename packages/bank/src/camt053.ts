// ISO 20022 camt.053 (bank-to-customer statement), versions 001.02 to 001.08 — the element names this reads are
// the same across them. One statement per Stmt; an entry that batches several transactions (NtryDtls with one
// TxDtls per payment, each with its own amount) becomes one transaction per payment, so each can be matched.
import {
  attr,
  child,
  childrenOf,
  parseUntrustedXml,
  text,
  UntrustedXmlError,
  type XmlNode,
} from '@invoiceflow/safe-xml';
import { Decimal, parseDecimal } from '@invoiceflow/totals';
import { BankFileError, type BankStatement, type BankTransaction } from './types';

const REPEATED = new Set(['Stmt', 'Bal', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'Strd']);
const NAMESPACE = /urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.\d\d/;
const DECIMAL = /^\d+(\.\d+)?$/;

function amountOf(node: XmlNode | undefined, at: string): { value: string; currency: string | null } {
  const value = text(node, 'Amt');
  if (value === null || !DECIMAL.test(value))
    throw new BankFileError('BANK_FILE_INVALID', 'An amount is missing or not a decimal.', `${at}/Amt`);
  return { value, currency: attr(node, 'Amt', 'Ccy') };
}

function signed(value: string, creditDebit: string | null, at: string): string {
  if (creditDebit !== 'CRDT' && creditDebit !== 'DBIT') {
    throw new BankFileError('BANK_FILE_INVALID', 'CdtDbtInd is neither CRDT nor DBIT.', `${at}/CdtDbtInd`);
  }
  const amount = parseDecimal(value) as Decimal;
  return (creditDebit === 'DBIT' ? amount.negated() : amount).toPlain();
}

function dateOf(node: XmlNode | undefined): string | null {
  const value = text(node, 'Dt') ?? text(node, 'DtTm');
  return value ? value.slice(0, 10) : null;
}

function partyName(party: XmlNode | undefined): string | null {
  // 001.08 wraps the party in Pty; earlier versions name it directly.
  return text(party, 'Pty', 'Nm') ?? text(party, 'Nm');
}

function transactionOf(
  entry: XmlNode,
  details: XmlNode | undefined,
  amount: string,
  currency: string,
  at: string,
): BankTransaction {
  const isCredit = text(entry, 'CdtDbtInd') === 'CRDT';
  const parties = child(details, 'RltdPties');
  const accounts = isCredit ? child(parties, 'DbtrAcct') : child(parties, 'CdtrAcct');
  const remittance = child(details, 'RmtInf');
  const structured = childrenOf(remittance, 'Strd')
    .map((s) => text(s, 'CdtrRefInf', 'Ref'))
    .find((ref): ref is string => ref !== null);
  const endToEnd = text(details, 'Refs', 'EndToEndId');
  const unstructured = childrenOf(remittance, 'Ustrd')
    .map((u) => text(u))
    .filter((u): u is string => u !== null);
  const name = partyName(isCredit ? child(parties, 'Dbtr') : child(parties, 'Cdtr'));
  const iban = text(accounts, 'Id', 'IBAN');
  const bookingDate = dateOf(child(entry, 'BookgDt'));
  if (!bookingDate)
    throw new BankFileError('BANK_FILE_INVALID', 'An entry has no booking date.', `${at}/BookgDt`);
  const code =
    text(entry, 'BkTxCd', 'Prtry', 'Cd') ??
    [
      text(entry, 'BkTxCd', 'Domn', 'Cd'),
      text(entry, 'BkTxCd', 'Domn', 'Fmly', 'Cd'),
      text(entry, 'BkTxCd', 'Domn', 'Fmly', 'SubFmlyCd'),
    ]
      .filter(Boolean)
      .join('-');
  return {
    booking_date: bookingDate,
    value_date: dateOf(child(entry, 'ValDt')),
    amount,
    currency,
    // "NOTPROVIDED" is what a bank writes when the payer gave no end-to-end id.
    reference: structured ?? (endToEnd && endToEnd !== 'NOTPROVIDED' ? endToEnd : null),
    remittance: unstructured.length > 0 ? unstructured.join(' ') : null,
    counterparty: name || iban ? { name, iban } : null,
    bank_reference: text(details, 'Refs', 'AcctSvcrRef') ?? text(entry, 'AcctSvcrRef'),
    transaction_code: code || null,
    is_reversal: text(entry, 'RvslInd') === 'true',
  };
}

export function parseCamt053(xml: string | Uint8Array, options: { maxBytes?: number } = {}): BankStatement[] {
  let parsed: ReturnType<typeof parseUntrustedXml>;
  try {
    parsed = parseUntrustedXml(xml, {
      maxBytes: options.maxBytes ?? 50 * 1024 * 1024,
      maxDepth: 32,
      repeated: REPEATED,
    });
    return readStatements(parsed);
  } catch (error) {
    if (error instanceof UntrustedXmlError) throw new BankFileError(error.code, error.message);
    throw error;
  }
}

function readStatements({ rootName, root, source }: ReturnType<typeof parseUntrustedXml>): BankStatement[] {
  const statements = childrenOf(child(root, 'BkToCstmrStmt'), 'Stmt');
  if (rootName !== 'Document' || !NAMESPACE.test(source) || statements.length === 0) {
    throw new BankFileError('BANK_FILE_INVALID', 'The file is not a camt.053 bank-to-customer statement.');
  }
  return statements.map((statement, s) => {
    const at = `Stmt[${s + 1}]`;
    const account = child(statement, 'Acct');
    const accountCurrency = text(account, 'Ccy');
    const balance = (codes: string[]) => {
      const found = childrenOf(statement, 'Bal').find((b) =>
        codes.includes(text(b, 'Tp', 'CdOrPrtry', 'Cd') ?? ''),
      );
      if (!found) return null;
      const { value } = amountOf(found, `${at}/Bal`);
      const date = dateOf(child(found, 'Dt'));
      return date ? { amount: signed(value, text(found, 'CdtDbtInd'), `${at}/Bal`), date } : null;
    };
    const transactions: BankTransaction[] = [];
    childrenOf(statement, 'Ntry').forEach((entry, e) => {
      const entryAt = `${at}/Ntry[${e + 1}]`;
      const { value, currency } = amountOf(entry, entryAt);
      const entryCurrency = currency ?? accountCurrency;
      if (!entryCurrency)
        throw new BankFileError('BANK_FILE_INVALID', 'An entry has no currency.', `${entryAt}/Amt`);
      const creditDebit = text(entry, 'CdtDbtInd');
      const details = childrenOf(entry, 'NtryDtls').flatMap((d) => childrenOf(d, 'TxDtls'));
      // A batch whose payments each carry their amount: one transaction per payment (they add up to the entry).
      const perPayment =
        details.length > 1 &&
        details.every((d) => text(child(d, 'AmtDtls', 'TxAmt'), 'Amt') !== null || text(d, 'Amt') !== null);
      if (perPayment) {
        let sum = Decimal.of(0);
        details.forEach((d, i) => {
          const holder = child(d, 'AmtDtls', 'TxAmt') ?? d;
          const part = amountOf(holder, `${entryAt}/NtryDtls/TxDtls[${i + 1}]`);
          sum = sum.plus(parseDecimal(part.value) as Decimal);
          transactions.push(
            transactionOf(
              entry,
              d,
              signed(part.value, creditDebit, entryAt),
              part.currency ?? entryCurrency,
              entryAt,
            ),
          );
        });
        if (!sum.eq(parseDecimal(value) as Decimal)) {
          throw new BankFileError(
            'BANK_FILE_INVALID',
            'The payments of a batch entry do not add up to the entry.',
            entryAt,
          );
        }
      } else {
        transactions.push(
          transactionOf(entry, details[0], signed(value, creditDebit, entryAt), entryCurrency, entryAt),
        );
      }
    });
    return {
      format: 'camt.053' as const,
      statement_id: text(statement, 'Id'),
      account: {
        iban: text(account, 'Id', 'IBAN'),
        id: text(account, 'Id', 'Othr', 'Id'),
        currency: accountCurrency,
      },
      opening_balance: balance(['OPBD', 'PRCD']),
      closing_balance: balance(['CLBD']),
      transactions,
    };
  });
}
