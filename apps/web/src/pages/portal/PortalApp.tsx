// The customer portal: its own layout (the seller's name, the customer's, three sections, no staff navigation)
// for a signed-in client, and the pages it shows — invoices, one invoice, statement, payments.
import { useState } from 'react';
import { api } from '../../api/browser-client';
import {
  type DocumentType,
  getPortalHome,
  getPortalInvoice,
  getPortalStatement,
  listPortalInvoices,
  listPortalPayments,
} from '../../api/portal';
import { useSession } from '../../auth/SessionProvider';
import { Alert } from '../../components/Alert';
import { LanguageSwitcher } from '../../components/LanguageSwitcher';
import { Logo } from '../../components/Logo';
import { Pagination } from '../../components/Pagination';
import { ScrollArea } from '../../components/ScrollArea';
import { StatusBadge } from '../../components/StatusBadge';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages-en';
import { describeError } from '../../lib/errors';
import { useLoader } from '../../lib/use-loader';
import { Link, useLocation } from '../../router/router';
import { PortalInvoiceView } from './PortalInvoiceView';

const PAGE_SIZE = 20;
/** A statement column shows nothing rather than a zero. */
const isZero = (amount: string) => /^-?0(\.0+)?$/.test(amount);
const SECTIONS = [
  { path: '/portal', label: 'portal.nav.invoices' },
  { path: '/portal/statement', label: 'portal.nav.statement' },
  { path: '/portal/payments', label: 'portal.nav.payments' },
] as const satisfies readonly { path: string; label: MessageKey }[];

/** The frame of every portal page; `children` is the page. Also used by the read-only view of a mailed link. */
export function PortalLayout({
  sellerName,
  customerName,
  signedIn,
  children,
}: {
  sellerName: string | undefined;
  customerName: string | undefined;
  signedIn: boolean;
  children: React.ReactNode;
}) {
  const { t } = useI18n();
  const { logout } = useSession();
  const { pathname } = useLocation();
  const current = pathname.startsWith('/portal/invoices') ? '/portal' : pathname;
  return (
    <div className="portal-shell" data-testid="portal">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="portal-header">
        <div className="portal-brand">
          <Logo />
          <div className="portal-parties">
            <strong data-testid="portal-seller" dir="auto">
              {sellerName ?? '…'}
            </strong>
            {customerName && (
              <span className="muted" data-testid="portal-customer">
                {t('portal.for', { name: customerName })}
              </span>
            )}
          </div>
        </div>
        <div className="portal-header-end">
          <LanguageSwitcher />
          {signedIn && (
            <button
              type="button"
              className="button button-ghost button-small"
              onClick={() => void logout()}
              data-testid="portal-sign-out"
            >
              {t('portal.signOut')}
            </button>
          )}
        </div>
      </header>
      {signedIn && (
        <nav className="portal-nav" aria-label={t('portal.nav.label')}>
          {SECTIONS.map((section) => (
            <Link
              key={section.path}
              to={section.path}
              className="portal-tab"
              aria-current={current === section.path ? 'page' : undefined}
              data-testid={`portal-nav-${section.path.split('/')[2] ?? 'invoices'}`}
            >
              {t(section.label)}
            </Link>
          ))}
        </nav>
      )}
      <main id="main" className="portal-main">
        {children}
      </main>
    </div>
  );
}

/** A signed-in client: every path is the portal's (a company screen is never drawn for this role). */
export function PortalApp() {
  const { t, locale } = useI18n();
  const { pathname } = useLocation();
  const home = useLoader((signal) => getPortalHome(api, { signal }), []);
  const ar = locale === 'ar';
  const invoiceId = /^\/portal\/invoices\/([0-9a-f-]{36})$/.exec(pathname)?.[1];
  const page =
    pathname === '/portal/statement' ? (
      <StatementPage />
    ) : pathname === '/portal/payments' ? (
      <PaymentsPage />
    ) : invoiceId ? (
      <InvoicePage key={invoiceId} id={invoiceId} />
    ) : (
      <InvoicesPage />
    );
  return (
    <PortalLayout
      signedIn
      sellerName={(ar && home.data?.company_name_ar) || home.data?.company_name}
      customerName={(ar && home.data?.customer_name_ar) || home.data?.customer_name}
    >
      {home.error !== undefined && <Alert tone="error">{describeError(home.error, t)}</Alert>}
      {page}
    </PortalLayout>
  );
}

