import { findProfile } from '@invoiceflow/jurisdictions';
import { compareMoney, sumMoney } from '@invoiceflow/totals';
import { api } from '../api/browser-client';
import type { Dashboard } from '../api/domain-types';
import { getPayablesAging } from '../api/payables';
import { getDashboard } from '../api/resources';
import type { CompanyMembership, Me } from '../api/types';
import { Alert } from '../components/Alert';
import { companyName } from '../components/company-name';
import { type MonthValue, RevenueChart } from '../components/RevenueChart';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages-en';
import { describeError } from '../lib/errors';
import { useLoader } from '../lib/use-loader';
import { Link } from '../router/router';
import { PayablesAgingCard } from './payables/BillsPage';

const AGING_BUCKETS = ['current', 'days_0_30', 'days_31_60', 'days_61_90', 'days_90_plus'] as const;

/** Every month of the year up to `asOf`, with the money received in it (zero where the API lists none). */
function monthsOfYear(dashboard: Dashboard): MonthValue[] {
  const [year, lastMonth] = dashboard.as_of.split('-').map(Number);
  if (!year || !lastMonth) return [];
  const received = new Map(dashboard.revenue_by_month.map((row) => [row.month, row.received]));
  return Array.from({ length: lastMonth }, (_, i) => {
    const month = `${year}-${String(i + 1).padStart(2, '0')}`;
    return { month, amount: received.get(month) ?? '0.00' };
  });
}

/** The dashboard API's figures for this year, with its monthly revenue series for the chart. */
async function loadDashboard(signal: AbortSignal): Promise<{ year: Dashboard; months: MonthValue[] }> {
  const year = await getDashboard(api, {}, { signal });
  return { year, months: monthsOfYear(year) };
}

export function DashboardPage({ me, company }: { me: Me; company: CompanyMembership | null }) {
  const { t, locale, formatMoney, formatIsoDate } = useI18n();
  const dashboard = useLoader(loadDashboard, [company?.id]);
  // What the company owes its suppliers: for the roles that read payables (an accountant's scopes do not).
  const readsPayables = company !== null && company.role !== 'accountant';
  const payables = useLoader(
    (signal) => (readsPayables ? getPayablesAging(api, { signal }) : Promise.resolve(null)),
    [company?.id, readsPayables],
  );
  const data = dashboard.data?.year;
  const currency = data?.currency ?? (company ? (findProfile(company.country)?.currency ?? '') : '');
  const money = (amount: string) => formatMoney(amount as `${number}`, currency);
  const vatDue = data
    ? sumMoney(
        data.vat_by_month.map((m) => m.vat_due),
        currency,
      )
    : '0.00';
  const agingTotal = data
    ? sumMoney(
        AGING_BUCKETS.map((b) => data.aging[b].amount),
        currency,
      )
    : '0';

  return (
    <div className="page page-wide">
      <header className="page-header page-header-row">
        <div>
          <h1 data-testid="welcome">{t('dashboard.welcome', { name: me.user.full_name })}</h1>
          <p className="muted">
            {company && <span data-testid="company-name">{companyName(company, locale)}</span>}
            {data && <> · {t('dashboard.asOf', { date: formatIsoDate(data.as_of) })}</>}
          </p>
          <p className="muted small">
            <span dir="ltr">{me.user.email}</span> ·{' '}
            <Link to="/settings/security" data-testid="dashboard-mfa">
              {t(me.user.mfa_enabled ? 'user.mfaOn' : 'user.mfaOff')}
            </Link>
            {me.user.is_super_admin && <> · {t('user.superAdmin')}</>}
          </p>
        </div>
        <Link to="/invoices/new" className="button button-primary">
          + {t('invoices.new')}
        </Link>
      </header>

      {dashboard.error !== undefined && <Alert tone="error">{describeError(dashboard.error, t)}</Alert>}

      <section className="stats" aria-label={t('dashboard.title')}>
        <Stat
          label={t('dashboard.stat.revenue')}
          value={money(data?.revenue_received ?? '0')}
          testId="stat-revenue"
        />
        <Stat
          label={t('dashboard.stat.outstanding')}
          value={money(data?.outstanding.amount ?? '0')}
          sub={data ? t('dashboard.stat.invoices', { count: data.outstanding.count }) : undefined}
          testId="stat-outstanding"
        />
        <Stat
          label={t('dashboard.stat.overdue')}
          value={money(data?.overdue.amount ?? '0')}
          sub={data ? t('dashboard.stat.invoices', { count: data.overdue.count }) : undefined}
          tone={data && compareMoney(data.overdue.amount, '0') > 0 ? 'danger' : undefined}
          testId="stat-overdue"
        />
        <Stat label={t('dashboard.stat.vatDue')} value={money(vatDue)} testId="stat-vat" />
      </section>

      <div className="dashboard-grid">
        <section className="card">
          <h2 className="card-title">{t('dashboard.revenueByMonth')}</h2>
          {dashboard.data && <RevenueChart data={dashboard.data.months} currency={currency} />}
          {data && compareMoney(data.revenue_received, '0') === 0 && (
            <p className="muted small">{t('dashboard.noRevenue')}</p>
          )}
        </section>

        <section className="card">
          <h2 className="card-title">{t('dashboard.aging')}</h2>
          {data && (
            <>
              <div className="aging-bar" aria-hidden="true">
                {AGING_BUCKETS.map((bucket) => {
                  const share =
                    compareMoney(agingTotal, '0') > 0
                      ? Number(data.aging[bucket].amount) / Number(agingTotal)
                      : 0;
                  return share > 0 ? (
                    <span key={bucket} className={`aging-${bucket}`} style={{ flexGrow: share }} />
                  ) : null;
                })}
              </div>
              <ul className="aging-list" data-testid="aging">
                {AGING_BUCKETS.map((bucket) => (
                  <li key={bucket}>
                    <span className={`aging-dot aging-${bucket}`} aria-hidden="true" />
                    <span>{t(`dashboard.aging.${bucket}` as MessageKey)}</span>
                    <span className="muted small">{data.aging[bucket].count}</span>
                    <strong className="tabular">{money(data.aging[bucket].amount)}</strong>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>

        <section className="card">
          <h2 className="card-title">{t('dashboard.topCustomers')}</h2>
          {data && data.top_customers.length > 0 ? (
            <ol className="rank-list">
              {data.top_customers.slice(0, 5).map((c) => (
                <li key={c.customer_id ?? c.name}>
                  <span>{c.name}</span>
                  <span className="muted small">
                    {t('dashboard.stat.invoices', { count: c.invoice_count })}
                  </span>
                  <strong className="tabular">{money(c.received)}</strong>
                </li>
              ))}
            </ol>
          ) : (
            <p className="muted small">{t('dashboard.noCustomers')}</p>
          )}
        </section>

        {payables.data && <PayablesAgingCard aging={payables.data} testId="dashboard-payables-aging" />}
      </div>
    </div>
  );
}

function Stat({
  label,
  value,
  sub,
  tone,
  testId,
}: {
  label: string;
  value: string;
  sub?: string;
  tone?: 'danger';
  testId?: string;
}) {
  return (
    <div className={`stat${tone ? ` stat-${tone}` : ''}`} data-testid={testId}>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
      {sub && <span className="muted small">{sub}</span>}
    </div>
  );
}
