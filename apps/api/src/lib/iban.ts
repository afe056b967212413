// Bank account identifiers as ISO 13616 (IBAN) and ISO 9362 (BIC) define them. The database checks the form
// (companies_bank_iban_form); the IBAN's check digits are verified here, where a typo can be named.
import { z } from 'zod';

const IBAN_FORM = /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/;
const BIC_FORM = /^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/;

/** ISO 13616: moved the first four characters to the end, letters as 10–35, the number is 1 modulo 97. */
export function isIban(value: string): boolean {
  if (!IBAN_FORM.test(value)) return false;
  const rearranged = value.slice(4) + value.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const digits = char >= 'A' ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of digits) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

/** Spaces are how IBANs are printed ("AE07 0331 2345 6789 0123 456"); they are not part of it. */
export const ibanSchema = z
  .string()
  .transform((value) => value.replace(/\s+/g, '').toUpperCase())
  .refine(isIban, {
    message: 'An IBAN (ISO 13616) with valid check digits, e.g. AE070331234567890123456.',
    params: { code: 'IBAN_INVALID' },
  });

export const bicSchema = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase())
  .refine((value) => BIC_FORM.test(value), {
    message: 'A BIC (ISO 9362) of 8 or 11 characters, e.g. EBILAEAD.',
    params: { code: 'BIC_INVALID' },
  });
