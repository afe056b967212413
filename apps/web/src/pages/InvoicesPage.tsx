import { useState } from 'react';
import { api } from '../api/browser-client';
import type { InvoiceStatus } from '../api/domain-types';
import { listInvoices } from '../api/resources';
import { Alert } from '../components/Alert';
import { Pagination } from '../components/Pagination';
import { ScrollArea } from '../components/ScrollArea';
import { StatusBadge } from '../components/StatusBadge';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages-en';
import { describeError } from '../lib/errors';
import { useDebouncedValue, useLoader } from '../lib/use-loader';
import { Link, navigate } from '../router/router';

const STATUSES: InvoiceStatus[] = ['issued', 'sent', 'partially_paid', 'paid', 'overdue', 'credited'];
const PAGE_SIZE = 20;

/** History: search as you type (debounced, /invoices/search), status and date filters, pages. */
export function InvoicesPage() {
  const { t, locale, formatAmount, formatIsoDate } = useI18n();
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<InvoiceStatus | ''>('');
  const [dateFrom, setDateFrom] = useState('');
  const [dateTo, setDateTo] = useState('');
  const [page, setPage] = useState(1);
  const q = useDebouncedValue(query, 250);
  const list = useLoader(
    (signal) =>
      listInvoices(
        api,
        {
          q,
          status,
          date_from: dateFrom || undefined,
          date_to: dateTo || undefined,
          page,
          page_size: PAGE_SIZE,
        },
        { signal },
      ),
    [q, status, dateFrom, dateTo, page],
  );
  const resetPage =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
    };
  const data = list.data;
  const isFiltered = Boolean(q || status || dateFrom || dateTo);

  return (
    <div className="page page-wide">
      <header className="page-header page-header-row">
        <div>
          <h1>{t('invoices.title')}</h1>
          {data && (
            <p className="muted small" data-testid="invoice-count">
              {data.total_is_exact
                ? t('invoices.count', { count: data.total })
                : t('invoices.countAtLeast', { count: data.total })}
            </p>
          )}
        </div>
        <Link to="/invoices/new" className="button button-primary" data-testid="new-invoice">
          + {t('invoices.new')}
        </Link>
      </header>

      <div className="toolbar">
        <input
          type="search"
          className="toolbar-search"
          name="q"
          data-testid="invoice-search"
          placeholder={t('invoices.search')}
          aria-label={t('invoices.search')}
          value={query}
          onChange={(e) => resetPage(setQuery)(e.target.value)}
        />
        <select
          aria-label={t('invoices.col.status')}
          name="status"
          value={status}
          onChange={(e) => resetPage(setStatus)(e.target.value as InvoiceStatus | '')}
        >
          <option value="">{t('invoices.allStatuses')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}` as MessageKey)}
            </option>
          ))}
        </select>
        <label className="toolbar-date">
          <span>{t('invoices.from')}</span>
          <input
            type="date"
            name="date_from"
            value={dateFrom}
            onChange={(e) => resetPage(setDateFrom)(e.target.value)}
          />
        </label>
        <label className="toolbar-date">
          <span>{t('invoices.to')}</span>
          <input
            type="date"
            name="date_to"
            value={dateTo}
            onChange={(e) => resetPage(setDateTo)(e.target.value)}
          />
        </label>
      </div>

      {list.error !== undefined && <Alert tone="error">{describeError(list.error, t)}</Alert>}

      <ScrollArea className="card table-card" aria-busy={list.isLoading}>
        <table className="data-table" data-testid="invoice-table">
          <thead>
            <tr>
              <th>{t('invoices.col.number')}</th>
              <th>{t('invoices.col.customer')}</th>
              <th>{t('invoices.col.date')}</th>
              <th>{t('invoices.col.due')}</th>
              <th className="num">{t('invoices.col.total')}</th>
              <th className="num">{t('invoices.col.amountDue')}</th>
              <th>{t('invoices.col.status')}</th>
            </tr>
          </thead>
          <tbody>
            {data?.invoices.map((invoice) => (
              <tr
                key={invoice.id}
                className="row-link"
                data-testid="invoice-row"
                onClick={() => navigate(`/invoices/${invoice.id}`)}
              >
                <td>
                  <Link to={`/invoices/${invoice.id}`} dir="ltr" className="mono">
                    {invoice.invoice_number}
                  </Link>
                  {invoice.type !== 'invoice' && (
                    <span className="muted small"> · {t(`type.${invoice.type}` as MessageKey)}</span>
                  )}
                </td>
                <td>{(locale === 'ar' && invoice.customer_name_ar) || invoice.customer_name || '—'}</td>
                <td>{formatIsoDate(invoice.invoice_date)}</td>
                <td>{invoice.due_date ? formatIsoDate(invoice.due_date) : '—'}</td>
                <td className="num">
                  {formatAmount(invoice.total_amount, invoice.currency)}{' '}
                  <span className="muted small">{invoice.currency}</span>
                </td>
                <td className="num">{formatAmount(invoice.amount_due, invoice.currency)}</td>
                <td>
                  <StatusBadge status={invoice.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {data && data.invoices.length === 0 && (
          <p className="empty-state muted">{isFiltered ? t('invoices.noMatch') : t('invoices.empty')}</p>
        )}
      </ScrollArea>
      {data && <Pagination page={page} pageSize={PAGE_SIZE} total={data.total} onPage={setPage} />}
    </div>
  );
}
