import { currencyDigits } from '@invoiceflow/totals';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { directionOf, LOCALES, type Locale, type MessageParams, translate } from './catalogs';
import {
  formatAmount,
  formatDate,
  formatDecimal,
  formatIsoDate,
  formatMoney,
  formatNumber,
  formatTime,
} from './format';
import type { MessageKey } from './messages-en';

const LOCALE_KEY = 'invoiceflow.locale';

export interface I18n {
  locale: Locale;
  dir: 'ltr' | 'rtl';
  setLocale(locale: Locale): void;
  t(key: MessageKey, params?: MessageParams): string;
  formatNumber(value: number): string;
  formatMoney(amount: string, currency: string): string;
  formatDate(date: Date): string;
  /** Amount without the currency code, with the currency's minor digits. */
  formatAmount(amount: string, currency: string): string;
  formatDecimal(value: string): string;
  formatIsoDate(iso: string): string;
  formatTime(date: Date): string;
}

const I18nContext = createContext<I18n | null>(null);

/** The saved choice, else the browser's language, else English. */
export function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(LOCALE_KEY);
    if (saved && (LOCALES as readonly string[]).includes(saved)) return saved as Locale;
  } catch {
    // Storage unavailable: fall through to the browser language.
  }
  return typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('ar') ? 'ar' : 'en';
}

/**
 * Direction lives on <html> so that every logical CSS property (margin-inline-start, inset-inline-end, …)
 * and the browser's own widgets (select arrows, scrollbars) mirror together.
 */
export function applyDocumentLocale(locale: Locale): void {
  document.documentElement.lang = locale;
  document.documentElement.dir = directionOf(locale);
}

export function I18nProvider({ children, initial }: { children: ReactNode; initial: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(initial);

  const setLocale = useCallback((next: Locale) => {
    applyDocumentLocale(next);
    try {
      localStorage.setItem(LOCALE_KEY, next);
    } catch {
      // The choice still holds for this tab.
    }
    setLocaleState(next);
  }, []);

  const value = useMemo<I18n>(
    () => ({
      locale,
      dir: directionOf(locale),
      setLocale,
      t: (key, params) => translate(locale, key, params),
      formatNumber: (n) => formatNumber(locale, n),
      formatMoney: (amount, currency) => formatMoney(locale, amount, currency),
      formatDate: (date) => formatDate(locale, date),
      formatAmount: (amount, currency) => formatAmount(locale, amount, safeDigits(currency)),
      formatDecimal: (value) => formatDecimal(locale, value),
      formatIsoDate: (iso) => formatIsoDate(locale, iso),
      formatTime: (date) => formatTime(locale, date),
    }),
    [locale, setLocale],
  );

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function safeDigits(currency: string): number {
  try {
    return currencyDigits(currency);
  } catch {
    return 2;
  }
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n must be used inside <I18nProvider>');
  return ctx;
}
