// The accountant workspace (assignments from both sides, the read-only client views), expenses and time entries.
import type { ApiClient } from './client';
import type { Customer, Invoice, InvoiceList, Money, Page, Payment } from './domain-types';
import { queryString } from './resources';

type Signal = { signal?: AbortSignal };

export const ACCOUNTANT_SCOPES = ['invoices', 'customers', 'expenses', 'hours', 'payments'] as const;
export type AccountantScope = (typeof ACCOUNTANT_SCOPES)[number];
export type AssignmentStatus = 'pending' | 'active' | 'suspended' | 'revoked';

export interface Assignment {
  id: string;
  email: string;
  scopes: AccountantScope[];
  status: AssignmentStatus;
  is_expired: boolean;
  accountant_name: string | null;
  practice_name: string | null;
  expires_at: string;
  accepted_at: string | null;
  created_at: string;
}

export interface Invitation {
  id: string;
  client_company_id: string;
  client_name: string;
  scopes: AccountantScope[];
  expires_at: string;
}

export interface AccountantClient {
  client_id: string;
  assignment_id: string;
  legal_name_en: string;
  legal_name_ar: string | null;
  country: string;
  currency: string;
  status: 'active' | 'suspended';
  scopes: AccountantScope[];
  practice_company_id: string | null;
  practice_name: string | null;
  access: 'self' | 'practice' | 'staff';
  /** The practice's staff on this client; only its owners and admins see it (null otherwise). */
  staff_user_ids: string[] | null;
}

/** A member of the active company, as the practice picks its staff from them. */
export interface Member {
  user_id: string;
  email: string;
  full_name: string;
  role: string;
  is_suspended: boolean;
}

/** Whose books an answer comes from; every read under /accountant/clients/{id}/… carries it. */
export interface ClientName {
  id: string;
  legal_name_en: string;
  legal_name_ar: string | null;
}

export interface Receipt {
  file_name: string;
  content_type: string;
  byte_size: number;
  uploaded_at: string;
}

export interface Expense {
  id: string;
  expense_date: string;
  vendor: string;
  category: string;
  description: string | null;
  amount: Money;
  vat_amount: Money;
  vat_rate: string;
  is_vat_recoverable: boolean;
  currency: string;
  status: string;
  receipt: Receipt | null;
}

export interface ExpenseInput {
  expense_date: string;
  vendor: string;
  category: string;
  description?: string | null;
  amount: string;
  vat_rate: string;
  is_vat_recoverable: boolean;
}

export interface TimeEntry {
  id: string;
  customer_id: string;
  project: string | null;
  entry_date: string;
  hours: string;
  hourly_rate: Money;
  amount: Money;
  currency: string;
  is_billable: boolean;
  description: string | null;
  invoice_id: string | null;
  invoice_number: string | null;
}

export interface TimeEntryInput {
  customer_id: string;
  project?: string | null;
  entry_date: string;
  hours: string;
  hourly_rate: string;
  is_billable: boolean;
  description?: string | null;
}

type PageQuery = { page?: number; page_size?: number };

// ── The client's side ──
export const listAccountants = (api: ApiClient, opts?: Signal) =>
  api.get<{ accountants: Assignment[] }>('/api/v1/companies/current/accountants', opts);
export const inviteAccountant = (api: ApiClient, input: { email: string; scopes: AccountantScope[] }) =>
  api.post<void>('/api/v1/companies/current/accountants', input);
export const updateAccountant = (
  api: ApiClient,
  id: string,
  change: { status?: 'active' | 'suspended' | 'revoked'; scopes?: AccountantScope[] },
) => api.patch<Assignment>(`/api/v1/companies/current/accountants/${id}`, change);

// ── The accountant's side ──
export const listInvitations = (api: ApiClient, opts?: Signal) =>
  api.get<{ invitations: Invitation[] }>('/api/v1/accountant/invitations', opts);
/** Accepts for oneself, or for a practice (a company the user owns or runs) when `practiceCompanyId` is given. */
export const acceptInvitation = (api: ApiClient, id: string, practiceCompanyId?: string) =>
  api.post<Assignment>(
    `/api/v1/accountant/invitations/${id}/accept`,
    practiceCompanyId ? { practice_company_id: practiceCompanyId } : {},
  );
export const listMembers = (api: ApiClient, opts?: Signal) =>
  api.get<{ members: Member[] }>('/api/v1/companies/current/members', opts);
