import { ACCOUNTANT_SCOPES, ROLES, SEAL_ALGORITHMS } from '@invoiceflow/db/schema';
import {
  findProfile,
  isCountryCode,
  isTimeZone,
  type JurisdictionProfile,
  normaliseTaxRate,
  SELLER_ID_SCHEMES,
  taxRateProblem,
  UAE_REGISTRATION_TYPES,
} from '@invoiceflow/jurisdictions';
import { z } from 'zod';

export const COMPANY_LANGUAGES = ['en', 'ar'] as const;

import { bicSchema, ibanSchema } from '../../lib/iban';
import { addressSchema, checkPartyRules } from '../../lib/schemas';

const countrySchema = z
  .string()
  .refine(isCountryCode, { message: 'An ISO 3166-1 alpha-2 country code, e.g. SA or NL.' });

const timeZoneSchema = z
  .string()
  .max(64)
  .refine(isTimeZone, { message: 'An IANA time zone, e.g. Europe/Amsterdam.' });

/** A tax rate in percent as decimal text ("21", "5.5"), kept canonical so one rate has one spelling. */
export const taxRateSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = taxRateProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { code: 'TAX_RATE_INVALID' } });
  })
  .transform(normaliseTaxRate);

const companyFields = {
  legal_name_en: z.string().trim().min(1).max(300),
  legal_name_ar: z.string().trim().min(1).max(300).optional(),
  country: countrySchema,
  vat_number: z.string().trim().max(20),
  registration_number: z.string().trim().min(1).max(50).optional(),
  /**
   * The scheme of registration_number: Saudi companies BT-29-1 (default CRN); UAE companies the legal registration
   * type (PINT AE BTAE-15: TL trade licence, EID Emirates ID, PAS passport, CD cabinet decision).
   */
  registration_scheme: z.enum([...SELLER_ID_SCHEMES, ...UAE_REGISTRATION_TYPES]).optional(),
  /** UAE companies: who issued the registration (PINT AE BTAE-12; a trade licence names it). */
  registration_authority: z.string().trim().min(1).max(200).optional(),
  /** The company's Peppol electronic address (EAS scheme, e.g. 0106, 9930; a UAE company's default: 0235 + TIN). */
  peppol_endpoint: z
    .strictObject({ scheme: z.string().regex(/^\d{4}$/), id: z.string().trim().min(1).max(100) })
    .optional(),
  address: addressSchema,
  /** The account invoices are paid into by default (a credit transfer's payment means, BG-16/BG-17). */
  bank_account: z
    .strictObject({
      iban: ibanSchema,
      account_name: z.string().trim().min(1).max(200).optional(),
      bic: bicSchema.optional(),
    })
    .optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. SAR')
    .optional(),
  /** Default: the country's (its capital's) time zone; required for a country without one. */
  time_zone: timeZoneSchema.optional(),
  /** A company of the generic profile: the rates it charges (default: its country's usual rates). */
  tax_rates: z.array(taxRateSchema).min(1).max(20).optional(),
};

/**
 * The company's registration as its country asks for it: a Saudi company gives its commercial registration
 * number, or its number under another scheme (BR-KSA-08: letters and digits only); elsewhere a scheme has no place.
 */
export function registrationIssues(
  profile: JurisdictionProfile,
  registration: { number: string | null | undefined; scheme: string | null | undefined },
): { path: string; code: string; message: string }[] {
  const rule = profile.sellerRegistration;
  if (registration.scheme && rule.schemes.length === 0) {
    return [
      {
        path: 'registration_scheme',
        code: 'NOT_ALLOWED',
        message: 'Companies of this country register one number without a scheme.',
      },
    ];
  }
  if (registration.scheme && !(rule.schemes as readonly string[]).includes(registration.scheme)) {
    return [
      {
        path: 'registration_scheme',
        code: 'NOT_ALLOWED',
        message: `Companies of this country register under ${rule.schemes.join(', ')}.`,
      },
    ];
  }
  if (!registration.number) {
    if (rule.isRequired) {
      return [
        {
          path: 'registration_number',
          code: rule.code,
          message:
            'Give the commercial registration number (CRN), or the number of another registration with ' +
            `registration_scheme (${rule.schemes.join(', ')}).`,
        },
      ];
    }
    if (registration.scheme) {
      return [{ path: 'registration_number', code: 'REQUIRED', message: 'Give the number of this scheme.' }];
    }
    return [];
  }
  if (rule.schemes.length > 0 && !/^[A-Za-z0-9]+$/.test(registration.number)) {
    return [{ path: 'registration_number', code: rule.code, message: 'Letters and digits only.' }];
  }
  return [];
}

