import { useState } from 'react';
import { api } from '../../api/browser-client';
import { isApiError } from '../../api/client';
import type { Invoice } from '../../api/domain-types';
import {
  getTransmission,
  getZatcaStatus,
  resubmitTransmission,
  resubmitZatca,
  type Transmission,
  type ZatcaMessage,
  type ZatcaStatus,
} from '../../api/invoice-detail';
import { Alert } from '../../components/Alert';
import { QrCode } from '../../components/QrCode';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages-en';
import { describeError } from '../../lib/errors';
import { useLoader } from '../../lib/use-loader';

/** The colour of a status badge (the invoice statuses' classes): done, waiting or refused. */
const TONE: Record<string, string> = {
  reported: 'status-paid',
  cleared: 'status-paid',
  delivered: 'status-paid',
  not_applicable: 'status-draft',
  pending: 'status-sent',
  queued: 'status-sent',
  submitted: 'status-sent',
  rejected: 'status-overdue',
  failed: 'status-overdue',
};

function EInvoiceBadge({ status, testId }: { status: string; testId: string }) {
  const { t } = useI18n();
  return (
    <span className={`status ${TONE[status] ?? ''}`} data-testid={testId} data-status={status}>
      {t(`einvoice.status.${status}` as MessageKey)}
    </span>
  );
}

/**
 * Loads a status that may not exist for this invoice (404: not a ZATCA document, not transmitted), keeping the
 * 404 out of the page: the panel shows nothing then.
 */
function useOptional<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[], isWanted: boolean) {
  return useLoader(
    (signal) =>
      isWanted
        ? load(signal).catch((e: unknown) => {
            if (isApiError(e) && e.status === 404) return null;
            throw e;
          })
        : Promise.resolve(null),
    [...deps, isWanted],
  );
}

/** ZATCA's side of a Saudi invoice: where it was signed, what ZATCA answered, and its QR. */
export function ZatcaPanel({ invoice, reloadKey }: { invoice: Invoice; reloadKey: number }) {
  const { t } = useI18n();
  const status = useOptional(
    (signal) => getZatcaStatus(api, invoice.id, { signal }),
    [invoice.id, reloadKey],
    invoice.status !== 'draft',
  );
  const [actionError, setActionError] = useState<unknown>(null);
  const [isResubmitting, setIsResubmitting] = useState(false);
  const [resubmitted, setResubmitted] = useState<ZatcaStatus | null>(null);

  if (status.error !== undefined && status.data === undefined)
    return <Alert tone="error">{describeError(status.error, t)}</Alert>;
  const zatca = resubmitted ?? status.data;
  if (!zatca) {
    // Not (yet) a ZATCA document: the QR the invoice was issued with, if any.
    return invoice.qr_code_data ? (
      <section className="card einvoice-card">
        <h2 className="card-title">{t('einvoice.title')}</h2>
        <div className="einvoice-qr">
          <QrCode value={invoice.qr_code_data} label={t('einvoice.qrLabel')} />
        </div>
      </section>
    ) : null;
  }

  const canResubmit = !zatca.is_simulated && (zatca.status === 'failed' || zatca.status === 'rejected');
  async function resubmit() {
    setActionError(null);
    setIsResubmitting(true);
    try {
      setResubmitted(await resubmitZatca(api, invoice.id));
    } catch (e) {
      setActionError(e);
    } finally {
      setIsResubmitting(false);
    }
  }

  return (
    <section className="card einvoice-card" data-testid="einvoice-zatca">
      <div className="card-title-row">
        <h2 className="card-title">{t('einvoice.title')}</h2>
        <span className="badge" data-testid="einvoice-environment" data-environment={zatca.environment}>
          {t(`einvoice.env.${zatca.environment}` as MessageKey)}
        </span>
      </div>
      {zatca.is_simulated && (
        <Alert tone="warning">
          <span data-testid="einvoice-local-warning">{t('einvoice.localWarning')}</span>
        </Alert>
      )}
      <dl className="einvoice-facts">
        <dt>{t(`einvoice.submission.${zatca.submission}`)}</dt>
        <dd>
          <EInvoiceBadge status={zatca.status} testId="einvoice-status" />
          {zatca.is_simulated && <span className="muted small"> {t('einvoice.simulated')}</span>}
          {zatca.zatca_status && !zatca.is_simulated && (
            <span className="muted small" dir="ltr">
              {' '}
              {zatca.zatca_status}
            </span>
          )}
        </dd>
        <dt>{t('einvoice.icv')}</dt>
        <dd className="tabular" dir="ltr">
          {zatca.icv}
        </dd>
        <dt>{t('einvoice.uuid')}</dt>
        <dd className="einvoice-code" dir="ltr">
          {zatca.uuid}
        </dd>
        {zatca.submitted_at && (
          <>
            <dt>{t('einvoice.submittedAt')}</dt>
            <dd>
              <DateTime iso={zatca.submitted_at} />
            </dd>
          </>
        )}
      </dl>
      <MessageList
        title={t('einvoice.errors')}
        messages={zatca.errors}
        tone="error"
        testId="einvoice-errors"
      />
      <MessageList
        title={t('einvoice.warnings')}
        messages={zatca.warnings}
        tone="info"
        testId="einvoice-warnings"
      />
      {zatca.last_error && (zatca.status === 'failed' || zatca.status === 'pending') && (
        <p className="muted small" dir="auto">
          {t('einvoice.lastError')} {zatca.last_error}
        </p>
      )}
      {actionError !== null && <Alert tone="error">{describeError(actionError, t)}</Alert>}
      {resubmitted && <Alert tone="success">{t('einvoice.resubmitted')}</Alert>}
      {canResubmit && !resubmitted && (
        <div className="inline-actions start">
          <button
            type="button"
            className="button"
            disabled={isResubmitting}
            onClick={() => void resubmit()}
            data-testid="einvoice-resubmit"
          >
            {t('einvoice.resubmit')}
          </button>
        </div>
      )}
      <div className="einvoice-qr">
        <QrCode value={zatca.qr_payload} label={t('einvoice.qrLabel')} size={270} />
        <p className="muted small">{t('einvoice.qrHelp')}</p>
      </div>
    </section>
  );
}

