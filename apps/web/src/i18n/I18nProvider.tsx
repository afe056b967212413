import { currencyDigits } from '@invoiceflow/totals';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { directionOf, LOCALES, type Locale, type MessageParams, translate } from './catalogs';
import {
  DIGITS,
  type Digits,
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
const DIGITS_KEY = 'invoiceflow.digits';

export interface I18n {
  locale: Locale;
  dir: 'ltr' | 'rtl';
  setLocale(locale: Locale): void;
  /** Arabic's digits, Latin unless the reader chose Arabic-Indic (English always has Latin ones). */
  digits: Digits;
  setDigits(digits: Digits): void;
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

/** The reader's saved choice of digits, else Latin. */
function initialDigits(): Digits {
  try {
    const saved = localStorage.getItem(DIGITS_KEY);
    if (saved && (DIGITS as readonly string[]).includes(saved)) return saved as Digits;
  } catch {
    // Storage unavailable: Latin.
  }
  return 'latn';
}

export function I18nProvider({ children, initial }: { children: ReactNode; initial: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(initial);
  const [digits, setDigitsState] = useState<Digits>(initialDigits);
  const setDigits = useCallback((next: Digits) => {
    try {
      localStorage.setItem(DIGITS_KEY, next);
    } catch {
      // The choice still holds for this tab.
    }
    setDigitsState(next);
  }, []);

  const setLocale = useCallback((next: Locale) => {
    applyDocumentLocale(next);
    try {
      localStorage.setItem(LOCALE_KEY, next);
    } catch {
      // The choice still holds for this tab.
    }
    setLocaleState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const reader = { locale, digits };
    return {
      locale,
      dir: directionOf(locale),
      setLocale,
      digits,
      setDigits,
      t: (key, params) => translate(locale, key, params, digits),
      formatNumber: (n) => formatNumber(reader, n),
      formatMoney: (amount, currency) => formatMoney(reader, amount, currency),
      formatDate: (date) => formatDate(reader, date),
      formatAmount: (amount, currency) => formatAmount(reader, amount, safeDigits(currency)),
      formatDecimal: (value) => formatDecimal(reader, value),
      formatIsoDate: (iso) => formatIsoDate(reader, iso),
      formatTime: (date) => formatTime(reader, date),
    };
  }, [locale, setLocale, digits, setDigits]);

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
