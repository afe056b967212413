// Settings: the company's profile and logo, numbering and tax rates, payment reminders, the user's password and
// second factor, and the company's ZATCA e-invoice generation units (EGS) with their onboarding.
import type { ApiClient } from './client';
import type { Body, Item, Reply } from './wire';

type Signal = { signal?: AbortSignal };

export interface CompanyAddress {
  street?: string;
  building_number?: string;
  additional_number?: string;
  district?: string;
  city?: string;
  postal_code?: string;
  country: string;
  emirate?: string;
  region?: string;
}

export interface CompanyProfile {
  id: string;
  legal_name_en: string;
  legal_name_ar: string | null;
  country: string;
  vat_number: string | null;
  registration_number: string | null;
  registration_scheme: string | null;
  address: CompanyAddress;
  currency: string;
  time_zone: string;
  logo_id: string | null;
  default_language: 'en' | 'ar';
  approval_status?: 'approved' | 'pending' | 'rejected';
}

export type CompanyProfileChange = Partial<{
  legal_name_en: string;
  legal_name_ar: string | null;
  vat_number: string;
  registration_number: string | null;
  address: CompanyAddress;
  default_language: 'en' | 'ar';
}>;

export interface StoredLogo {
  id: string;
  content_type: 'image/png' | 'image/jpeg';
  byte_size: number;
  width: number;
  height: number;
}

export const getCompanyProfile = (api: ApiClient, opts?: Signal) =>
  api.get<CompanyProfile>('/api/v1/companies/current', opts);
export const updateCompanyProfile = (api: ApiClient, change: CompanyProfileChange) =>
  api.patch<CompanyProfile>('/api/v1/companies/current', change);
/** The file goes as its own bytes; the server reads its type from them. */
export const uploadCompanyLogo = (api: ApiClient, file: Blob) =>
  api.put<StoredLogo>('/api/v1/companies/current/logo', file);
export const removeCompanyLogo = (api: ApiClient) => api.delete<void>('/api/v1/companies/current/logo');
export const downloadCompanyLogo = (api: ApiClient, opts?: Signal) =>
  api.download('/api/v1/companies/current/logo', opts);

export interface NumberSeries {
  prefixes: Record<string, string>;
  series: { series: string; last_number: number; updated_at: string }[];
}
export const getNumberSeries = (api: ApiClient, opts?: Signal) =>
  api.get<NumberSeries>('/api/v1/companies/current/number-series', opts);

export interface TaxRates {
  kind: 'fixed' | 'company';
  rates: string[];
}
export const getTaxRates = (api: ApiClient, opts?: Signal) =>
  api.get<TaxRates>('/api/v1/companies/current/tax-rates', opts);
export const addTaxRate = (api: ApiClient, rate: string) =>
  api.post<TaxRates>('/api/v1/companies/current/tax-rates', { rate });

// ── Payment reminders: days relative to the due date (−3 three days before, 7 a week after) ──
export type ReminderSettings = Reply<'/api/v1/settings/reminders'>;
export type ReminderSettingsChange = Body<'/api/v1/settings/reminders', 'put'>;
export const getReminderSettings = (api: ApiClient, opts?: Signal) =>
  api.get<ReminderSettings>('/api/v1/settings/reminders', opts);
export const saveReminderSettings = (api: ApiClient, change: ReminderSettingsChange) =>
  api.put<ReminderSettings>('/api/v1/settings/reminders', change);

// ── The user's own security ──
export const changePassword = (api: ApiClient, input: { current_password: string; new_password: string }) =>
  api.post<void>('/api/v1/auth/password/change', input);
export const startTotp = (api: ApiClient, password: string) =>
  api.post<{ secret: string; otpauth_uri: string; qr_svg: string }>('/api/v1/auth/mfa/totp/enroll', {
    password,
  });
export const confirmTotp = (api: ApiClient, input: { code: string; password: string }) =>
  api.post<{ backup_codes: string[] }>('/api/v1/auth/mfa/totp/confirm', input);
