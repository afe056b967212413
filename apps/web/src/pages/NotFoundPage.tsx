import { useI18n } from '../i18n/I18nProvider';
import { Link } from '../router/router';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('notFound.title')}</h1>
      </header>
      <Link to="/">{t('notFound.back')}</Link>
    </div>
  );
}
