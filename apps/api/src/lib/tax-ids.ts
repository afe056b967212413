/** KSA VAT registration number: 15 digits, first and last digit 3 (BR-KSA-39, BR-KSA-44). */
export const SA_VAT_PATTERN = /^3\d{13}3$/;
/** UAE Tax Registration Number: 15 digits (PINT AE ibr-…-ae rules on the TRN). */
export const AE_TRN_PATTERN = /^\d{15}$/;
/** KSA national address: building number 4 digits (BR-KSA-37), postal code 5 digits (BR-KSA-66). */
export const SA_BUILDING_NUMBER_PATTERN = /^\d{4}$/;
export const SA_POSTAL_CODE_PATTERN = /^\d{5}$/;
/** PINT AE emirate codes (country subdivision). */
export const EMIRATES = ['AUH', 'DXB', 'SHJ', 'AJM', 'UAQ', 'RAK', 'FUJ'] as const;

export type Country = 'SA' | 'AE';

export function vatNumberProblem(country: string, value: string): string | null {
  if (country === 'SA' && !SA_VAT_PATTERN.test(value)) {
    return 'A Saudi VAT number has 15 digits and starts and ends with 3.';
  }
  if (country === 'AE' && !AE_TRN_PATTERN.test(value)) return 'A UAE TRN has 15 digits.';
  return null;
}
