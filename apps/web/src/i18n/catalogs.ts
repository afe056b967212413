import { ar } from './messages-ar';
import { en, type MessageKey, type Messages } from './messages-en';

export type Locale = 'en' | 'ar';

export const LOCALES: readonly Locale[] = ['en', 'ar'];
export const catalogs: Record<Locale, Messages> = { en, ar };
export const directionOf = (locale: Locale): 'ltr' | 'rtl' => (locale === 'ar' ? 'rtl' : 'ltr');

export type MessageParams = Record<string, string | number>;

/** Looks up a message and fills `{name}` placeholders; unknown placeholders stay visible to be noticed. */
export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = catalogs[locale][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Placeholder names in a template, for the catalog parity test. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}
