import type { ApiClient } from './client';
import type { LoginResponse, Me, RegisterInput, RegisterResponse, TokenPair } from './types';

// The auth endpoints run without a bearer token (auth: false) and never trigger the refresh-on-401 retry:
// a 401 from login means "wrong password", not "expired session".

export async function register(api: ApiClient, input: RegisterInput): Promise<RegisterResponse> {
  const res = await api.post<RegisterResponse>('/api/v1/auth/register', input, { auth: false });
  api.tokens.setTokens(res);
  return res;
}

export async function login(
  api: ApiClient,
  input: { email: string; password: string },
): Promise<LoginResponse> {
  const res = await api.post<LoginResponse>('/api/v1/auth/login', input, { auth: false });
  if (!('mfa_required' in res)) api.tokens.setTokens(res);
  return res;
}

export async function loginWithMfa(api: ApiClient, input: { mfa_token: string; code: string }) {
  const res = await api.post<TokenPair>('/api/v1/auth/login/mfa', input, { auth: false });
  api.tokens.setTokens(res);
  return res;
}

export async function logout(api: ApiClient): Promise<void> {
  const refreshToken = api.tokens.getRefreshToken();
  try {
    if (refreshToken) await api.post('/api/v1/auth/logout', { refresh_token: refreshToken }, { auth: false });
  } finally {
    // Forget the tokens even if the server could not be reached: the user asked to be signed out here.
    api.tokens.clear();
  }
}

export function fetchMe(api: ApiClient): Promise<Me> {
  return api.get<Me>('/api/v1/me');
}

export function requestPasswordReset(api: ApiClient, email: string): Promise<void> {
  return api.post('/api/v1/auth/password/forgot', { email }, { auth: false });
}

/** Opens the link mailed to confirm the account's address (works signed in or not). */
export function verifyEmail(api: ApiClient, token: string): Promise<{ email_verified: true }> {
  return api.post('/api/v1/auth/email/verify', { token }, { auth: false });
}

export function resetPassword(api: ApiClient, input: { token: string; password: string }): Promise<void> {
  return api.post('/api/v1/auth/password/reset', input, { auth: false });
}
