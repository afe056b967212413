import { type ApiError, isApiError } from '../api/client';
import type { MessageKey } from '../i18n/messages-en';

// Codes we word ourselves so they read well in both languages; any other code shows the server's message,
// which is written for people (STYLE.md: coded errors with a human message).
const MESSAGE_BY_CODE: Record<string, MessageKey> = {
  NETWORK_ERROR: 'error.network',
  RATE_LIMITED: 'error.rateLimited',
  INVALID_CREDENTIALS: 'error.invalidCredentials',
  INVALID_MFA_CODE: 'error.invalidMfa',
  MFA_INVALID_CODE: 'error.invalidMfa',
  EMAIL_TAKEN: 'error.emailTaken',
  EMAIL_ALREADY_REGISTERED: 'error.emailTaken',
  EMAIL_IN_USE: 'error.emailTaken',
  INVALID_RESET_TOKEN: 'error.invalidResetToken',
  RESET_TOKEN_INVALID: 'error.invalidResetToken',
};

export function describeError(error: unknown, t: (key: MessageKey) => string): string {
  if (!isApiError(error)) return t('error.generic');
  const key = MESSAGE_BY_CODE[error.code] ?? (error.status === 429 ? 'error.rateLimited' : undefined);
  if (key) return t(key);
  return error.message && error.status < 500 ? error.message : t('error.generic');
}

/** Field errors of a problem+json response that no field on the form claims, to show in the summary. */
export function unclaimedFieldErrors(error: ApiError, claimed: readonly string[]): string[] {
  return error.errors.filter((e) => !claimed.includes(e.path)).map((e) => e.message);
}
