import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages-en';

/** Holds a navigation slot (Invoices, Customers, …) until its issue replaces it with the real screen. */
export function SectionPlaceholderPage({ title }: { title: MessageKey }) {
  const { t } = useI18n();
  return (
    <div className="page">
      <header className="page-header">
        <h1>{t(title)}</h1>
      </header>
      <div className="card empty-state">
        <p className="muted">{t('placeholder.body')}</p>
      </div>
    </div>
  );
}
