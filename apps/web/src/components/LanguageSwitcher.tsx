import { LOCALES } from '../i18n/catalogs';
import { useI18n } from '../i18n/I18nProvider';

/** Each language is named in itself, so a user who cannot read the current one still finds theirs. */
export function LanguageSwitcher() {
  const { locale, setLocale, t } = useI18n();
  return (
    <fieldset className="segmented" aria-label={t('lang.label')}>
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          className="segmented-option"
          aria-pressed={l === locale}
          data-testid={`lang-${l}`}
          onClick={() => setLocale(l)}
        >
          {t(`lang.${l}`)}
        </button>
      ))}
    </fieldset>
  );
}
