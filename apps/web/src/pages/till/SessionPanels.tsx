import { subtractMoney } from '@invoiceflow/totals';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/browser-client';
import {
  addDenomination,
  closeSession,
  openSession,
  type PieceCount,
  recordCashMovement,
  type SessionReport,
} from '../../api/pos';
import { Alert } from '../../components/Alert';
import { useSave } from '../../components/ListPage';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages-en';
import { describeError } from '../../lib/errors';
import { compareCounts, countsOf, countsTotal } from './till-math';

type Typed = Record<string, string>;

/** One box per note and coin of the drawer: how many pieces. */
function CountsInput({
  name,
  values,
  typed,
  onChange,
  currency,
}: {
  name: string;
  values: readonly string[];
  typed: Typed;
  onChange(next: Typed): void;
  currency: string;
}) {
  const { t, formatAmount } = useI18n();
  return (
    <fieldset className="till-counts">
      <legend className="visually-hidden">{t('till.countsLabel')}</legend>
      {values.map((value) => (
        <label className="field till-count" key={value}>
          <span className="field-label">{t('till.piecesOf', { value: formatAmount(value, currency) })}</span>
          <input
            name={`${name}.${value}`}
            inputMode="numeric"
            dir="ltr"
            value={typed[value] ?? ''}
            placeholder="0"
            onChange={(e) => onChange({ ...typed, [value]: e.target.value })}
          />
        </label>
      ))}
    </fieldset>
  );
}

const zeroFor = (values: readonly string[]): Typed => Object.fromEntries(values.map((v) => [v, '']));

/** No shift open: count the float by denomination (and add a note or coin the drawer does not list yet). */
export function OpenSessionForm({
  tillId,
  values,
  currency,
  onOpened,
  onDenominationAdded,
}: {
  tillId: string;
  values: readonly string[];
  currency: string;
  onOpened(report: SessionReport): void;
  onDenominationAdded(): void;
}) {
  const { t, formatAmount } = useI18n();
  const [typed, setTyped] = useState<Typed>(zeroFor(values));
  const [newValue, setNewValue] = useState('');
  const { error, isSaving, save } = useSave();
  const counts = countsOf(typed);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!counts) return;
    void save(async () => onOpened(await openSession(api, tillId, counts)));
  }

  return (
    <section className="card till-panel" aria-labelledby="open-title" data-testid="open-session">
      <h2 className="card-title" id="open-title">
        {t('till.openSession')}
      </h2>
      <p className="muted">{t('till.openHint')}</p>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      {values.length === 0 && <Alert tone="info">{t('till.noDenominations')}</Alert>}
      <form onSubmit={submit}>
        <CountsInput name="float" values={values} typed={typed} onChange={setTyped} currency={currency} />
        <p className="till-sum">
          {t('till.float')}:{' '}
          <strong className="num" data-testid="float-total">
            {counts ? formatAmount(countsTotal(counts, currency), currency) : '—'}
          </strong>
        </p>
        <button
          type="submit"
          className="button button-primary"
          data-testid="open-session-submit"
          disabled={!counts || isSaving}
        >
          {t('till.openSession')}
        </button>
      </form>
      <form
        className="till-add-denomination"
        onSubmit={(event) => {
          event.preventDefault();
          void save(async () => {
            await addDenomination(api, tillId, newValue.trim());
            setNewValue('');
            onDenominationAdded();
          });
        }}
      >
        <label className="field">
          <span className="field-label">{t('till.newDenomination', { currency })}</span>
          <input
            name="new_denomination"
            inputMode="decimal"
            dir="ltr"
            value={newValue}
            onChange={(e) => setNewValue(e.target.value)}
          />
        </label>
        <button
          type="submit"
          className="button button-ghost"
          disabled={!newValue.trim() || isSaving}
          data-testid="add-denomination"
        >
          {t('till.addDenomination')}
        </button>
      </form>
    </section>
  );
}

/** Cash put in or taken out during the shift, by denomination, with a reason. */
export function CashMovementForm({
  sessionId,
  values,
  currency,
  onDone,
  onCancel,
}: {
  sessionId: string;
  values: readonly string[];
  currency: string;
  onDone(): void;
  onCancel(): void;
}) {
  const { t, formatAmount } = useI18n();
  const [kind, setKind] = useState<'cash_in' | 'cash_out'>('cash_in');
  const [typed, setTyped] = useState<Typed>(zeroFor(values));
  const [reason, setReason] = useState('');
  const { error, isSaving, save } = useSave();
  const counts = countsOf(typed);
  const amount = counts ? countsTotal(counts, currency) : null;

  return (
    <form
      className="card till-panel"
      data-testid="cash-movement"
      onSubmit={(event) => {
        event.preventDefault();
        if (!counts) return;
        void save(async () => {
          await recordCashMovement(api, sessionId, { kind, counts, reason: reason.trim() || undefined });
          onDone();
        });
      }}
    >
      <h2 className="card-title">{t('till.cashInOut')}</h2>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <fieldset className="till-kind">
        <legend className="field-label">{t('till.movementKind')}</legend>
        <label className="checkbox">
          <input
            type="radio"
            name="kind"
            value="cash_in"
            checked={kind === 'cash_in'}
            onChange={() => setKind('cash_in')}
          />{' '}
          {t('till.cashIn')}
        </label>
        <label className="checkbox">
          <input
            type="radio"
            name="kind"
            value="cash_out"
            checked={kind === 'cash_out'}
            onChange={() => setKind('cash_out')}
          />{' '}
          {t('till.cashOut')}
        </label>
      </fieldset>
      <CountsInput name="movement" values={values} typed={typed} onChange={setTyped} currency={currency} />
      <label className="field">
        <span className="field-label">{t('till.reason')}</span>
        <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <p className="till-sum">
        {t('till.amount')}: <strong className="num">{amount ? formatAmount(amount, currency) : '—'}</strong>
      </p>
      <div className="form-actions">
        <button type="button" className="button button-ghost" onClick={onCancel}>
          {t('till.cancel')}
        </button>
        <button
          type="submit"
          className="button button-primary"
          data-testid="cash-movement-submit"
          disabled={!counts || counts.length === 0 || isSaving}
        >
          {t('till.record')}
        </button>
      </div>
    </form>
  );
}

