// A bank statement as InvoiceFlow keeps it, whatever the bank sent (CAMT.053, MT940, a CSV export).
// Amounts are decimal strings, signed: money in is positive, money out negative.

export interface BankBalance {
  amount: string;
  date: string;
}

export interface BankTransaction {
  /** ISO date the bank booked it. */
  booking_date: string;
  value_date: string | null;
  /** Signed: a credit (money in) is positive, a debit negative. */
  amount: string;
  currency: string;
  /** The payer's reference for the payee: end-to-end id or a structured creditor reference (RF…). */
  reference: string | null;
  /** Unstructured remittance text, lines joined by a space. */
  remittance: string | null;
  counterparty: { name: string | null; iban: string | null } | null;
  /** The bank's own id of the entry (AcctSvcrRef, MT940 bank reference). */
  bank_reference: string | null;
  /** The bank's transaction code (BkTxCd, MT940 NTRF…), as given. */
  transaction_code: string | null;
  /** A reversal of an earlier entry. */
  is_reversal: boolean;
}

export interface BankStatement {
  format: 'camt.053' | 'mt940' | 'csv';
  statement_id: string | null;
  account: { iban: string | null; id: string | null; currency: string | null };
  opening_balance: BankBalance | null;
  closing_balance: BankBalance | null;
  transactions: BankTransaction[];
}

export class BankFileError extends Error {
  constructor(
    readonly code:
      | 'BANK_FILE_INVALID'
      | 'XML_TOO_LARGE'
      | 'XML_DOCTYPE_REFUSED'
      | 'XML_TOO_DEEP'
      | 'XML_MALFORMED',
    message: string,
    /** Where: a line of the file ("line 14") or an element path. */
    readonly at?: string,
  ) {
    super(message);
    this.name = 'BankFileError';
  }
}
