// The company's team (Settings → Team): members by e-mail address, their roles, invitations and their revocation,
// and the public acceptance of an invitation by its mailed link.
import type { ApiClient } from './client';
import type { Body, Item, Reply } from './wire';

type Signal = { signal?: AbortSignal };

export const TEAM_ROLES = ['owner', 'admin', 'finance', 'accountant', 'viewer', 'client'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];
/** The roles offered when inviting or changing a member here (a client needs its customer record: the API says so). */
export const ASSIGNABLE_ROLES = ['owner', 'admin', 'finance', 'accountant', 'viewer'] as const;

export type Member = Item<Reply<'/api/v1/users'>['users']>;
export type TeamInvitation = Item<Reply<'/api/v1/companies/current/invitations'>['invitations']>;

export const listMembers = (api: ApiClient, opts?: Signal) =>
  api.get<Reply<'/api/v1/users'>>('/api/v1/users', opts);
export const inviteMember = (api: ApiClient, input: Body<'/api/v1/users'>) =>
  api.post<Reply<'/api/v1/users', 'post'>>('/api/v1/users', input);
export const updateMember = (api: ApiClient, id: string, input: Body<'/api/v1/users/{id}', 'patch'>) =>
  api.patch<Member>(`/api/v1/users/${id}`, input);
export const deactivateMember = (api: ApiClient, id: string) => api.delete<void>(`/api/v1/users/${id}`);

export const listTeamInvitations = (api: ApiClient, opts?: Signal) =>
  api.get<Reply<'/api/v1/companies/current/invitations'>>('/api/v1/companies/current/invitations', opts);
export const revokeTeamInvitation = (api: ApiClient, id: string) =>
  api.delete<void>(`/api/v1/companies/current/invitations/${id}`);

/** The mailed link's acceptance: a new address signs up with its name and password. */
export const acceptInvitationByToken = (api: ApiClient, input: Body<'/api/v1/invitations/accept'>) =>
  api.post<Reply<'/api/v1/invitations/accept', 'post'>>('/api/v1/invitations/accept', input, { auth: false });
