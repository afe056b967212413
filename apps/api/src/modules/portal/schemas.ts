import { z } from 'zod';
import { paginationQuerySchema } from '../../lib/pagination';

const money = z.string().describe('A decimal amount in the currency\'s digits ("115.00")');
const documentType = z.enum(['invoice', 'credit_note', 'debit_note']);

export const portalHomeSchema = z.object({
  company_id: z.string(),
  company_name: z.string(),
  company_name_ar: z.string().nullable(),
  customer_id: z.string(),
  customer_name: z.string(),
  customer_name_ar: z.string().nullable(),
});

export const invoiceListQuerySchema = z.strictObject({
  type: documentType.optional().describe('Only invoices, credit notes or debit notes'),
  ...paginationQuerySchema,
});

export const paymentListQuerySchema = z.strictObject({ ...paginationQuerySchema });

const invoiceSummary = {
  id: z.string(),
  number: z.string(),
  type: documentType,
  status: z.string().describe('issued, sent, overdue, partially_paid, paid, credited, …'),
  issue_date: z.string(),
  due_date: z.string().nullable(),
  currency: z.string(),
  subtotal: money,
  vat_amount: money,
  total_amount: money,
  paid_amount: money,
  credited_amount: money,
  amount_due: money,
};

export const invoiceListSchema = z.object({
  invoices: z.array(z.object(invoiceSummary)),
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
});

export const invoiceSchema = z.object({
  ...invoiceSummary,
  seller_name: z.string(),
  seller_name_ar: z.string().nullable(),
  buyer_name: z.string(),
  notes: z.string().nullable(),
  original_invoice_number: z.string().nullable(),
  payable_amount: money,
  lines: z.array(
    z.object({
      description: z.string(),
      quantity: z.string(),
      unit_price: z.string(),
      net_amount: z.string().nullable(),
      vat_amount: z.string().nullable(),
    }),
  ),
  payments: z.array(
    z.object({
      payment_id: z.string(),
      payment_date: z.string(),
      method: z.string(),
      status: z.string(),
      amount: money,
    }),
  ),
  pay_link: z
    .object({ url: z.string(), outstanding_amount: money, currency: z.string() })
    .nullable()
    .describe("The invoice's pay link where the seller takes payments online and something is outstanding"),
});

export const statementSchema = z.object({
  accounts: z.array(
    z.object({
      currency: z.string(),
      total_debit: money,
      total_credit: money,
      balance: money.describe('What the customer owes (negative: credit in its favour)'),
      entries: z.array(
        z.object({
          date: z.string(),
          kind: z.enum(['invoice', 'credit_note', 'debit_note', 'payment']),
          id: z.string(),
          reference: z.string().nullable(),
          debit: money,
          credit: money,
          balance: money,
        }),
      ),
    }),
  ),
});

export const paymentListSchema = z.object({
  payments: z.array(
    z.object({
      id: z.string(),
      payment_date: z.string(),
      method: z.string(),
      reference: z.string().nullable(),
      status: z.string(),
      currency: z.string(),
      amount: money,
      refunded_amount: money,
      allocations: z.array(z.object({ invoice_id: z.string(), invoice_number: z.string(), amount: money })),
    }),
  ),
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
});

/** 256-bit tokens in base64url (lib/crypto.ts randomToken). */
const tokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'Not a portal token.');

export const followLinkSchema = z.strictObject({ token: tokenSchema });
export const viewTokenParamSchema = z.strictObject({ token: tokenSchema });

export const followLinkAnswerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('session'),
    company_id: z.string(),
    invoice_id: z.string(),
    access_token: z.string(),
    refresh_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number(),
  }),
  z.object({
    kind: z.literal('invoice'),
    company_id: z.string(),
    invoice_id: z.string(),
    view_token: z.string(),
    expires_at: z.string(),
    can_sign_in: z.boolean(),
  }),
]);

export const downloadQuerySchema = z.strictObject({
  disposition: z.enum(['inline', 'attachment']).default('attachment'),
});
