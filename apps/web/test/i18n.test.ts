import { describe, expect, it } from 'vitest';
import { catalogs, LOCALES, placeholdersOf, translate } from '../src/i18n/catalogs';
import { formatMoney } from '../src/i18n/format';
import { en } from '../src/i18n/messages-en';

const keys = Object.keys(en).sort();

describe('message catalogs', () => {
  it.each(LOCALES)('%s has exactly the English key set', (locale) => {
    expect(Object.keys(catalogs[locale]).sort()).toEqual(keys);
  });

  it.each(LOCALES)('%s has no empty message', (locale) => {
    const empty = Object.entries(catalogs[locale]).filter(([, text]) => !text.trim());
    expect(empty).toEqual([]);
  });

  it('every translation keeps the placeholders of the English message', () => {
    const mismatched = keys.filter(
      (key) =>
        JSON.stringify(placeholdersOf(catalogs.ar[key as keyof typeof en])) !==
        JSON.stringify(placeholdersOf(en[key as keyof typeof en])),
    );
    expect(mismatched).toEqual([]);
  });

  it('the Arabic catalog is actually Arabic, not copied English', () => {
    // Brand names and language self-names may stay Latin; everything else should have Arabic letters.
    const sameAsEnglish = keys.filter(
      (key) =>
        catalogs.ar[key as keyof typeof en] === en[key as keyof typeof en] &&
        !/^(app\.name|lang\.|placeholder\.title)/.test(key),
    );
    expect(sameAsEnglish).toEqual([]);
  });

  it('fills placeholders', () => {
    expect(translate('en', 'dashboard.welcome', { name: 'Sara' })).toBe('Welcome, Sara');
    expect(translate('ar', 'dashboard.welcome', { name: 'سارة' })).toBe('مرحبًا، سارة');
  });
});

describe('number formatting', () => {
  it('formats decimal-string amounts exactly, with Latin digits in Arabic too', () => {
    // Intl puts a no-break space between code and amount; compare with plain spaces.
    const money = (...args: Parameters<typeof formatMoney>) => formatMoney(...args).replace(/\s/g, ' ');
    expect(money('en', '1234567.89', 'SAR')).toBe('SAR 1,234,567.89');
    const ar = money('ar', '1234567.89', 'SAR');
    expect(ar).toMatch(/1,234,567\.89|1٬234٬567٫89/);
    expect(ar).not.toMatch(/[٠-٩]/);
    // Beyond float precision: a string must not be rounded through a double.
    expect(money('en', '90071992547409.93', 'SAR')).toBe('SAR 90,071,992,547,409.93');
  });
});

describe('plurals and digits', () => {
  it('counts take the language’s plural form: two in English, six in Arabic', () => {
    expect(translate('en', 'invoices.count', { count: 1 })).toBe('1 invoice');
    expect(translate('en', 'invoices.count', { count: 2 })).toBe('2 invoices');
    expect(translate('en', 'invoices.count', { count: 0 })).toBe('0 invoices');
    const ar = (count: number) => translate('ar', 'invoices.count', { count });
    expect(ar(0)).toBe('لا فواتير');
    expect(ar(1)).toBe('فاتورة واحدة');
    expect(ar(2)).toBe('فاتورتان');
    expect(ar(3)).toBe('3 فواتير');
    expect(ar(11)).toBe('11 فاتورة');
    expect(ar(100)).toBe('100 فاتورة');
  });

  it('Latin digits in Arabic unless the reader chose Arabic-Indic, then everywhere', () => {
    expect(translate('ar', 'invoices.count', { count: 3 })).not.toMatch(/[٠-٩]/);
    expect(translate('ar', 'invoices.count', { count: 3 }, 'arab')).toBe('٣ فواتير');
    expect(translate('ar', 'editor.line.remove', { n: 12 }, 'arab')).toContain('١٢');
    const reader = { locale: 'ar' as const, digits: 'arab' as const };
    expect(formatMoney(reader, '1234.50', 'SAR')).toMatch(/١٬٢٣٤٫٥٠/);
    // English keeps Latin digits whatever the choice.
    expect(formatMoney({ locale: 'en', digits: 'arab' }, '1234.50', 'SAR')).toContain('1,234.50');
  });
});
