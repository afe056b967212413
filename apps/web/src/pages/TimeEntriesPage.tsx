import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api/browser-client';
import { listCustomers } from '../api/resources';
import {
  createTimeEntry,
  deleteTimeEntry,
  invoiceTimeEntries,
  listTimeEntries,
  type TimeEntry,
  updateTimeEntry,
} from '../api/workspace';
import { Alert } from '../components/Alert';
import { PlainField, RowActions, useListEditor } from '../components/ListEditor';
import { FormActions, ListHeader, TableCard, useSave } from '../components/ListPage';
import { Pagination } from '../components/Pagination';
import { useI18n } from '../i18n/I18nProvider';
import { todayIso } from '../lib/dates';
import { describeError } from '../lib/errors';
import { hoursBetween } from '../lib/hours';
import { useLoader } from '../lib/use-loader';
import { Link, navigate } from '../router/router';

const PAGE_SIZE = 20;
// The running timer's start, kept in the browser so a reload or a closed tab does not lose the hours.
const TIMER_KEY = 'invoiceflow.timer.startedAt';

/** Time tracking: a running timer, the entries, and a customer's unbilled hours turned into a draft invoice. */
export function TimeEntriesPage() {
  const { t, formatMoney, formatIsoDate } = useI18n();
  const list = useListEditor<TimeEntry>();
  const { page, editing, notice } = list;
  const { error, save } = useSave();
  const [timedHours, setTimedHours] = useState<string | null>(null);
  const entries = useLoader(
    (signal) => listTimeEntries(api, { page, page_size: PAGE_SIZE }, { signal }),
    [page],
  );
  const customers = useLoader((signal) => listCustomers(api, { page_size: 100 }, { signal }), []);
  const nameOf = (id: string) => customers.data?.customers.find((c) => c.id === id)?.name_en ?? '—';

  return (
    <div className="page page-wide">
      <ListHeader
        title={t('time.title')}
        subtitle={t('time.subtitle')}
        newLabel={t('time.new')}
        newTestId="new-time-entry"
        onNew={list.isFormOpen ? undefined : list.startAdding}
      />
      {notice && <Alert tone="success">{notice}</Alert>}
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <Timer
        onStop={(hours) => {
          setTimedHours(hours);
          list.startAdding();
        }}
      />
      {list.isFormOpen && (
        <TimeEntryForm
          key={editing?.id ?? timedHours ?? 'manual'}
          editing={editing}
          initialHours={timedHours ?? ''}
          onCancel={() => {
            list.close();
            setTimedHours(null);
          }}
          onSaved={() => {
            list.close(t('time.saved'));
            setTimedHours(null);
            entries.reload();
          }}
        />
      )}
      <InvoiceHours />
      {entries.error !== undefined && <Alert tone="error">{describeError(entries.error, t)}</Alert>}
      <TableCard
        testId="time-table"
        head={
          <>
            <th>{t('time.col.date')}</th>
            <th>{t('payments.col.customer')}</th>
            <th>{t('time.col.project')}</th>
            <th className="num">{t('time.col.hours')}</th>
            <th className="num">{t('time.col.amount')}</th>
            <th>{t('time.col.invoice')}</th>
            <th />
          </>
        }
        isEmpty={entries.data?.time_entries.length === 0}
        empty={t('time.empty')}
      >
        {entries.data?.time_entries.map((e) => (
          <tr key={e.id} data-testid="time-row">
            <td>{formatIsoDate(e.entry_date)}</td>
            <td>{nameOf(e.customer_id)}</td>
            <td>{e.project ?? '—'}</td>
            <td className="num" dir="ltr">
              {e.hours}
            </td>
            <td className="num">{formatMoney(e.amount, e.currency)}</td>
            <td>
              {e.invoice_id ? (
                <Link to={`/invoices/${e.invoice_id}`} className="chip mono" dir="ltr">
                  {e.invoice_number}
                </Link>
              ) : e.is_billable ? (
                t('time.unbilled')
              ) : (
                t('time.notBillable')
              )}
            </td>
            {/* Delete is offered on invoiced entries too: the server decides, and its 409 is said plainly above. */}
            <RowActions
              testIdPrefix="time-entry"
              editLabel={t('time.edit')}
              deleteLabel={t('time.delete')}
              confirmText={t('time.deleteConfirm')}
              onEdit={e.invoice_id ? undefined : () => list.startEditing(e)}
              onDelete={() => {
                list.setNotice(null);
                void save(async () => {
                  await deleteTimeEntry(api, e.id);
                  list.close(t('time.deleted'));
                  entries.reload();
                });
              }}
            >
              {e.invoice_id && <span className="muted">{t('time.locked')} </span>}
            </RowActions>
          </tr>
        ))}
      </TableCard>
      {entries.data && (
        <Pagination page={page} pageSize={PAGE_SIZE} total={entries.data.total} onPage={list.setPage} />
      )}
    </div>
  );
}

