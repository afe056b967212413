import { compareMoney } from '@invoiceflow/totals';
import { useState } from 'react';
import { api } from '../api/browser-client';
import {
  AGING_BUCKETS,
  type AgingBucket,
  type AgingSide,
  downloadExport,
  type ExportKind,
  getAging,
  getPaymentsReceived,
  getSales,
  getVatReturn,
  type PaymentsGrouping,
  type Period,
  type SalesGrouping,
} from '../api/reports';
import { Alert } from '../components/Alert';
import { ReportDownload } from '../components/ReportDownload';
import { RevenueChart } from '../components/RevenueChart';
import { ScrollArea } from '../components/ScrollArea';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages-en';
import { todayIso } from '../lib/dates';
import { describeError } from '../lib/errors';
import { saveBlob } from '../lib/files';
import { useLoader } from '../lib/use-loader';

/** The calendar quarter a day falls in, as the period most VAT returns are filed for. */
function quarterOf(day: string): Period {
  const [year, month] = day.split('-').map(Number) as [number, number];
  const first = Math.floor((month - 1) / 3) * 3 + 1;
  const last = first + 2;
  const pad = (n: number) => String(n).padStart(2, '0');
  const lastDay = new Date(Date.UTC(year, last, 0)).getUTCDate();
  return { from: `${year}-${pad(first)}-01`, to: `${year}-${pad(last)}-${pad(lastDay)}` };
}

const EXPORTS: { kind: ExportKind; format: 'csv' | 'xlsx' | 'zip'; label: MessageKey }[] = [
  { kind: 'vat-return', format: 'csv', label: 'reports.export.vatReturn' },
  { kind: 'documents', format: 'csv', label: 'reports.export.documentsCsv' },
  { kind: 'documents', format: 'xlsx', label: 'reports.export.documentsXlsx' },
  { kind: 'payments', format: 'csv', label: 'reports.export.paymentsCsv' },
  { kind: 'payments', format: 'xlsx', label: 'reports.export.paymentsXlsx' },
  { kind: 'e-invoices', format: 'zip', label: 'reports.export.einvoices' },
];

/** The dashboard's colours and names of the aging buckets. */
const BUCKET_STYLE: Record<AgingBucket, { className: string; label: MessageKey }> = {
  current: { className: 'aging-current', label: 'dashboard.aging.current' },
  days_1_30: { className: 'aging-days_0_30', label: 'dashboard.aging.days_0_30' },
  days_31_60: { className: 'aging-days_31_60', label: 'dashboard.aging.days_31_60' },
  days_61_90: { className: 'aging-days_61_90', label: 'dashboard.aging.days_61_90' },
  days_90_plus: { className: 'aging-days_90_plus', label: 'dashboard.aging.days_90_plus' },
};

