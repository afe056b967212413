import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api } from '../../api/browser-client';
import { isApiError } from '../../api/client';
import type { Invoice } from '../../api/domain-types';
import { type SendResult, sendInvoiceByEmail } from '../../api/invoice-detail';
import { getCustomer } from '../../api/resources';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n/I18nProvider';
import { randomKey } from '../../lib/dates';
import { describeError, describeFieldError } from '../../lib/errors';

/**
 * E-mails the invoice with its PDF (POST /invoices/{id}/send) to the customer's address or another one. A modal
 * <dialog>: the browser keeps the focus inside, Escape closes it, and the page behind is inert.
 */
export function SendInvoiceDialog({
  invoice,
  onClose,
  onSent,
}: {
  invoice: Invoice;
  onClose(): void;
  onSent(result: SendResult): void;
}) {
  const { t } = useI18n();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [to, setTo] = useState('');
  const [message, setMessage] = useState('');
  const [isSending, setIsSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // One key per opening: a double click or a retry after a lost answer sends one mail.
  const [key] = useState(randomKey);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  // The customer's address, unless the user has started typing another.
  useEffect(() => {
    if (!invoice.customer_id) return;
    const controller = new AbortController();
    getCustomer(api, invoice.customer_id, { signal: controller.signal }).then(
      (customer) => {
        if (customer.email) setTo((typed) => typed || (customer.email ?? ''));
      },
      () => {},
    );
    return () => controller.abort();
  }, [invoice.customer_id]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setIsSending(true);
    setError(null);
    try {
      const body = {
        ...(to.trim() ? { to: to.trim() } : {}),
        ...(message.trim() ? { message: message.trim() } : {}),
      };
      onSent(await sendInvoiceByEmail(api, invoice.id, body, key));
    } catch (e) {
      setError(e);
      setIsSending(false);
    }
  }

  const fieldErrors = isApiError(error) ? error.fieldErrors() : {};
  const messageOf = (path: string) => {
    const e = fieldErrors[path];
    return e ? { tone: 'error' as const, text: describeFieldError(e, t) } : null;
  };
  const summary = !isApiError(error)
    ? error === null
      ? null
      : describeError(error, t)
    : error.code === 'CUSTOMER_EMAIL_MISSING'
      ? t('send.noAddress')
      : error.code === 'MAIL_SEND_LIMIT_REACHED'
        ? t('send.limitReached')
        : error.errors.length > 0
          ? null
          : describeError(error, t);

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-labelledby="send-dialog-title"
      onClose={onClose}
      data-testid="send-dialog"
    >
      <form className="form" onSubmit={(e) => void submit(e)}>
        <h2 id="send-dialog-title" className="card-title">
          {t('send.title', { number: invoice.invoice_number })}
        </h2>
        {summary && <Alert tone="error">{summary}</Alert>}
        <Field id="send-to" label={t('send.to')} message={messageOf('to')}>
          {(control) => (
            <input
              {...control}
              name="to"
              type="email"
              dir="ltr"
              autoComplete="email"
              maxLength={254}
              value={to}
              onChange={(e) => setTo(e.target.value)}
            />
          )}
        </Field>
        <Field
          id="send-message"
          label={t('send.message')}
          optional
          help={t('send.messageHelp')}
          message={messageOf('message')}
        >
          {(control) => (
            <textarea
              {...control}
              name="message"
              rows={4}
              dir="auto"
              maxLength={1000}
              value={message}
              onChange={(e) => setMessage(e.target.value)}
            />
          )}
        </Field>
        <p className="send-attachment muted small" data-testid="send-attachment">
          <svg className="nav-icon" viewBox="0 0 24 24" aria-hidden="true">
            <path d="M21 12.5 12.6 20.9a5 5 0 0 1-7.1-7.1l8.5-8.5a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-2.8-2.8l7.8-7.8" />
          </svg>
          {t('send.attachment', { file: `${invoice.invoice_number}.pdf` })}
        </p>
        <div className="inline-actions">
          <button type="button" className="button button-ghost" onClick={() => dialogRef.current?.close()}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={isSending}
            data-testid="send-submit"
          >
            {t('send.submit')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** What the send did, in the user's words: queued to an address, and/or handed to the access point. */
export function SendOutcome({ result }: { result: SendResult }) {
  const { t } = useI18n();
  return (
    <Alert tone="success">
      <span data-testid="send-outcome" data-mail-status={result.mail_status}>
        {result.mail_status === 'queued' && result.to ? (
          <>
            {t('send.queued', { number: result.invoice_number })} <bdi dir="ltr">{result.to}</bdi>
          </>
        ) : (
          t('send.notMailed', { number: result.invoice_number })
        )}
      </span>
      {result.mail_status === 'queued' && <span className="block muted small">{t('send.queuedHelp')}</span>}
      {result.transmission_status === 'queued' && (
        <span className="block small">{t('send.transmissionQueued')}</span>
      )}
    </Alert>
  );
}