export const companyCreateSchema = z.strictObject(companyFields).superRefine((company, ctx) => {
  checkPartyRules(company, ctx, { role: 'seller', requireFullAddress: true });
  const sellerProfile = findProfile(company.country);
  if (sellerProfile) {
    const registration = { number: company.registration_number, scheme: company.registration_scheme };
    for (const issue of registrationIssues(sellerProfile, registration)) {
      ctx.addIssue({
        code: 'custom',
        path: [issue.path],
        message: issue.message,
        params: { code: issue.code },
      });
    }
  }
  if (company.address.country !== company.country) {
    ctx.addIssue({
      code: 'custom',
      path: ['address', 'country'],
      message: 'The address must be in the company country.',
      params: { code: 'COUNTRY_MISMATCH' },
    });
  }
  const profile = findProfile(company.country);
  if (!profile) return;
  if (!company.currency && !profile.currency) {
    ctx.addIssue({
      code: 'custom',
      path: ['currency'],
      message: 'Name the currency the company invoices in.',
      params: { code: 'CURRENCY_REQUIRED' },
    });
  }
  if (!company.time_zone && !profile.timeZone) {
    ctx.addIssue({
      code: 'custom',
      path: ['time_zone'],
      message: 'Name the time zone of the company (e.g. America/Chicago).',
      params: { code: 'TIME_ZONE_REQUIRED' },
    });
  }
  if (company.tax_rates && profile.taxRates.kind === 'fixed') {
    ctx.addIssue({
      code: 'custom',
      path: ['tax_rates'],
      message: 'The tax rates of this country are set by its rules.',
      params: { code: 'TAX_RATES_FIXED' },
    });
  }
});
export type CompanyCreateInput = z.infer<typeof companyCreateSchema>;

export const companyUpdateSchema = z
  .strictObject({
    legal_name_en: companyFields.legal_name_en.optional(),
    legal_name_ar: companyFields.legal_name_ar.nullable(),
    vat_number: companyFields.vat_number.optional(),
    registration_number: companyFields.registration_number.nullable(),
    registration_scheme: companyFields.registration_scheme.nullable(),
    registration_authority: companyFields.registration_authority.nullable(),
    peppol_endpoint: companyFields.peppol_endpoint.nullable(),
    bank_account: companyFields.bank_account.nullable(),
    address: addressSchema.optional(),
    currency: companyFields.currency,
    time_zone: companyFields.time_zone,
    is_finance_approver: z
      .boolean()
      .describe('Where invoices are approved before they are sent (UAE): finance may approve them too'),
    seal_algorithm: z
      .enum(SEAL_ALGORITHMS)
      .describe("The integrity seal's signature; fixed once the company's seal key exists (first finalize)"),
    default_language: z
      .enum(COMPANY_LANGUAGES)
      .describe("The language the company's screens start in (each user may switch)"),
  })
  .partial();
export type CompanyUpdateInput = z.infer<typeof companyUpdateSchema>;

export const companySchema = z.object({
  id: z.uuid(),
  legal_name_en: z.string(),
  legal_name_ar: z.string().nullable(),
  country: z.string(),
  vat_number: z.string().nullable(),
  registration_number: z.string().nullable(),
  registration_scheme: z.string().nullable(),
  registration_authority: z.string().nullable(),
  peppol_endpoint: z.object({ scheme: z.string(), id: z.string() }).nullable(),
  bank_account: z
    .object({ iban: z.string(), account_name: z.string().nullable(), bic: z.string().nullable() })
    .nullable()
    .describe('The default account invoices are paid into (written when an invoice names no payment means)'),
  address: z.record(z.string(), z.string()),
  currency: z.string(),
  time_zone: z.string(),
  is_approved: z.boolean(),
  /** With REQUIRE_COMPANY_APPROVAL: `pending` until a platform administrator approves or rejects it. */
  approval_status: z.enum(['approved', 'pending', 'rejected']),
  rejection_reason: z.string().nullable(),
  /** The plan whose limits hold (free, pro, unlimited). */
  plan: z.string(),
  /** Suspended by a platform administrator: its members cannot use it until it is reactivated. */
  is_suspended: z.boolean(),
  is_finance_approver: z.boolean(),
  seal_algorithm: z.enum(SEAL_ALGORITHMS),
  /** The logo printed on documents issued from now on (GET /companies/current/logo), null: none. */
  logo_id: z.uuid().nullable(),
  default_language: z.enum(COMPANY_LANGUAGES),
  created_at: z.string(),
});

