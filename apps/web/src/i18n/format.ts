import type { Locale } from './catalogs';

/** The digits Arabic is written with: Latin (the default) or Arabic-Indic, one style on every screen. */
export type Digits = 'latn' | 'arab';
export const DIGITS: readonly Digits[] = ['latn', 'arab'];

/** Who reads: the language alone (Latin digits), or the language with the reader's choice of digits. */
export type Reader = Locale | { locale: Locale; digits: Digits };

// Latin digits in Arabic by default: invoices, VAT numbers and amounts are compared against printed documents and
// ZATCA/FTA portals that use Latin digits. A reader who prefers Arabic-Indic digits chooses them once, and then
// every number, date and count uses them. Arabic of no particular country: the language of the screen, not the
// company's country.
export function intlLocale(reader: Reader): string {
  const { locale, digits } = typeof reader === 'string' ? { locale: reader, digits: 'latn' } : reader;
  return locale === 'ar' ? `ar-u-nu-${digits}` : 'en-US';
}

const cache = new Map<string, Intl.NumberFormat>();

export function numberFormat(locale: Reader, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${intlLocale(locale)}|${JSON.stringify(options)}`;
  let nf = cache.get(key);
  if (!nf) {
    nf = new Intl.NumberFormat(intlLocale(locale), options);
    cache.set(key, nf);
  }
  return nf;
}

export function formatNumber(locale: Reader, value: number): string {
  return numberFormat(locale, {}).format(value);
}

/**
 * Formats a decimal-string amount ("5750.00") without ever turning it into a float: Intl accepts the
 * string form and formats it exactly, so 0.1 + 0.2 style artefacts cannot appear on screen.
 */
export function formatMoney(locale: Reader, amount: string, currency: string): string {
  // The API's amounts are decimal strings (the OpenAPI types say `string`); Intl reads such a string exactly.
  return numberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code' }).format(
    amount as `${number}`,
  );
}

// Building an Intl formatter costs far more than using one (locale data is loaded each time): keep them.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: Reader, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${intlLocale(locale)}|${JSON.stringify(options)}`;
  let df = dateFormats.get(key);
  if (!df) {
    df = new Intl.DateTimeFormat(intlLocale(locale), options);
    dateFormats.set(key, df);
  }
  return df;
}

export function formatDate(locale: Reader, date: Date): string {
  return dateFormat(locale, { dateStyle: 'medium' }).format(date);
}

/** An amount without its currency code (table cells under a "SAR" heading), exact like formatMoney. */
export function formatAmount(locale: Reader, amount: string, digits: number): string {
  const value = /^-?\d+(\.\d+)?$/.test(amount) ? (amount as `${number}`) : '0';
  return numberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** A plain decimal (quantity, rate) with grouping, as many decimals as it has. */
export function formatDecimal(locale: Reader, value: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(value)) return value;
  const decimals = value.split('.')[1]?.length ?? 0;
  return numberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(
    value as `${number}`,
  );
}

/** "2026-11-21" as a date in the reader's language, without a time zone shift. */
export function formatIsoDate(locale: Reader, iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  if (!y || !m || !d) return iso;
  return dateFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

export function formatTime(locale: Reader, date: Date): string {
  return dateFormat(locale, { hour: '2-digit', minute: '2-digit', hour12: false }).format(date);
}
