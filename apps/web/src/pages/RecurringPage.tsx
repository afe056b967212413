import { type FormEvent, useState } from 'react';
import { api } from '../api/browser-client';
import {
  createSchedule,
  type Frequency,
  listRuns,
  listSchedules,
  pauseSchedule,
  type RecurringSchedule,
  resumeSchedule,
} from '../api/recurring';
import { getInvoice, listCustomers } from '../api/resources';
import { Alert } from '../components/Alert';
import { useListEditor } from '../components/ListEditor';
import { FormActions, ListHeader, TableCard, useSave } from '../components/ListPage';
import { Pagination } from '../components/Pagination';
import { StatusBadge } from '../components/StatusBadge';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages-en';
import { todayIso } from '../lib/dates';
import { describeError } from '../lib/errors';
import { useLoader } from '../lib/use-loader';
import { Link, navigate, useSearchParam } from '../router/router';
import { DocumentLinesEditor, useCompanyBasics, useDocumentLines } from './invoice-editor/DocumentLines';

const PAGE_SIZE = 20;
const FREQUENCIES: readonly Frequency[] = ['weekly', 'monthly', 'quarterly', 'yearly'];

/** Recurring invoices: each schedule with its next period, paused or resumed here, and the invoices it made. */
export function RecurringPage() {
  const { t, formatIsoDate } = useI18n();
  const list = useListEditor<RecurringSchedule>();
  const { page, notice } = list;
  // From an invoice's page: the form opens with that invoice's customer and lines.
  const fromInvoiceId = useSearchParam('from_invoice');
  const isFormOpen = list.isFormOpen || fromInvoiceId !== null;
  const closeForm = (savedNotice?: string) => {
    if (fromInvoiceId) navigate('/recurring', { replace: true });
    list.close(savedNotice);
  };
  const [openRuns, setOpenRuns] = useState<string | null>(null);
  const schedules = useLoader(
    (signal) => listSchedules(api, { page, page_size: PAGE_SIZE }, { signal }),
    [page],
  );
  const customers = useLoader((signal) => listCustomers(api, { page_size: 100 }, { signal }), []);
  const customerName = (id: string) => customers.data?.customers.find((c) => c.id === id)?.name_en ?? '';
  const { error, isSaving, save } = useSave();

  return (
    <div className="page page-wide">
      <ListHeader
        title={t('recurring.title')}
        subtitle={t('recurring.subtitle')}
        newLabel={t('recurring.new')}
        newTestId="new-schedule"
        onNew={isFormOpen ? undefined : list.startAdding}
      />
      {notice && <Alert tone="success">{notice}</Alert>}
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      {isFormOpen && (
        <ScheduleForm
          key={fromInvoiceId ?? 'new'}
          fromInvoiceId={fromInvoiceId}
          onCancel={() => closeForm()}
          onSaved={() => {
            closeForm(t('recurring.saved'));
            schedules.reload();
          }}
        />
      )}
      {schedules.error !== undefined && <Alert tone="error">{describeError(schedules.error, t)}</Alert>}
      <TableCard
        testId="schedule-table"
        head={
          <>
            <th>{t('recurring.col.name')}</th>
            <th>{t('recurring.col.customer')}</th>
            <th>{t('recurring.col.frequency')}</th>
            <th>{t('recurring.col.nextRun')}</th>
            <th>{t('recurring.col.status')}</th>
            <th className="num">{t('recurring.col.issued')}</th>
            <th />
          </>
        }
        isEmpty={schedules.data?.schedules.length === 0}
        empty={t('recurring.empty')}
      >
        {schedules.data?.schedules.map((s) => (
          <ScheduleRow
            key={s.id}
            schedule={s}
            customerName={customerName(s.customer_id)}
            isRunsOpen={openRuns === s.id}
            onToggleRuns={() => setOpenRuns(openRuns === s.id ? null : s.id)}
            isBusy={isSaving}
            onPause={() =>
              void save(async () => {
                await pauseSchedule(api, s.id);
                list.close(t('recurring.paused'));
                schedules.reload();
              })
            }
            onResume={() =>
              void save(async () => {
                await resumeSchedule(api, s.id, false);
                list.close(t('recurring.resumed'));
                schedules.reload();
              })
            }
            formatIsoDate={formatIsoDate}
          />
        ))}
      </TableCard>
      {schedules.data && (
        <Pagination page={page} pageSize={PAGE_SIZE} total={schedules.data.total} onPage={list.setPage} />
      )}
    </div>
  );
}

