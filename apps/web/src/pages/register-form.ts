import { COUNTRY_CODES, DEFAULT_COUNTRY, EMIRATES, findProfile } from '@invoiceflow/jurisdictions';
import type { Address, CountryCode, RegisterInput } from '../api/types';
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
  'company.time_zone',
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
  'company.time_zone',
]);

export { EMIRATES };

/** The currency a company of the country invoices in by default (empty: it must choose). */
export const defaultCurrency = (country: CountryCode): string => findProfile(country)?.currency ?? '';

/** The time zone a company of the country starts with: its profile's, else the browser's own. */
export function defaultTimeZone(country: CountryCode): string {
  return findProfile(country)?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

/** Whether the country's addresses name a subdivision (the UAE's emirate). */
export const hasEmirate = (country: CountryCode): boolean =>
  findProfile(country)?.subdivisions?.field === 'emirate';

export function emptyRegisterValues(country: CountryCode = DEFAULT_COUNTRY): RegisterValues {
  const values = Object.fromEntries(REGISTER_FIELDS.map((f) => [f, ''])) as RegisterValues;
  values['company.country'] = country;
  values['company.currency'] = defaultCurrency(country);
  values['company.time_zone'] = defaultTimeZone(country);
  return values;
}

export const countryOf = (values: RegisterValues): CountryCode =>
  values['company.country'] || DEFAULT_COUNTRY;

const ADDRESS_FIELD_PREFIX = 'company.address.';

/** Required by the country's profile (a Saudi address: building number, district, postal code; a UAE one: the emirate). */
export function isRequired(field: RegisterField, country: CountryCode): boolean {
  if (
    field.startsWith(ADDRESS_FIELD_PREFIX) &&
    field !== 'company.address.street' &&
    field !== 'company.address.city'
  ) {
    const required = findProfile(country)?.requiredCompanyAddressFields ?? [];
    return (required as readonly string[]).includes(field.slice(ADDRESS_FIELD_PREFIX.length));
  }
  if (field === 'company.currency') return !findProfile(country)?.currency;
  // BR-KSA-08: a Saudi company gives its commercial registration (the profile says who must).
  if (field === 'company.registration_number')
    return findProfile(country)?.sellerRegistration.isRequired ?? false;
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
    if (field === 'company.address.emirate' && !hasEmirate(country)) continue;
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
      time_zone: optional('company.time_zone'),
      address: {
        street: v('company.address.street'),
        building_number: optional('company.address.building_number'),
        district: optional('company.address.district'),
        city: v('company.address.city'),
        postal_code: optional('company.address.postal_code'),
        country,
        // The select offers the emirates only; the server checks the code again.
        emirate: hasEmirate(country) ? (v('company.address.emirate') as Address['emirate']) : undefined,
      },
    },
  };
}

/** Every ISO 3166-1 country; those with rules of their own (Saudi Arabia, the UAE) first. */
export const COUNTRY_OPTIONS: readonly CountryCode[] = [
  ...COUNTRY_CODES.filter((code) => findProfile(code)?.rules !== 'en16931'),
  ...COUNTRY_CODES.filter((code) => findProfile(code)?.rules === 'en16931'),
];

const regionNames = new Map<string, Intl.DisplayNames>();

/** The country's name in the interface language: our own translation when there is one, else Intl's. */
export function countryName(code: CountryCode, locale: string, translated?: string): string {
  if (translated) return translated;
  let names = regionNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: 'region' });
    regionNames.set(locale, names);
  }
  return names.of(code) ?? code;
}
