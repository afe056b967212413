import { useState } from 'react';
import { api } from '../../api/browser-client';
import {
  type ClientName,
  getClientInvoice,
  listClientCustomers,
  listClientExpenses,
  listClientInvoices,
  listClientPayments,
  listClients,
  listClientTimeEntries,
} from '../../api/workspace';
import { Alert } from '../../components/Alert';
import { TableCard } from '../../components/ListPage';
import { Pagination } from '../../components/Pagination';
import { StatusBadge } from '../../components/StatusBadge';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages-en';
import { describeError } from '../../lib/errors';
import { useLoader } from '../../lib/use-loader';
import { Link } from '../../router/router';
import { SECTIONS, type Section, scopeOf } from './AccountantWorkspacePage';

const PAGE_SIZE = 20;

/**
 * A client's books, read-only, under a banner with the client's name on every screen: an accountant with many
 * clients must never mistake whose books are open. The name comes from the answer itself (each read names its
 * client), so the banner cannot lag behind the table under it.
 */
export function ClientBooksPage({
  clientId,
  section,
  invoiceId,
}: {
  clientId: string;
  section: Section;
  invoiceId?: string;
}) {
  const { t } = useI18n();
  const clients = useLoader((signal) => listClients(api, { signal }), []);
  const listed = clients.data?.clients.find((c) => c.client_id === clientId);
  const [answered, setAnswered] = useState<ClientName | null>(null);
  const client = answered ?? (listed ? { ...listed, id: listed.client_id } : null);

  return (
    <div className="page page-wide">
      <ClientBanner client={client} />
      {/* Only the sections the assignment's scopes open, once they are known. */}
      <nav className="tabs" aria-label={t('workspace.sections')}>
        {SECTIONS.filter((s) => listed?.scopes.includes(scopeOf(s))).map((s) => (
          <Link
            key={s}
            to={`/accountant/clients/${clientId}/${s}`}
            className="chip"
            aria-current={s === section ? 'page' : undefined}
            data-testid={`client-tab-${s}`}
          >
            {t(`workspace.section.${s}` as MessageKey)}
          </Link>
        ))}
      </nav>
      {invoiceId ? (
        <ClientInvoice clientId={clientId} invoiceId={invoiceId} onClient={setAnswered} />
      ) : (
        <SectionTable key={section} clientId={clientId} section={section} onClient={setAnswered} />
      )}
    </div>
  );
}

function ClientBanner({ client }: { client: ClientName | null }) {
  const { t, locale } = useI18n();
  const name = client ? (locale === 'ar' && client.legal_name_ar) || client.legal_name_en : '…';
  return (
    <header className="page-header client-banner" data-testid="client-banner">
      <p className="muted small">
        <Link to="/accountant">{t('workspace.title')}</Link> · {t('workspace.readOnly')}
      </p>
      <h1 data-testid="client-name">{t('workspace.booksOf', { name })}</h1>
    </header>
  );
}

