import { findProfile } from '@invoiceflow/jurisdictions';
import type { CountryCode } from '../api/types';
import type { MessageKey } from '../i18n/messages-en';

/** A verdict the form can render: `error` blocks submit; `hint` is neutral guidance while typing. */
export type Check =
  | { kind: 'empty' }
  | { kind: 'hint'; key: MessageKey; params?: Record<string, number> }
  | { kind: 'error'; key: MessageKey; params?: Record<string, number> }
  | { kind: 'ok'; key?: MessageKey };

export const PASSWORD_MIN_LENGTH = 10;

/**
 * Checks a VAT number while it is typed, by the shape its country's profile gives (KSA BR-KSA-40: 15 digits,
 * first and last 3; UAE TRN: 15 digits): a partial but plausible number is a hint (digit count), anything that
 * can no longer become valid is an error at once. A country without a shape takes any text (the API judges).
 */
export function checkVatNumber(country: CountryCode, raw: string, { final = false } = {}): Check {
  const value = raw.trim();
  if (!value) return { kind: 'empty' };
  const format = findProfile(country)?.taxIdFormat;
  if (!format) return { kind: 'ok' };
  if (!/^\d+$/.test(value)) return { kind: 'error', key: 'validation.vatDigits' };
  if (value.length > format.digits) return { kind: 'error', key: 'validation.vatLength' };
  if (format.firstDigit && !value.startsWith(format.firstDigit))
    return { kind: 'error', key: 'validation.vatSaStart' };
  if (value.length < format.digits) {
    return final
      ? { kind: 'error', key: 'validation.vatLength' }
      : { kind: 'hint', key: 'validation.vatProgress', params: { count: value.length } };
  }
  if (format.lastDigit && !value.endsWith(format.lastDigit))
    return { kind: 'error', key: 'validation.vatSaEnd' };
  return { kind: 'ok', key: 'validation.vatOk' };
}

export function isValidVatNumber(country: CountryCode, value: string): boolean {
  return checkVatNumber(country, value, { final: true }).kind === 'ok';
}

export function checkEmail(value: string): Check {
  if (!value.trim()) return { kind: 'empty' };
  // Deliberately loose: the server and the mailbox are the real judges; this only catches typos.
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim())
    ? { kind: 'ok' }
    : { kind: 'error', key: 'validation.email' };
}

export function checkPassword(value: string): Check {
  if (!value) return { kind: 'empty' };
  return value.length >= PASSWORD_MIN_LENGTH
    ? { kind: 'ok' }
    : { kind: 'error', key: 'validation.passwordMin', params: { min: PASSWORD_MIN_LENGTH } };
}

/** The country's building number format (Saudi Arabia BR-KSA-37: 4 digits). */
export function checkBuildingNumber(country: CountryCode, value: string): Check {
  if (!value.trim()) return { kind: 'empty' };
  const pattern = findProfile(country)?.addressFormats.building_number;
  if (!pattern) return { kind: 'ok' };
  return pattern.test(value.trim()) ? { kind: 'ok' } : { kind: 'error', key: 'validation.buildingNumber' };
}

/** The country's postal code format (Saudi Arabia BR-KSA-66 seller / BR-KSA-67 buyer: 5 digits). */
export function checkPostalCode(country: CountryCode, value: string): Check {
  if (!value.trim()) return { kind: 'empty' };
  const pattern = findProfile(country)?.addressFormats.postal_code;
  if (!pattern) return { kind: 'ok' };
  return pattern.test(value.trim()) ? { kind: 'ok' } : { kind: 'error', key: 'validation.postalCodeSa' };
}
