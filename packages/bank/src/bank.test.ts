import { describe, expect, it } from 'vitest';
import { parseCamt053 } from './camt053';
import { parseBankCsv } from './csv';
import { parseMt940 } from './mt940';
import { automaticMatch, type OpenItem, suggestMatches, transactionFingerprints } from './reconcile';
import { BankFileError, type BankTransaction } from './types';

function entry(opts: {
  amount: string;
  cd: 'CRDT' | 'DBIT';
  date: string;
  ref?: string;
  details?: string;
  acctSvcrRef?: string;
}) {
  return `<Ntry><Amt Ccy="EUR">${opts.amount}</Amt><CdtDbtInd>${opts.cd}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
    <BookgDt><Dt>${opts.date}</Dt></BookgDt><ValDt><Dt>${opts.date}</Dt></ValDt>
    ${opts.acctSvcrRef ? `<AcctSvcrRef>${opts.acctSvcrRef}</AcctSvcrRef>` : ''}
    <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
    <NtryDtls>${opts.details ?? ''}</NtryDtls></Ntry>`;
}

const camt = (entries: string, version = '02') => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${version}">
  <BkToCstmrStmt><GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-12-01T18:00:00</CreDtTm></GrpHdr>
    <Stmt><Id>STMT-2026-11</Id>
      <Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-30</Dt></Dt></Bal>
      <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1179.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-01</Dt></Dt></Bal>
      ${entries}
    </Stmt></BkToCstmrStmt></Document>`;

const payment = `<TxDtls><Refs><EndToEndId>E2E-77</EndToEndId><AcctSvcrRef>BANK-1</AcctSvcrRef></Refs>
  <RltdPties><Dbtr><Nm>Jansen &amp; Zonen B.V.</Nm></Dbtr><DbtrAcct><Id><IBAN>NL20INGB0001234567</IBAN></Id></DbtrAcct></RltdPties>
  <RmtInf><Ustrd>Factuur INV-2026-0042</Ustrd><Ustrd>dank u</Ustrd></RmtInf></TxDtls>`;

describe('CAMT.053', () => {
  it('reads the account, the balances and each entry with its payer, reference and text', () => {
    const [statement] = parseCamt053(
      camt(
        entry({ amount: '250.00', cd: 'CRDT', date: '2026-12-01', details: payment }) +
          entry({ amount: '70.50', cd: 'DBIT', date: '2026-12-01', acctSvcrRef: 'BANK-2' }),
      ),
    );
    expect(statement).toMatchObject({
      format: 'camt.053',
      statement_id: 'STMT-2026-11',
      account: { iban: 'NL91ABNA0417164300', currency: 'EUR' },
      opening_balance: { amount: '1000', date: '2026-11-30' },
      closing_balance: { amount: '1179.5', date: '2026-12-01' },
    });
    expect(statement?.transactions).toEqual([
      {
        booking_date: '2026-12-01',
        value_date: '2026-12-01',
        amount: '250',
        currency: 'EUR',
        reference: 'E2E-77',
        remittance: 'Factuur INV-2026-0042 dank u',
        counterparty: { name: 'Jansen & Zonen B.V.', iban: 'NL20INGB0001234567' },
        bank_reference: 'BANK-1',
        transaction_code: 'PMNT-RCDT-ESCT',
        is_reversal: false,
      },
      expect.objectContaining({ amount: '-70.5', bank_reference: 'BANK-2', counterparty: null }),
    ]);
  });

  it('splits a batch entry into its payments, and refuses one whose payments do not add up', () => {
    const part = (amount: string, name: string) =>
      `<TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">${amount}</Amt></TxAmt></AmtDtls><RltdPties><Dbtr><Pty><Nm>${name}</Nm></Pty></Dbtr></RltdPties></TxDtls>`;
    const [statement] = parseCamt053(
      camt(
        entry({
          amount: '30.00',
          cd: 'CRDT',
          date: '2026-12-01',
          details: part('10.00', 'A') + part('20.00', 'B'),
        }),
        '08',
      ),
    );
    expect(statement?.transactions.map((t) => [t.amount, t.counterparty?.name])).toEqual([
      ['10', 'A'],
      ['20', 'B'],
    ]);
    expect(() =>
      parseCamt053(
        camt(
          entry({
            amount: '31.00',
            cd: 'CRDT',
            date: '2026-12-01',
            details: part('10.00', 'A') + part('20.00', 'B'),
          }),
        ),
      ),
    ).toThrow(/do not add up/);
  });

  it('refuses entities, other documents and broken amounts with a code', () => {
    const code = (xml: string) => {
      try {
        parseCamt053(xml);
        return 'accepted';
      } catch (error) {
        return error instanceof BankFileError ? error.code : String(error);
      }
    };
    expect(code(`<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>${camt('')}`)).toBe(
      'XML_DOCTYPE_REFUSED',
    );
    expect(code(camt('').replace('camt.053', 'camt.052'))).toBe('BANK_FILE_INVALID');
    expect(code(camt(entry({ amount: '1,00', cd: 'CRDT', date: '2026-12-01' })))).toBe('BANK_FILE_INVALID');
    expect(
      code(camt(entry({ amount: '1.00', cd: 'CRDT', date: '2026-12-01' })).replace('<Ntry>', '<Ntry><Ntry>')),
    ).toBe('XML_MALFORMED');
  });
});