export const logoSchema = z.object({
  id: z.uuid(),
  content_type: z.enum(['image/png', 'image/jpeg']),
  byte_size: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  sha256: z.string(),
  uploaded_at: z.string(),
});

export const companyDocumentSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['trade_licence', 'vat_certificate', 'other']),
  file_name: z.string(),
  content_type: z
    .string()
    .describe('application/pdf, image/png or image/jpeg: what the bytes were found to be'),
  byte_size: z.number().int(),
  sha256: z.string(),
  uploaded_by: z.uuid().nullable(),
  uploaded_at: z.string(),
});

export const numberSeriesSchema = z.object({
  /** The prefixes of the company's country (INV, CRN, DBN; Q for quotations): a series is the prefix and the year. */
  prefixes: z.record(z.string(), z.string()),
  series: z.array(
    z.object({
      series: z.string(),
      last_number: z.number().int(),
      updated_at: z.string(),
    }),
  ),
});

export const taxRatesSchema = z.object({
  /** fixed: the country's rules set the rates (SA, AE); company: the company's own list. */
  kind: z.enum(['fixed', 'company']),
  rates: z.array(z.string()),
});

export const addTaxRateBodySchema = z.strictObject({ rate: taxRateSchema });

export const memberSchema = z.object({
  user_id: z.uuid(),
  email: z.string(),
  full_name: z.string(),
  role: z.enum(ROLES),
  scopes: z.array(z.enum(ACCOUNTANT_SCOPES)),
  /** The customer a `client` member acts for; null for every other role. */
  customer_id: z.uuid().nullable(),
  is_suspended: z.boolean(),
});

export const addMemberBodySchema = z.strictObject({
  email: z
    .email()
    .max(254)
    .transform((email) => email.toLowerCase()),
  role: z.enum(ROLES),
  scopes: z.array(z.enum(ACCOUNTANT_SCOPES)).max(5).optional(),
  /** Required with role `client`: the customer record of this company the person acts for. */
  customer_id: z.uuid().optional(),
});

export const updateMemberBodySchema = z
  .strictObject({
    role: z.enum(ROLES).optional(),
    scopes: z.array(z.enum(ACCOUNTANT_SCOPES)).max(5).optional(),
    customer_id: z.uuid().optional(),
    is_suspended: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change.' });

export const invitationIdParamSchema = z.strictObject({ invitationId: z.uuid() });

export const invitationSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: z.enum(ROLES),
  scopes: z.array(z.enum(ACCOUNTANT_SCOPES)),
  customer_id: z.uuid().nullable(),
  status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
  invited_by: z.uuid().nullable(),
  expires_at: z.string(),
  created_at: z.string(),
});

export const myInvitationSchema = z.object({
  id: z.uuid(),
  company_id: z.uuid(),
  company_name: z.string(),
  role: z.enum(ROLES),
  expires_at: z.string(),
});

export const userIdParamSchema = z.strictObject({ userId: z.uuid() });

export const invitationAcceptedSchema = z.object({ company_id: z.uuid(), user_id: z.uuid() });

export const acceptInvitationBodySchema = z.strictObject({
  token: z.string().min(1).max(200),
  full_name: z.string().trim().min(1).max(200).optional(),
  password: z.string().min(10).max(256).optional(),
});

export const rejectCompanyBodySchema = z.strictObject({
  /** Mailed to the company's owners: what is missing or wrong. */
  reason: z.string().trim().min(1).max(2000),
});

export const auditEntrySchema = z.object({
  id: z.number().int(),
  actor_user_id: z.uuid().nullable(),
  action: z.string(),
  entity_type: z.string(),
  entity_id: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  request_id: z.string().nullable(),
  created_at: z.string(),
});
