// The platform's own side: the public home page's text, a company's plan and usage, and the super-admin console
// (companies with approval, suspension and plans; analytics counted without reading any invoice; content editing).
import type { ApiClient } from './client';

type Signal = { signal?: AbortSignal };

export type ContentLanguage = 'en' | 'ar';
export const PLAN_CODES = ['free', 'pro', 'unlimited'] as const;
export type PlanCode = (typeof PLAN_CODES)[number];
export const COMPANY_FILTERS = ['pending', 'rejected', 'approved', 'suspended', 'all'] as const;
export type CompanyFilter = (typeof COMPANY_FILTERS)[number];

/** The blocks the home page shows; any other key an administrator writes is kept but not shown. */
export const HOME_BLOCKS = ['home.title', 'home.tagline', 'home.body'] as const;

export interface PlatformCompany {
  id: string;
  legal_name_en: string;
  legal_name_ar: string | null;
  country: string;
  vat_number: string | null;
  approval_status: 'approved' | 'pending' | 'rejected';
  rejection_reason: string | null;
  plan: PlanCode;
  is_suspended: boolean;
  created_at: string;
  /** The documents it registered with (the approval queue lists them). */
  documents?: { id: string; kind: string; file_name: string; byte_size: number }[];
}

export const downloadPlatformCompanyDocument = (api: ApiClient, companyId: string, id: string) =>
  api.download(`/api/v1/admin/companies/${companyId}/documents/${id}`);

export interface Analytics {
  days: number;
  from: string;
  companies: {
    total: number;
    approved: number;
    pending: number;
    rejected: number;
    suspended: number;
    by_plan: { plan: string; companies: number }[];
  };
  active_users: number;
  invoices_issued: { day: string; country: string; issued: number }[];
  einvoice_failures: { zatca: number; transmission: number };
}

export interface ContentBlock {
  key: string;
  lang: ContentLanguage;
  body: string;
  version: number;
  updated_at: string;
}

export interface ContentVersion {
  version: number;
  body: string;
  restored_from: number | null;
  created_at: string;
}

export interface UsageLine {
  used: number;
  limit: number | null;
}

export interface Usage {
  plan: PlanCode;
  plan_name: string;
  month: string;
  usage: Record<'invoices_per_month' | 'users' | 'storage_bytes', UsageLine>;
}

export const publicContent = (api: ApiClient, lang: ContentLanguage, opts?: Signal) =>
  api.get<{ lang: ContentLanguage; blocks: Record<string, string> }>(`/api/v1/content/public?lang=${lang}`, {
    ...opts,
    auth: false,
  });

export const companyUsage = (api: ApiClient, opts?: Signal) =>
  api.get<Usage>('/api/v1/companies/current/usage', opts);

export const listCompanies = (api: ApiClient, filter: CompanyFilter, search: string, opts?: Signal) =>
  api.get<{ companies: PlatformCompany[]; next_offset: number | null }>(
    `/api/v1/admin/companies?status=${filter}${search ? `&q=${encodeURIComponent(search)}` : ''}`,
    opts,
  );
export const approveCompany = (api: ApiClient, id: string) =>
  api.post<PlatformCompany>(`/api/v1/admin/companies/${id}/approve`);
export const rejectCompany = (api: ApiClient, id: string, reason: string) =>
  api.post<PlatformCompany>(`/api/v1/admin/companies/${id}/reject`, { reason });
export const suspendCompany = (api: ApiClient, id: string, reason: string) =>
  api.post<PlatformCompany>(`/api/v1/admin/companies/${id}/suspend`, { reason });
export const reactivateCompany = (api: ApiClient, id: string) =>
  api.post<PlatformCompany>(`/api/v1/admin/companies/${id}/reactivate`);
export const assignPlan = (api: ApiClient, id: string, plan: PlanCode) =>
  api.put<PlatformCompany>(`/api/v1/admin/companies/${id}/plan`, { plan });

export const platformAnalytics = (api: ApiClient, days: number, opts?: Signal) =>
  api.get<Analytics>(`/api/v1/admin/analytics?days=${days}`, opts);

export const listContent = (api: ApiClient, opts?: Signal) =>
  api.get<{ blocks: ContentBlock[] }>('/api/v1/admin/content', opts);
export const saveContent = (api: ApiClient, key: string, lang: ContentLanguage, body: string) =>
  api.put<ContentBlock>(`/api/v1/admin/content/${key}/${lang}`, { body });
export const contentHistory = (api: ApiClient, key: string, lang: ContentLanguage, opts?: Signal) =>
  api.get<{ versions: ContentVersion[] }>(`/api/v1/admin/content/${key}/${lang}/history`, opts);
export const restoreContent = (api: ApiClient, key: string, lang: ContentLanguage, version: number) =>
  api.post<ContentBlock>(`/api/v1/admin/content/${key}/${lang}/restore`, { version });
