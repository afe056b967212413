import type { CompanyMembership, Me } from '../api/types';
import { companyName } from '../components/company-name';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages-en';
import { Link } from '../router/router';

const ROLE_KEYS: Record<string, MessageKey> = {
  owner: 'role.owner',
  admin: 'role.admin',
  finance: 'role.finance',
  accountant: 'role.accountant',
  viewer: 'role.viewer',
};

const CURRENCY_BY_COUNTRY = { SA: 'SAR', AE: 'AED' } as const;

/** Placeholder until the reporting issue lands: who you are, where you are, and what to do first. */
export function DashboardPage({ me, company }: { me: Me; company: CompanyMembership | null }) {
  const { t, locale, formatMoney, formatNumber } = useI18n();
  const currency = company ? CURRENCY_BY_COUNTRY[company.country] : 'SAR';
  const roleLabel = (role: string) => (ROLE_KEYS[role] ? t(ROLE_KEYS[role]) : role);

  return (
    <div className="page">
      <header className="page-header">
        <h1 data-testid="welcome">{t('dashboard.welcome', { name: me.user.full_name })}</h1>
        <p className="muted">{t('dashboard.subtitle')}</p>
      </header>

      <section className="stats" aria-label={t('dashboard.title')}>
        <Stat label={t('dashboard.stat.outstanding')} value={formatMoney('0.00', currency)} />
        <Stat label={t('dashboard.stat.overdue')} value={formatMoney('0.00', currency)} />
        <Stat label={t('dashboard.stat.issuedThisMonth')} value={formatNumber(0)} />
      </section>

      <div className="grid-2">
        <section className="card">
          <h2 className="card-title">{t('dashboard.company')}</h2>
          {company ? (
            <dl className="facts">
              <dt>{t('dashboard.legalName')}</dt>
              <dd data-testid="company-name">{companyName(company, locale)}</dd>
              <dt>{t('dashboard.vatCountry')}</dt>
              <dd>{t(`country.${company.country}`)}</dd>
              <dt>{t('dashboard.role')}</dt>
              <dd>{roleLabel(company.role)}</dd>
            </dl>
          ) : (
            <p className="muted">{t('company.none')}</p>
          )}
          {me.companies.length > 1 && (
            <>
              <h3 className="card-subtitle">{t('dashboard.companies')}</h3>
              <ul className="plain-list">
                {me.companies.map((c) => (
                  <li key={c.id}>
                    {companyName(c, locale)} <span className="muted">· {roleLabel(c.role)}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>

        <section className="card">
          <h2 className="card-title">{t('dashboard.gettingStarted')}</h2>
          <ol className="steps">
            <li>
              <Link to="/customers">{t('dashboard.step.customers')}</Link>
            </li>
            <li>
              <Link to="/products">{t('dashboard.step.products')}</Link>
            </li>
            <li>
              <Link to="/invoices">{t('dashboard.step.invoice')}</Link>
            </li>
          </ol>
          <p className="muted small">
            <span dir="ltr">{me.user.email}</span> · {t(me.user.mfa_enabled ? 'user.mfaOn' : 'user.mfaOff')}
            {me.user.is_super_admin && <> · {t('user.superAdmin')}</>}
          </p>
        </section>
      </div>
    </div>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat">
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
    </div>
  );
}