function MessageList({
  title,
  messages,
  tone,
  testId,
}: {
  title: string;
  messages: readonly ZatcaMessage[];
  tone: 'error' | 'info';
  testId: string;
}) {
  if (messages.length === 0) return null;
  return (
    <Alert tone={tone}>
      {title}
      <ul data-testid={testId}>
        {messages.map((m) => (
          // ZATCA's messages are English; the code stays left-to-right beside them in Arabic.
          <li key={`${m.code ?? ''} ${m.message ?? ''}`} data-code={m.code} dir="auto">
            {m.message}
            {m.code && (
              <>
                {' '}
                <bdi dir="ltr">({m.code})</bdi>
              </>
            )}
          </li>
        ))}
      </ul>
    </Alert>
  );
}

function DateTime({ iso }: { iso: string }) {
  const { formatDate, formatTime } = useI18n();
  const date = new Date(iso);
  return (
    <bdi>
      {formatDate(date)} {formatTime(date)}
    </bdi>
  );
}

/** A PINT AE or Peppol invoice's way to the buyer: the access point's exchange and the authority's reporting. */
export function TransmissionPanel({ invoice, reloadKey }: { invoice: Invoice; reloadKey: number }) {
  const { t } = useI18n();
  // Only a sent invoice is queued for transmission; before that there is nothing to ask for.
  const status = useOptional(
    (signal) => getTransmission(api, invoice.id, { signal }),
    [invoice.id, reloadKey],
    invoice.sent_at !== null,
  );
  const [actionError, setActionError] = useState<unknown>(null);
  const [resubmitted, setResubmitted] = useState<Transmission | null>(null);
  const [isResubmitting, setIsResubmitting] = useState(false);
  const transmission = resubmitted ?? status.data;
  if (status.error !== undefined && status.data === undefined)
    return <Alert tone="error">{describeError(status.error, t)}</Alert>;
  if (!transmission) return null;

  async function resubmit() {
    setActionError(null);
    setIsResubmitting(true);
    try {
      setResubmitted(await resubmitTransmission(api, invoice.id));
    } catch (e) {
      setActionError(e);
    } finally {
      setIsResubmitting(false);
    }
  }

  return (
    <section className="card einvoice-card" data-testid="einvoice-transmission">
      <div className="card-title-row">
        <h2 className="card-title">{t('transmission.title')}</h2>
        <span className="badge" dir="ltr">
          {transmission.provider}
        </span>
      </div>
      <dl className="einvoice-facts">
        <dt>{t('transmission.exchange')}</dt>
        <dd>
          <EInvoiceBadge status={transmission.exchange.status} testId="transmission-exchange" />
          {transmission.exchange.reason && (
            <span className="muted small" dir="auto">
              {' '}
              {transmission.exchange.reason}
            </span>
          )}
        </dd>
        <dt>{t('transmission.reporting')}</dt>
        <dd>
          <EInvoiceBadge status={transmission.reporting.status} testId="transmission-reporting" />
          {transmission.reporting.reason && (
            <span className="muted small" dir="auto">
              {' '}
              {transmission.reporting.reason}
            </span>
          )}
        </dd>
        {transmission.acknowledged_at && (
          <>
            <dt>{t('transmission.acknowledged')}</dt>
            <dd>
              <DateTime iso={transmission.acknowledged_at} />
            </dd>
          </>
        )}
        {transmission.next_attempt_at && (
          <>
            <dt>{t('transmission.nextAttempt')}</dt>
            <dd>
              <DateTime iso={transmission.next_attempt_at} />
            </dd>
          </>
        )}
      </dl>
      {actionError !== null && <Alert tone="error">{describeError(actionError, t)}</Alert>}
      {resubmitted && <Alert tone="success">{t('einvoice.resubmitted')}</Alert>}
      {transmission.exchange.status === 'failed' && !resubmitted && (
        <div className="inline-actions start">
          <button
            type="button"
            className="button"
            disabled={isResubmitting}
            onClick={() => void resubmit()}
            data-testid="transmission-resubmit"
          >
            {t('einvoice.resubmit')}
          </button>
        </div>
      )}
    </section>
  );
}
