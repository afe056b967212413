import { useState } from 'react';
import { api } from '../api/browser-client';
import { ApiError } from '../api/client';
import { decidePublicQuote, getPublicQuote, type PublicQuote } from '../api/quotes';
import { Alert } from '../components/Alert';
import { AuthLayout } from '../components/AuthLayout';
import { ScrollArea } from '../components/ScrollArea';
import { useI18n } from '../i18n/I18nProvider';
import { describeError } from '../lib/errors';
import { useLoader } from '../lib/use-loader';

/** /q/{token}: the customer reads the quotation and accepts or declines it, with a note; no sign-in. */
export function PublicQuotePage({ token }: { token: string }) {
  const { t, formatMoney, formatIsoDate } = useI18n();
  const loaded = useLoader((signal) => getPublicQuote(api, token, { signal }), [token]);
  const [answered, setAnswered] = useState<PublicQuote | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);
  const quote = answered ?? loaded.data;

  async function decide(decision: 'accept' | 'decline') {
    setIsBusy(true);
    setError(null);
    try {
      setAnswered(await decidePublicQuote(api, token, decision, note.trim()));
    } catch (caught) {
      setError(caught);
    } finally {
      setIsBusy(false);
    }
  }

  if (loaded.error !== undefined && !quote) {
    const status = loaded.error instanceof ApiError ? loaded.error.status : 0;
    return (
      <AuthLayout title={t('quote.public.title')}>
        <Alert tone="error">
          {status === 410
            ? t('quote.public.expired')
            : status === 404
              ? t('quote.public.notFound')
              : describeError(loaded.error, t)}
        </Alert>
      </AuthLayout>
    );
  }
  if (!quote) {
    return (
      <AuthLayout title={t('quote.public.title')}>
        <p aria-busy="true">{t('app.loading')}</p>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={`${t('quote.public.title')} ${quote.quote_number}`} subtitle={quote.seller.name} wide>
      <dl className="quote-facts" data-testid="public-quote">
        <dt>{t('quote.public.for')}</dt>
        <dd>{quote.buyer.name}</dd>
        <dt>{t('quote.public.date')}</dt>
        <dd>{formatIsoDate(quote.issue_date)}</dd>
        <dt>{t('quote.public.validUntil')}</dt>
        <dd>{formatIsoDate(quote.valid_until)}</dd>
      </dl>
      <ScrollArea className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th>{t('quote.public.description')}</th>
              <th className="num">{t('quote.public.quantity')}</th>
              <th className="num">{t('quote.public.unitPrice')}</th>
              <th className="num">{t('quote.public.net')}</th>
            </tr>
          </thead>
          <tbody>
            {quote.lines.map((line, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the lines are fixed and ordered.
              <tr key={index}>
                <td>{line.description ?? '—'}</td>
                <td className="num" dir="ltr">
                  {line.quantity}
                </td>
                <td className="num">{formatMoney(line.unit_price as `${number}`, quote.currency)}</td>
                <td className="num">{formatMoney(line.net_amount as `${number}`, quote.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollArea>
      <dl className="quote-facts">
        <dt>{t('quote.public.subtotal')}</dt>
        <dd>{formatMoney(quote.subtotal, quote.currency)}</dd>
        <dt>{t('quote.public.vat')}</dt>
        <dd>{formatMoney(quote.vat_amount, quote.currency)}</dd>
        <dt>{t('quote.public.total')}</dt>
        <dd data-testid="public-quote-total">{formatMoney(quote.total_amount, quote.currency)}</dd>
      </dl>
      {quote.notes && <p className="muted">{quote.notes}</p>}
      <p>
        <a href={`/api/v1/public/quotes/${encodeURIComponent(token)}/pdf?disposition=inline`}>
          {t('quote.public.pdf')}
        </a>
      </p>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      {quote.accepted_at && (
        <Alert tone="success">
          <span data-testid="quote-decision">{t('quote.public.accepted')}</span>
        </Alert>
      )}
      {quote.declined_at && (
        <Alert tone="info">
          <span data-testid="quote-decision">{t('quote.public.declined')}</span>
        </Alert>
      )}
      {quote.can_decide && (
        <div className="form-stack">
          <label className="field">
            <span className="field-label">{t('quote.public.note')}</span>
            <textarea
              className="input"
              maxLength={2000}
              value={note}
              onChange={(event) => setNote(event.target.value)}
              data-testid="quote-note"
            />
          </label>
          <div className="form-actions">
            <button
              type="button"
              className="button button-primary"
              disabled={isBusy}
              onClick={() => decide('accept')}
              data-testid="accept-quote"
            >
              {t('quote.public.accept')}
            </button>
            <button
              type="button"
              className="button"
              disabled={isBusy}
              onClick={() => decide('decline')}
              data-testid="decline-quote"
            >
              {t('quote.public.decline')}
            </button>
          </div>
        </div>
      )}
    </AuthLayout>
  );
}
