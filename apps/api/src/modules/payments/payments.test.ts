import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  type Call,
  openAppWithOwner,
  openSecondApp,
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
// After every test, whatever it did: the paid_amount cache equals the completed allocations, nothing over-allocated.
afterEach(async () => {
  expect(await receivableViolations(t.database)).toEqual([]);
});

const summaryOf = async (invoiceId: string) =>
  (await call({ method: 'GET', url: `/api/v1/invoices/${invoiceId}/payments` })).json();
const invoiceOf = async (invoiceId: string) =>
  (await call({ method: 'GET', url: `/api/v1/invoices/${invoiceId}` })).json();
const recordPayment = (payload: object) => call({ method: 'POST', url: '/api/v1/payments', payload });
const allocate = (paymentId: string, allocations: { invoice_id: string; amount: string }[]) =>
  call({ method: 'POST', url: `/api/v1/payments/${paymentId}/allocations`, payload: { allocations } });

describe('paying one invoice', () => {
  it("marks an invoice paid with seed 003's request: a payment for the whole amount, allocated", async () => {
    const customer = await createCustomer(call);
    const invoice = await issueInvoice(call, { customerId: customer.id, net: '5000' }); // 5000 + 15 % = 5750.00
    const response = await call({
      method: 'POST',
      url: `/api/v1/invoices/${invoice.id}/mark-paid`,
      payload: {
        payment_date: '2026-02-10',
        payment_method: 'bank_transfer',
        reference: 'TRX-12345',
        notes: 'Full payment received',
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      invoice_id: invoice.id,
      invoice_total: '5750.00',
      total_paid: '5750.00',
      total_outstanding: '0.00',
      is_fully_paid: true,
      payment_status: 'paid',
      payment: {
        amount: '5750.00',
        customer_id: customer.id,
        payment_date: '2026-02-10',
        payment_method: 'bank_transfer',
        reference: 'TRX-12345',
        status: 'completed',
        unallocated_amount: '0.00',
        allocations: [{ invoice_id: invoice.id, invoice_number: invoice.invoice_number, amount: '5750.00' }],
      },
    });
    expect(await invoiceOf(invoice.id)).toMatchObject({
      status: 'paid',
      paid_amount: '5750.00',
      amount_due: '0.00',
    });
    const again = await call({
      method: 'POST',
      url: `/api/v1/invoices/${invoice.id}/mark-paid`,
      payload: {},
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('INVOICE_ALREADY_PAID');
  });

  it("records partial payments (seed 003's amount_cents) until paid, and refuses more than is outstanding", async () => {
    const customer = await createCustomer(call);
    const invoice = await issueInvoice(call, { customerId: customer.id, net: '1000' }); // 1150.00
    const first = await call({
      method: 'POST',
      url: `/api/v1/invoices/${invoice.id}/partial-payment`,
      payload: {
        amount_cents: 25000,
        payment_date: '2026-02-10',
        payment_method: 'bank_transfer',
        reference: 'TRX-1',
      },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      total_paid: '250.00',
      total_outstanding: '900.00',
      is_fully_paid: false,
      payment_status: 'partially_paid',
    });
    expect(await invoiceOf(invoice.id)).toMatchObject({ status: 'partially_paid', paid_amount: '250.00' });

    const tooMuch = await call({
      method: 'POST',
      url: `/api/v1/invoices/${invoice.id}/partial-payment`,
      payload: { amount: '900.01' },
    });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json()).toMatchObject({
      code: 'ALLOCATION_INVALID',
      outstanding_amount: '900.00',
      errors: [{ path: 'amount', code: 'EXCEEDS_OUTSTANDING' }],
    });
    // The refused request recorded no payment.
    const listed = await call({ method: 'GET', url: `/api/v1/payments?customer_id=${customer.id}` });
    expect(listed.json().total).toBe(1);

    const second = await call({
      method: 'POST',
      url: `/api/v1/invoices/${invoice.id}/partial-payment`,
      payload: { amount: '900', payment_method: 'cash' },
    });
    expect(second.json()).toMatchObject({
      total_paid: '1150.00',
      total_outstanding: '0.00',
      payment_status: 'paid',
    });
    expect(second.json().payments).toHaveLength(2);
  });

  it('refuses payment dates outside 2000–2099 or after tomorrow, with the field path', async () => {
    const customer = await createCustomer(call);
    const invoice = await issueInvoice(call, { customerId: customer.id, net: '1000' }); // 1150.00
    const today = (await invoiceOf(invoice.id)).invoice_date as string;
    const inDays = (days: number) =>
      new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const attempts = [
      { url: `/api/v1/invoices/${invoice.id}/mark-paid`, payload: { payment_date: '9999-12-31' } },
      { url: `/api/v1/invoices/${invoice.id}/mark-paid`, payload: { payment_date: '0001-01-01' } },
      {
        url: `/api/v1/invoices/${invoice.id}/partial-payment`,
        payload: { amount: '10', payment_date: '1999-12-31' },
      },
      {
        url: '/api/v1/payments',
        payload: { customer_id: customer.id, amount: '10', payment_date: '9999-12-31' },
      },
    ];
    for (const { url, payload } of attempts) {
      const response = await call({ method: 'POST', url, payload });
      expect(response.statusCode, `${url} ${payload.payment_date}`).toBe(400);
      expect(response.json().errors).toEqual([
        expect.objectContaining({ path: 'payment_date', code: 'DATE_OUT_OF_RANGE' }),
      ]);
    }
    for (const url of [`/api/v1/invoices/${invoice.id}/mark-paid`, '/api/v1/payments']) {
      const response = await call({
        method: 'POST',
        url,
        payload: { payment_date: inDays(2), ...(url.endsWith('payments') ? { amount: '10' } : {}) },
      });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().errors).toEqual([
        expect.objectContaining({ path: 'payment_date', code: 'PAYMENT_DATE_IN_FUTURE' }),
      ]);
    }
    expect(await summaryOf(invoice.id)).toMatchObject({ total_paid: '0.00', payments: [] });
    // A deposit before the invoice, or a bank's value date of tomorrow, is a real payment.
    const paid = await call({
      method: 'POST',
      url: `/api/v1/invoices/${invoice.id}/partial-payment`,
      payload: { amount: '100', payment_date: '2000-01-01' },
    });
    expect(paid.statusCode).toBe(200);
    const tomorrow = await call({
      method: 'POST',
      url: `/api/v1/invoices/${invoice.id}/mark-paid`,
      payload: { payment_date: inDays(1) },
    });
    expect(tomorrow.statusCode).toBe(200);
    expect(tomorrow.json().payment.payment_date).toBe(inDays(1));
  });

  it('refuses bad amounts: zero, too many decimals, none', async () => {
    const invoice = await issueInvoice(call, {});
    const url = `/api/v1/invoices/${invoice.id}/partial-payment`;
    for (const [payload, code] of [
      [{ amount: '0' }, 'AMOUNT_NOT_POSITIVE'],
      [{ amount: '10.005' }, 'TOO_MANY_DECIMALS'],
      [{ amount: '1e3' }, 'INVALID_NUMBER'],
      [{}, 'REQUIRED'],
    ] as const) {
      const response = await call({ method: 'POST', url, payload });
      expect({ payload, status: response.statusCode, code: response.json().errors?.[0]?.code }).toEqual({
        payload,
        status: 400,
        code,
      });
    }
  });
});

describe('payments across invoices', () => {
  it('splits one payment across two invoices and refuses to allocate more than remains of it', async () => {
    const customer = await createCustomer(call);
    const a = await issueInvoice(call, { customerId: customer.id, net: '1000' }); // 1150.00
    const b = await issueInvoice(call, { customerId: customer.id, net: '600' }); // 690.00
    const created = await recordPayment({
      customer_id: customer.id,
      amount_cents: 150000,
      payment_date: '2026-02-10',
      payment_method: 'bank_transfer',
      reference: 'TRX-SPLIT',
    });
    expect(created.statusCode).toBe(201);
    const payment = created.json();
    expect(payment).toMatchObject({
      amount: '1500.00',
      currency: 'SAR',
      allocated_amount: '0.00',
      unallocated_amount: '1500.00',
    });

    const overPayment = await allocate(payment.id, [
      { invoice_id: a.id, amount: '1150' },
      { invoice_id: b.id, amount: '350.01' },
    ]);
    expect(overPayment.statusCode).toBe(422);
    expect(overPayment.json()).toMatchObject({
      errors: [{ code: 'EXCEEDS_PAYMENT' }],
      unallocated_amount: '1500.00',
    });

    const split = await allocate(payment.id, [
      { invoice_id: a.id, amount: '1150' },
      { invoice_id: b.id, amount: '350' },
    ]);
    expect(split.statusCode).toBe(200);
    expect(split.json()).toMatchObject({ allocated_amount: '1500.00', unallocated_amount: '0.00' });
    expect(split.json().allocations).toHaveLength(2);
    expect(await summaryOf(a.id)).toMatchObject({ payment_status: 'paid', total_outstanding: '0.00' });
    expect(await summaryOf(b.id)).toMatchObject({
      payment_status: 'partially_paid',
      total_paid: '350.00',
      total_outstanding: '340.00',
    });
    // Both invoices' summaries show the one payment with both allocations.
    expect((await summaryOf(b.id)).payments[0].allocations.map((x: { amount: string }) => x.amount)).toEqual([
      '1150.00',
      '350.00',
    ]);
  });

  it('keeps an overpayment as customer credit and allocates it to a later invoice', async () => {
    const customer = await createCustomer(call);
    const first = await issueInvoice(call, { customerId: customer.id, net: '1000' }); // 1150.00
    const created = await recordPayment({
      customer_id: customer.id,
      amount: '1500.00',
      payment_method: 'card',
      allocations: [{ invoice_id: first.id, amount: '1150.00' }],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ allocated_amount: '1150.00', unallocated_amount: '350.00' });
    // Allocating beyond the invoice is refused even with credit to spare.
    const later = await issueInvoice(call, { customerId: customer.id, net: '200' }); // 230.00
    const tooMuch = await allocate(created.json().id, [{ invoice_id: later.id, amount: '230.01' }]);
    expect(tooMuch.json()).toMatchObject({
      code: 'ALLOCATION_INVALID',
      errors: [{ code: 'EXCEEDS_OUTSTANDING' }],
    });

    const credit = await call({
      method: 'GET',
      url: `/api/v1/payments?customer_id=${customer.id}&has_credit=true`,
    });
    expect(credit.json().payments.map((p: { unallocated_amount: string }) => p.unallocated_amount)).toEqual([
      '350.00',
    ]);
    const used = await allocate(created.json().id, [{ invoice_id: later.id, amount: '230' }]);
    expect(used.json()).toMatchObject({ unallocated_amount: '120.00' });
    expect(await summaryOf(later.id)).toMatchObject({ payment_status: 'paid', total_paid: '230.00' });
    // A pending payment is no credit yet.
    await recordPayment({ customer_id: customer.id, amount: '50', status: 'pending' });
    const credits = await call({
      method: 'GET',
      url: `/api/v1/payments?customer_id=${customer.id}&has_credit=true`,
    });
    expect(credits.json().payments.map((p: { unallocated_amount: string }) => p.unallocated_amount)).toEqual([
      '120.00',
    ]);
  });

  it('turns what a credit note after payment leaves paid beyond the invoice into customer credit', async () => {
    const session = await registerUser(t.app);
    const c = as(t.app, session);
    const customer = await createCustomer(c);
    const invoice = await issueInvoice(c, { customerId: customer.id, net: '1000' }); // 1150.00
    const paid = await c({ method: 'POST', url: `/api/v1/invoices/${invoice.id}/mark-paid`, payload: {} });
    expect(paid.statusCode).toBe(200);
    const paymentId = paid.json().payment.id;
    const creditNote = (net: string) =>
      issueInvoice(c, { type: 'credit_note', originalInvoiceId: invoice.id, reason: 'Returned', net });
    const invoiceIn = async (status: string) =>
      (await c({ method: 'GET', url: `/api/v1/invoices?status=${status}` }))
        .json()
        .invoices.filter((i: { id: string }) => i.id === invoice.id);

    await creditNote('100'); // 115.00 of the 1150.00 paid is no longer due
    expect(
      await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}` }).then((r) => r.json()),
    ).toMatchObject({
      status: 'paid',
      credited_amount: '115.00',
      paid_amount: '1035.00',
      amount_due: '0.00',
    });
    const summary = (await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/payments` })).json();
    expect(summary).toMatchObject({
      credited_amount: '115.00',
      total_paid: '1035.00',
      total_outstanding: '0.00',
      payment_status: 'paid',
    });
    expect(summary.payments).toEqual([
      expect.objectContaining({ id: paymentId, amount: '1150.00', unallocated_amount: '115.00' }),
    ]);
    const credit = await c({
      method: 'GET',
      url: `/api/v1/payments?customer_id=${customer.id}&has_credit=true`,
    });
    expect(credit.json().payments.map((p: { unallocated_amount: string }) => p.unallocated_amount)).toEqual([
      '115.00',
    ]);
    expect(await invoiceIn('paid')).toHaveLength(1);

    await creditNote('900'); // now credited in full: nothing of the payment pays it any more
    expect(
      await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}` }).then((r) => r.json()),
    ).toMatchObject({ status: 'credited', amount_due: '0.00' });
    expect((await c({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/payments` })).json()).toMatchObject(
      { total_paid: '0.00', total_outstanding: '0.00' },
    );
    expect((await c({ method: 'GET', url: `/api/v1/payments/${paymentId}` })).json()).toMatchObject({
      allocated_amount: '0.00',
      unallocated_amount: '1150.00',
    });
    expect(await invoiceIn('paid')).toHaveLength(0);
    expect(await invoiceIn('overdue')).toHaveLength(0);
    expect((await c({ method: 'GET', url: '/api/v1/dashboard' })).json().outstanding).toEqual({
      count: 0,
      amount: '0.00',
    });
  });

  it("refuses another customer's invoice, a credit note and an unknown invoice", async () => {
    const mine = await createCustomer(call);
    const theirs = await createCustomer(call);
    const theirInvoice = await issueInvoice(call, { customerId: theirs.id });
    const myInvoice = await issueInvoice(call, { customerId: mine.id });
    const credit = await issueInvoice(call, {
      type: 'credit_note',
      originalInvoiceId: myInvoice.id,
      reason: 'Returned',
      net: '100',
    });
    const payment = (await recordPayment({ customer_id: mine.id, amount: '500' })).json();
    const allocateTen = (invoiceId: string) =>
      allocate(payment.id, [{ invoice_id: invoiceId, amount: '10' }]);
    const other = await allocateTen(theirInvoice.id);
    expect(other.statusCode).toBe(422);
    expect(other.json().errors).toEqual([
      expect.objectContaining({ path: 'allocations.0.invoice_id', code: 'CUSTOMER_MISMATCH' }),
    ]);
    expect((await allocateTen(credit.id)).json().code).toBe('INVOICE_NOT_PAYABLE');
    expect((await allocateTen('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    // The credit note reduced what is due on my invoice: 1150.00 − 115.00 = 1035.00.
    expect(await summaryOf(myInvoice.id)).toMatchObject({
      credited_amount: '115.00',
      total_outstanding: '1035.00',
    });
  });
});

describe('undoing payments', () => {
  it('reverses a completed payment: the invoice is unpaid again, the allocation stays as history', async () => {
    const customer = await createCustomer(call);
    const invoice = await issueInvoice(call, { customerId: customer.id, net: '1000' });
    const paid = (
      await call({ method: 'POST', url: `/api/v1/invoices/${invoice.id}/mark-paid`, payload: {} })
    ).json();
    const reversed = await call({
      method: 'PATCH',
      url: `/api/v1/payments/${paid.payment.id}`,
      payload: { status: 'reversed', notes: 'Chargeback' },
    });
    expect(reversed.statusCode).toBe(200);
    expect(reversed.json()).toMatchObject({ status: 'reversed', notes: 'Chargeback' });
    expect(await summaryOf(invoice.id)).toMatchObject({
      total_paid: '0.00',
      total_outstanding: '1150.00',
      payment_status: 'unpaid',
      payments: [{ id: paid.payment.id, status: 'reversed' }],
    });
    expect(await invoiceOf(invoice.id)).toMatchObject({ paid_amount: '0.00', status: 'issued' });
    const back = await call({
      method: 'PATCH',
      url: `/api/v1/payments/${paid.payment.id}`,
      payload: { status: 'completed' },
    });
    expect(back.statusCode).toBe(409);
    expect(back.json().code).toBe('PAYMENT_STATUS_CHANGE_INVALID');
    // The amount is outstanding again and can be paid by another payment.
    const repaid = await call({
      method: 'POST',
      url: `/api/v1/invoices/${invoice.id}/mark-paid`,
      payload: {},
    });
    expect(repaid.json()).toMatchObject({ total_paid: '1150.00', payment_status: 'paid' });
  });

  it('marks an invoice unpaid: its allocations go, the payments stay as customer credit', async () => {
    const customer = await createCustomer(call);
    const a = await issueInvoice(call, { customerId: customer.id, net: '1000' }); // 1150.00
    const b = await issueInvoice(call, { customerId: customer.id, net: '100' }); // 115.00
    const payment = (
      await recordPayment({
        customer_id: customer.id,
        amount: '1265',
        allocations: [
          { invoice_id: a.id, amount: '1150' },
          { invoice_id: b.id, amount: '115' },
        ],
      })
    ).json();
    await call({
      method: 'POST',
      url: `/api/v1/invoices/${a.id}/partial-payment`,
      payload: { amount: '0.01' },
    }).then((r) => expect(r.json().errors[0].code).toBe('EXCEEDS_OUTSTANDING'));
    const unpaid = await call({ method: 'POST', url: `/api/v1/invoices/${a.id}/mark-unpaid` });
    expect(unpaid.statusCode).toBe(200);
    expect(unpaid.json()).toMatchObject({
      total_paid: '0.00',
      total_outstanding: '1150.00',
      payment_status: 'unpaid',
      payments: [],
      released_payments: [{ id: payment.id, unallocated_amount: '1150.00', allocated_amount: '115.00' }],
    });
    expect(await invoiceOf(a.id)).toMatchObject({ paid_amount: '0.00' });
    // The other invoice keeps its allocation.
    expect(await summaryOf(b.id)).toMatchObject({ payment_status: 'paid' });
    // Removing one allocation by hand works the same way.
    const allocation = payment.allocations.find((x: { invoice_id: string }) => x.invoice_id === b.id);
    const removed = await call({
      method: 'DELETE',
      url: `/api/v1/payments/${payment.id}/allocations/${allocation.id}`,
    });
    expect(removed.json()).toMatchObject({ allocated_amount: '0.00', unallocated_amount: '1265.00' });
    expect(await summaryOf(b.id)).toMatchObject({ payment_status: 'unpaid', total_paid: '0.00' });
  });

  it('lets a pending payment hold its share without paying until it completes; a failed one frees it', async () => {
    const customer = await createCustomer(call);
    const invoice = await issueInvoice(call, { customerId: customer.id, net: '1000' });
    const pending = (
      await recordPayment({
        customer_id: customer.id,
        amount: '1150',
        status: 'pending',
        allocations: [{ invoice_id: invoice.id, amount: '1150' }],
      })
    ).json();
    expect(await summaryOf(invoice.id)).toMatchObject({ payment_status: 'unpaid', total_paid: '0.00' });
    // Its share is held: nothing else may be allocated meanwhile.
    const meanwhile = await call({
      method: 'POST',
      url: `/api/v1/invoices/${invoice.id}/mark-paid`,
      payload: {},
    });
    expect(meanwhile.json().code).toBe('INVOICE_ALREADY_PAID');
    await call({ method: 'PATCH', url: `/api/v1/payments/${pending.id}`, payload: { status: 'completed' } });
    expect(await summaryOf(invoice.id)).toMatchObject({ payment_status: 'paid', total_paid: '1150.00' });

    const other = await issueInvoice(call, { customerId: customer.id, net: '100' });
    const willFail = (
      await recordPayment({
        customer_id: customer.id,
        amount: '115',
        status: 'pending',
        allocations: [{ invoice_id: other.id, amount: '115' }],
      })
    ).json();
    await call({ method: 'PATCH', url: `/api/v1/payments/${willFail.id}`, payload: { status: 'failed' } });
    expect(await summaryOf(other.id)).toMatchObject({
      payment_status: 'unpaid',
      total_outstanding: '115.00',
    });
    const retry = await call({ method: 'POST', url: `/api/v1/invoices/${other.id}/mark-paid`, payload: {} });
    expect(retry.json()).toMatchObject({ payment_status: 'paid' });
  });

  it('lists payments by customer, status and date range', async () => {
    const customer = await createCustomer(call);
    const invoice = await issueInvoice(call, { customerId: customer.id, net: '1000' });
    for (const [date, amount] of [
      ['2026-01-05', '100'],
      ['2026-02-10', '200'],
      ['2026-03-15', '300'],
    ]) {
      await call({
        method: 'POST',
        url: `/api/v1/invoices/${invoice.id}/partial-payment`,
        payload: { amount, payment_date: date },
      });
    }
    const list = async (query: string) =>
      (await call({ method: 'GET', url: `/api/v1/payments?customer_id=${customer.id}&${query}` })).json();
    expect(
      (await list('from_date=2026-02-01&to_date=2026-03-31')).payments.map(
        (p: { amount: string }) => p.amount,
      ),
    ).toEqual(['300.00', '200.00']);
    expect((await list('status=completed')).total).toBe(3);
    expect((await list('status=reversed')).total).toBe(0);
  });
});

describe('concurrency', () => {
  it('lets 10 concurrent partial payments race for one invoice without over-allocating', async () => {
    const customer = await createCustomer(call);
    const invoice = await issueInvoice(call, { customerId: customer.id, net: '1000' }); // 1150.00
    // 150.00 each: 7 fit (1050.00), the 8th would need 1200.00.
    const second = await openSecondApp(t);
    try {
      const callers = [call, second ? as(second.app, owner) : call];
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (callers[i % 2] as typeof call)({
            method: 'POST',
            url: `/api/v1/invoices/${invoice.id}/partial-payment`,
            payload: { amount: '150.00', reference: `RACE-${i}` },
          }),
        ),
      );
      const statuses = responses.map((r) => r.statusCode).sort();
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 422, 422, 422]);
      expect(await summaryOf(invoice.id)).toMatchObject({
        total_paid: '1050.00',
        total_outstanding: '100.00',
      });
      expect(await invoiceOf(invoice.id)).toMatchObject({ paid_amount: '1050.00' });
    } finally {
      await second?.close();
    }
  });

  it('lets concurrent allocations of one payment to many invoices never exceed the payment', async () => {
    const customer = await createCustomer(call);
    const invoices = await Promise.all(
      Array.from({ length: 8 }, () => issueInvoice(call, { customerId: customer.id, net: '100' })), // 115.00 each
    );
    const payment = (await recordPayment({ customer_id: customer.id, amount: '500' })).json();
    const responses = await Promise.all(
      invoices.map((invoice) => allocate(payment.id, [{ invoice_id: invoice.id, amount: '115' }])),
    );
    // 4 × 115.00 = 460.00 fit in 500.00; a 5th would need 575.00.
    expect(responses.filter((r) => r.statusCode === 200)).toHaveLength(4);
    const after = (await call({ method: 'GET', url: `/api/v1/payments/${payment.id}` })).json();
    expect(after).toMatchObject({ allocated_amount: '460.00', unallocated_amount: '40.00' });
  });

  it('keeps credit notes consistent with concurrent payment changes on the invoices they credit', async () => {
    const customer = await createCustomer(call);
    const [a, b] = [
      await issueInvoice(call, { customerId: customer.id, net: '1000' }),
      await issueInvoice(call, { customerId: customer.id, net: '1000' }),
    ];
    const payment = (
      await recordPayment({
        customer_id: customer.id,
        amount: '2300',
        allocations: [
          { invoice_id: a?.id, amount: '1150' },
          { invoice_id: b?.id, amount: '1150' },
        ],
      })
    ).json();
    const credit = (invoiceId: string, net: string) =>
      call({
        method: 'POST',
        url: '/api/v1/invoices/generate',
        payload: {
          type: 'credit_note',
          original_invoice_id: invoiceId,
          reason: 'Returned',
          customer_id: customer.id,
          line_items: [{ description: 'Consulting', quantity: 1, unit_price: net, vat_rate: 15 }],
        },
      });
    const responses = await Promise.all([
      credit(a?.id as string, '100'),
      credit(b?.id as string, '200'),
      call({ method: 'PATCH', url: `/api/v1/payments/${payment.id}`, payload: { status: 'reversed' } }),
      credit(a?.id as string, '300'),
      call({ method: 'POST', url: `/api/v1/invoices/${b?.id}/mark-unpaid` }),
    ]);
    expect(responses.map((r) => r.statusCode < 500)).toEqual(Array(5).fill(true));
    for (const invoice of [a, b]) {
      expect(Number((await invoiceOf(invoice?.id as string)).amount_due)).toBeGreaterThanOrEqual(0);
    }
  });

  it('keeps concurrent mark-paid, reversal and mark-unpaid consistent', async () => {
    const customer = await createCustomer(call);
    const invoice = await issueInvoice(call, { customerId: customer.id, net: '1000' });
    const first = (
      await call({
        method: 'POST',
        url: `/api/v1/invoices/${invoice.id}/partial-payment`,
        payload: { amount: '500' },
      })
    ).json();
    await Promise.all([
      call({ method: 'PATCH', url: `/api/v1/payments/${first.payment.id}`, payload: { status: 'reversed' } }),
      call({ method: 'POST', url: `/api/v1/invoices/${invoice.id}/mark-paid`, payload: {} }),
      call({
        method: 'POST',
        url: `/api/v1/invoices/${invoice.id}/partial-payment`,
        payload: { amount: '100' },
      }),
      call({ method: 'POST', url: `/api/v1/invoices/${invoice.id}/mark-unpaid` }),
    ]);
    // Whatever the order, the afterEach invariants hold; the summary agrees with the cache.
    const summary = await summaryOf(invoice.id);
    // Both in the currency's digits ("0.00" when nothing stays paid).
    expect((await invoiceOf(invoice.id)).paid_amount).toBe(summary.total_paid);
  });
});