const mt940 = `{1:F01ABNANL2AXXX0000000000}{2:O9400000000000ABNANL2AXXX00000000000000000000N}{4:
:20:STMT-1201
:25:NL91ABNA0417164300
:28C:00334/1
:60F:C261130EUR1000,00
:61:2612011201C250,00NTRFE2E-77//BANK-1
:86:/EREF/E2E-77/IBAN/NL20INGB0001234567/NAME/Jansen en Zonen BV/REMI/Factuur INV-2026-0042
:61:261201D70,50NMSCNONREF//BANK-2
:86:Kantoorartikelen
 november
:61:2612311231RD5,00NTRFNONREF
:86:?20Storno?32Acme GmbH?31DE89370400440532013000
:62F:C261231EUR1184,50
-}`;

describe('MT940', () => {
  it('reads each line with exact amounts, its details, reversals and the year of the entry date', () => {
    const [statement] = parseMt940(mt940);
    expect(statement).toMatchObject({
      format: 'mt940',
      statement_id: 'STMT-1201',
      account: { iban: 'NL91ABNA0417164300', currency: 'EUR' },
      opening_balance: { amount: '1000', date: '2026-11-30' },
      closing_balance: { amount: '1184.5', date: '2026-12-31' },
    });
    expect(statement?.transactions).toEqual([
      {
        booking_date: '2026-12-01',
        value_date: '2026-12-01',
        amount: '250',
        currency: 'EUR',
        reference: 'E2E-77',
        remittance: 'Factuur INV-2026-0042',
        counterparty: { name: 'Jansen en Zonen BV', iban: 'NL20INGB0001234567' },
        bank_reference: 'BANK-1',
        transaction_code: 'NTRF',
        is_reversal: false,
      },
      expect.objectContaining({ amount: '-70.5', reference: null, remittance: 'Kantoorartikelen november' }),
      expect.objectContaining({
        amount: '5',
        is_reversal: true,
        booking_date: '2026-12-31',
        counterparty: { name: 'Acme GmbH', iban: 'DE89370400440532013000' },
      }),
    ]);
  });

  it('refuses a statement whose lines do not make the closing balance, naming the line', () => {
    expect(() => parseMt940(mt940.replace(':62F:C261231EUR1184,50', ':62F:C261231EUR1184,51'))).toThrow(
      expect.objectContaining({ code: 'BANK_FILE_INVALID', at: 'line 13' }),
    );
    expect(() => parseMt940(mt940.replace('C250,00', 'C250.00'))).toThrow(BankFileError);
    expect(() => parseMt940('hello')).toThrow(BankFileError);
  });
});

describe('a mapped CSV', () => {
  const mapping = {
    columns: {
      booking_date: 0,
      description: 1,
      counterparty_name: 2,
      counterparty_iban: 3,
      credit: 4,
      debit: 5,
    },
    date_format: 'DD-MM-YYYY' as const,
    decimal_separator: ',' as const,
    currency: 'EUR',
    skip_rows: 1,
  };
  it('reads bank conventions exactly: decimal commas, grouping, money in and out in two columns', () => {
    const result = parseBankCsv(
      [
        ['Datum', 'Omschrijving', 'Naam', 'Rekening', 'Bij', 'Af'],
        ['01-12-2026', 'INV-2026-0042', 'Jansen', 'NL20 INGB 0001 2345 67', '1.250,00', ''],
        ['02-12-2026', 'Huur', 'Verhuur BV', '', '', '900,10'],
        ['', '', '', '', '', ''],
      ],
      mapping,
    );
    expect(result.errors).toEqual([]);
    expect(
      result.statement?.transactions.map((t) => [t.booking_date, t.amount, t.counterparty?.iban ?? null]),
    ).toEqual([
      ['2026-12-01', '1250', 'NL20INGB0001234567'],
      ['2026-12-02', '-900.1', null],
    ]);
  });

  it('reports every bad row with its column, and reads none then', () => {
    const result = parseBankCsv(
      [
        ['h'],
        ['31-02-2026', 'x', '', '', '10,00', ''],
        ['01-12-2026', 'x', '', '', '10.000.00', ''],
        ['01-12-2026', 'x', '', '', '10,00', '5,00'],
        ['01-12-2026', 'x', '', '', '10,00', ''],
      ],
      mapping,
    );
    expect(result.statement).toBeNull();
    expect(result.errors.map((e) => [e.row, e.column])).toEqual([
      [2, 'booking_date'],
      [3, 'credit'],
      [4, 'amount'],
    ]);
  });
});

