import type { CountryCode } from '../api/types';
import type { MessageKey } from '../i18n/messages-en';

/** A verdict the form can render: `error` blocks submit; `hint` is neutral guidance while typing. */
export type Check =
  | { kind: 'empty' }
  | { kind: 'hint'; key: MessageKey; params?: Record<string, number> }
  | { kind: 'error'; key: MessageKey; params?: Record<string, number> }
  | { kind: 'ok'; key?: MessageKey };

export const PASSWORD_MIN_LENGTH = 10;
const VAT_LENGTH = 15;

/**
 * Checks a VAT number while it is typed: a partial but plausible number is a hint (digit count), anything that
 * can no longer become valid is an error at once.
 * KSA: BR-KSA-40 — the seller VAT number has 15 digits, and its first and last digits are 3.
 * UAE: a TRN has 15 digits (the API checks no prefix, so neither do we).
 */
export function checkVatNumber(country: CountryCode, raw: string, { final = false } = {}): Check {
  const value = raw.trim();
  if (!value) return { kind: 'empty' };
  if (!/^\d+$/.test(value)) return { kind: 'error', key: 'validation.vatDigits' };
  if (value.length > VAT_LENGTH) return { kind: 'error', key: 'validation.vatLength' };
  if (country === 'SA' && !value.startsWith('3')) return { kind: 'error', key: 'validation.vatSaStart' };
  if (value.length < VAT_LENGTH) {
    return final
      ? { kind: 'error', key: 'validation.vatLength' }
      : { kind: 'hint', key: 'validation.vatProgress', params: { count: value.length } };
  }
  if (country === 'SA' && !value.endsWith('3')) return { kind: 'error', key: 'validation.vatSaEnd' };
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

/** BR-KSA-37: the seller's building number is 4 digits. */
export function checkBuildingNumber(country: CountryCode, value: string): Check {
  if (!value.trim()) return { kind: 'empty' };
  if (country !== 'SA') return { kind: 'ok' };
  return /^\d{4}$/.test(value.trim()) ? { kind: 'ok' } : { kind: 'error', key: 'validation.buildingNumber' };
}

/** BR-KSA-66 / BR-KSA-67: a Saudi postal code is 5 digits. */
export function checkPostalCode(country: CountryCode, value: string): Check {
  if (!value.trim()) return { kind: 'empty' };
  if (country !== 'SA') return { kind: 'ok' };
  return /^\d{5}$/.test(value.trim()) ? { kind: 'ok' } : { kind: 'error', key: 'validation.postalCodeSa' };
}
