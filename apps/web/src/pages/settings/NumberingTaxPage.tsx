import { type FormEvent, useState } from 'react';
import { api } from '../../api/browser-client';
import { isApiError } from '../../api/client';
import { addTaxRate, getNumberSeries, getTaxRates } from '../../api/settings';
import { Alert } from '../../components/Alert';
import { ScrollArea } from '../../components/ScrollArea';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages-en';
import { describeError, describeFieldError } from '../../lib/errors';
import { useLoader } from '../../lib/use-loader';

const KIND_LABEL: Record<string, MessageKey> = {
  invoice: 'numbering.invoice',
  credit_note: 'numbering.creditNote',
  debit_note: 'numbering.debitNote',
  quote: 'numbering.quote',
};

/**
 * Settings → Numbering and tax: the gapless number series (a prefix of the company's country and the year, each
 * counted on its own) with the last number given, and the tax rates: a country with fixed rates (Saudi Arabia,
 * the UAE) has those of its rules; elsewhere the company keeps its own list.
 */
export function NumberingTaxPage() {
  const { t, formatNumber, formatDecimal } = useI18n();
  const series = useLoader((signal) => getNumberSeries(api, { signal }), []);
  const rates = useLoader((signal) => getTaxRates(api, { signal }), []);
  const [rate, setRate] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function add(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setNotice(null);
    try {
      await addTaxRate(api, rate);
      setNotice(t('taxRates.added', { rate: formatDecimal(rate.trim()) }));
      setRate('');
      rates.reload();
    } catch (e) {
      setError(e);
    }
  }
  const rateError = isApiError(error) ? error.fieldErrors().rate : undefined;

  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('numbering.title')}</h1>
        <p className="muted">{t('numbering.subtitle')}</p>
      </header>
      <section className="card" data-testid="number-series">
        <h2 className="card-title">{t('numbering.series')}</h2>
        {series.error !== undefined && <Alert tone="error">{describeError(series.error, t)}</Alert>}
        {series.data && (
          <>
            <ul className="plain-list">
              {Object.entries(series.data.prefixes).map(([kind, prefix]) => (
                <li key={kind}>
                  {KIND_LABEL[kind] ? t(KIND_LABEL[kind]) : kind}: <code dir="ltr">{prefix}-YYYY-…</code>
                </li>
              ))}
            </ul>
            {series.data.series.length === 0 ? (
              <p className="empty-state muted">{t('numbering.none')}</p>
            ) : (
              <ScrollArea className="table-scroll">
                <table className="data-table compact">
                  <thead>
                    <tr>
                      <th scope="col">{t('numbering.seriesName')}</th>
                      <th scope="col">{t('numbering.lastNumber')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {series.data.series.map((s) => (
                      <tr key={s.series} data-testid="series-row" data-series={s.series}>
                        <td>
                          <code dir="ltr">{s.series}</code>
                        </td>
                        <td>{formatNumber(s.last_number)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollArea>
            )}
            <p className="muted small">{t('numbering.gapless')}</p>
          </>
        )}
      </section>
      <section className="card" data-testid="tax-rates" data-kind={rates.data?.kind}>
        <h2 className="card-title">{t('taxRates.title')}</h2>
        {rates.error !== undefined && <Alert tone="error">{describeError(rates.error, t)}</Alert>}
        {rates.data && (
          <>
            <p className="muted">
              {rates.data.kind === 'fixed' ? t('taxRates.fixed') : t('taxRates.company')}
            </p>
            <ul className="chip-list">
              {rates.data.rates.map((r) => (
                <li key={r} className="badge" data-testid="tax-rate">
                  {formatDecimal(r)} %
                </li>
              ))}
            </ul>
          </>
        )}
        {rates.data?.kind === 'company' && (
          <form className="form-grid settings-form" onSubmit={(e) => void add(e)} data-testid="tax-rate-form">
            {notice && <Alert tone="success">{notice}</Alert>}
            {error !== null && !rateError && <Alert tone="error">{describeError(error, t)}</Alert>}
            <label className="field" data-invalid={rateError ? true : undefined}>
              <span className="field-label">{t('taxRates.rate')}</span>
              <input
                name="rate"
                inputMode="decimal"
                dir="ltr"
                required
                value={rate}
                onChange={(e) => setRate(e.target.value)}
              />
              {rateError && (
                <span className="field-message field-message-error" role="alert">
                  {describeFieldError(rateError, t)}
                </span>
              )}
            </label>
            <div className="button-row">
              <button type="submit" className="button button-primary">
                {t('taxRates.add')}
              </button>
            </div>
          </form>
        )}
      </section>
    </div>
  );
}
