import { IntlMessageFormat } from 'intl-messageformat';
import { type Digits, intlLocale, numberFormat } from './format';
import { ar } from './messages-ar';
import { en, type MessageKey, type Messages } from './messages-en';

export type Locale = 'en' | 'ar';

export const LOCALES: readonly Locale[] = ['en', 'ar'];
export const catalogs: Record<Locale, Messages> = { en, ar };
export const directionOf = (locale: Locale): 'ltr' | 'rtl' => (locale === 'ar' ? 'rtl' : 'ltr');

export type MessageParams = Record<string, string | number>;

// Messages with counts are ICU plurals (`{count, plural, one {# invoice} other {# invoices}}`): the language's own
// plural rules (Intl.PluralRules, through intl-messageformat) pick the form — English has two, Arabic six.
const plurals = new Map<string, IntlMessageFormat>();

/**
 * Looks up a message and fills `{name}` placeholders; unknown placeholders stay visible to be noticed. Numbers are
 * written in the reader's digits (without grouping: a year or a line number is not an amount).
 */
export function translate(
  locale: Locale,
  key: MessageKey,
  params?: MessageParams,
  digits: Digits = 'latn',
): string {
  const template = catalogs[locale][key];
  if (!params) return template;
  const reader = { locale, digits };
  if (template.includes(', plural,')) {
    const cacheKey = `${intlLocale(reader)}|${key}`;
    let format = plurals.get(cacheKey);
    if (!format) {
      format = new IntlMessageFormat(template, intlLocale(reader));
      plurals.set(cacheKey, format);
    }
    return String(format.format(params));
  }
  const plain = numberFormat(reader, { useGrouping: false, maximumFractionDigits: 20 });
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const value = params[name];
    return typeof value === 'number' ? plain.format(value) : String(value);
  });
}

/** Placeholder names in a template (plain and plural), each once, for the catalog parity test. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1] ?? ''))].sort();
}
