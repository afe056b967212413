import type { CountryCode, RegisterInput } from '../api/types';
import {
  type Check,
  checkBuildingNumber,
  checkEmail,
  checkPassword,
  checkPostalCode,
  checkVatNumber,
} from '../lib/validation';

// Form state is keyed by the request's dotted paths, the same paths the server puts in problem+json
// `errors[].path`, so a server error lands beside its field with no mapping table to keep in sync.
export const REGISTER_FIELDS = [
  'full_name',
  'email',
  'password',
  'company.legal_name_en',
  'company.legal_name_ar',
  'company.country',
  'company.vat_number',
  'company.registration_number',
  'company.currency',
  'company.address.street',
  'company.address.building_number',
  'company.address.district',
  'company.address.city',
  'company.address.postal_code',
  'company.address.emirate',
] as const;

export type RegisterField = (typeof REGISTER_FIELDS)[number];
export type RegisterValues = Record<RegisterField, string>;

const OPTIONAL: ReadonlySet<RegisterField> = new Set([
  'company.legal_name_ar',
  'company.registration_number',
  'company.currency',
]);

// PINT AE country-subdivision codes, as the API expects them.
export const EMIRATES = ['AUH', 'DXB', 'SHJ', 'AJM', 'UAQ', 'RAK', 'FUJ'] as const;
export const DEFAULT_CURRENCY: Record<CountryCode, string> = { SA: 'SAR', AE: 'AED' };

export function emptyRegisterValues(country: CountryCode = 'SA'): RegisterValues {
  const values = Object.fromEntries(REGISTER_FIELDS.map((f) => [f, ''])) as RegisterValues;
  values['company.country'] = country;
  values['company.currency'] = DEFAULT_CURRENCY[country];
  return values;
}

export const countryOf = (values: RegisterValues): CountryCode =>
  values['company.country'] === 'AE' ? 'AE' : 'SA';

// BR-KSA-09: a Saudi seller address needs building number, district and postal code; UAE addresses often
// have none of these, so there they are optional and the emirate is required instead.
const SA_ONLY_REQUIRED: ReadonlySet<RegisterField> = new Set([
  'company.address.building_number',
  'company.address.district',
  'company.address.postal_code',
]);

export function isRequired(field: RegisterField, country: CountryCode): boolean {
  if (field === 'company.address.emirate') return country === 'AE';
  if (SA_ONLY_REQUIRED.has(field)) return country === 'SA';
  return !OPTIONAL.has(field);
}

/** The client-side verdict for one field; `final` turns "still typing" hints into errors (on submit/blur). */
export function checkField(field: RegisterField, values: RegisterValues, final: boolean): Check {
  const value = values[field];
  const country = countryOf(values);
  const required: Check = { kind: 'error', key: 'validation.required' };
  let check: Check;
  switch (field) {
    case 'email':
      check = checkEmail(value);
      break;
    case 'password':
      check = checkPassword(value);
      break;
    case 'company.vat_number':
      check = checkVatNumber(country, value, { final });
      break;
    case 'company.address.building_number':
      check = checkBuildingNumber(country, value);
      break;
    case 'company.address.postal_code':
      check = checkPostalCode(country, value);
      break;
    default:
      check = value.trim() ? { kind: 'ok' } : { kind: 'empty' };
  }
  if (check.kind === 'empty' && final && isRequired(field, country)) return required;
  return check;
}

export function firstInvalidField(values: RegisterValues): RegisterField | null {
  const country = countryOf(values);
  for (const field of REGISTER_FIELDS) {
    if (field === 'company.address.emirate' && country !== 'AE') continue;
    if (checkField(field, values, true).kind === 'error') return field;
  }
  return null;
}

export function toRegisterInput(values: RegisterValues): RegisterInput {
  const country = countryOf(values);
  const v = (f: RegisterField) => values[f].trim();
  const optional = (f: RegisterField) => v(f) || undefined;
  return {
    email: v('email'),
    password: values.password,
    full_name: v('full_name'),
    company: {
      legal_name_en: v('company.legal_name_en'),
      legal_name_ar: optional('company.legal_name_ar'),
      country,
      vat_number: v('company.vat_number'),
      registration_number: optional('company.registration_number'),
      currency: optional('company.currency'),
      address: {
        street: v('company.address.street'),
        building_number: optional('company.address.building_number'),
        district: optional('company.address.district'),
        city: v('company.address.city'),
        postal_code: optional('company.address.postal_code'),
        country,
        emirate: country === 'AE' ? v('company.address.emirate') : undefined,
      },
    },
  };
}
