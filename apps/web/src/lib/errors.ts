import { type ApiError, isApiError } from '../api/client';
import type { FieldError } from '../api/types';
import type { MessageKey } from '../i18n/messages-en';

type Translate = (key: MessageKey) => string;

// Codes we word ourselves so they read well in both languages (codes from apps/api/src/lib/errors.ts);
// any other code shows the server's message, which is written for people.
const MESSAGE_BY_CODE: Record<string, MessageKey> = {
  NETWORK_ERROR: 'error.network',
  TOO_MANY_REQUESTS: 'error.rateLimited',
  TOO_MANY_LOGIN_ATTEMPTS: 'error.rateLimited',
  INVALID_CREDENTIALS: 'error.invalidCredentials',
  MFA_CODE_INVALID: 'error.invalidMfa',
  EMAIL_TAKEN: 'error.emailTaken',
  RESET_TOKEN_INVALID: 'error.invalidResetToken',
  INTERNAL_ERROR: 'error.generic',
  TIME_ENTRY_INVOICED: 'time.lockedError',
  FILE_STORAGE_UNAVAILABLE: 'expenses.storageError',
  LAST_OWNER: 'error.lastOwner',
  INVITATION_INVALID: 'error.invitationInvalid',
  PORTAL_LINK_USED: 'portal.error.linkUsed',
  PORTAL_LINK_EXPIRED: 'portal.error.linkExpired',
  PORTAL_LINK_NOT_FOUND: 'portal.error.linkNotFound',
  PORTAL_VIEW_EXPIRED: 'portal.error.viewExpired',
  PORTAL_VIEW_NOT_FOUND: 'portal.error.viewExpired',
  INVOICE_XML_NOT_FOUND: 'portal.error.xmlMissing',
  COMPANY_SUSPENDED: 'error.companySuspended',
  PLAN_LIMIT_REACHED: 'error.planLimitReached',
  SUPER_ADMIN_REQUIRED: 'error.superAdminRequired',
};

// Field-level codes of problem+json `errors[]` that we can say in the user's language.
const FIELD_MESSAGE_BY_CODE: Record<string, MessageKey> = {
  REQUIRED: 'validation.required',
  TOO_BIG: 'validation.tooLong',
  EMIRATE_REQUIRED: 'validation.required',
  VAT_NUMBER_INVALID: 'validation.vatInvalid',
  'BR-KSA-37': 'validation.buildingNumber',
  // A Saudi postal code is 5 digits: BR-KSA-66 for the seller, BR-KSA-67 for a buyer.
  'BR-KSA-66': 'validation.postalCodeSa',
  'BR-KSA-67': 'validation.postalCodeSa',
  VAT_RATE_NOT_IN_COMPANY_LIST: 'validation.rateNotInList',
  TAX_RATE_INVALID: 'validation.taxRate',
};

export function describeError(error: unknown, t: Translate): string {
  if (!isApiError(error)) return t('error.generic');
  const key = MESSAGE_BY_CODE[error.code] ?? (error.status === 429 ? 'error.rateLimited' : undefined);
  if (key) return t(key);
  return error.message && error.status < 500 ? error.message : t('error.generic');
}

export function describeFieldError(error: FieldError, t: Translate): string {
  const key = FIELD_MESSAGE_BY_CODE[error.code];
  return key ? t(key) : error.message;
}

/** Field errors of a problem+json response that no field on the form claims, to show in the summary. */
export function unclaimedFieldErrors(error: ApiError, claimed: readonly string[], t: Translate): string[] {
  return error.errors
    .filter((e) => !claimed.includes(e.path))
    .map((e) => `${e.path}: ${describeFieldError(e, t)}`);
}