/**
 * Close the shift: the drawer counted by denomination against what the drawer should hold (the API's counts,
 * which every sale and cash movement kept), the difference per denomination and in total, then confirm.
 */
export function CloseSessionForm({
  report,
  drawer,
  currency,
  isRefreshing = false,
  onClosed,
  onCancel,
}: {
  report: SessionReport;
  drawer: readonly PieceCount[];
  currency: string;
  /** The drawer and the shift are being read again: the expected column is about to change. */
  isRefreshing?: boolean;
  onClosed(report: SessionReport): void;
  onCancel(): void;
}) {
  const { t, formatAmount } = useI18n();
  const values = drawer.map((piece) => piece.value);
  const [typed, setTyped] = useState<Typed>(zeroFor(values));
  const { error, isSaving, save } = useSave();
  const counts = countsOf(typed);
  const counted = counts ? countsTotal(counts, currency) : null;
  const lines = counts ? compareCounts(drawer, counts, currency) : [];
  const difference = counted ? subtractMoney(counted, report.expected_cash, currency) : null;
  const money = (amount: string) => formatAmount(amount, currency);
  const signed = (amount: string) =>
    amount.startsWith('-') || /^0(\.0+)?$/.test(amount) ? money(amount) : `+${money(amount)}`;

  return (
    <form
      className="card till-panel"
      data-testid="close-session"
      aria-busy={isRefreshing}
      onSubmit={(event) => {
        event.preventDefault();
        if (!counts) return;
        void save(async () => onClosed(await closeSession(api, report.id, counts)));
      }}
    >
      <h2 className="card-title">{t('till.closeSession')}</h2>
      <p className="muted">{t('till.closeHint')}</p>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <CountsInput name="closing" values={values} typed={typed} onChange={setTyped} currency={currency} />
      <table className="till-count-table" data-testid="count-table">
        <thead>
          <tr>
            <th>{t('till.denomination')}</th>
            <th className="num">{t('till.expected')}</th>
            <th className="num">{t('till.counted')}</th>
            <th className="num">{t('till.difference')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr
              key={line.value}
              data-testid="count-line"
              data-value={line.value}
              className={line.difference !== 0 ? 'is-off' : undefined}
            >
              <td className="num">{money(line.value)}</td>
              <td className="num">{line.expected}</td>
              <td className="num">{line.counted}</td>
              <td className="num" data-testid="count-line-difference">
                {line.difference === 0
                  ? '0'
                  : `${line.difference > 0 ? '+' : ''}${line.difference} (${signed(line.amount)})`}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th>{t('till.total')}</th>
            <td className="num" data-testid="close-expected">
              {money(report.expected_cash)}
            </td>
            <td className="num" data-testid="close-counted">
              {counted ? money(counted) : '—'}
            </td>
            <td className="num" data-testid="close-difference">
              {difference ? signed(difference) : '—'}
            </td>
          </tr>
        </tfoot>
      </table>
      <div className="form-actions">
        <button type="button" className="button button-ghost" onClick={onCancel}>
          {t('till.cancel')}
        </button>
        <button
          type="submit"
          className="button button-primary"
          data-testid="confirm-close"
          disabled={!counts || isSaving}
        >
          {t('till.confirmClose')}
        </button>
      </div>
    </form>
  );
}

/** The X report (open shift) or the Z report (closed), from the API's JSON. */
export function ReportCard({ report }: { report: SessionReport }) {
  const { t, formatAmount, formatDate, formatTime } = useI18n();
  const money = (amount: string) => formatAmount(amount, report.currency);
  const rows: [MessageKey, string, string][] = [
    ['till.float', money(report.opening_float), 'opening_float'],
    ['till.salesCount', String(report.sales_count), 'sales_count'],
    ['till.salesTotal', money(report.sales_total), 'sales_total'],
    ['till.cashReceivedTotal', money(report.cash_received), 'cash_received'],
    ['till.changeGiven', money(report.change_given), 'change_given'],
    ['till.cashIn', money(report.cash_in), 'cash_in'],
    ['till.cashOut', money(report.cash_out), 'cash_out'],
    ['till.expected', money(report.expected_cash), 'expected_cash'],
  ];
  if (report.counted_cash !== null) rows.push(['till.counted', money(report.counted_cash), 'counted_cash']);
  if (report.difference !== null) rows.push(['till.difference', money(report.difference), 'difference']);
  const opened = new Date(report.opened_at);
  return (
    <section
      className="card till-panel till-report"
      data-testid={`report-${report.report}`}
      aria-labelledby="report-title"
    >
      <h2 className="card-title" id="report-title">
        {report.report === 'X' ? t('till.xReport') : t('till.zReport')}
      </h2>
      <p className="muted">
        {t('till.openedAt')}: {formatDate(opened)} {formatTime(opened)}
        {report.closed_at &&
          ` · ${t('till.closedAt')}: ${formatDate(new Date(report.closed_at))} ${formatTime(new Date(report.closed_at))}`}
      </p>
      <dl className="till-report-rows">
        {rows.map(([label, value, field]) => (
          <div key={field}>
            <dt>{t(label)}</dt>
            <dd className="num" data-testid={`report-${field}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
