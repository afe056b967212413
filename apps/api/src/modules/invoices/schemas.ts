import { INVOICE_SUBTYPES, INVOICE_TYPES } from '@invoiceflow/db/schema';
import { PAYMENT_MEANS_CODES, PINT_AE_CREDIT_REASONS } from '@invoiceflow/ubl';
import { z } from 'zod';
import { businessDateOrDateTimeSchema, businessDateSchema } from '../../lib/business-dates';
import { decimalSchema } from '../../lib/decimal-input';
import { bicSchema, ibanSchema } from '../../lib/iban';
import { paginationQuerySchema } from '../../lib/pagination';
import { addressSchema } from '../../lib/schemas';
import { CUSTOMER_ID_SCHEMES } from '../customers/schemas';

const isoDate = z.iso.date();
const looseItem = z.looseObject({});
/** KSA-2 positions 3–7 (Saudi companies); PINT AE BTAE-02 (UAE companies). */
const transactionFlagsSchema = z.strictObject({
  third_party: z.boolean().optional(),
  nominal: z.boolean().optional(),
  export: z
    .boolean()
    .optional()
    .describe('An export invoice: a standard invoice to a buyer abroad, without a buyer VAT number'),
  summary: z.boolean().optional(),
  self_billed: z.boolean().optional(),
  // PINT AE BTAE-02 (UAE companies), with export and summary above.
  free_zone: z.boolean().optional(),
  deemed_supply: z.boolean().optional(),
  margin_scheme: z.boolean().optional(),
  continuous_supply: z.boolean().optional(),
  disclosed_agent: z.boolean().optional(),
  ecommerce: z.boolean().optional(),
});
/** BG-14: the period invoiced (a summary or continuous-supply invoice states it, ibr-138-ae). */
export const invoicePeriodSchema = z
  .strictObject({
    start_date: businessDateSchema,
    end_date: businessDateSchema,
    frequency: z
      .string()
      .trim()
      .min(1)
      .max(3)
      .optional()
      .describe('PINT AE BTAE-06: how often a continuous supply is billed (DLY, WKY, MTH, QTR, YRL, OTH…)'),
  })
  .refine((p) => p.end_date >= p.start_date, {
    path: ['end_date'],
    message: 'The period ends on or after its start.',
    params: { code: 'PERIOD_ENDS_BEFORE_START' },
  });
/** BG-13: the delivery (date of supply and place), e.g. the address an e-commerce order is shipped to. */
export const deliverySchema = z.strictObject({
  date: businessDateSchema.optional().describe('BT-72: the actual delivery date'),
  address: addressSchema
    .optional()
    .describe('BG-15: where the goods are delivered (like a customer address)'),
});
/** BG-16: how the invoice is paid; a credit transfer names the account (IBAN). */
export const paymentMeansSchema = z.strictObject({
  code: z
    .enum(PAYMENT_MEANS_CODES)
    .describe('UNCL 4461: 10 cash, 30 credit transfer, 48 card, 58 SEPA credit transfer, 1 not defined…'),
  account_id: ibanSchema.optional().describe('BT-84: the IBAN to pay into'),
  account_name: z.string().trim().min(1).max(200).optional().describe('BT-85'),
  bank_id: bicSchema.optional().describe('BT-86: the bank’s BIC'),
  payment_id: z
    .string()
    .trim()
    .min(1)
    .max(140)
    .optional()
    .describe('BT-83: the remittance reference the payer quotes'),
});

/** BR-KSA-14: a buyer id holds only letters and digits. */
export const partyIdNumberSchema = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[A-Za-z0-9]+$/, 'Letters and digits only.');

/**
 * The issue request. Seed 000's body works as is (invoice_number optional, invoice_date, customer_name,
 * customer_vat_number, customer_address as text, line_items, notes); the richer body adds customer_id, type,
 * subtype, lines with VAT categories, allowances and charges, currency and exchange rate, due date and payment
 * terms, and for credit and debit notes original_invoice_id and reason. Amount fields of lines and allowances
 * are read by document-input.ts, which reports every bad one with its path.
 */
