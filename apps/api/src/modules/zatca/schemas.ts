import { CHAIN_RUN_STATUSES, EGS_ENVIRONMENTS, ZATCA_SUBMISSION_STATUSES } from '@invoiceflow/db/schema';
import { z } from 'zod';

const message = z.object({
  type: z.string().optional(),
  code: z.string().optional(),
  category: z.string().optional(),
  message: z.string().optional(),
  status: z.string().optional(),
});

export const zatcaStatusSchema = z.object({
  invoice_id: z.uuid(),
  invoice_number: z.string(),
  egs_id: z.uuid(),
  environment: z.enum(EGS_ENVIRONMENTS),
  is_simulated: z.boolean().describe('Local sandbox: nothing was sent to ZATCA; the status is simulated'),
  uuid: z.string().describe('KSA-1'),
  icv: z.number().int().describe('KSA-16 invoice counter value'),
  invoice_hash: z.string(),
  previous_hash: z.string().describe('KSA-13'),
  qr_payload: z.string().describe('KSA-14, base64 TLV'),
  signature_status: z.string(),
  submission: z.enum(['reporting', 'clearance']),
  status: z.enum(ZATCA_SUBMISSION_STATUSES),
  zatca_status: z.string().nullable().describe("ZATCA's reportingStatus or clearanceStatus"),
  http_status: z.number().int().nullable(),
  warnings: z.array(message),
  errors: z.array(message),
  has_cleared_xml: z.boolean(),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  submitted_at: z.string().nullable(),
  updated_at: z.string(),
});

export const xmlQuerySchema = z.strictObject({
  variant: z
    .enum(['issued', 'cleared'])
    .optional()
    .describe(
      'issued: the XML as we signed it; cleared: as ZATCA stamped it. Default: cleared when there is one',
    ),
});

const chainBreak = z.object({
  kind: z.enum(['counter', 'hash', 'previous_hash', 'signature', 'data_hash', 'xml_hash']),
  chain: z
    .enum(['zatca', 'seal'])
    .default('zatca')
    .describe("An EGS unit's ZATCA chain, or the company's integrity seal chain (UAE)"),
  egs_id: z.uuid().optional().describe('The EGS unit of a ZATCA chain'),
  invoice_id: z.uuid(),
  invoice_number: z.string(),
  icv: z.number().int().describe("The document's position in its chain (ZATCA: KSA-16)"),
  expected: z.string(),
  actual: z.string(),
  message: z.string(),
});

export const chainVerificationSchema = z.object({
  ok: z.boolean(),
  count: z.number().int().describe('Documents verified (before the break, if any)'),
  egs_units: z.number().int(),
  break: chainBreak.optional(),
});

export const chainRunSchema = z.object({
  id: z.uuid(),
  status: z
    .enum(CHAIN_RUN_STATUSES)
    .describe('queued → running → done (see result) or failed (the verification itself could not finish)'),
  checked: z.number().int().describe('Documents verified so far'),
  total: z.number().int().describe("Documents in the company's chains when the run started"),
  result: chainVerificationSchema.nullable().describe('Once done: intact, or the first break'),
  error: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});
