import { useI18n } from '../i18n/I18nProvider';

export function Logo() {
  const { t } = useI18n();
  return (
    <span className="logo">
      <svg className="logo-mark" viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="8" fill="currentColor" />
        <path d="M10 8h9l5 5v11a1 1 0 0 1-1 1H10a1 1 0 0 1-1-1V9a1 1 0 0 1 1-1z" fill="#fff" />
        <path d="M12 16h8M12 19.5h8M12 23h5" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      </svg>
      {/* The product name is a brand: keep it Latin and left-to-right inside Arabic text. */}
      <span className="logo-name" dir="ltr">
        {t('app.name')}
      </span>
    </span>
  );
}
