import { useI18n } from '../i18n/I18nProvider';
import { en, type MessageKey } from '../i18n/messages-en';
import { COUNTRY_OPTIONS, countryName, EMIRATES } from '../pages/register-form';

/** The `<option>`s of a country select, named in the reader's language. */
export function CountryOptions() {
  const { t, locale } = useI18n();
  return COUNTRY_OPTIONS.map((code) => (
    <option key={code} value={code}>
      {countryName(
        code,
        locale,
        Object.hasOwn(en, `country.${code}`) ? t(`country.${code}` as MessageKey) : undefined,
      )}
    </option>
  ));
}

/** The `<option>`s of an emirate select (a UAE address), "choose" first. */
export function EmirateOptions() {
  const { t } = useI18n();
  return (
    <>
      <option value="">{t('field.choose')}</option>
      {EMIRATES.map((e) => (
        <option key={e} value={e}>
          {t(`emirate.${e}`)}
        </option>
      ))}
    </>
  );
}