/** The practice (the active company) names which of its members work on a client. */
export const setClientStaff = (api: ApiClient, clientId: string, userIds: string[]) =>
  api.put<{ staff_user_ids: string[] }>(`/api/v1/practice/clients/${encodeURIComponent(clientId)}/staff`, {
    user_ids: userIds,
  });
export const listClients = (api: ApiClient, opts?: Signal) =>
  api.get<{ clients: AccountantClient[] }>('/api/v1/accountant/clients', opts);

const clientPath = (clientId: string, rest: string) =>
  `/api/v1/accountant/clients/${encodeURIComponent(clientId)}/${rest}`;
export const listClientInvoices = (api: ApiClient, clientId: string, q: PageQuery, opts?: Signal) =>
  api.get<InvoiceList & { client: ClientName }>(clientPath(clientId, `invoices${queryString(q)}`), opts);
export const getClientInvoice = (api: ApiClient, clientId: string, id: string, opts?: Signal) =>
  api.get<Invoice & { client: ClientName }>(clientPath(clientId, `invoices/${id}`), opts);
export const listClientCustomers = (api: ApiClient, clientId: string, q: PageQuery, opts?: Signal) =>
  api.get<Page & { customers: Customer[]; client: ClientName }>(
    clientPath(clientId, `customers${queryString(q)}`),
    opts,
  );
export const listClientExpenses = (api: ApiClient, clientId: string, q: PageQuery, opts?: Signal) =>
  api.get<Page & { expenses: Expense[]; client: ClientName }>(
    clientPath(clientId, `expenses${queryString(q)}`),
    opts,
  );
export const listClientTimeEntries = (api: ApiClient, clientId: string, q: PageQuery, opts?: Signal) =>
  api.get<Page & { time_entries: TimeEntry[]; client: ClientName }>(
    clientPath(clientId, `time-entries${queryString(q)}`),
    opts,
  );
export const listClientPayments = (api: ApiClient, clientId: string, q: PageQuery, opts?: Signal) =>
  api.get<Page & { payments: Payment[]; client: ClientName }>(
    clientPath(clientId, `payments${queryString(q)}`),
    opts,
  );

// ── Expenses ──
export const listExpenses = (api: ApiClient, q: PageQuery, opts?: Signal) =>
  api.get<Page & { expenses: Expense[] }>(`/api/v1/expenses${queryString(q)}`, opts);
export const createExpense = (api: ApiClient, input: ExpenseInput) =>
  api.post<Expense>('/api/v1/expenses', input);
/** The file as the body, under its own type; the server reads the real type from the bytes. */
export const uploadReceipt = (api: ApiClient, id: string, file: File) =>
  api.put<Receipt>(`/api/v1/expenses/${id}/receipt${queryString({ file_name: file.name })}`, file, {
    headers: { 'content-type': file.type || 'application/octet-stream' },
  });
export const downloadReceipt = (api: ApiClient, id: string) => api.download(`/api/v1/expenses/${id}/receipt`);
export const updateExpense = (api: ApiClient, id: string, change: Partial<ExpenseInput>) =>
  api.patch<Expense>(`/api/v1/expenses/${id}`, change);
export const deleteExpense = (api: ApiClient, id: string) => api.delete<void>(`/api/v1/expenses/${id}`);

// ── Time entries ──
export const listTimeEntries = (
  api: ApiClient,
  q: PageQuery & { customer_id?: string; is_invoiced?: boolean },
  opts?: Signal,
) => api.get<Page & { time_entries: TimeEntry[] }>(`/api/v1/time-entries${queryString(q)}`, opts);
export const createTimeEntry = (api: ApiClient, input: TimeEntryInput) =>
  api.post<TimeEntry>('/api/v1/time-entries', input);
/** Refused with 409 TIME_ENTRY_INVOICED once the entry is on an invoice. */
export const updateTimeEntry = (api: ApiClient, id: string, change: Partial<TimeEntryInput>) =>
  api.patch<TimeEntry>(`/api/v1/time-entries/${id}`, change);
export const deleteTimeEntry = (api: ApiClient, id: string) => api.delete<void>(`/api/v1/time-entries/${id}`);
export const invoiceTimeEntries = (api: ApiClient, customerId: string) =>
  api.post<{ invoice: Invoice; time_entry_ids: string[] }>('/api/v1/time-entries/invoice', {
    customer_id: customerId,
  });