describe('reminder settings', () => {
  it('defaults to −3, 1, 7 and 14 days and can be changed by an owner', async () => {
    expect((await call({ method: 'GET', url: '/api/v1/settings/reminders' })).json()).toEqual({
      is_enabled: true,
      days: [-3, 1, 7, 14],
      is_overdue_notice_enabled: true,
    });
    const changed = await call({
      method: 'PUT',
      url: '/api/v1/settings/reminders',
      payload: { days: [30, -1, 5] },
    });
    expect(changed.json()).toEqual({ is_enabled: true, days: [-1, 5, 30], is_overdue_notice_enabled: true });
    const duplicate = await call({
      method: 'PUT',
      url: '/api/v1/settings/reminders',
      payload: { days: [1, 1] },
    });
    expect(duplicate.statusCode).toBe(400);
    await call({ method: 'PUT', url: '/api/v1/settings/reminders', payload: { days: [-3, 1, 7, 14] } });
  });
});

describe("a Dutch freelancer's payment paths (/api/v1/zzp, amount_cents, iDEAL)", () => {
  const NL_COMPANY = {
    legal_name_en: 'Jansen Design',
    country: 'NL',
    vat_number: 'NL123456789B01',
    address: { street: 'Keizersgracht 1', city: 'Amsterdam', postal_code: '1015 CJ', country: 'NL' },
  };
  let nl: Call;
  let customerId: string;
  let invoiceId: string;
  beforeAll(async () => {
    nl = as(t.app, await registerUser(t.app, NL_COMPANY));
    const customer = await nl({
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name_en: 'Bakkerij de Vries', address: { country: 'NL', city: 'Utrecht' } },
    });
    customerId = customer.json().id;
    const invoice = await nl({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: {
        customer_id: customerId,
        line_items: [{ description: 'Logo design', quantity: 1, unit_price: '1000', vat_rate: 21 }],
      },
    });
    expect(invoice.statusCode).toBe(201);
    invoiceId = invoice.json().id;
  });

  it('records an iDEAL partial payment in cents and answers the summary in cents beside the decimals', async () => {
    const partial = await nl({
      method: 'POST',
      url: `/api/v1/zzp/invoices/${invoiceId}/partial-payment`,
      payload: {
        amount_cents: 25000,
        payment_date: '2026-02-10',
        payment_method: 'ideal',
        reference: 'TRX-12345',
        notes: 'First installment',
      },
    });
    expect(partial.statusCode).toBe(200);
    expect(partial.json().payment).toMatchObject({
      amount: '250.00',
      amount_cents: 25000,
      currency: 'EUR',
      payment_method: 'ideal',
    });
    const summary = await nl({ method: 'GET', url: `/api/v1/zzp/invoices/${invoiceId}/payments` });
    expect(summary.statusCode).toBe(200);
    expect(summary.json()).toMatchObject({
      invoice_id: invoiceId,
      invoice_total: '1210.00',
      invoice_total_cents: 121000,
      total_paid: '250.00',
      total_paid_cents: 25000,
      total_outstanding: '960.00',
      total_outstanding_cents: 96000,
      is_fully_paid: false,
      payments: [{ amount_cents: 25000, payment_date: '2026-02-10', payment_method: 'ideal' }],
    });
  });

  it('lists and creates payments at /zzp/payments, and marks paid and unpaid there', async () => {
    const created = await nl({
      method: 'POST',
      url: '/api/v1/zzp/payments',
      payload: {
        customer_id: customerId,
        amount_cents: 50000,
        payment_date: '2026-02-10',
        payment_method: 'bank_transfer',
        reference: 'TRX-12345',
        notes: 'Payment for multiple invoices',
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      amount: '500.00',
      amount_cents: 50000,
      unallocated_amount: '500.00',
    });
    const listed = await nl({ method: 'GET', url: `/api/v1/zzp/payments?customer_id=${customerId}` });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().payments.map((p: { id: string }) => p.id)).toContain(created.json().id);

    const paid = await nl({
      method: 'POST',
      url: `/api/v1/zzp/invoices/${invoiceId}/mark-paid`,
      payload: {
        payment_date: '2026-02-10',
        payment_method: 'bank_transfer',
        reference: 'TRX-12345',
        notes: 'Full payment received',
      },
    });
    expect(paid.statusCode).toBe(200);
    expect(paid.json()).toMatchObject({ is_fully_paid: true, total_outstanding_cents: 0 });
    const unpaid = await nl({ method: 'POST', url: `/api/v1/zzp/invoices/${invoiceId}/mark-unpaid` });
    expect(unpaid.statusCode).toBe(200);
    expect(unpaid.json()).toMatchObject({ total_paid_cents: 0, total_outstanding_cents: 121000 });
  });

  it('takes amount and amount_cents together when they agree, and refuses them with 422 when they do not', async () => {
    const url = `/api/v1/zzp/invoices/${invoiceId}/partial-payment`;
    const disagreeing = await nl({ method: 'POST', url, payload: { amount: '10.00', amount_cents: 1001 } });
    expect(disagreeing.statusCode).toBe(422);
    expect(disagreeing.json().errors).toEqual([
      expect.objectContaining({ path: 'amount_cents', code: 'AMOUNT_MISMATCH' }),
    ]);
    expect(
      (await nl({ method: 'GET', url: `/api/v1/zzp/invoices/${invoiceId}/payments` })).json()
        .total_paid_cents,
    ).toBe(0);
    const agreeing = await nl({ method: 'POST', url, payload: { amount: '10', amount_cents: 1000 } });
    expect(agreeing.statusCode).toBe(200);
    expect(agreeing.json().total_paid_cents).toBe(1000);
  });
});
