import { api } from '../../api/browser-client';
import { receiptPdfUrl, type Sale } from '../../api/pos';
import { useI18n } from '../../i18n/I18nProvider';
import { saveBlob } from '../../lib/files';

/** The on-screen receipt of a sale, as the API answered it; the one part of the till that prints (80 mm). */
export function Receipt({ sale }: { sale: Sale }) {
  const { t, locale, formatAmount, formatDate, formatTime } = useI18n();
  const money = (amount: string) => formatAmount(amount, sale.currency);
  const at = new Date(sale.created_at);
  return (
    <article className="card receipt" data-testid="receipt" aria-labelledby="receipt-title">
      <h2 className="receipt-title" id="receipt-title">
        {t('till.receipt')}
      </h2>
      <p className="receipt-meta">
        <span dir="ltr" data-testid="receipt-number">
          {sale.invoice_number}
        </span>
        <span>
          {formatDate(at)} {formatTime(at)}
        </span>
      </p>
      <table className="receipt-lines">
        <thead>
          <tr>
            <th>{t('till.item')}</th>
            <th className="num">{t('till.qty')}</th>
            <th className="num">{t('till.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {sale.items.map((line, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a sale's lines are fixed, in the order sold.
            <tr key={`${line.product_id ?? ''}-${index}`} data-testid="receipt-line">
              <td>{(locale === 'ar' && line.name_ar) || line.name}</td>
              <td className="num">{line.quantity}</td>
              <td className="num">{money(line.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="receipt-totals">
        <div>
          <dt>{t('till.subtotal')}</dt>
          <dd className="num">{money(sale.subtotal)}</dd>
        </div>
        <div>
          <dt>{t('till.vat')}</dt>
          <dd className="num">{money(sale.tax_amount)}</dd>
        </div>
        <div className="till-total">
          <dt>{t('till.total')}</dt>
          <dd className="num" data-testid="receipt-total">
            {money(sale.total_amount)} {sale.currency}
          </dd>
        </div>
        <div>
          <dt>{t('till.paid')}</dt>
          <dd className="num" data-testid="receipt-paid">
            {money(sale.paid_amount)}
          </dd>
        </div>
        <div>
          <dt>{t('till.change')}</dt>
          <dd className="num" data-testid="receipt-change">
            {money(sale.change_amount)}
          </dd>
        </div>
      </dl>
      {sale.change.length > 0 && (
        <div className="receipt-breakdown">
          <h3>{t('till.changeBreakdown')}</h3>
          <ul data-testid="change-breakdown">
            {sale.change.map((piece) => (
              <li key={piece.value} data-testid="change-piece">
                <span className="num">{piece.count}</span> × <span className="num">{money(piece.value)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="receipt-actions no-print">
        <button
          type="button"
          className="button button-primary"
          data-testid="print-receipt"
          onClick={() => window.print()}
        >
          {t('till.print')}
        </button>
        <a
          className="button button-ghost"
          href={receiptPdfUrl(sale.id)}
          data-testid="receipt-pdf"
          onClick={(event) => {
            // The PDF needs the session's token: fetch it, then hand the file over.
            event.preventDefault();
            void api
              .download(receiptPdfUrl(sale.id))
              .then(({ blob, filename }) => saveBlob(blob, filename ?? `${sale.invoice_number}.pdf`))
              .catch(() => window.alert(t('till.pdfUnavailable')));
          }}
        >
          {t('till.receiptPdf')}
        </a>
      </div>
    </article>
  );
}