function ScheduleRow({
  schedule: s,
  customerName,
  isRunsOpen,
  onToggleRuns,
  isBusy,
  onPause,
  onResume,
  formatIsoDate,
}: {
  schedule: RecurringSchedule;
  customerName: string;
  isRunsOpen: boolean;
  onToggleRuns(): void;
  isBusy: boolean;
  onPause(): void;
  onResume(): void;
  formatIsoDate(iso: string): string;
}) {
  const { t } = useI18n();
  // The runs give the count of invoices made and, opened, the list of them.
  const runs = useLoader((signal) => listRuns(api, s.id, { signal }), [s.id, s.updated_at]);
  const made = runs.data?.runs.filter((r) => r.invoice_id !== null) ?? [];
  const label = s.name || customerName;
  return (
    <>
      <tr data-testid="schedule-row" data-status={s.status}>
        <td>{s.name ?? '—'}</td>
        <td>{customerName}</td>
        <td>{t(`recurring.frequency.${s.frequency}` as MessageKey)}</td>
        <td>{s.next_period_date ? formatIsoDate(s.next_period_date) : '—'}</td>
        <td>
          <StatusBadge status={s.status} />
        </td>
        <td className="num" data-testid="schedule-issued">
          {runs.data ? made.length : '…'}
        </td>
        <td className="num">
          <button
            type="button"
            className="button button-ghost button-small"
            aria-expanded={isRunsOpen}
            aria-label={t('recurring.showInvoicesOf', { name: label })}
            onClick={onToggleRuns}
          >
            {t('recurring.invoices')}
          </button>
          {s.status === 'active' ? (
            <button
              type="button"
              className="button button-ghost button-small"
              data-testid="pause-schedule"
              aria-label={t('recurring.pauseOf', { name: label })}
              disabled={isBusy}
              onClick={onPause}
            >
              {t('recurring.pause')}
            </button>
          ) : (
            <button
              type="button"
              className="button button-ghost button-small"
              data-testid="resume-schedule"
              aria-label={t('recurring.resumeOf', { name: label })}
              disabled={isBusy}
              onClick={onResume}
            >
              {t('recurring.resume')}
            </button>
          )}
        </td>
      </tr>
      {isRunsOpen && (
        <tr data-testid="schedule-runs">
          <td colSpan={7}>
            {runs.data?.runs.length === 0 ? (
              <p className="muted">{t('recurring.noRuns')}</p>
            ) : (
              <ul>
                {runs.data?.runs.map((r) => (
                  <li key={r.period_date}>
                    {formatIsoDate(r.period_date)} · {t(`recurring.outcome.${r.outcome}` as MessageKey)}
                    {r.invoice_id && (
                      <>
                        {' · '}
                        <Link to={`/invoices/${r.invoice_id}`}>{t('recurring.openInvoice')}</Link>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

function ScheduleForm({
  fromInvoiceId,
  onCancel,
  onSaved,
}: {
  fromInvoiceId: string | null;
  onCancel(): void;
  onSaved(): void;
}) {
  const { t } = useI18n();
  const { basics, error } = useCompanyBasics();
  const invoice = useLoader(
    (signal) => (fromInvoiceId ? getInvoice(api, fromInvoiceId, { signal }) : Promise.resolve(null)),
    [fromInvoiceId],
  );
  const failure = error ?? invoice.error;
  if (failure) return <Alert tone="error">{describeError(failure, t)}</Alert>;
  if (!basics || invoice.data === undefined) return <p className="muted">{t('common.loading')}</p>;
  const source = invoice.data;
  return (
    <ScheduleFields
      company={basics.company}
      rates={basics.rates}
      // The invoice's lines as the editor reads a saved request (description, quantity, price, VAT).
      initial={source ? { lines: source.lines, notes: source.notes ?? undefined } : undefined}
      initialCustomerId={source?.customer_id ?? ''}
      onCancel={onCancel}
      onSaved={onSaved}
    />
  );
}

function ScheduleFields({
  company,
  rates,
  initial,
  initialCustomerId,
  onCancel,
  onSaved,
}: {
  company: Parameters<typeof useDocumentLines>[0];
  rates: readonly string[];
  initial: Record<string, unknown> | undefined;
  initialCustomerId: string;
  onCancel(): void;
  onSaved(): void;
}) {
  const { t, locale } = useI18n();
  const lines = useDocumentLines(company, rates, initial);
  const customers = useLoader((signal) => listCustomers(api, { page_size: 100 }, { signal }), []);
  const [name, setName] = useState('');
  const [customerId, setCustomerId] = useState(initialCustomerId);
  const [frequency, setFrequency] = useState<Frequency>('monthly');
  const [dayOfMonth, setDayOfMonth] = useState('');
  const [startDate, setStartDate] = useState(todayIso());
  const [endDate, setEndDate] = useState('');
  const [maxCount, setMaxCount] = useState('');
  const [mode, setMode] = useState<'draft' | 'issue'>('draft');
  const [isAutoSend, setIsAutoSend] = useState(false);
  const [hasTried, setHasTried] = useState(false);
  const { error, isSaving, save } = useSave();

  function submit(event: FormEvent) {
    event.preventDefault();
    setHasTried(true);
    return save(async () => {
      const day = /^\d+$/.test(dayOfMonth) ? Number.parseInt(dayOfMonth, 10) : undefined;
      const count = /^\d+$/.test(maxCount) ? Number.parseInt(maxCount, 10) : undefined;
      await createSchedule(api, {
        ...(name.trim() ? { name: name.trim() } : {}),
        customer_id: customerId,
        frequency,
        ...(day !== undefined && frequency !== 'weekly' ? { day_of_month: day } : {}),
        start_date: startDate,
        end_date: endDate || null,
        max_count: count ?? null,
        mode,
        auto_send: mode === 'issue' && isAutoSend,
        template: { lines: lines.linesBody() },
      });
      onSaved();
    });
  }

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} data-testid="schedule-form">
      <h2 className="card-title">{t('recurring.new')}</h2>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <div className="form-grid four">
        <label className="field">
          <span className="field-label">{t('recurring.col.name')}</span>
          <input name="name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">{t('recurring.col.customer')}</span>
          <select name="customer_id" value={customerId} onChange={(e) => setCustomerId(e.target.value)}>
            <option value="">{t('sales.chooseCustomer')}</option>
            {customers.data?.customers.map((c) => (
              <option key={c.id} value={c.id}>
                {(locale === 'ar' && c.name_ar) || c.name_en}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('recurring.col.frequency')}</span>
          <select
            name="frequency"
            value={frequency}
            onChange={(e) => setFrequency(e.target.value as Frequency)}
          >
            {FREQUENCIES.map((f) => (
              <option key={f} value={f}>
                {t(`recurring.frequency.${f}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        {frequency !== 'weekly' && (
          <label className="field">
            <span className="field-label">{t('recurring.dayOfMonth')}</span>
            <input
              name="day_of_month"
              inputMode="numeric"
              dir="ltr"
              value={dayOfMonth}
              onChange={(e) => setDayOfMonth(e.target.value)}
            />
          </label>
        )}
        <label className="field">
          <span className="field-label">{t('recurring.startDate')}</span>
          <input
            name="start_date"
            type="date"
            value={startDate}
            onChange={(e) => setStartDate(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">{t('recurring.endDate')}</span>
          <input name="end_date" type="date" value={endDate} onChange={(e) => setEndDate(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">{t('recurring.maxCount')}</span>
          <input
            name="max_count"
            inputMode="numeric"
            dir="ltr"
            value={maxCount}
            onChange={(e) => setMaxCount(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">{t('recurring.mode')}</span>
          <select name="mode" value={mode} onChange={(e) => setMode(e.target.value as 'draft' | 'issue')}>
            <option value="draft">{t('recurring.mode.draft')}</option>
            <option value="issue">{t('recurring.mode.issue')}</option>
          </select>
        </label>
        {mode === 'issue' && (
          <label className="checkbox">
            <input
              type="checkbox"
              name="auto_send"
              checked={isAutoSend}
              onChange={(e) => setIsAutoSend(e.target.checked)}
            />{' '}
            {t('recurring.autoSend')}
          </label>
        )}
      </div>
      <DocumentLinesEditor lines={lines} rates={rates} showIssues={hasTried} />
      <FormActions
        onCancel={onCancel}
        saveLabel={t('recurring.save')}
        isDisabled={isSaving || !customerId || !startDate}
        saveTestId="save-schedule"
      />
    </form>
  );
}
