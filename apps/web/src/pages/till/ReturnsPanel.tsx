import { compareMoney } from '@invoiceflow/totals';
import { useState } from 'react';
import { api } from '../../api/browser-client';
import { listSessionSales, returnSaleItems, type Sale, type SaleReturn } from '../../api/pos';
import { Alert } from '../../components/Alert';
import { useI18n } from '../../i18n/I18nProvider';
import { describeError } from '../../lib/errors';
import { useLoader } from '../../lib/use-loader';
import { isUnanswered, newIdempotencyKey, sendWithRetries } from './idempotency';
import { isQuantity } from './till-math';

/** A return from one of the shift's sales: the lines taken back become a credit note, the refund is paid out. */
export function ReturnsPanel({
  tillId,
  sessionId,
  onReturned,
  onCancel,
}: {
  tillId: string;
  sessionId: string;
  onReturned(): void;
  onCancel(): void;
}) {
  const { t, locale, formatAmount, formatTime } = useI18n();
  const sales = useLoader((signal) => listSessionSales(api, tillId, { signal }), [tillId]);
  const [chosen, setChosen] = useState<Sale | null>(null);
  const [typed, setTyped] = useState<Record<number, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [key, setKey] = useState<string | null>(null);
  const [done, setDone] = useState<SaleReturn | null>(null);
  const [isSending, setIsSending] = useState(false);
  const ofSession = (sales.data?.purchases ?? []).filter((sale) => sale.session_id === sessionId);

  const items = chosen
    ? chosen.items.flatMap((line, index) => {
        const quantity = (typed[index] ?? '').trim();
        return line.product_id && quantity && isQuantity(quantity)
          ? [{ product_id: line.product_id, quantity }]
          : [];
      })
    : [];
  const isValid =
    chosen !== null &&
    items.length > 0 &&
    chosen.items.every((line, index) => {
      const quantity = (typed[index] ?? '').trim();
      return quantity === '' || (isQuantity(quantity) && compareMoney(quantity, line.quantity) <= 0);
    });

  async function submit() {
    if (!chosen) return;
    const attemptKey = key ?? newIdempotencyKey();
    setKey(attemptKey);
    setIsSending(true);
    setError(null);
    try {
      setDone(await sendWithRetries(() => returnSaleItems(api, chosen.id, items, attemptKey)));
      setKey(null);
      onReturned();
    } catch (returnError) {
      if (!isUnanswered(returnError)) setKey(null);
      setError(returnError);
    } finally {
      setIsSending(false);
    }
  }

  if (done) {
    return (
      <section className="card till-panel" data-testid="return-done">
        <h2 className="card-title">{t('till.returned', { number: done.credit_note_number })}</h2>
        <p>
          {t('till.refund')}:{' '}
          <strong className="num" data-testid="refund-amount">
            {formatAmount(done.refund_amount, done.currency)}
          </strong>
        </p>
        <ul>
          {done.refund.map((piece) => (
            <li key={piece.value} className="num">
              {piece.count} × {formatAmount(piece.value, done.currency)}
            </li>
          ))}
        </ul>
        <button type="button" className="button button-primary" onClick={onCancel}>
          {t('till.backToSale')}
        </button>
      </section>
    );
  }

  return (
    <section className="card till-panel" data-testid="returns" aria-labelledby="returns-title">
      <h2 className="card-title" id="returns-title">
        {t('till.returns')}
      </h2>
      {sales.error !== undefined && <Alert tone="error">{describeError(sales.error, t)}</Alert>}
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      {!chosen ? (
        ofSession.length === 0 ? (
          <p className="muted">{t('till.noSales')}</p>
        ) : (
          <ul className="till-recent">
            {ofSession.map((sale) => (
              <li key={sale.id}>
                <button
                  type="button"
                  className="button button-ghost"
                  data-testid="recent-sale"
                  onClick={() => setChosen(sale)}
                >
                  <span dir="ltr">{sale.invoice_number}</span> · {formatTime(new Date(sale.created_at))} ·{' '}
                  <span className="num">{formatAmount(sale.total_amount, sale.currency)}</span>
                </button>
              </li>
            ))}
          </ul>
        )
      ) : (
        <>
          <p>
            <span dir="ltr">{chosen.invoice_number}</span>
          </p>
          {chosen.items.map((line, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a sale's lines are fixed, in the order sold.
            <label className="field" key={`${line.product_id ?? ''}-${index}`}>
              <span className="field-label">
                {t('till.returnQuantity', {
                  product: (locale === 'ar' && line.name_ar) || line.name || '',
                  sold: line.quantity,
                })}
              </span>
              <input
                name={`return.${index}.quantity`}
                inputMode="decimal"
                dir="ltr"
                value={typed[index] ?? ''}
                placeholder="0"
                disabled={key !== null && isSending}
                onChange={(e) => setTyped({ ...typed, [index]: e.target.value })}
              />
            </label>
          ))}
        </>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="button button-ghost"
          onClick={chosen ? () => setChosen(null) : onCancel}
        >
          {t('till.cancel')}
        </button>
        {chosen && (
          <button
            type="button"
            className="button button-primary"
            data-testid="return-submit"
            disabled={!isValid || isSending}
            onClick={() => void submit()}
          >
            {t('till.returnItems')}
          </button>
        )}
      </div>
    </section>
  );
}
