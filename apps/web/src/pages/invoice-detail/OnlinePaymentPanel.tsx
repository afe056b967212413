import { compareMoney } from '@invoiceflow/totals';
import { useRef, useState } from 'react';
import { api } from '../../api/browser-client';
import { isApiError } from '../../api/client';
import type { Invoice } from '../../api/domain-types';
import { getPayLink, listCheckouts } from '../../api/invoice-detail';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages-en';
import { useLoader } from '../../lib/use-loader';

/** 404 (no gateway connected: GATEWAY_NOT_CONFIGURED) and 403 (a role without payments) mean: nothing to show. */
const quietly = <T,>(promise: Promise<T>) =>
  promise.catch((e: unknown) => {
    if (isApiError(e) && (e.status === 404 || e.status === 403)) return null;
    throw e;
  });

/**
 * The invoice's online pay link (where the company has connected a payment gateway) with a copy button, and the
 * checkouts payers opened from it: open, paid or expired, the gateway's words on a decline, the payment made.
 */
export function OnlinePaymentPanel({ invoice, reloadKey }: { invoice: Invoice; reloadKey: number }) {
  const { t, formatMoney, formatIsoDate } = useI18n();
  const isPayable = invoice.type !== 'credit_note' && invoice.status !== 'draft';
  // Once the API has said no gateway is connected, the panel does not ask again on every reload of the page's
  // state: the browser logs each 404 it receives, whatever the page does with it.
  const hasNoGateway = useRef(false);
  const online = useLoader(
    async (signal) => {
      if (!isPayable || hasNoGateway.current) return null;
      const link = await quietly(getPayLink(api, invoice.id, { signal }));
      if (!link) {
        hasNoGateway.current = true;
        return null;
      }
      const checkouts = await quietly(listCheckouts(api, invoice.id, { signal }));
      return { link, checkouts: checkouts?.items ?? [] };
    },
    [invoice.id, isPayable, reloadKey],
  );
  const [copied, setCopied] = useState(false);
  const data = online.data;
  if (!data) return null;
  const { link, checkouts } = data;
  const isOutstanding = compareMoney(link.outstanding_amount, '0') > 0;

  async function copy() {
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied(true);
    } catch {
      // No clipboard permission: the link stays selectable in the field.
      setCopied(false);
    }
  }

  return (
    <section className="card" data-testid="pay-link-card">
      <h2 className="card-title">{t('payLink.title')}</h2>
      {isOutstanding ? (
        <>
          <p className="muted small">
            {t('payLink.help', {
              amount: formatMoney(link.outstanding_amount, link.currency),
            })}
          </p>
          <div className="copy-row">
            <input
              className="copy-field"
              readOnly
              dir="ltr"
              aria-label={t('payLink.title')}
              value={link.url}
              data-testid="pay-link"
              onFocus={(e) => e.target.select()}
            />
            <button
              type="button"
              className="button button-ghost"
              onClick={() => void copy()}
              data-testid="pay-link-copy"
            >
              {copied ? t('payLink.copied') : t('payLink.copy')}
            </button>
          </div>
        </>
      ) : (
        <p className="muted small">{t('payLink.nothingDue')}</p>
      )}
      <h3 className="card-subtitle">{t('payLink.checkouts')}</h3>
      {checkouts.length === 0 ? (
        <p className="muted small">{t('payLink.noCheckouts')}</p>
      ) : (
        <ul className="payment-list" data-testid="checkouts">
          {checkouts.map((c) => (
            <li key={c.id} data-status={c.status}>
              <div>
                <strong className="tabular">{formatMoney(c.amount, c.currency)}</strong>{' '}
                <span
                  className={`status status-${c.status === 'complete' ? 'paid' : c.status === 'open' ? 'sent' : 'draft'}`}
                >
                  {t(`payLink.status.${c.status}` as MessageKey)}
                </span>
                <p className="muted small">
                  {formatIsoDate(c.created_at.slice(0, 10))}
                  {c.payment_status && (
                    <>
                      {' '}
                      ·{' '}
                      {t('payLink.payment', {
                        status: t(`payLink.payment.${c.payment_status}` as MessageKey),
                      })}
                    </>
                  )}
                  {c.refunded_amount && compareMoney(c.refunded_amount, '0') > 0 && (
                    <> · {t('payLink.refunded', { amount: formatMoney(c.refunded_amount, c.currency) })}</>
                  )}
                </p>
                {c.failure_message && (
                  <p className="small field-message-error" dir="auto">
                    {t('payLink.declined')} {c.failure_message}
                  </p>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
