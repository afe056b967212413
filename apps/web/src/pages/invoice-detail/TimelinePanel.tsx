// The invoice's history: what happened to it and who did it, oldest first — drafted, issued, sent, paid, credited,
// transmitted, delivered, reported. An event the catalog has no words for is shown by its name.
import { api } from '../../api/browser-client';
import type { Invoice } from '../../api/domain-types';
import { getInvoiceTimeline } from '../../api/invoice-detail';
import { useI18n } from '../../i18n/I18nProvider';
import { en, type MessageKey } from '../../i18n/messages-en';
import { useLoader } from '../../lib/use-loader';

const isKnown = (key: string): key is MessageKey => key in en;

export function TimelinePanel({ invoice, reloadKey }: { invoice: Invoice; reloadKey: number }) {
  const { t, formatIsoDate, formatTime, formatMoney } = useI18n();
  const timeline = useLoader(
    (signal) => getInvoiceTimeline(api, invoice.id, { signal }),
    [invoice.id, reloadKey],
  );
  const events = timeline.data?.events ?? [];
  if (events.length === 0) return null;
  return (
    <section className="card" data-testid="invoice-timeline">
      <h2 className="card-title">{t('timeline.title')}</h2>
      <ol className="timeline">
        {events.map((event, index) => {
          const key = `timeline.${event.action}`;
          const at = new Date(event.at);
          const { amount, currency, reason, number } = event.details;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: the events never reorder; two may share a time.
            <li key={index} className="timeline-item">
              <strong>{isKnown(key) ? t(key) : event.action}</strong>
              {typeof number === 'string' && event.action.endsWith('issued_against') && (
                <bdi className="muted small"> {number}</bdi>
              )}
              {typeof amount === 'string' && typeof currency === 'string' && (
                <span className="tabular small"> {formatMoney(amount as `${number}`, currency)}</span>
              )}
              <p className="muted small">
                <time dateTime={event.at}>
                  {formatIsoDate(event.at.slice(0, 10))} {formatTime(at)}
                </time>
                {' · '}
                {event.actor ? <bdi>{event.actor}</bdi> : t('timeline.system')}
              </p>
              {typeof reason === 'string' && (
                <p className="muted small" dir="auto">
                  {reason}
                </p>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
