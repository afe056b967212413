import { compareMoney, sumMoney } from '@invoiceflow/totals';
import { api } from '../api/browser-client';
import type { Dashboard } from '../api/domain-types';
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

const AGING_BUCKETS = ['current', 'days_0_30', 'days_31_60', 'days_61_90', 'days_90_plus'] as const;

function monthsOfYear(asOf: string): { month: string; from: string; to: string }[] {
  const [year, lastMonth] = asOf.split('-').map(Number);
  if (!year || !lastMonth) return [];
  return Array.from({ length: lastMonth }, (_, i) => {
    const m = String(i + 1).padStart(2, '0');
    const days = new Date(Date.UTC(year, i + 1, 0)).getUTCDate();
    return {
      month: `${year}-${m}`,
      from: `${year}-${m}-01`,
      to: `${year}-${m}-${String(days).padStart(2, '0')}`,
    };
  });
}

/**
 * The dashboard API's figures for this year. It answers one range at a time, so the revenue per month is
 * asked month by month (in parallel) until the API gives a monthly series itself.
 */
async function loadDashboard(signal: AbortSignal): Promise<{ year: Dashboard; months: MonthValue[] }> {
  const year = await getDashboard(api, {}, { signal });
  const months = await Promise.all(
    monthsOfYear(year.as_of).map(async ({ month, from, to }) => ({
      month,
      amount: (await getDashboard(api, { from, to: to > year.as_of ? year.as_of : to }, { signal }))
        .revenue_received,
    })),
  );
  return { year, months };
}

export function DashboardPage({ me, company }: { me: Me; company: CompanyMembership | null }) {
  const { t, locale, formatMoney, formatIsoDate } = useI18n();
  const dashboard = useLoader(loadDashboard, [company?.id]);
  const data = dashboard.data?.year;
  const currency = data?.currency ?? (company?.country === 'AE' ? 'AED' : 'SAR');
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
            <span dir="ltr">{me.user.email}</span> · {t(me.user.mfa_enabled ? 'user.mfaOn' : 'user.mfaOff')}
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
