import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api/browser-client';
import {
  approveCompany,
  assignPlan,
  COMPANY_FILTERS,
  type CompanyFilter,
  type ContentLanguage,
  contentHistory,
  downloadPlatformCompanyDocument,
  HOME_BLOCKS,
  listCompanies,
  listContent,
  PLAN_CODES,
  type PlanCode,
  type PlatformCompany,
  platformAnalytics,
  reactivateCompany,
  rejectCompany,
  restoreContent,
  saveContent,
  suspendCompany,
} from '../../api/platform';
import { Alert } from '../../components/Alert';
import { TableCard, useSave } from '../../components/ListPage';
import { StatusBadge } from '../../components/StatusBadge';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages-en';
import { describeError } from '../../lib/errors';
import { saveBlob } from '../../lib/files';
import { useLoader } from '../../lib/use-loader';
import { Link } from '../../router/router';

export type AdminSection = 'companies' | 'analytics' | 'content';

const TABS: readonly { section: AdminSection; path: string; label: MessageKey }[] = [
  { section: 'companies', path: '/admin', label: 'admin.tab.companies' },
  { section: 'analytics', path: '/admin/analytics', label: 'admin.tab.analytics' },
  { section: 'content', path: '/admin/content', label: 'admin.tab.content' },
];

/**
 * The platform administrators' console (shown to super admins only; the API refuses everyone else): companies
 * with search, approval, suspension and plans; the platform's figures; the public home page's text.
 */
export function AdminConsolePage({ section }: { section: AdminSection }) {
  const { t } = useI18n();
  return (
    <div className="page page-wide">
      <header className="page-header">
        <h1>{t('admin.title')}</h1>
        <p className="muted">{t('admin.subtitle')}</p>
      </header>
      <nav className="segmented admin-tabs" aria-label={t('admin.title')}>
        {TABS.map((tab) => (
          <Link
            key={tab.section}
            to={tab.path}
            className="segmented-option"
            aria-current={tab.section === section ? 'page' : undefined}
            data-testid={`admin-tab-${tab.section}`}
          >
            {t(tab.label)}
          </Link>
        ))}
      </nav>
      {section === 'companies' && <CompaniesSection />}
      {section === 'analytics' && <AnalyticsSection />}
      {section === 'content' && <ContentSection />}
    </div>
  );
}