const tx = (over: Partial<BankTransaction>): BankTransaction => ({
  booking_date: '2026-12-01',
  value_date: null,
  amount: '250.00',
  currency: 'EUR',
  reference: null,
  remittance: null,
  counterparty: null,
  bank_reference: null,
  transaction_code: null,
  is_reversal: false,
  ...over,
});

const item = (over: Partial<OpenItem>): OpenItem => ({
  id: 'i1',
  kind: 'invoice',
  number: 'INV-2026-0042',
  amount_due: '250.00',
  currency: 'EUR',
  counterparty_name: 'Jansen & Zonen B.V.',
  counterparty_ibans: [],
  payment_reference: null,
  ...over,
});

describe('suggested matches', () => {
  it('the invoice number in the text and the amount due: matched without asking', () => {
    const suggestions = suggestMatches(tx({ remittance: 'Factuur inv 2026 0042' }), [
      item({}),
      item({ id: 'i2', number: 'INV-2026-0043' }),
    ]);
    expect(suggestions[0]).toMatchObject({ items: [{ id: 'i1', amount: '250' }], confidence: 80 });
    expect(suggestions[0]?.reasons.map((r) => r.code)).toEqual(['NUMBER_IN_TEXT', 'AMOUNT_EQUALS_DUE']);
    expect(automaticMatch(suggestions)).toBeNull();
    const withIban = suggestMatches(
      tx({ remittance: 'INV-2026-0042', counterparty: { name: 'Jansen', iban: 'NL20INGB0001234567' } }),
      [item({ counterparty_ibans: ['NL20 INGB 0001 2345 67'] })],
    );
    expect(automaticMatch(withIban)?.confidence).toBe(100);
  });

  it('a fee deducted on the way: the invoice named, a little less arrived — suggested with the difference, not matched', () => {
    const suggestions = suggestMatches(tx({ amount: '245.00', remittance: 'INV-2026-0042' }), [item({})]);
    expect(suggestions[0]).toMatchObject({ items: [{ id: 'i1', amount: '245' }] });
    expect(suggestions[0]?.reasons.map((r) => r.code)).toEqual(['NUMBER_IN_TEXT', 'FEE_DEDUCTED']);
    expect(suggestions[0]?.reasons[1]?.message).toContain('5 less than INV-2026-0042 owes');
    expect(automaticMatch(suggestions)).toBeNull();
    // More than 2 % short is a part payment, not a fee.
    const part = suggestMatches(tx({ amount: '240.00', remittance: 'INV-2026-0042' }), [item({})]);
    expect(part[0]?.reasons.map((r) => r.code)).toEqual(['NUMBER_IN_TEXT', 'AMOUNT_BELOW_DUE']);
  });

  it('a longer number is not the one named, and an amount alone is no evidence', () => {
    expect(suggestMatches(tx({ remittance: 'INV-2026-00420' }), [item({})])).toEqual([]);
    expect(suggestMatches(tx({ remittance: 'december' }), [item({})])).toEqual([]);
  });

  it('one payment of several invoices named in its text whose dues add up', () => {
    const suggestions = suggestMatches(tx({ amount: '300.00', remittance: 'INV-1001 en INV-1002' }), [
      item({ id: 'a', number: 'INV-1001', amount_due: '100.00' }),
      item({ id: 'b', number: 'INV-1002', amount_due: '200.00' }),
    ]);
    expect(automaticMatch(suggestions)).toMatchObject({
      items: [
        { id: 'a', amount: '100' },
        { id: 'b', amount: '200' },
      ],
      confidence: 95,
    });
  });

  it('money out looks among bills; a part payment is offered for its amount; another currency is not', () => {
    const [bill] = suggestMatches(tx({ amount: '-100.00', reference: 'RF18539007547034' }), [
      item({ kind: 'bill', id: 'b1', amount_due: '400.00', payment_reference: 'RF18 5390 0754 7034' }),
      item({ id: 'i9', amount_due: '100.00', payment_reference: 'RF18539007547034' }),
    ]);
    expect(bill).toMatchObject({ items: [{ id: 'b1', amount: '100' }] });
    expect(bill?.reasons.map((r) => r.code)).toEqual(['PAYMENT_REFERENCE', 'AMOUNT_BELOW_DUE']);
    expect(suggestMatches(tx({ remittance: 'INV-2026-0042', currency: 'USD' }), [item({})])).toEqual([]);
  });
});

describe('fingerprints across overlapping imports', () => {
  it('the same transaction in two files is one; two identical payments in a file stay two', () => {
    const coffee = tx({ amount: '-3.50', remittance: 'Coffee' });
    const first = transactionFingerprints('NL91ABNA0417164300', [
      coffee,
      coffee,
      tx({ bank_reference: 'B-1' }),
    ]);
    const second = transactionFingerprints('NL91ABNA0417164300', [
      coffee,
      tx({ bank_reference: 'B-1', remittance: 'x' }),
    ]);
    expect(new Set(first).size).toBe(3);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toBe(first[2]);
    expect(transactionFingerprints('OTHER', [coffee])[0]).not.toBe(first[0]);
  });
});
