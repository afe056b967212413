import type { Locale } from './catalogs';

// Latin digits in Arabic too: invoices, VAT numbers and amounts are compared against printed documents and
// ZATCA/FTA portals that use Latin digits, so mixing digit systems would only cause doubt. Arabic of no
// particular country: the language of the screen, not the company's country.
export const intlLocale = (locale: Locale) => (locale === 'ar' ? 'ar-u-nu-latn' : 'en-US');

const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let nf = cache.get(key);
  if (!nf) {
    nf = new Intl.NumberFormat(intlLocale(locale), options);
    cache.set(key, nf);
  }
  return nf;
}

export function formatNumber(locale: Locale, value: number): string {
  return numberFormat(locale, {}).format(value);
}

/**
 * Formats a decimal-string amount ("5750.00") without ever turning it into a float: Intl accepts the
 * string form and formats it exactly, so 0.1 + 0.2 style artefacts cannot appear on screen.
 */
export function formatMoney(locale: Locale, amount: string, currency: string): string {
  // The API's amounts are decimal strings (the OpenAPI types say `string`); Intl reads such a string exactly.
  return numberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code' }).format(
    amount as `${number}`,
  );
}

// Building an Intl formatter costs far more than using one (locale data is loaded each time): keep them.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let df = dateFormats.get(key);
  if (!df) {
    df = new Intl.DateTimeFormat(intlLocale(locale), options);
    dateFormats.set(key, df);
  }
  return df;
}

export function formatDate(locale: Locale, date: Date): string {
  return dateFormat(locale, { dateStyle: 'medium' }).format(date);
}

/** An amount without its currency code (table cells under a "SAR" heading), exact like formatMoney. */
export function formatAmount(locale: Locale, amount: string, digits: number): string {
  const value = /^-?\d+(\.\d+)?$/.test(amount) ? (amount as `${number}`) : '0';
  return numberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** A plain decimal (quantity, rate) with grouping, as many decimals as it has. */
export function formatDecimal(locale: Locale, value: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(value)) return value;
  const decimals = value.split('.')[1]?.length ?? 0;
  return numberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(
    value as `${number}`,
  );
}

/** "2026-11-21" as a date in the reader's language, without a time zone shift. */
export function formatIsoDate(locale: Locale, iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  if (!y || !m || !d) return iso;
  return dateFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

export function formatTime(locale: Locale, date: Date): string {
  return dateFormat(locale, { hour: '2-digit', minute: '2-digit', hour12: false }).format(date);
}