function Timer({ onStop }: { onStop(hours: string): void }) {
  const { t } = useI18n();
  const [startedAt, setStartedAt] = useState<number | null>(() => {
    const stored = Number(window.localStorage.getItem(TIMER_KEY));
    return Number.isFinite(stored) && stored > 0 ? stored : null;
  });
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (startedAt === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [startedAt]);

  const elapsed = startedAt === null ? 0 : Math.max(0, Math.floor((now - startedAt) / 1000));
  const clock = [Math.floor(elapsed / 3600), Math.floor(elapsed / 60) % 60, elapsed % 60]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');

  return (
    <section className="card subhead-row" data-testid="timer">
      <span className="mono" dir="ltr" data-testid="timer-clock" aria-live="off">
        {clock}
      </span>
      {startedAt === null ? (
        <button
          type="button"
          className="button button-primary"
          data-testid="start-timer"
          onClick={() => {
            const start = Date.now();
            window.localStorage.setItem(TIMER_KEY, String(start));
            setStartedAt(start);
            setNow(start);
          }}
        >
          {t('time.start')}
        </button>
      ) : (
        <button
          type="button"
          className="button button-primary"
          data-testid="stop-timer"
          onClick={() => {
            window.localStorage.removeItem(TIMER_KEY);
            setStartedAt(null);
            onStop(hoursBetween(startedAt, Date.now()));
          }}
        >
          {t('time.stop')}
        </button>
      )}
    </section>
  );
}

function CustomerSelect({ value, onChange }: { value: string; onChange(id: string): void }) {
  const { t } = useI18n();
  const customers = useLoader((signal) => listCustomers(api, { page_size: 100 }, { signal }), []);
  return (
    <label className="field">
      <span className="field-label">{t('payments.customer')}</span>
      <select name="customer_id" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('payments.chooseCustomer')}</option>
        {customers.data?.customers.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name_en}
          </option>
        ))}
      </select>
    </label>
  );
}

function TimeEntryForm({
  editing,
  initialHours,
  onCancel,
  onSaved,
}: {
  editing: TimeEntry | null;
  initialHours: string;
  onCancel(): void;
  onSaved(): void;
}) {
  const { t } = useI18n();
  const [customerId, setCustomerId] = useState(editing?.customer_id ?? '');
  const [project, setProject] = useState(editing?.project ?? '');
  const [date, setDate] = useState(editing?.entry_date ?? todayIso());
  const [hours, setHours] = useState(editing?.hours ?? initialHours);
  const [rate, setRate] = useState(editing?.hourly_rate ?? '');
  const [isBillable, setIsBillable] = useState(editing?.is_billable ?? true);
  const [description, setDescription] = useState(editing?.description ?? '');
  const { error, isSaving, save } = useSave();

  function submit(event: FormEvent) {
    event.preventDefault();
    return save(async () => {
      const fields = {
        customer_id: customerId,
        project: project.trim() || null,
        entry_date: date,
        hours: hours.trim(),
        hourly_rate: rate.trim(),
        is_billable: isBillable,
        description: description.trim() || null,
      };
      if (editing) await updateTimeEntry(api, editing.id, fields);
      else await createTimeEntry(api, fields);
      onSaved();
    });
  }

  const text = (name: string, label: string, value: string, set: (v: string) => void, ltr = false) => (
    <PlainField name={name} label={label} value={value} onChange={set} isLtr={ltr} />
  );

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} data-testid="time-entry-form">
      <h2 className="card-title">{t(editing ? 'time.editTitle' : 'time.new')}</h2>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <div className="form-grid four">
        <CustomerSelect value={customerId} onChange={setCustomerId} />
        {text('project', t('time.col.project'), project, setProject)}
        <label className="field">
          <span className="field-label">{t('time.col.date')}</span>
          <input name="entry_date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        {text('hours', t('time.col.hours'), hours, setHours, true)}
        {text('hourly_rate', t('time.rate'), rate, setRate, true)}
        {text('description', t('expenses.description'), description, setDescription)}
        <label className="checkbox">
          <input
            type="checkbox"
            name="is_billable"
            checked={isBillable}
            onChange={(e) => setIsBillable(e.target.checked)}
          />{' '}
          {t('time.billable')}
        </label>
      </div>
      <FormActions
        onCancel={onCancel}
        saveLabel={t('time.save')}
        isDisabled={isSaving || !customerId || !hours.trim() || !rate.trim()}
        saveTestId="save-time-entry"
      />
    </form>
  );
}

/** One click: the customer's unbilled billable hours become a draft invoice, opened in the editor. */
function InvoiceHours() {
  const { t } = useI18n();
  const [customerId, setCustomerId] = useState('');
  const { error, isSaving, save } = useSave();
  return (
    <section className="card form" data-testid="invoice-hours">
      <h2 className="card-title">{t('time.invoiceHours')}</h2>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <div className="subhead-row">
        <CustomerSelect value={customerId} onChange={setCustomerId} />
        <button
          type="button"
          className="button button-primary"
          data-testid="invoice-unbilled"
          disabled={isSaving || !customerId}
          onClick={() =>
            void save(async () => {
              const { invoice } = await invoiceTimeEntries(api, customerId);
              navigate(`/invoices/new?invoice=${invoice.id}`);
            })
          }
        >
          {t('time.invoiceHours')}
        </button>
      </div>
    </section>
  );
}
