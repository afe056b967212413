import { EGS_ENVIRONMENTS, EGS_STATUSES } from '@invoiceflow/db/schema';
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);

export const egsCreateSchema = z.strictObject({
  environment: z
    .enum(EGS_ENVIRONMENTS)
    .describe(
      "`local`: InvoiceFlow's own sandbox, a self-issued test certificate, active at once, nothing sent to ZATCA. " +
        "`developer-portal`, `simulation`, `production`: ZATCA's environments, onboarded with an OTP.",
    ),
  common_name: text(64).optional().describe('csr.common.name: a unique name of the unit'),
  branch_name: text(64)
    .optional()
    .describe('csr.organization.unit.name: the branch (or a VAT group member TIN)'),
  industry: text(64).optional().describe('csr.industry.business.category'),
  location: text(128).optional().describe('csr.location.address; default: the company address'),
  invoice_type: z
    .string()
    .regex(/^[01]{2}00$/)
    .refine((value) => value !== '0000', 'At least one of standard and simplified')
    .optional()
    .describe(
      'csr.invoice.type TSCZ: 1100 standard and simplified (default), 1000 standard, 0100 simplified',
    ),
  replaces_egs_id: z
    .uuid()
    .nullable()
    .optional()
    .describe(
      'The unit this one takes over from once it is active (that one is retired; its chain stays verifiable). ' +
        'Absent: the default unit (a renewal). null: none — an additional unit (another branch or till) with ' +
        'a counter and hash chain of its own',
    ),
});
export type EgsCreateInput = z.output<typeof egsCreateSchema>;
/** The CSR choices of a unit (all have defaults from the company). */
export type EgsCsrOptions = Omit<EgsCreateInput, 'environment' | 'replaces_egs_id'>;

export const otpBodySchema = z.strictObject({
  otp: z
    .string()
    .regex(/^\d{6}$/, 'The 6-digit OTP from the Fatoora portal')
    .describe('One-time password generated on the Fatoora portal for this unit'),
});

export const egsSchema = z.object({
  id: z.uuid(),
  environment: z.enum(EGS_ENVIRONMENTS),
  is_local_sandbox: z.boolean(),
  status: z.enum(EGS_STATUSES),
  is_default: z.boolean().describe('The unit an invoice is signed by when it names none (egs_unit_id)'),
  is_current: z.boolean().describe('The same as is_default (the name of earlier releases)'),
  replaces_egs_id: z.uuid().nullable().describe('The unit this one takes over from once active'),
  common_name: z.string(),
  serial_number: z.string(),
  organization_identifier: z.string(),
  organization_name: z.string(),
  organization_unit_name: z.string(),
  registration_number: z.string().nullable(),
  invoice_type: z.string(),
  location: z.string(),
  industry: z.string(),
  public_key_pem: z.string(),
  csr_pem: z.string(),
  has_compliance_csid: z.boolean(),
  has_production_csid: z.boolean(),
  certificate: z.string().nullable().describe('The certificate the unit signs with (PEM)'),
  compliance_request_id: z.string().nullable(),
  production_request_id: z.string().nullable(),
  compliance_checks: z
    .array(z.record(z.string(), z.unknown()))
    .describe('Per sample document: number, type, subtype, status (passed/failed), warnings, errors'),
  last_icv: z.number().int().describe('KSA-16 of the last invoice signed by this unit (its own chain)'),
  last_invoice_hash: z.string().describe('KSA-13 of the next invoice'),
  notice: z.string().optional(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const egsListSchema = z.object({ egs_units: z.array(egsSchema) });