function SectionTable({
  clientId,
  section,
  onClient,
}: {
  clientId: string;
  section: Section;
  onClient(client: ClientName): void;
}) {
  const { t, formatMoney, formatIsoDate } = useI18n();
  const [page, setPage] = useState(1);
  const list = useLoader(
    async (signal) => {
      const q = { page, page_size: PAGE_SIZE };
      const opts = { signal };
      const answer =
        section === 'invoices'
          ? await listClientInvoices(api, clientId, q, opts)
          : section === 'customers'
            ? await listClientCustomers(api, clientId, q, opts)
            : section === 'expenses'
              ? await listClientExpenses(api, clientId, q, opts)
              : section === 'time-entries'
                ? await listClientTimeEntries(api, clientId, q, opts)
                : await listClientPayments(api, clientId, q, opts);
      onClient(answer.client);
      return answer;
    },
    [clientId, section, page],
  );
  const data = list.data;
  if (list.error !== undefined) return <Alert tone="error">{describeError(list.error, t)}</Alert>;
  if (!data) return <p className="muted">{t('common.loading')}</p>;

  const table = (head: string[], rows: React.ReactNode[]) => (
    <TableCard
      testId={`client-${section}-table`}
      head={head.map((h) => <th key={h}>{h}</th>)}
      isEmpty={rows.length === 0}
      empty={t('workspace.empty')}
    >
      {rows}
    </TableCard>
  );

  return (
    <>
      {'invoices' in data &&
        table(
          [
            t('invoices.col.number'),
            t('invoices.col.date'),
            t('payments.col.customer'),
            t('payments.col.amount'),
          ],
          data.invoices.map((inv) => (
            <tr key={inv.id} data-testid="client-invoice-row">
              <td className="mono" dir="ltr">
                <Link to={`/accountant/clients/${clientId}/invoices/${inv.id}`}>{inv.invoice_number}</Link>
              </td>
              <td>{formatIsoDate(inv.invoice_date)}</td>
              <td>{inv.customer_name}</td>
              <td className="num">
                {formatMoney(inv.total_amount, inv.currency)} <StatusBadge status={inv.status} />
              </td>
            </tr>
          )),
        )}
      {'customers' in data &&
        table(
          [t('field.nameEn'), t('field.customerEmail'), t('field.vatNumberCustomer')],
          data.customers.map((c) => (
            <tr key={c.id} data-testid="client-customer-row">
              <td>{c.name_en}</td>
              <td dir="ltr">{c.email ?? '—'}</td>
              <td dir="ltr">{c.vat_number ?? '—'}</td>
            </tr>
          )),
        )}
      {'expenses' in data &&
        table(
          [
            t('expenses.col.date'),
            t('expenses.col.vendor'),
            t('expenses.col.category'),
            t('expenses.col.amount'),
          ],
          data.expenses.map((e) => (
            <tr key={e.id} data-testid="client-expense-row">
              <td>{formatIsoDate(e.expense_date)}</td>
              <td>{e.vendor}</td>
              <td>{e.category}</td>
              <td className="num">{formatMoney(e.amount, e.currency)}</td>
            </tr>
          )),
        )}
      {'time_entries' in data &&
        table(
          [t('time.col.date'), t('time.col.project'), t('time.col.hours'), t('time.col.amount')],
          data.time_entries.map((e) => (
            <tr key={e.id} data-testid="client-time-row">
              <td>{formatIsoDate(e.entry_date)}</td>
              <td>{e.project ?? '—'}</td>
              <td className="num" dir="ltr">
                {e.hours}
              </td>
              <td className="num">{formatMoney(e.amount, e.currency)}</td>
            </tr>
          )),
        )}
      {'payments' in data &&
        table(
          [t('payments.col.date'), t('payments.col.method'), t('payments.col.amount')],
          data.payments.map((p) => (
            <tr key={p.id} data-testid="client-payment-row">
              <td>{formatIsoDate(p.payment_date)}</td>
              <td>{t(`method.${p.payment_method}` as 'method.cash')}</td>
              <td className="num">{formatMoney(p.amount, p.currency)}</td>
            </tr>
          )),
        )}
      <Pagination page={page} pageSize={PAGE_SIZE} total={data.total} onPage={setPage} />
    </>
  );
}

function ClientInvoice({
  clientId,
  invoiceId,
  onClient,
}: {
  clientId: string;
  invoiceId: string;
  onClient(client: ClientName): void;
}) {
  const { t, formatMoney, formatIsoDate } = useI18n();
  const invoice = useLoader(
    async (signal) => {
      const answer = await getClientInvoice(api, clientId, invoiceId, { signal });
      onClient(answer.client);
      return answer;
    },
    [clientId, invoiceId],
  );
  if (invoice.error !== undefined) return <Alert tone="error">{describeError(invoice.error, t)}</Alert>;
  const inv = invoice.data;
  if (!inv) return <p className="muted">{t('common.loading')}</p>;
  return (
    <section className="card" data-testid="client-invoice">
      <h2 className="card-title mono" dir="ltr">
        {inv.invoice_number}
      </h2>
      <p>
        {formatIsoDate(inv.invoice_date)} · {inv.customer_name} · <StatusBadge status={inv.status} />
      </p>
      <table className="data-table compact">
        <tbody>
          {inv.lines.map((line) => (
            <tr key={line.index}>
              <td>{line.description}</td>
              <td className="num" dir="ltr">
                {line.quantity} × {line.unit_price}
              </td>
              <td className="num">{formatMoney(line.net_amount as `${number}`, inv.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="num">
        <strong>{formatMoney(inv.total_amount, inv.currency)}</strong>
      </p>
    </section>
  );
}