function CompaniesSection() {
  const { t } = useI18n();
  const [filter, setFilter] = useState<CompanyFilter>('all');
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const companies = useLoader((signal) => listCompanies(api, filter, query, { signal }), [filter, query]);
  const { error, isSaving, save } = useSave();

  const act = (work: () => Promise<PlatformCompany>, message: (c: PlatformCompany) => string) =>
    save(async () => {
      setNotice(null);
      const company = await work();
      setNotice(message(company));
      companies.reload();
    });

  const askReason = (key: MessageKey) => {
    const reason = window.prompt(t(key))?.trim();
    return reason ? reason : null;
  };

  return (
    <section aria-label={t('admin.tab.companies')}>
      <form
        className="toolbar"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          setQuery(search.trim());
        }}
      >
        <input
          type="search"
          data-testid="admin-company-search"
          aria-label={t('admin.search')}
          placeholder={t('admin.search')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <select
          aria-label={t('admin.filter')}
          data-testid="admin-company-filter"
          value={filter}
          onChange={(e) => setFilter(e.target.value as CompanyFilter)}
        >
          {COMPANY_FILTERS.map((f) => (
            <option key={f} value={f}>
              {t(`admin.filter.${f}` as MessageKey)}
            </option>
          ))}
        </select>
        <button type="submit" className="button">
          {t('admin.searchButton')}
        </button>
      </form>
      {notice && <Alert tone="success">{notice}</Alert>}
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      {companies.error !== undefined && <Alert tone="error">{describeError(companies.error, t)}</Alert>}
      <div className="stack-on-phone">
        <TableCard
          testId="admin-company-table"
          head={
            <>
              <th>{t('admin.col.company')}</th>
              <th>{t('admin.col.country')}</th>
              <th>{t('admin.col.status')}</th>
              <th>{t('admin.col.plan')}</th>
              <th />
            </>
          }
          isEmpty={companies.data?.companies.length === 0}
          empty={t('admin.noCompanies')}
        >
          {companies.data?.companies.map((company) => (
            <tr
              key={company.id}
              data-testid="admin-company-row"
              data-company-id={company.id}
              data-suspended={String(company.is_suspended)}
              data-approval={company.approval_status}
            >
              <td data-label={t('admin.col.company')}>
                <bdi>{company.legal_name_en}</bdi>
                {company.vat_number && (
                  <div className="muted small">
                    <bdi dir="ltr">{company.vat_number}</bdi>
                  </div>
                )}
                {company.documents && company.documents.length > 0 && (
                  <ul className="admin-company-documents" aria-label={t('admin.documents')}>
                    {company.documents.map((doc) => (
                      <li key={doc.id}>
                        <button
                          type="button"
                          className="button-link small"
                          data-testid="admin-company-document"
                          data-kind={doc.kind}
                          onClick={() =>
                            void save(async () => {
                              const file = await downloadPlatformCompanyDocument(api, company.id, doc.id);
                              saveBlob(file.blob, file.filename ?? doc.file_name);
                            })
                          }
                        >
                          {t(`companyDocuments.kind.${doc.kind}` as MessageKey)}: <bdi>{doc.file_name}</bdi>
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
                {company.documents?.length === 0 && company.approval_status !== 'approved' && (
                  <div className="muted small" data-testid="admin-no-documents">
                    {t('admin.noDocuments')}
                  </div>
                )}
              </td>
              <td data-label={t('admin.col.country')}>{company.country}</td>
              <td data-label={t('admin.col.status')}>
                <StatusBadge status={company.is_suspended ? 'suspended' : company.approval_status} />
              </td>
              <td data-label={t('admin.col.plan')}>
                <select
                  aria-label={t('admin.planOf', { name: company.legal_name_en })}
                  data-testid="admin-company-plan"
                  value={company.plan}
                  disabled={isSaving}
                  onChange={(e) =>
                    void act(
                      () => assignPlan(api, company.id, e.target.value as PlanCode),
                      (c) =>
                        t('admin.planAssigned', {
                          name: c.legal_name_en,
                          plan: t(`plan.${c.plan}` as MessageKey),
                        }),
                    )
                  }
                >
                  {PLAN_CODES.map((plan) => (
                    <option key={plan} value={plan}>
                      {t(`plan.${plan}` as MessageKey)}
                    </option>
                  ))}
                </select>
              </td>
              <td className="num actions">
                {company.approval_status !== 'approved' && (
                  <button
                    type="button"
                    className="button button-ghost button-small"
                    data-testid="admin-approve"
                    disabled={isSaving}
                    onClick={() =>
                      void act(
                        () => approveCompany(api, company.id),
                        (c) => t('admin.approved', { name: c.legal_name_en }),
                      )
                    }
                  >
                    {t('admin.approve')}
                  </button>
                )}
                {company.approval_status === 'pending' && (
                  <button
                    type="button"
                    className="button button-ghost button-small"
                    data-testid="admin-reject"
                    disabled={isSaving}
                    onClick={() => {
                      const reason = askReason('admin.rejectReason');
                      if (reason)
                        void act(
                          () => rejectCompany(api, company.id, reason),
                          (c) => t('admin.rejected', { name: c.legal_name_en }),
                        );
                    }}
                  >
                    {t('admin.reject')}
                  </button>
                )}
                {company.is_suspended ? (
                  <button
                    type="button"
                    className="button button-ghost button-small"
                    data-testid="admin-reactivate"
                    disabled={isSaving}
                    onClick={() =>
                      void act(
                        () => reactivateCompany(api, company.id),
                        (c) => t('admin.reactivated', { name: c.legal_name_en }),
                      )
                    }
                  >
                    {t('admin.reactivate')}
                  </button>
                ) : (
                  <button
                    type="button"
                    className="button button-ghost button-small"
                    data-testid="admin-suspend"
                    disabled={isSaving}
                    onClick={() => {
                      const reason = askReason('admin.suspendReason');
                      if (reason)
                        void act(
                          () => suspendCompany(api, company.id, reason),
                          (c) => t('admin.suspended', { name: c.legal_name_en }),
                        );
                    }}
                  >
                    {t('admin.suspend')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </TableCard>
      </div>
    </section>
  );
}

function AnalyticsSection() {
  const { t, formatNumber } = useI18n();
  const [days, setDays] = useState(30);
  const figures = useLoader((signal) => platformAnalytics(api, days, { signal }), [days]);
  const data = figures.data;
  return (
    <section aria-label={t('admin.tab.analytics')} data-testid="admin-analytics">
      <label className="toolbar">
        {t('admin.days')}
        <select value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="admin-days">
          {[7, 30, 90, 365].map((n) => (
            <option key={n} value={n}>
              {t('admin.lastDays', { count: n })}
            </option>
          ))}
        </select>
      </label>
      {figures.error !== undefined && <Alert tone="error">{describeError(figures.error, t)}</Alert>}
      {data && (
        <>
          <div className="stats">
            <Stat
              label={t('admin.stat.companies')}
              value={formatNumber(data.companies.total)}
              testId="stat-companies"
            />
            <Stat
              label={t('admin.stat.pending')}
              value={formatNumber(data.companies.pending)}
              testId="stat-pending"
            />
            <Stat
              label={t('admin.stat.suspended')}
              value={formatNumber(data.companies.suspended)}
              testId="stat-suspended"
            />
            <Stat
              label={t('admin.stat.activeUsers')}
              value={formatNumber(data.active_users)}
              testId="stat-active-users"
            />
            <Stat
              label={t('admin.stat.failures')}
              value={formatNumber(data.einvoice_failures.zatca + data.einvoice_failures.transmission)}
              testId="stat-failures"
            />
          </div>
          <h2 className="section-title">{t('admin.issuedPerDay')}</h2>
          <div className="stack-on-phone">
            <TableCard
              testId="admin-issued-table"
              head={
                <>
                  <th>{t('admin.col.day')}</th>
                  <th>{t('admin.col.country')}</th>
                  <th className="num">{t('admin.col.issued')}</th>
                </>
              }
              isEmpty={data.invoices_issued.length === 0}
              empty={t('admin.noneIssued')}
            >
              {data.invoices_issued.map((row) => (
                <tr key={`${row.day}-${row.country}`} data-testid="admin-issued-row">
                  <td data-label={t('admin.col.day')}>
                    <bdi dir="ltr">{row.day}</bdi>
                  </td>
                  <td data-label={t('admin.col.country')}>{row.country}</td>
                  <td className="num" data-label={t('admin.col.issued')}>
                    {formatNumber(row.issued)}
                  </td>
                </tr>
              ))}
            </TableCard>
          </div>
        </>
      )}
    </section>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="stat" data-testid={testId}>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
    </div>
  );
}

function ContentSection() {
  const { t } = useI18n();
  const blocks = useLoader((signal) => listContent(api, { signal }), []);
  const keys = [...new Set([...HOME_BLOCKS, ...(blocks.data?.blocks.map((b) => b.key) ?? [])])];
  return (
    <section aria-label={t('admin.tab.content')}>
      <p className="muted">{t('admin.contentHint')}</p>
      {blocks.error !== undefined && <Alert tone="error">{describeError(blocks.error, t)}</Alert>}
      {blocks.data &&
        keys.map((key) =>
          (['en', 'ar'] as const).map((lang) => (
            <BlockEditor
              key={`${key}-${lang}`}
              blockKey={key}
              lang={lang}
              initial={blocks.data?.blocks.find((b) => b.key === key && b.lang === lang)?.body ?? ''}
              onSaved={blocks.reload}
            />
          )),
        )}
    </section>
  );
}

function BlockEditor({
  blockKey,
  lang,
  initial,
  onSaved,
}: {
  blockKey: string;
  lang: ContentLanguage;
  initial: string;
  onSaved(): void;
}) {
  const { t } = useI18n();
  const [body, setBody] = useState(initial);
  // A restore (or another administrator's edit, on reload) brings a new body in.
  useEffect(() => setBody(initial), [initial]);
  const [showHistory, setShowHistory] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const { error, isSaving, save } = useSave();
  const id = `block-${blockKey}-${lang}`.replaceAll('.', '-');
  return (
    <div className="card" data-testid="content-block" data-key={blockKey} data-lang={lang}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          void save(async () => {
            const saved = await saveContent(api, blockKey, lang, body);
            setNotice(t('admin.contentSaved', { version: saved.version }));
            onSaved();
          });
        }}
      >
        <label htmlFor={id} className="field-label">
          <bdi dir="ltr">{blockKey}</bdi> · {t(`lang.${lang}` as MessageKey)}
        </label>
        <textarea
          id={id}
          dir={lang === 'ar' ? 'rtl' : 'ltr'}
          lang={lang}
          rows={3}
          data-testid="content-body"
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
        {notice && <Alert tone="success">{notice}</Alert>}
        {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
        <div className="inline-actions">
          <button
            type="submit"
            className="button button-primary"
            data-testid="content-save"
            disabled={isSaving}
          >
            {t('admin.contentSave')}
          </button>
          <button
            type="button"
            className="button button-ghost"
            data-testid="content-history"
            onClick={() => setShowHistory((v) => !v)}
          >
            {t('admin.contentHistory')}
          </button>
        </div>
      </form>
      {showHistory && <History blockKey={blockKey} lang={lang} onRestored={onSaved} />}
    </div>
  );
}

function History({
  blockKey,
  lang,
  onRestored,
}: {
  blockKey: string;
  lang: ContentLanguage;
  onRestored(): void;
}) {
  const { t, formatDate } = useI18n();
  const history = useLoader((signal) => contentHistory(api, blockKey, lang, { signal }), [blockKey, lang]);
  const { error, isSaving, save } = useSave();
  return (
    <div data-testid="content-versions">
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      {history.data?.versions.length === 0 && <p className="muted small">{t('admin.noHistory')}</p>}
      <ol className="plain-list">
        {history.data?.versions.map((version, index) => (
          <li key={version.version} data-testid="content-version" data-version={version.version}>
            <span className="muted small">
              {t('admin.version', { version: version.version })} · {formatDate(new Date(version.created_at))}
            </span>
            <p dir={lang === 'ar' ? 'rtl' : 'ltr'}>{version.body}</p>
            {index > 0 && (
              <button
                type="button"
                className="button button-ghost button-small"
                data-testid="content-restore"
                disabled={isSaving}
                onClick={() =>
                  void save(async () => {
                    await restoreContent(api, blockKey, lang, version.version);
                    onRestored();
                  })
                }
              >
                {t('admin.restore')}
              </button>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
