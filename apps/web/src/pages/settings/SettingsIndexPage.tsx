import { api } from '../../api/browser-client';
import { companyUsage, type UsageLine } from '../../api/platform';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages-en';
import { useLoader } from '../../lib/use-loader';
import { Link } from '../../router/router';

const SECTIONS: readonly { path: string; title: MessageKey; text: MessageKey; testId: string }[] = [
  {
    path: '/settings/company',
    title: 'companyProfile.title',
    text: 'companyProfile.cardText',
    testId: 'settings-company',
  },
  {
    path: '/settings/e-invoicing',
    title: 'einvoicing.title',
    text: 'einvoicing.cardText',
    testId: 'settings-einvoicing',
  },
  {
    path: '/settings/numbering',
    title: 'numbering.title',
    text: 'numbering.cardText',
    testId: 'settings-numbering',
  },
  {
    path: '/settings/transmission',
    title: 'transmissionSettings.title',
    text: 'transmissionSettings.cardText',
    testId: 'settings-transmission',
  },
  { path: '/settings/team', title: 'settings.team', text: 'settings.teamText', testId: 'settings-team' },
  {
    path: '/settings/accountants',
    title: 'settings.accountants',
    text: 'settings.accountantsText',
    testId: 'settings-accountants',
  },
  {
    path: '/settings/payments',
    title: 'settings.payments',
    text: 'settings.paymentsText',
    testId: 'settings-payments',
  },
  {
    path: '/settings/reminders',
    title: 'reminders.title',
    text: 'reminders.cardText',
    testId: 'settings-reminders',
  },
  {
    path: '/settings/webhooks',
    title: 'settings.webhooks',
    text: 'settings.webhooksText',
    testId: 'settings-webhooks',
  },
];

/** Settings: the sections an owner or administrator manages, each a card linking to its page. */
export function SettingsIndexPage({ canManage }: { canManage: boolean }) {
  const { t } = useI18n();
  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('nav.settings')}</h1>
        <p className="muted">{canManage ? t('settings.subtitle') : t('settings.ownersOnly')}</p>
      </header>
      <p>
        <Link to="/settings/security" data-testid="settings-security">
          {t('security.title')}
        </Link>{' '}
        <span className="muted">{t('security.cardText')}</span>
      </p>
      <UsageCard />
      {canManage && (
        <ul className="plain-list" data-testid="settings-index">
          {SECTIONS.map((section) => (
            <li key={section.path} className="card">
              <h2 className="card-title">
                <Link to={section.path} data-testid={section.testId}>
                  {t(section.title)}
                </Link>
              </h2>
              <p className="muted">{t(section.text)}</p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The company's plan and what it used of it: this month's invoices, its users, its stored files. */
function UsageCard() {
  const { t, formatNumber } = useI18n();
  const usage = useLoader((signal) => companyUsage(api, { signal }), []);
  const data = usage.data;
  if (!data) return null;
  const mib = (bytes: number) => `${formatNumber(Math.ceil(bytes / (1024 * 1024)))} MiB`;
  const line = (value: UsageLine, show: (n: number) => string) =>
    value.limit === null
      ? t('usage.unlimitedOf', { used: show(value.used) })
      : t('usage.of', { used: show(value.used), limit: show(value.limit) });
  return (
    <section className="card" data-testid="plan-usage" data-plan={data.plan}>
      <h2 className="card-title">{t('usage.title', { plan: t(`plan.${data.plan}` as MessageKey) })}</h2>
      <dl className="plain-list">
        <dt>{t('usage.invoices')}</dt>
        <dd data-testid="usage-invoices">{line(data.usage.invoices_per_month, formatNumber)}</dd>
        <dt>{t('usage.users')}</dt>
        <dd data-testid="usage-users">{line(data.usage.users, formatNumber)}</dd>
        <dt>{t('usage.storage')}</dt>
        <dd data-testid="usage-storage">{line(data.usage.storage_bytes, mib)}</dd>
      </dl>
    </section>
  );
}
