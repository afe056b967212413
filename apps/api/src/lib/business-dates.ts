import { z } from 'zod';

/**
 * The dates of accounting records — an invoice's issue and due dates (its supply date is its issue date), a
 * payment's date — in one place. The schemas bound every such date to a window no real record falls outside, so a
 * typo such as 0001-01-01 or 9999-12-31 is refused before any rule runs (and never reaches a signed XML, an
 * aging bucket or a VAT return); the rules that need the company's calendar day follow below.
 */
export const EARLIEST_BUSINESS_DATE = '2000-01-01';
export const LATEST_BUSINESS_DATE = '2099-12-31';

/**
 * A payment is recorded once received, so it is not dated in the future; one day ahead of the company's calendar is
 * allowed for a bank's value date or a payer a time zone ahead. It may precede its invoice: a deposit paid before
 * invoicing is allocated when the invoice is issued.
 */
export const PAYMENT_DATE_MAX_DAYS_AHEAD = 1;

const isInWindow = (date: string) => date >= EARLIEST_BUSINESS_DATE && date <= LATEST_BUSINESS_DATE;
const outOfWindow = {
  message: `A date from ${EARLIEST_BUSINESS_DATE} to ${LATEST_BUSINESS_DATE}.`,
  params: { code: 'DATE_OUT_OF_RANGE' },
};

export const businessDateSchema = z.iso.date().refine(isInWindow, outOfWindow);

/** A date, or a date-time whose date part is read (in the company's calendar, by the caller). */
export const businessDateOrDateTimeSchema = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .refine((value) => isInWindow(value.slice(0, 10)), outOfWindow);

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export interface DateRuleError {
  code: string;
  message: string;
}

/** BR-KSA-04: the issue date is on or before the current date (the company's calendar day). */
export function issueDateError(issueDate: string, today: string): DateRuleError | undefined {
  if (issueDate > today) {
    return { code: 'ISSUE_DATE_IN_FUTURE', message: 'An invoice cannot be dated after today.' };
  }
  return undefined;
}

export function paymentDateError(paymentDate: string, today: string): DateRuleError | undefined {
  if (paymentDate > addDays(today, PAYMENT_DATE_MAX_DAYS_AHEAD)) {
    return {
      code: 'PAYMENT_DATE_IN_FUTURE',
      message: 'A payment is recorded once received: it cannot be dated after tomorrow.',
    };
  }
  return undefined;
}