export const disableTotp = (api: ApiClient, input: { code: string; password: string }) =>
  api.post<void>('/api/v1/auth/mfa/totp/disable', input);

/** The user's signed-in sessions (one per sign-in), the current one marked; one or all the others signed out. */
export type SignedInSession = Item<Reply<'/api/v1/me/sessions'>['sessions']>;
export const listSessions = (api: ApiClient, opts?: Signal) =>
  api.get<Reply<'/api/v1/me/sessions'>>('/api/v1/me/sessions', opts);
export const revokeSession = (api: ApiClient, id: string) => api.delete<void>(`/api/v1/me/sessions/${id}`);
export const revokeOtherSessions = (api: ApiClient) => api.delete<void>('/api/v1/me/sessions');

// ── ZATCA EGS units ──
export const EGS_ENVIRONMENTS = ['local', 'simulation', 'production', 'developer-portal'] as const;
export type EgsEnvironment = (typeof EGS_ENVIRONMENTS)[number];
export type EgsStatus = 'new' | 'compliance' | 'compliance_checked' | 'active' | 'retired';

export interface ComplianceCheck {
  number?: string;
  type?: string;
  subtype?: string;
  status?: string;
  warnings?: unknown[];
  errors?: unknown[];
}

export interface EgsUnit {
  id: string;
  environment: EgsEnvironment;
  is_local_sandbox: boolean;
  status: EgsStatus;
  is_default: boolean;
  common_name: string;
  serial_number: string;
  organization_unit_name: string;
  invoice_type: string;
  has_compliance_csid: boolean;
  has_production_csid: boolean;
  compliance_checks: ComplianceCheck[];
  last_icv: number;
  notice?: string;
  created_at: string;
}

export const listEgsUnits = (api: ApiClient, opts?: Signal) =>
  api.get<{ egs_units: EgsUnit[] }>('/api/v1/egs', opts);
export const createEgsUnit = (api: ApiClient, input: { environment: EgsEnvironment; branch_name?: string }) =>
  api.post<EgsUnit>('/api/v1/egs', input);
export const requestComplianceCsid = (api: ApiClient, id: string, otp: string) =>
  api.post<EgsUnit>(`/api/v1/egs/${id}/compliance-csid`, { otp });
export const runComplianceChecks = (api: ApiClient, id: string) =>
  api.post<EgsUnit>(`/api/v1/egs/${id}/compliance-checks`);
export const requestProductionCsid = (api: ApiClient, id: string) =>
  api.post<EgsUnit>(`/api/v1/egs/${id}/production-csid`);
export const makeDefaultEgsUnit = (api: ApiClient, id: string) =>
  api.post<EgsUnit>(`/api/v1/egs/${id}/default`);

// Company documents: the papers a company registers with, read by a platform administrator before approval.
export const COMPANY_DOCUMENT_KINDS = ['trade_licence', 'vat_certificate', 'other'] as const;
export type CompanyDocumentKind = (typeof COMPANY_DOCUMENT_KINDS)[number];

export interface CompanyDocument {
  id: string;
  kind: CompanyDocumentKind;
  file_name: string;
  content_type: string;
  byte_size: number;
  uploaded_at: string;
}

export const listCompanyDocuments = (api: ApiClient, opts?: Signal) =>
  api.get<{ documents: CompanyDocument[] }>('/api/v1/companies/current/documents', opts);
/** The file goes as its own bytes (its type read from them by the server), its kind and name in the query. */
export const uploadCompanyDocument = (api: ApiClient, kind: CompanyDocumentKind, file: File) =>
  api.post<CompanyDocument>(
    `/api/v1/companies/current/documents?kind=${kind}&file_name=${encodeURIComponent(file.name)}`,
    file,
    { headers: { 'content-type': 'application/octet-stream' } },
  );
export const deleteCompanyDocument = (api: ApiClient, id: string) =>
  api.delete<void>(`/api/v1/companies/current/documents/${id}`);
export const downloadCompanyDocument = (api: ApiClient, id: string) =>
  api.download(`/api/v1/companies/current/documents/${id}`);