export const issueBodySchema = z.strictObject({
  draft_id: z
    .uuid()
    .optional()
    .describe('Issue the saved draft (its draft_data is the request); the draft is deleted'),
  invoice_number: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[\p{L}\p{N}][\p{L}\p{N}\-/_.]*$/u, 'Letters, digits and - / _ .')
    .optional()
    .describe('Leave out to take the next number of the series (INV-2026-000042)'),
  invoice_date: businessDateOrDateTimeSchema
    .optional()
    .describe(
      'The seed sends "2024-11-25T10:00:00Z"; a plain date is as good. The issue date is the date part',
    ),
  issue_date: businessDateSchema.optional(),
  type: z.enum(INVOICE_TYPES).default('invoice'),
  subtype: z
    .enum(INVOICE_SUBTYPES)
    .optional()
    .describe('standard (B2B) or simplified (B2C); by default standard when the buyer has a VAT number'),
  customer_id: z.uuid().optional(),
  customer_name: z.string().trim().max(300).optional(),
  customer_name_ar: z.string().trim().max(300).optional(),
  customer_vat_number: z.string().trim().max(20).nullish(),
  customer_address: z.union([z.string().trim().max(500), addressSchema]).optional(),
  customer_id_scheme: z
    .enum(CUSTOMER_ID_SCHEMES)
    .optional()
    .describe(
      "BT-46-1: the scheme of the buyer's id (NAT national ID, IQA iqama, PAS passport, TIN a foreign tax " +
        'number, CRN, …); with customer_id, replaces the customer record’s',
    ),
  customer_id_number: partyIdNumberSchema
    .optional()
    .describe("BT-46: the buyer's id under customer_id_scheme, beside or instead of the VAT number"),
  transaction_flags: transactionFlagsSchema
    .optional()
    .describe(
      'Saudi companies: the flags of KSA-2 (positions 3–7); UAE companies: the eight PINT AE transaction type ' +
        'flags (BTAE-02). A flag of another country is refused.',
    ),
  out_of_scope: z
    .boolean()
    .optional()
    .describe('UAE companies: a supply outside the scope of VAT (PINT AE type 480; its credit notes 81)'),
  reason_code: z
    .enum(PINT_AE_CREDIT_REASONS)
    .optional()
    .describe(
      'UAE credit notes: the reason code (PINT AE BTAE-03; VD a volume discount, without an invoice)',
    ),
  beneficiary_id: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .optional()
    .describe('UAE free zone supplies: the beneficiary (PINT AE BTAE-01)'),
  principal_id: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .optional()
    .describe("UAE disclosed agent billing: the principal's TRN (PINT AE BTAE-14)"),
  buyer_reference: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe("BT-10: the buyer's own reference (a cost centre, a contact); Peppol asks for it or an order"),
  order_reference: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe("BT-13: the buyer's purchase order number"),
  line_items: z.array(looseItem).optional(),
  lines: z.array(looseItem).optional(),
  allowances_charges: z.array(looseItem).optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  tax_currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  exchange_rate: decimalSchema.optional(),
  prepaid_amount: decimalSchema.optional(),
  rounding_amount: decimalSchema.optional(),
  due_date: businessDateSchema.optional(),
  payment_terms_days: z.number().int().min(0).max(365).optional(),
  payment_terms: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .optional()
    .describe('BT-20: the payment terms as text ("Within 30 days, 2 % discount within 10")'),
  invoice_period: invoicePeriodSchema.optional(),
  delivery: deliverySchema.optional(),
  payment_means: paymentMeansSchema
    .optional()
    .describe("By default the company's bank account (a credit transfer) when it has one"),
  original_invoice_id: z.uuid().optional(),
  reason: z.string().trim().min(1).max(1000).optional(),
  notes: z.string().max(2000).optional(),
  egs_unit_id: z
    .uuid()
    .optional()
    .describe(
      'Saudi companies: the EGS unit (branch, till) that signs, on its own ICV/PIH chain; by default the ' +
        "company's default unit",
    ),
});
export type IssueBody = z.output<typeof issueBodySchema>;

/**
 * A draft invoice (`POST /invoices`, `PUT /invoices/{id}`): the issue request without draft_id (an editor draft
 * is issued by generate). Lines may be incomplete; every rule is checked when it is issued.
 */
export const draftInvoiceBodySchema = issueBodySchema.omit({ draft_id: true });
export type DraftInvoiceBody = z.output<typeof draftInvoiceBodySchema>;
/** `PATCH /invoices/{id}`: the fields sent replace the draft's; the others stay. */
export const draftInvoicePatchSchema = issueBodySchema
  .omit({ draft_id: true, type: true })
  .extend({ type: z.enum(INVOICE_TYPES).optional() })
  .partial();

const fieldError = z.object({
  path: z.string(),
  code: z.string(),
  message: z.string(),
  message_ar: z.string().optional().describe('The message in Arabic'),
});
const issueWarning = fieldError.extend({ message_ar: z.string() });

