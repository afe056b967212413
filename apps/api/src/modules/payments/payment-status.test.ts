import { describe, expect, it } from 'vitest';
import { allocatableOnInvoice, PAYMENT_TRANSITIONS, paymentPosition } from './payment-status';

const invoice = { currency: 'SAR', payableAmount: '5750.00', creditedAmount: '0' };

describe('payment position derived from allocations', () => {
  it('is unpaid with nothing allocated', () => {
    expect(paymentPosition(invoice, [])).toEqual({
      due: '5750.00',
      paid: '0.00',
      outstanding: '5750.00',
      status: 'unpaid',
      isFullyPaid: false,
    });
  });

  it('is partially paid while something is left, and paid at the last cent', () => {
    expect(paymentPosition(invoice, ['1000.00', '2000.50'])).toMatchObject({
      paid: '3000.50',
      outstanding: '2749.50',
      status: 'partially_paid',
    });
    expect(paymentPosition(invoice, ['5749.99'])).toMatchObject({
      outstanding: '0.01',
      status: 'partially_paid',
    });
    expect(paymentPosition(invoice, ['5749.99', '0.01'])).toMatchObject({
      outstanding: '0.00',
      status: 'paid',
      isFullyPaid: true,
    });
  });

  it('counts credit notes against what is due', () => {
    const credited = { ...invoice, creditedAmount: '750.00' };
    expect(paymentPosition(credited, ['5000'])).toMatchObject({ due: '5000.00', status: 'paid' });
    expect(allocatableOnInvoice(credited, '4000')).toBe('1000.00');
    // Credited after being paid: nothing outstanding, never a negative balance.
    expect(paymentPosition(credited, ['5750.00'])).toMatchObject({ outstanding: '0.00', status: 'paid' });
    expect(allocatableOnInvoice(credited, '5750.00')).toBe('0.00');
  });

  it('uses the currency digits (KWD has 3)', () => {
    const kwd = { currency: 'KWD', payableAmount: '10.000', creditedAmount: '0' };
    expect(paymentPosition(kwd, ['3.333', '3.333'])).toMatchObject({ paid: '6.666', outstanding: '3.334' });
  });

  it('allows only forward status changes', () => {
    expect(PAYMENT_TRANSITIONS.pending).toContain('completed');
    expect(PAYMENT_TRANSITIONS.completed).toEqual(['reversed']);
    expect(PAYMENT_TRANSITIONS.reversed).toEqual([]);
  });
});
