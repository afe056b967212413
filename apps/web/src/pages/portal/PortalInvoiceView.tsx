// One invoice as its customer sees it: amounts, lines, payments, the PDF and XML, and Pay now where the seller
// takes payments online. Shared by the signed-in portal and the read-only view a mailed link opens.
import { useState } from 'react';
import { api } from '../../api/browser-client';
import { invoiceFilePath, type PortalInvoice } from '../../api/portal';
import { Alert } from '../../components/Alert';
import { ScrollArea } from '../../components/ScrollArea';
import { StatusBadge } from '../../components/StatusBadge';
import { useI18n } from '../../i18n/I18nProvider';
import { describeError } from '../../lib/errors';
import { saveBlob } from '../../lib/files';

export function PortalInvoiceView({
  invoice,
  source,
}: {
  invoice: PortalInvoice;
  source: { kind: 'portal'; id: string } | { kind: 'view'; token: string };
}) {
  const { t, formatMoney, formatIsoDate, locale } = useI18n();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<'pdf' | 'xml' | null>(null);
  const money = (amount: string) => formatMoney(amount as `${number}`, invoice.currency);
  const download = async (file: 'pdf' | 'xml') => {
    setBusy(file);
    setError(undefined);
    try {
      const result = await api.download(invoiceFilePath(source, file), { auth: source.kind === 'portal' });
      saveBlob(result.blob, result.filename ?? `${invoice.number}.${file}`);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(null);
    }
  };
  const seller = (locale === 'ar' && invoice.seller_name_ar) || invoice.seller_name;
  return (
    <article className="portal-invoice" data-testid="portal-invoice" data-invoice-id={invoice.id}>
      <header className="portal-invoice-header">
        <div>
          <p className="muted">
            {t(`type.${invoice.type}`)} · <bdi>{seller}</bdi>
          </p>
          <h1 data-testid="portal-invoice-number">{invoice.number}</h1>
          <p className="muted">
            {t('portal.invoice.issued', { date: formatIsoDate(invoice.issue_date) })}
            {invoice.due_date && ` · ${t('portal.invoice.due', { date: formatIsoDate(invoice.due_date) })}`}
          </p>
          {invoice.original_invoice_number && (
            <p className="muted">
              {t('portal.invoice.against', { number: invoice.original_invoice_number })}
            </p>
          )}
        </div>
        <StatusBadge status={invoice.status} />
      </header>

      <div className="portal-totals card">
        <div>
          <span className="muted">{t('portal.col.total')}</span>
          <strong data-testid="portal-invoice-total">{money(invoice.total_amount)}</strong>
        </div>
        <div>
          <span className="muted">{t('portal.invoice.paid')}</span>
          <strong>{money(invoice.paid_amount)}</strong>
        </div>
        <div>
          <span className="muted">{t('portal.col.amountDue')}</span>
          <strong data-testid="portal-invoice-due">{money(invoice.amount_due)}</strong>
        </div>
      </div>

      <div className="portal-actions">
        {invoice.pay_link && (
          <a className="button button-primary" href={invoice.pay_link.url} data-testid="portal-pay-now">
            {t('portal.invoice.payNow', {
              amount: formatMoney(
                invoice.pay_link.outstanding_amount as `${number}`,
                invoice.pay_link.currency,
              ),
            })}
          </a>
        )}
        <button
          type="button"
          className="button button-ghost"
          disabled={busy !== null}
          onClick={() => void download('pdf')}
          data-testid="portal-download-pdf"
        >
          {t('invoice.downloadPdf')}
        </button>
        <button
          type="button"
          className="button button-ghost"
          disabled={busy !== null}
          onClick={() => void download('xml')}
          data-testid="portal-download-xml"
        >
          {t('invoice.downloadXml')}
        </button>
      </div>
      {error !== undefined && <Alert tone="error">{describeError(error, t)}</Alert>}

      <ScrollArea className="card table-card stack-on-phone">
        <table className="data-table">
          <thead>
            <tr>
              <th>{t('portal.invoice.description')}</th>
              <th className="num">{t('portal.invoice.quantity')}</th>
              <th className="num">{t('portal.invoice.unitPrice')}</th>
              <th className="num">{t('portal.invoice.vat')}</th>
              <th className="num">{t('portal.invoice.net')}</th>
            </tr>
          </thead>
          <tbody>
            {invoice.lines.map((line, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: lines of an issued document never move.
              <tr key={index}>
                <td data-label={t('portal.invoice.description')}>
                  <bdi>{line.description}</bdi>
                </td>
                <td className="num" data-label={t('portal.invoice.quantity')}>
                  {line.quantity}
                </td>
                <td className="num" data-label={t('portal.invoice.unitPrice')}>
                  {line.unit_price}
                </td>
                <td className="num" data-label={t('portal.invoice.vat')}>
                  {line.vat_amount === null ? '—' : money(line.vat_amount)}
                </td>
                <td className="num" data-label={t('portal.invoice.net')}>
                  {line.net_amount === null ? '—' : money(line.net_amount)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollArea>

      <dl className="portal-summary card">
        <div>
          <dt>{t('portal.invoice.subtotal')}</dt>
          <dd>{money(invoice.subtotal)}</dd>
        </div>
        <div>
          <dt>{t('portal.invoice.vat')}</dt>
          <dd>{money(invoice.vat_amount)}</dd>
        </div>
        {!/^0(\.0+)?$/.test(invoice.credited_amount) && (
          <div>
            <dt>{t('portal.invoice.credited')}</dt>
            <dd>{money(invoice.credited_amount)}</dd>
          </div>
        )}
        <div>
          <dt>{t('portal.col.total')}</dt>
          <dd>{money(invoice.total_amount)}</dd>
        </div>
      </dl>

      {invoice.payments.length > 0 && (
        <section>
          <h2 className="portal-h2">{t('portal.invoice.payments')}</h2>
          <ul className="portal-payments-list">
            {invoice.payments.map((payment) => (
              <li key={payment.payment_id}>
                {formatIsoDate(payment.payment_date)} · {money(payment.amount)} ·{' '}
                <StatusBadge status={payment.status} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {invoice.notes && <p className="muted portal-notes">{invoice.notes}</p>}
    </article>
  );
}