export const invoiceListItemSchema = z.object({
  id: z.uuid(),
  invoice_number: z.string(),
  type: z.enum(INVOICE_TYPES),
  subtype: z.enum(INVOICE_SUBTYPES),
  status: z
    .string()
    .describe(
      'draft, issued, approved, sent, partially_paid, paid, overdue or credited. A draft has a provisional ' +
        'number (DRAFT-…)',
    ),
  invoice_date: z.string(),
  due_date: z.string().nullable(),
  customer_id: z.uuid().nullable(),
  customer_name: z.string(),
  customer_name_ar: z.string().nullable(),
  currency: z.string(),
  subtotal: z.string(),
  vat_amount: z.string(),
  total_amount: z.string(),
  paid_amount: z.string(),
  credited_amount: z.string(),
  amount_due: z.string(),
  created_at: z.string(),
});

export const invoiceSchema = invoiceListItemSchema.extend({
  stored_status: z.string(),
  lifecycle_status: z
    .string()
    .describe(
      "The step of the company's lifecycle: draft, issued, sent; where invoices are approved (UAE) draft, " +
        'finalized, approved, sent',
    ),
  next_steps: z
    .array(z.enum(['finalize', 'approve', 'send']))
    .describe('Where invoices are approved: the steps the invoice may take now (empty elsewhere)'),
  customer_vat_number: z.string().nullable(),
  customer_address: z.unknown(),
  line_items: z.array(z.unknown()).describe("Seed 000's line shape with the computed amounts"),
  payable_amount: z.string(),
  notes: z.string().nullable(),
  original_invoice_id: z.uuid().nullable(),
  reason: z.string().nullable(),
  seller: z.unknown().describe('The company as it was when issued'),
  buyer: z.unknown().describe('The buyer as it was when issued (with id_scheme and id_number when given)'),
  transaction_flags: transactionFlagsSchema.describe(
    'KSA-2 flags the invoice was issued with (export, third_party, …); {} when none',
  ),
  lines: z.array(z.unknown()).describe("The totals engine's LineResult with descriptions"),
  allowances_charges: z.array(z.unknown()),
  vat_breakdown: z.array(z.unknown()).describe('Per VAT category and rate'),
  totals: z.unknown().describe("The totals engine's DocumentTotals"),
  qr_code_data: z.string().nullable(),
  warnings: z
    .array(issueWarning)
    .describe('What ZATCA only warned about when the invoice was issued (it did not block the issue)'),
  pdf_base64: z.string().nullable(),
  issued_at: z.string().nullable(),
  sent_at: z.string().nullable(),
  draft_body: z
    .record(z.string(), z.unknown())
    .nullable()
    .optional()
    .describe('A draft: its request as saved (what PUT replaces); null once issued'),
});

export const invoiceListSchema = z.object({
  total: z.number().int(),
  total_is_exact: z.boolean(),
  page: z.number().int(),
  page_size: z.number().int(),
  invoices: z.array(invoiceListItemSchema),
});

const filters = {
  status: z
    .enum(['draft', 'issued', 'approved', 'sent', 'partially_paid', 'paid', 'overdue', 'credited'])
    .optional(),
  type: z.enum(INVOICE_TYPES).optional(),
  customer_id: z.uuid().optional(),
  date_from: isoDate.optional(),
  date_to: isoDate.optional(),
  amount_min: decimalSchema.optional(),
  amount_max: decimalSchema.optional(),
  sort: z.enum(['issue_date', 'number', 'total']).default('issue_date'),
  order: z.enum(['asc', 'desc']).default('desc'),
};

export const invoiceListQuerySchema = z.strictObject({ ...paginationQuerySchema, ...filters });
export const invoiceSearchQuerySchema = z.strictObject({
  ...paginationQuerySchema,
  ...filters,
  q: z.string().trim().min(1).max(100),
});

export const invoiceProblemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  message: z.string(),
  errors: z.array(fieldError).optional(),
});

export const invoiceReadQuerySchema = z.strictObject({
  include: z
    .enum(['pdf'])
    .optional()
    .describe(
      'pdf: also return the stored PDF as pdf_base64 (else null; GET /invoices/{id}/pdf downloads it)',
    ),
});

export const invoiceTimelineSchema = z.object({
  invoice_id: z.string(),
  events: z.array(
    z.object({
      /** What happened, e.g. `invoice.issued`, `transmission.delivered`, `transmission.reporting_rejected`. */
      action: z.string(),
      at: z.string(),
      /** The person who did it; null when the system did (the outbox, a provider's webhook, a job). */
      actor: z.string().nullable(),
      details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    }),
  ),
});
