// The company's team (Settings → Team): members by e-mail address, their roles, invitations and their revocation,
// and the public acceptance of an invitation by its mailed link.
import type { ApiClient } from './client';

type Signal = { signal?: AbortSignal };

export const TEAM_ROLES = ['owner', 'admin', 'finance', 'accountant', 'viewer', 'client'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];
/** The roles offered when inviting or changing a member here (a client needs its customer record: the API says so). */
export const ASSIGNABLE_ROLES = ['owner', 'admin', 'finance', 'accountant', 'viewer'] as const;

export interface Member {
  id: string;
  email: string;
  full_name: string;
  role: TeamRole;
  is_active: boolean;
  joined_at: string;
}

export interface TeamInvitation {
  id: string;
  email: string;
  role: TeamRole;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  expires_at: string;
  created_at: string;
}

export const listMembers = (api: ApiClient, opts?: Signal) =>
  api.get<{ users: Member[] }>('/api/v1/users', opts);
export const inviteMember = (
  api: ApiClient,
  input: { email: string; role: TeamRole; full_name?: string; customer_id?: string },
) =>
  api.post<{ status: 'invited'; invitation_id: string; email: string; expires_at: string }>(
    '/api/v1/users',
    input,
  );
export const updateMember = (api: ApiClient, id: string, input: { role?: TeamRole; is_active?: boolean }) =>
  api.patch<Member>(`/api/v1/users/${id}`, input);
export const deactivateMember = (api: ApiClient, id: string) => api.delete<void>(`/api/v1/users/${id}`);

export const listTeamInvitations = (api: ApiClient, opts?: Signal) =>
  api.get<{ invitations: TeamInvitation[] }>('/api/v1/companies/current/invitations', opts);
export const revokeTeamInvitation = (api: ApiClient, id: string) =>
  api.delete<void>(`/api/v1/companies/current/invitations/${id}`);

/** The mailed link's acceptance: a new address signs up with its name and password. */
export const acceptInvitationByToken = (
  api: ApiClient,
  input: { token: string; full_name?: string; password?: string },
) => api.post<{ company_id: string; user_id: string }>('/api/v1/invitations/accept', input, { auth: false });