function InvoicesPage() {
  const { t, formatMoney, formatIsoDate } = useI18n();
  const [page, setPage] = useState(1);
  const [type, setType] = useState<DocumentType | ''>('');
  const list = useLoader(
    (signal) => listPortalInvoices(api, { type: type || undefined, page, page_size: PAGE_SIZE }, { signal }),
    [page, type],
  );
  return (
    <div className="page page-wide">
      <div className="page-header portal-page-header">
        <h1>{t('portal.invoices.title')}</h1>
        <label className="portal-filter">
          <span className="muted">{t('portal.invoices.show')}</span>
          <select
            value={type}
            data-testid="portal-type-filter"
            onChange={(event) => {
              setType(event.target.value as DocumentType | '');
              setPage(1);
            }}
          >
            <option value="">{t('portal.invoices.all')}</option>
            <option value="invoice">{t('type.invoice')}</option>
            <option value="credit_note">{t('type.credit_note')}</option>
            <option value="debit_note">{t('type.debit_note')}</option>
          </select>
        </label>
      </div>
      {list.error !== undefined && <Alert tone="error">{describeError(list.error, t)}</Alert>}
      <ScrollArea className="card table-card stack-on-phone">
        <table className="data-table" data-testid="portal-invoices">
          <thead>
            <tr>
              <th>{t('portal.col.number')}</th>
              <th>{t('portal.col.date')}</th>
              <th>{t('portal.col.due')}</th>
              <th>{t('portal.col.status')}</th>
              <th className="num">{t('portal.col.total')}</th>
              <th className="num">{t('portal.col.amountDue')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.invoices.map((row) => (
              <tr key={row.id} data-testid="portal-invoice-row" data-invoice-id={row.id}>
                <td data-label={t('portal.col.number')}>
                  <Link to={`/portal/invoices/${row.id}`} data-testid="portal-invoice-link">
                    {row.number}
                  </Link>
                  {row.type !== 'invoice' && <span className="muted"> · {t(`type.${row.type}`)}</span>}
                </td>
                <td data-label={t('portal.col.date')}>{formatIsoDate(row.issue_date)}</td>
                <td data-label={t('portal.col.due')}>{row.due_date ? formatIsoDate(row.due_date) : '—'}</td>
                <td data-label={t('portal.col.status')}>
                  <StatusBadge status={row.status} />
                </td>
                <td className="num" data-label={t('portal.col.total')}>
                  {formatMoney(row.total_amount as `${number}`, row.currency)}
                </td>
                <td className="num" data-label={t('portal.col.amountDue')}>
                  {formatMoney(row.amount_due as `${number}`, row.currency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.data?.invoices.length === 0 && (
          <p className="empty-state muted">{t('portal.invoices.empty')}</p>
        )}
      </ScrollArea>
      {list.data && <Pagination page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />}
    </div>
  );
}

function InvoicePage({ id }: { id: string }) {
  const { t } = useI18n();
  const invoice = useLoader((signal) => getPortalInvoice(api, id, { signal }), [id]);
  return (
    <div className="page page-wide">
      <Link to="/portal" className="muted" data-testid="portal-back">
        {t('portal.invoice.back')}
      </Link>
      {invoice.error !== undefined && <Alert tone="error">{describeError(invoice.error, t)}</Alert>}
      {invoice.data && <PortalInvoiceView invoice={invoice.data} source={{ kind: 'portal', id }} />}
    </div>
  );
}

function StatementPage() {
  const { t, formatMoney, formatIsoDate } = useI18n();
  const statement = useLoader((signal) => getPortalStatement(api, { signal }), []);
  return (
    <div className="page page-wide">
      <div className="page-header">
        <h1>{t('portal.statement.title')}</h1>
        <p className="muted">{t('portal.statement.subtitle')}</p>
      </div>
      {statement.error !== undefined && <Alert tone="error">{describeError(statement.error, t)}</Alert>}
      {statement.data?.accounts.length === 0 && <p className="muted">{t('portal.statement.empty')}</p>}
      {statement.data?.accounts.map((account) => {
        const money = (amount: string) => formatMoney(amount as `${number}`, account.currency);
        return (
          <section
            key={account.currency}
            className="portal-statement"
            data-testid={`statement-${account.currency}`}
          >
            <div className="portal-totals card">
              <div>
                <span className="muted">{t('portal.statement.debits')}</span>
                <strong>{money(account.total_debit)}</strong>
              </div>
              <div>
                <span className="muted">{t('portal.statement.credits')}</span>
                <strong>{money(account.total_credit)}</strong>
              </div>
              <div>
                <span className="muted">{t('portal.statement.balance')}</span>
                <strong data-testid="statement-balance">{money(account.balance)}</strong>
              </div>
            </div>
            <ScrollArea className="card table-card stack-on-phone">
              <table className="data-table">
                <thead>
                  <tr>
                    <th>{t('portal.col.date')}</th>
                    <th>{t('portal.statement.entry')}</th>
                    <th className="num">{t('portal.statement.debit')}</th>
                    <th className="num">{t('portal.statement.credit')}</th>
                    <th className="num">{t('portal.statement.runningBalance')}</th>
                  </tr>
                </thead>
                <tbody>
                  {account.entries.map((entry) => (
                    <tr key={`${entry.kind}-${entry.id}`} data-testid="statement-entry">
                      <td data-label={t('portal.col.date')}>{formatIsoDate(entry.date)}</td>
                      <td data-label={t('portal.statement.entry')}>
                        {entry.kind === 'payment' ? (
                          <>
                            {t('portal.statement.payment')}
                            {entry.reference && <span className="muted"> · {entry.reference}</span>}
                          </>
                        ) : (
                          <Link to={`/portal/invoices/${entry.id}`}>
                            {t(`type.${entry.kind}`)} {entry.reference}
                          </Link>
                        )}
                      </td>
                      <td className="num" data-label={t('portal.statement.debit')}>
                        {isZero(entry.debit) ? '' : money(entry.debit)}
                      </td>
                      <td className="num" data-label={t('portal.statement.credit')}>
                        {isZero(entry.credit) ? '' : money(entry.credit)}
                      </td>
                      <td className="num" data-label={t('portal.statement.runningBalance')}>
                        {money(entry.balance)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollArea>
          </section>
        );
      })}
    </div>
  );
}

function PaymentsPage() {
  const { t, formatMoney, formatIsoDate } = useI18n();
  const [page, setPage] = useState(1);
  const list = useLoader((signal) => listPortalPayments(api, page, { signal }), [page]);
  return (
    <div className="page page-wide">
      <div className="page-header">
        <h1>{t('portal.payments.title')}</h1>
      </div>
      {list.error !== undefined && <Alert tone="error">{describeError(list.error, t)}</Alert>}
      <ScrollArea className="card table-card stack-on-phone">
        <table className="data-table" data-testid="portal-payments">
          <thead>
            <tr>
              <th>{t('portal.col.date')}</th>
              <th>{t('portal.payments.method')}</th>
              <th>{t('portal.payments.reference')}</th>
              <th>{t('portal.payments.paid')}</th>
              <th>{t('portal.col.status')}</th>
              <th className="num">{t('portal.payments.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.payments.map((payment) => (
              <tr key={payment.id} data-testid="portal-payment-row">
                <td data-label={t('portal.col.date')}>{formatIsoDate(payment.payment_date)}</td>
                <td data-label={t('portal.payments.method')}>
                  {t(`method.${payment.method}` as MessageKey) ?? payment.method}
                </td>
                <td data-label={t('portal.payments.reference')}>{payment.reference ?? '—'}</td>
                <td data-label={t('portal.payments.paid')}>
                  {payment.allocations.length === 0
                    ? '—'
                    : payment.allocations.map((a, index) => (
                        <span key={a.invoice_id}>
                          {index > 0 && ', '}
                          <Link to={`/portal/invoices/${a.invoice_id}`}>{a.invoice_number}</Link>
                        </span>
                      ))}
                </td>
                <td data-label={t('portal.col.status')}>
                  <StatusBadge status={payment.status} />
                </td>
                <td className="num" data-label={t('portal.payments.amount')}>
                  {formatMoney(payment.amount as `${number}`, payment.currency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.data?.payments.length === 0 && (
          <p className="empty-state muted">{t('portal.payments.empty')}</p>
        )}
      </ScrollArea>
      {list.data && <Pagination page={page} pageSize={20} total={list.data.total} onPage={setPage} />}
    </div>
  );
}