/** Receivables or payables on a day: a bar of the buckets (where the money is stuck), then by customer or vendor. */
function AgingCard() {
  const { t, formatAmount } = useI18n();
  const [side, setSide] = useState<AgingSide>('receivables');
  const [asOf, setAsOf] = useState(() => todayIso());
  const aging = useLoader(
    (signal) => (asOf ? getAging(api, side, asOf, { signal }) : Promise.resolve(undefined)),
    [side, asOf],
  );
  const data = aging.data;
  const money = (value: string) => (data ? formatAmount(value, data.currency) : value);
  return (
    <section className="card" data-testid="aging-report">
      <div className="card-title-row">
        <h2 className="card-title">
          {t(side === 'receivables' ? 'reports.receivablesAging' : 'reports.payablesAging')}
        </h2>
        <label className="field field-inline">
          <span className="field-label">{t('reports.agingSide')}</span>
          <select
            value={side}
            data-testid="aging-side"
            onChange={(e) => setSide(e.target.value as AgingSide)}
          >
            <option value="receivables">{t('reports.receivables')}</option>
            <option value="payables">{t('reports.payables')}</option>
          </select>
        </label>
        <label className="field field-inline">
          <span className="field-label">{t('reports.asOf')}</span>
          <input
            type="date"
            value={asOf}
            data-testid="aging-as-of"
            onChange={(e) => setAsOf(e.target.value)}
          />
        </label>
      </div>
      {aging.error !== undefined && <Alert tone="error">{describeError(aging.error, t)}</Alert>}
      {data && compareMoney(data.total.total, '0') === 0 && (
        <p className="muted">{t('reports.nothingOpen')}</p>
      )}
      {data && compareMoney(data.total.total, '0') > 0 && (
        <>
          <div className="aging-bar" aria-hidden="true">
            {AGING_BUCKETS.map((bucket) => {
              // Widths only: the figures printed stay exact strings.
              const share = Number(data.total[bucket]) / Number(data.total.total);
              return share > 0 ? (
                <span key={bucket} className={BUCKET_STYLE[bucket].className} style={{ flexGrow: share }} />
              ) : null;
            })}
          </div>
          <ul className="aging-list" data-testid="aging-buckets">
            {AGING_BUCKETS.map((bucket) => (
              <li key={bucket}>
                <span className={`aging-dot ${BUCKET_STYLE[bucket].className}`} aria-hidden="true" />
                <span>{t(BUCKET_STYLE[bucket].label)}</span>
                <strong className="tabular" data-testid={`aging-${bucket}`}>
                  {money(data.total[bucket])}
                </strong>
              </li>
            ))}
          </ul>
          <ScrollArea className="table-scroll">
            <table className="data-table compact">
              <thead>
                <tr>
                  <th>{t(side === 'receivables' ? 'reports.by.customer' : 'reports.vendor')}</th>
                  {AGING_BUCKETS.map((bucket) => (
                    <th key={bucket} className="num">
                      {t(BUCKET_STYLE[bucket].label)}
                    </th>
                  ))}
                  <th className="num">{t('reports.total')}</th>
                </tr>
              </thead>
              <tbody>
                {data.rows.map((row) => (
                  <tr key={row.key ?? row.label}>
                    <td>
                      <bdi>{row.label}</bdi>
                    </td>
                    {AGING_BUCKETS.map((bucket) => (
                      <td key={bucket} className="num tabular">
                        {money(row[bucket])}
                      </td>
                    ))}
                    <td className="num tabular">{money(row.total)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th>{t('reports.total')}</th>
                  {AGING_BUCKETS.map((bucket) => (
                    <th key={bucket} className="num tabular">
                      {money(data.total[bucket])}
                    </th>
                  ))}
                  <th className="num tabular" data-testid="aging-total">
                    {money(data.total.total)}
                  </th>
                </tr>
              </tfoot>
            </table>
          </ScrollArea>
        </>
      )}
      <ReportDownload
        kind={side === 'receivables' ? 'receivables-aging' : 'payables-aging'}
        params={{ as_of: asOf }}
        disabled={!asOf}
      />
    </section>
  );
}

/** Money received in the period: by month as a chart, by method or customer as a table. */
function PaymentsReceivedCard({ period, isValid }: { period: Period; isValid: boolean }) {
  const { t, formatAmount } = useI18n();
  const [groupBy, setGroupBy] = useState<PaymentsGrouping>('month');
  const received = useLoader(
    (signal) =>
      isValid ? getPaymentsReceived(api, period, groupBy, { signal }) : Promise.resolve(undefined),
    [period.from, period.to, groupBy],
  );
  const data = received.data;
  return (
    <section className="card" data-testid="payments-received">
      <div className="card-title-row">
        <h2 className="card-title">{t('reports.paymentsReceived')}</h2>
        <label className="field field-inline">
          <span className="field-label">{t('reports.groupBy')}</span>
          <select
            value={groupBy}
            data-testid="payments-group-by"
            onChange={(e) => setGroupBy(e.target.value as PaymentsGrouping)}
          >
            <option value="month">{t('reports.byMonth')}</option>
            <option value="method">{t('reports.byMethod')}</option>
            <option value="customer">{t('reports.byCustomer')}</option>
          </select>
        </label>
      </div>
      {received.error !== undefined && <Alert tone="error">{describeError(received.error, t)}</Alert>}
      {data && data.rows.length === 0 && <p className="muted">{t('reports.noPayments')}</p>}
      {data && data.group_by === 'month' && data.rows.length > 0 && (
        <RevenueChart
          data={data.rows.map((row) => ({ month: row.key ?? '', amount: row.amount }))}
          currency={data.currency}
        />
      )}
      {data && data.rows.length > 0 && (
        <ScrollArea className="table-scroll">
          <table className="data-table compact">
            <thead>
              <tr>
                <th>{t(`reports.by.${data.group_by}` as MessageKey)}</th>
                <th className="num">{t('reports.payments')}</th>
                <th className="num">{t('reports.received')}</th>
                <th className="num">{t('reports.refunded')}</th>
                <th className="num">{t('reports.net')}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row) => (
                <tr key={row.key ?? 'none'}>
                  <td>
                    <bdi>
                      {data.group_by === 'method'
                        ? t(`reports.method.${row.label}` as MessageKey)
                        : row.label || t('reports.walkIn')}
                    </bdi>
                  </td>
                  <td className="num tabular">{row.payments}</td>
                  <td className="num tabular">{formatAmount(row.amount, data.currency)}</td>
                  <td className="num tabular">{formatAmount(row.refunded, data.currency)}</td>
                  <td className="num tabular">{formatAmount(row.net, data.currency)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th>{t('reports.total')}</th>
                <th className="num tabular">{data.total.payments}</th>
                <th className="num tabular" data-testid="payments-total">
                  {formatAmount(data.total.amount, data.currency)}
                </th>
                <th className="num tabular">{formatAmount(data.total.refunded, data.currency)}</th>
                <th className="num tabular">{formatAmount(data.total.net, data.currency)}</th>
              </tr>
            </tfoot>
          </table>
        </ScrollArea>
      )}
      <ReportDownload
        kind="payments-received"
        params={{ ...period, group_by: groupBy }}
        disabled={!isValid}
      />
    </section>
  );
}

/** A period's VAT return in the company's form, its sales (a chart by month, tables by customer or product), exports. */
export function ReportsPage() {
  const { t, locale, formatAmount } = useI18n();
  const [period, setPeriod] = useState<Period>(() => quarterOf(todayIso()));
  const [groupBy, setGroupBy] = useState<SalesGrouping>('month');
  const [exportError, setExportError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const isValid = period.from !== '' && period.to !== '' && period.from <= period.to;
  const vat = useLoader(
    (signal) => (isValid ? getVatReturn(api, period, { signal }) : Promise.resolve(undefined)),
    [period.from, period.to],
  );
  const sales = useLoader(
    (signal) => (isValid ? getSales(api, period, groupBy, { signal }) : Promise.resolve(undefined)),
    [period.from, period.to, groupBy],
  );

  async function download(kind: ExportKind, format: 'csv' | 'xlsx' | 'zip') {
    setExportError(null);
    setBusy(`${kind}.${format}`);
    try {
      const file = await downloadExport(api, kind, period, format);
      saveBlob(file.blob, file.filename ?? `${kind}-${period.from}-${period.to}.${format}`);
    } catch (error) {
      setExportError(error);
    } finally {
      setBusy(null);
    }
  }

  const report = vat.data;
  const salesData = sales.data;
  return (
    <div className="page page-wide">
      <header className="page-header">
        <h1>{t('reports.title')}</h1>
        <p className="muted">{t('reports.subtitle')}</p>
      </header>

      <section className="card report-period" aria-label={t('reports.period')}>
        <label className="field">
          <span className="field-label">{t('reports.from')}</span>
          <input
            type="date"
            value={period.from}
            data-testid="report-from"
            onChange={(e) => setPeriod((p) => ({ ...p, from: e.target.value }))}
          />
        </label>
        <label className="field">
          <span className="field-label">{t('reports.to')}</span>
          <input
            type="date"
            value={period.to}
            data-testid="report-to"
            onChange={(e) => setPeriod((p) => ({ ...p, to: e.target.value }))}
          />
        </label>
        <button type="button" className="button" onClick={() => setPeriod(quarterOf(todayIso()))}>
          {t('reports.thisQuarter')}
        </button>
        {!isValid && <Alert tone="error">{t('reports.periodInvalid')}</Alert>}
      </section>

      <section className="card" data-testid="vat-return">
        <h2 className="card-title">
          {report ? (locale === 'ar' ? report.name_ar : report.name_en) : t('reports.vatReturn')}
        </h2>
        {vat.error !== undefined && <Alert tone="error">{describeError(vat.error, t)}</Alert>}
        {report && (
          <ScrollArea className="table-scroll">
            <table className="data-table compact">
              <thead>
                <tr>
                  <th>{t('reports.box')}</th>
                  <th>{t('reports.description')}</th>
                  <th className="num">{t('reports.amount')}</th>
                  <th className="num">{t('reports.adjustment')}</th>
                  <th className="num">{t('reports.vat')}</th>
                </tr>
              </thead>
              <tbody>
                {report.boxes.map((box) => (
                  <tr key={`${box.side}-${box.box}`} data-testid={`box-${box.box}`}>
                    <td>
                      <bdi>{box.box}</bdi>
                    </td>
                    <td>{locale === 'ar' ? box.label_ar : box.label_en}</td>
                    <td className="num tabular">{formatAmount(box.amount, report.currency)}</td>
                    <td className="num tabular">{formatAmount(box.adjustment, report.currency)}</td>
                    <td className="num tabular">{formatAmount(box.vat, report.currency)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <td colSpan={4}>{t('reports.outputVat')}</td>
                  <td className="num tabular">{formatAmount(report.output_vat, report.currency)}</td>
                </tr>
                <tr>
                  <td colSpan={4}>{t('reports.inputVat')}</td>
                  <td className="num tabular">{formatAmount(report.input_vat, report.currency)}</td>
                </tr>
                <tr>
                  <th colSpan={4}>{t('reports.netVatDue', { currency: report.currency })}</th>
                  <th className="num tabular" data-testid="net-vat-due">
                    {formatAmount(report.net_vat_due, report.currency)}
                  </th>
                </tr>
              </tfoot>
            </table>
          </ScrollArea>
        )}
        <ReportDownload kind="vat-return" params={{ ...period }} disabled={!isValid} />
      </section>

      <section className="card" data-testid="sales-report">
        <div className="card-title-row">
          <h2 className="card-title">{t('reports.sales')}</h2>
          <label className="field field-inline">
            <span className="field-label">{t('reports.groupBy')}</span>
            <select
              value={groupBy}
              data-testid="sales-group-by"
              onChange={(e) => setGroupBy(e.target.value as SalesGrouping)}
            >
              <option value="month">{t('reports.byMonth')}</option>
              <option value="customer">{t('reports.byCustomer')}</option>
              <option value="product">{t('reports.byProduct')}</option>
            </select>
          </label>
        </div>
        {sales.error !== undefined && <Alert tone="error">{describeError(sales.error, t)}</Alert>}
        {salesData && salesData.rows.length === 0 && <p className="muted">{t('reports.noSales')}</p>}
        {salesData && salesData.group_by === 'month' && salesData.rows.length > 0 && (
          <RevenueChart
            data={salesData.rows.map((row) => ({ month: row.key ?? '', amount: row.total }))}
            currency={salesData.currency}
          />
        )}
        {salesData && salesData.rows.length > 0 && (
          <ScrollArea className="table-scroll">
            <table className="data-table compact">
              <thead>
                <tr>
                  <th>{t(`reports.by.${salesData.group_by}` as MessageKey)}</th>
                  <th className="num">{t('reports.documents')}</th>
                  <th className="num">{t('reports.net')}</th>
                  <th className="num">{t('reports.vat')}</th>
                  <th className="num">{t('reports.total')}</th>
                </tr>
              </thead>
              <tbody>
                {salesData.rows.map((row) => (
                  <tr key={row.key ?? 'none'}>
                    <td>
                      <bdi>{row.label}</bdi>
                    </td>
                    <td className="num tabular">{row.documents}</td>
                    <td className="num tabular">{formatAmount(row.net, salesData.currency)}</td>
                    <td className="num tabular">{formatAmount(row.vat, salesData.currency)}</td>
                    <td className="num tabular">{formatAmount(row.total, salesData.currency)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th>{t('reports.total')}</th>
                  <th />
                  <th className="num tabular">{formatAmount(salesData.total.net, salesData.currency)}</th>
                  <th className="num tabular">{formatAmount(salesData.total.vat, salesData.currency)}</th>
                  <th className="num tabular" data-testid="sales-total">
                    {formatAmount(salesData.total.total, salesData.currency)}
                  </th>
                </tr>
              </tfoot>
            </table>
          </ScrollArea>
        )}
        <ReportDownload kind="sales" params={{ ...period, group_by: groupBy }} disabled={!isValid} />
      </section>

      <PaymentsReceivedCard period={period} isValid={isValid} />

      <AgingCard />

      <section className="card" data-testid="exports">
        <h2 className="card-title">{t('reports.exports')}</h2>
        <p className="muted small">{t('reports.exportsHint')}</p>
        {exportError !== null && <Alert tone="error">{describeError(exportError, t)}</Alert>}
        <div className="button-row">
          {EXPORTS.map(({ kind, format, label }) => (
            <button
              key={`${kind}.${format}`}
              type="button"
              className="button"
              disabled={!isValid || busy !== null}
              data-testid={`export-${kind}-${format}`}
              onClick={() => void download(kind, format)}
            >
              {busy === `${kind}.${format}` ? t('reports.preparing') : t(label)}
            </button>
          ))}
        </div>
      </section>
    </div>
  );
}
