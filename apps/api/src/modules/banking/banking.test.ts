import { schema } from '@invoiceflow/db';
import { eq } from '@invoiceflow/db/orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  type Call,
  openAppWithOwner,
  registerUser,
  type Session,
  type TestApp,
} from '../../../test/support/app';
import { createCustomer, issueInvoice, receivableViolations } from '../../../test/support/receivables';

let t: TestApp;
let owner: Session;
let call: Call;
beforeAll(async () => ({ t, owner, call } = await openAppWithOwner()));
afterAll(() => t.close());
afterEach(async () => {
  expect(await receivableViolations(t.database)).toEqual([]);
});

const IBAN = 'SA0380000000608010167519';

function camt(entries: { amount: string; cd: 'CRDT' | 'DBIT'; ref: string; text?: string; name?: string }[]) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
  <GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-12-01T18:00:00</CreDtTm></GrpHdr>
  <Stmt><Id>S-1</Id><Acct><Id><IBAN>${IBAN}</IBAN></Id><Ccy>SAR</Ccy></Acct>
  ${entries
    .map(
      (
        e,
      ) => `<Ntry><Amt Ccy="SAR">${e.amount}</Amt><CdtDbtInd>${e.cd}</CdtDbtInd><BookgDt><Dt>2026-12-01</Dt></BookgDt>
      <AcctSvcrRef>${e.ref}</AcctSvcrRef><NtryDtls><TxDtls>
        ${e.name ? `<RltdPties><Dbtr><Nm>${e.name}</Nm></Dbtr><DbtrAcct><Id><IBAN>SA4420000001234567891234</IBAN></Id></DbtrAcct></RltdPties>` : ''}
        ${e.text ? `<RmtInf><Ustrd>${e.text}</Ustrd></RmtInf>` : ''}</TxDtls></NtryDtls></Ntry>`,
    )
    .join('')}
  </Stmt></BkToCstmrStmt></Document>`;
}

async function setUp() {
  const customer = await createCustomer(call, { name_en: 'Desert Rose Trading' });
  const first = await issueInvoice(call, { customerId: customer.id, net: '1000' }); // 1150.00
  const second = await issueInvoice(call, { customerId: customer.id, net: '2000' }); // 2300.00
  const account = await call({
    method: 'POST',
    url: '/api/v1/bank-accounts',
    payload: { name: 'Operating', iban: 'SA03 8000 0000 6080 1016 7519', currency: 'SAR' },
  });
  // One account per IBAN and company: the later tests of this company find the first one's.
  if (account.statusCode === 409) {
    const listed = await call({ method: 'GET', url: '/api/v1/bank-accounts' });
    return { customer, first, second, accountId: listed.json()[0].id as string };
  }
  expect(account.statusCode, account.body).toBe(201);
  return { customer, first, second, accountId: account.json().id as string };
}

const importFile = (accountId: string, payload: object, c: Call = call) =>
  c({ method: 'POST', url: `/api/v1/bank-accounts/${accountId}/statements`, payload });
const lines = async (query = '') =>
  (await call({ method: 'GET', url: `/api/v1/bank-transactions${query}` })).json();
const summaryOf = async (invoiceId: string) =>
  (await call({ method: 'GET', url: `/api/v1/invoices/${invoiceId}/payments` })).json();

describe('bank statements and reconciliation', () => {
  it('imports a CAMT.053, matches the line that names its invoice and pays it whole, and suggests the rest', async () => {
    const { first, second, accountId } = await setUp();
    const file = camt([
      {
        amount: '1150.00',
        cd: 'CRDT',
        ref: 'B-1',
        text: `Payment ${first.invoice_number}`,
        name: 'Desert Rose Trading LLC',
      },
      { amount: '500.00', cd: 'CRDT', ref: 'B-2', text: `part of ${second.invoice_number}` },
      { amount: '20.00', cd: 'DBIT', ref: 'B-3', text: 'Bank charges' },
    ]);
    const imported = await importFile(accountId, { format: 'camt.053', content: file, filename: 'dec.xml' });
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json()).toMatchObject({
      transaction_count: 3,
      new_count: 3,
      duplicate_count: 0,
      matched_count: 1,
    });
    expect((await summaryOf(first.id)).payment_status).toBe('paid');

    const payments = await t.database.db
      .select({ bankTransactionId: schema.payments.bankTransactionId, amount: schema.payments.amount })
      .from(schema.payments)
      .where(eq(schema.payments.companyId, owner.companyId));
    expect(payments).toHaveLength(1);
    expect(payments[0]?.bankTransactionId).toBeTruthy();

    // The same file again, with one line more: only the new line is added.
    const again = await importFile(accountId, {
      format: 'camt.053',
      content: camt([
        {
          amount: '1150.00',
          cd: 'CRDT',
          ref: 'B-1',
          text: `Payment ${first.invoice_number}`,
          name: 'Desert Rose Trading LLC',
        },
        { amount: '500.00', cd: 'CRDT', ref: 'B-2', text: `part of ${second.invoice_number}` },
        { amount: '20.00', cd: 'DBIT', ref: 'B-3', text: 'Bank charges' },
        { amount: '75.00', cd: 'CRDT', ref: 'B-4', text: 'unknown' },
      ]),
    });
    expect(again.json()).toMatchObject({
      transaction_count: 4,
      new_count: 1,
      duplicate_count: 3,
      matched_count: 0,
    });

    const unmatched = await lines('?status=unmatched');
    const part = unmatched.find((l: { bank_reference: string }) => l.bank_reference === 'B-2');
    expect(part.suggestions[0]).toMatchObject({
      items: [{ invoice_id: second.id, invoice_number: second.invoice_number, amount: '500.00' }],
    });
    expect(part.suggestions[0].reasons.map((r: { code: string }) => r.code)).toEqual([
      'NUMBER_IN_TEXT',
      'AMOUNT_BELOW_DUE',
    ]);
    expect(unmatched.find((l: { bank_reference: string }) => l.bank_reference === 'B-4').suggestions).toEqual(
      [],
    );

    // Matched by hand: a payment received in that line, allocated; the line has nothing left for another.
    const matched = await call({
      method: 'POST',
      url: `/api/v1/bank-transactions/${part.id}/match`,
      payload: { allocations: [{ invoice_id: second.id, amount: '500.00' }] },
    });
    expect(matched.statusCode).toBe(201);
    expect(matched.json()).toMatchObject({ amount: '500.00', bank_transaction_id: part.id });
    expect((await summaryOf(second.id)).total_paid).toBe('500.00');
    const twice = await call({
      method: 'POST',
      url: `/api/v1/bank-transactions/${part.id}/match`,
      payload: { allocations: [{ invoice_id: second.id, amount: '1.00' }] },
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('BANK_TRANSACTION_NOT_MATCHABLE');

    // Reversed (recorded against the wrong invoice): the line is free again for the payment that explains it.
    const reversed = await call({
      method: 'PATCH',
      url: `/api/v1/payments/${matched.json().id}`,
      payload: { status: 'reversed' },
    });
    expect(reversed.statusCode).toBe(200);
    expect((await summaryOf(second.id)).total_paid).toBe('0.00');
    const freed = (await lines('?status=unmatched')).find((l: { id: string }) => l.id === part.id);
    expect(freed).toMatchObject({ status: 'unmatched', matched_amount: '0.00' });
    const rematched = await call({
      method: 'POST',
      url: `/api/v1/bank-transactions/${part.id}/match`,
      payload: { allocations: [{ invoice_id: second.id, amount: '500.00' }] },
    });
    expect(rematched.statusCode).toBe(201);
    expect((await summaryOf(second.id)).total_paid).toBe('500.00');
    expect((await lines('?status=matched')).map((l: { id: string }) => l.id)).toContain(part.id);

    // More than the line holds is refused, and nothing is recorded.
    const unknown = unmatched.find((l: { bank_reference: string }) => l.bank_reference === 'B-4');
    const over = await call({
      method: 'POST',
      url: `/api/v1/bank-transactions/${unknown.id}/match`,
      payload: { allocations: [{ invoice_id: second.id, amount: '75.01' }] },
    });
    expect(over.statusCode).toBe(409);
    expect((await summaryOf(second.id)).total_paid).toBe('500.00');

    // Money out is not a payment received; a fee is set aside.
    const fee = (await lines()).find((l: { bank_reference: string }) => l.bank_reference === 'B-3');
    expect(fee.amount).toBe('-20.00');
    const out = await call({
      method: 'POST',
      url: `/api/v1/bank-transactions/${fee.id}/match`,
      payload: { allocations: [{ invoice_id: second.id, amount: '20.00' }] },
    });
    expect(out.statusCode).toBe(409);
    expect(
      (await call({ method: 'POST', url: `/api/v1/bank-transactions/${fee.id}/ignore` })).statusCode,
    ).toBe(204);
    expect((await lines('?status=ignored')).map((l: { id: string }) => l.id)).toEqual([fee.id]);
  });

  it('refuses a hostile or broken file with a code, and imports nothing of it', async () => {
    const { accountId } = await setUp();
    const before = (await lines()).length;
    const xxe = await importFile(accountId, {
      format: 'camt.053',
      content: `<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>${camt([{ amount: '1.00', cd: 'CRDT', ref: 'X' }])}`,
    });
    expect(xxe.statusCode).toBe(400);
    expect(xxe.json().errors).toEqual([
      expect.objectContaining({ path: 'content', code: 'XML_DOCTYPE_REFUSED' }),
    ]);
    const other = await importFile(accountId, {
      format: 'camt.053',
      content: camt([{ amount: '1.00', cd: 'CRDT', ref: 'X' }]).replace(IBAN, 'SA4420000001234567891234'),
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('BANK_STATEMENT_OTHER_ACCOUNT');
    const csv = await importFile(accountId, {
      format: 'csv',
      content: 'date;text;amount\n01-12-2026;ok;10,00\n32-12-2026;bad;10,00\n02-12-2026;bad;ten\n',
      mapping: {
        columns: { booking_date: 0, description: 1, amount: 2 },
        date_format: 'DD-MM-YYYY',
        decimal_separator: ',',
        delimiter: ';',
        currency: 'SAR',
      },
    });
    expect(csv.statusCode).toBe(400);
    expect(csv.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'content.rows.3.booking_date',
      'content.rows.4.amount',
    ]);
    expect((await lines()).length).toBe(before);
    const mt940 = await importFile(accountId, {
      format: 'mt940',
      content:
        ':20:X\n:25:SA0380000000608010167519\n:60F:C261130SAR0,00\n:61:261201C10,00NTRFNONREF\n:62F:C261201SAR11,00\n',
    });
    expect(mt940.statusCode).toBe(400);
    expect(mt940.json().errors[0].message).toMatch(/closing balance/);

    // A CSV read with its mapping saves it: the bank's next export reads without one.
    const mapping = {
      columns: { booking_date: 0, description: 1, amount: 2 },
      date_format: 'DD-MM-YYYY',
      decimal_separator: ',',
      delimiter: ';',
      currency: 'SAR',
    };
    const good = await importFile(accountId, {
      format: 'csv',
      content: 'date;text;amount\n01-12-2026;ok;1.010,00\n',
      mapping,
    });
    expect(good.json()).toMatchObject({ new_count: 1 });
    const next = await importFile(accountId, {
      format: 'csv',
      content: 'date;text;amount\n01-12-2026;ok;1.010,00\n02-12-2026;fee;-3,50\n',
    });
    expect(next.json()).toMatchObject({ new_count: 1, duplicate_count: 1 });
    expect((await lines()).slice(0, 2).map((l: { amount: string }) => l.amount)).toEqual([
      '-3.50',
      '1010.00',
    ]);
  });

  it('keeps each company to its own accounts and lines', async () => {
    const { accountId } = await setUp();
    const stranger = await registerUser(t.app);
    const strangerCall = as(t.app, stranger);
    const foreign = await importFile(accountId, { format: 'mt940', content: ':20:X\n' }, strangerCall);
    expect(foreign.statusCode).toBe(404);
    expect((await strangerCall({ method: 'GET', url: '/api/v1/bank-transactions' })).json()).toEqual([]);
    const mine = (await lines())[0];
    const grab = await strangerCall({
      method: 'POST',
      url: `/api/v1/bank-transactions/${mine.id}/ignore`,
    });
    expect(grab.statusCode).toBe(404);
  });
});
