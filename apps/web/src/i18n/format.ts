import type { Locale } from './catalogs';

// Latin digits in Arabic too: invoices, VAT numbers and amounts are compared against printed documents and
// ZATCA/FTA portals that use Latin digits, so mixing digit systems would only cause doubt.
const intlLocale = (locale: Locale) => (locale === 'ar' ? 'ar-SA-u-nu-latn' : 'en-US');

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
export function formatMoney(locale: Locale, amount: `${number}`, currency: string): string {
  return numberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code' }).format(amount);
}

export function formatDate(locale: Locale, date: Date): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium' }).format(date);
}
