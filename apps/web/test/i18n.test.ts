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
