import { findProfile } from '@invoiceflow/jurisdictions';
import { compareMoney } from '@invoiceflow/totals';
import { type FormEvent, useState } from 'react';
import { api } from '../api/browser-client';
import { isApiError } from '../api/client';
import type { Invoice, InvoiceParty, PaymentMethod } from '../api/domain-types';
import { createDraftInvoice, type SendResult } from '../api/invoice-detail';
import {
  downloadInvoicePdf,
  downloadInvoiceXml,
  getInvoice,
  getInvoicePayments,
  markInvoicePaid,
  markInvoiceSent,
  recordPartialPayment,
  takeInvoiceStep,
} from '../api/resources';
import { Alert } from '../components/Alert';
import { InvoicePaper, type PaperParty } from '../components/InvoicePaper';
import { useSave } from '../components/ListPage';
import { PaymentDetailsFields } from '../components/PaymentDetailsFields';
import { ScrollArea } from '../components/ScrollArea';
import { StatusBadge } from '../components/StatusBadge';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages-en';
import { randomKey, todayIso } from '../lib/dates';
import { describeError } from '../lib/errors';
import { base64ToBlob, openBlob, saveBlob } from '../lib/files';
import { useLoader } from '../lib/use-loader';
import { Link, navigate, useSearchParam } from '../router/router';
import { CreditNoteForm } from './invoice-detail/CreditNoteForm';
import { TransmissionPanel, ZatcaPanel } from './invoice-detail/EInvoicePanel';
import { duplicateBody } from './invoice-detail/line-bodies';
import { OnlinePaymentPanel } from './invoice-detail/OnlinePaymentPanel';
import { SendInvoiceDialog, SendOutcome } from './invoice-detail/SendInvoiceDialog';
import { TimelinePanel } from './invoice-detail/TimelinePanel';

function toPaperParty(party: InvoiceParty | null | undefined, locale: 'en' | 'ar'): PaperParty | null {
  if (!party) return null;
  const en = party.legal_name_en ?? party.name_en ?? '';
  const ar = party.legal_name_ar ?? party.name_ar ?? null;
  if (!en && !ar) return null;
  return {
    name: (locale === 'ar' && ar) || en,
    nameAlt: locale === 'ar' ? (ar ? en : null) : ar,
    vatNumber: party.vat_number,
    registrationNumber: party.registration_number,
    address: party.address,
  };
}

export function InvoiceDetailPage({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const wasJustIssued = useSearchParam('issued') === '1';
  const invoice = useLoader((signal) => getInvoice(api, id, { signal }), [id]);
  const payments = useLoader((signal) => getInvoicePayments(api, id, { signal }), [id]);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [isCrediting, setIsCrediting] = useState(false);
  const [isSending, setIsSending] = useState(false);
  const [sendResult, setSendResult] = useState<SendResult | null>(null);
  const [isDuplicating, setIsDuplicating] = useState(false);
  // Bumped after an action so the e-invoice, transmission and pay-link panels read their state again.
  const [reloadKey, setReloadKey] = useState(0);

  const reloadAll = () => {
    invoice.reload();
    payments.reload();
    setReloadKey((k) => k + 1);
  };

  if (invoice.error !== undefined && !invoice.data)
    return <Alert tone="error">{describeError(invoice.error, t)}</Alert>;
  const inv = invoice.data;
  if (!inv)
    return (
      <div className="page" aria-busy="true">
        <p className="muted">{t('common.loading')}</p>
      </div>
    );

  async function run(action: () => Promise<unknown>, done?: string) {
    setActionError(null);
    setNotice(null);
    setSendResult(null);
    try {
      await action();
      if (done) setNotice(done);
      reloadAll();
    } catch (e) {
      setActionError(e);
    }
  }

  async function pdf(mode: 'open' | 'save') {
    if (!inv) return;
    setActionError(null);
    try {
      let blob: Blob;
      let filename = `${inv.invoice_number}.pdf`;
      try {
        const file = await downloadInvoicePdf(api, inv.id);
        blob = file.blob;
        filename = file.filename ?? filename;
      } catch (e) {
        // No PDF route: fall back to the PDF issued with the invoice, if the server kept one.
        if (!(isApiError(e) && e.status === 404) || !inv.pdf_base64) throw e;
        blob = base64ToBlob(inv.pdf_base64, 'application/pdf');
      }
      if (mode === 'open') openBlob(blob);
      else saveBlob(blob, filename);
    } catch (e) {
      setActionError(isApiError(e) && e.status === 404 ? new Error('pdf-unavailable') : e);
    }
  }

  async function duplicate() {
    if (!inv) return;
    setActionError(null);
    setIsDuplicating(true);
    try {
      const draft = await createDraftInvoice(api, duplicateBody(inv), randomKey());
      navigate(`/invoices/new?invoice=${draft.id}`);
    } catch (e) {
      setActionError(e);
      setIsDuplicating(false);
    }
  }

  const isNote = inv.type !== 'invoice';
  const formats = findProfile(inv.seller.country ?? '')?.einvoiceFormats ?? [];
  const isZatca = formats.includes('zatca-ubl');
  const isTransmitted = formats.includes('pint-ae') || formats.includes('peppol-bis-3');
  // The seller's profile says whether invoices are approved before they are sent (UAE); the invoice says which
  // step it may take now.
  const hasApproval = findProfile(inv.seller.country ?? '')?.lifecycle.includes('approved') ?? false;
  const canPay = !isNote && compareMoney(inv.amount_due, '0') > 0;

  return (
    <div className="page page-wide" data-testid="invoice-detail">
      <Link to="/invoices" className="back-link">
        ← {t('invoice.back')}
      </Link>
      <header className="page-header page-header-row">
        <div className="title-with-badge">
          <h1 dir="ltr" data-testid="invoice-number">
            {inv.invoice_number}
          </h1>
          <StatusBadge
            status={
              hasApproval && inv.status === 'issued' ? (inv.lifecycle_status ?? inv.status) : inv.status
            }
          />
          {isNote && <span className="badge">{t(`type.${inv.type}` as MessageKey)}</span>}
        </div>
        <div className="inline-actions">
          <button
            type="button"
            className="button button-ghost"
            onClick={() => void pdf('open')}
            data-testid="open-pdf"
          >
            {t('invoice.openPdf')}
          </button>
          <button
            type="button"
            className="button button-ghost"
            onClick={() => void pdf('save')}
            data-testid="download-pdf"
          >
            {t('invoice.downloadPdf')}
          </button>
          <button
            type="button"
            className="button button-ghost"
            data-testid="download-xml"
            onClick={() =>
              void run(async () => {
                const file = await downloadInvoiceXml(api, inv.id);
                saveBlob(file.blob, file.filename ?? `${inv.invoice_number}.xml`);
              })
            }
          >
            {t('invoice.downloadXml')}
          </button>
          {!hasApproval && inv.status !== 'draft' && (
            <button
              type="button"
              className="button button-primary"
              onClick={() => {
                setSendResult(null);
                setIsSending(true);
              }}
              data-testid="send-invoice"
            >
              {inv.sent_at ? t('invoice.sendAgain') : t('invoice.sendEmail')}
            </button>
          )}
          {hasApproval &&
            (inv.next_steps ?? []).map((step) => (
              <button
                key={step}
                type="button"
                className="button"
                data-testid={`step-${step}`}
                onClick={() =>
                  void run(
                    () => takeInvoiceStep(api, inv.id, step, randomKey()),
                    t(`invoice.step.${step}.done` as MessageKey, { number: inv.invoice_number }),
                  )
                }
              >
                {t(`invoice.step.${step}` as MessageKey)}
              </button>
            ))}
          {!hasApproval && inv.stored_status === 'issued' && (
            <button
              type="button"
              className="button button-ghost"
              data-testid="mark-sent"
              onClick={() =>
                void run(
                  () => markInvoiceSent(api, inv.id),
                  t('invoice.markedSent', { number: inv.invoice_number }),
                )
              }
            >
              {t('invoice.markSent')}
            </button>
          )}
          {!isNote && (
            <button
              type="button"
              className="button button-ghost"
              disabled={isDuplicating}
              onClick={() => void duplicate()}
              data-testid="duplicate-invoice"
            >
              {t('invoice.duplicate')}
            </button>
          )}
          {!isNote && inv.status !== 'credited' && (
            <button
              type="button"
              className="button button-ghost"
              onClick={() => setIsCrediting(true)}
              data-testid="credit-note"
            >
              {t('invoice.creditNote')}
            </button>
          )}
          {!isNote && inv.customer_id && (
            <Link
              className="button button-ghost"
              to={`/recurring?from_invoice=${inv.id}`}
              data-testid="make-recurring"
            >
              {t('recurring.fromInvoice')}
            </Link>
          )}
        </div>
      </header>

      {wasJustIssued && !notice && !sendResult && (
        <Alert tone="success">{t('invoice.issued', { number: inv.invoice_number })}</Alert>
      )}
      {notice && <Alert tone="success">{notice}</Alert>}
      {sendResult && <SendOutcome result={sendResult} />}
      {isSending && (
        <SendInvoiceDialog
          invoice={inv}
          onClose={() => setIsSending(false)}
          onSent={(result) => {
            setIsSending(false);
            setNotice(null);
            setSendResult(result);
            reloadAll();
          }}
        />
      )}
      {inv.warnings && inv.warnings.length > 0 && (
        <Alert tone="info">
          {t('invoice.warnings')}
          <ul data-testid="invoice-warnings">
            {inv.warnings.map((warning) => (
              <li key={`${warning.path} ${warning.code}`} data-code={warning.code} data-path={warning.path}>
                {locale === 'ar' ? warning.message_ar : warning.message}{' '}
                <span dir="ltr">({warning.code})</span>
              </li>
            ))}
          </ul>
        </Alert>
      )}
      {actionError !== null && (
        <Alert tone="error">
          {actionError instanceof Error && actionError.message === 'pdf-unavailable'
            ? t('invoice.pdfUnavailable')
            : describeError(actionError, t)}
        </Alert>
      )}
      {isCrediting && (
        <CreditNoteForm
          invoice={inv}
          onCancel={() => setIsCrediting(false)}
          onIssued={(note) => navigate(`/invoices/${note.id}?issued=1`)}
        />
      )}

      <div className="detail-split">
        <ScrollArea className="detail-paper">
          <InvoicePaper
            kind={inv.type}
            subtype={inv.subtype}
            number={inv.invoice_number}
            issueDate={inv.invoice_date}
            dueDate={inv.due_date}
            currency={inv.currency}
            seller={toPaperParty(inv.seller, locale) ?? { name: '' }}
            buyer={toPaperParty(inv.buyer, locale)}
            lines={inv.lines.map((line, i) => ({
              ...line,
              key: String(i),
              description: line.description ?? '',
            }))}
            adjustments={inv.allowances_charges}
            vatBreakdown={inv.vat_breakdown}
            totals={inv.totals}
            notes={inv.notes}
            references={isNote && inv.reason ? { number: '', reason: inv.reason } : null}
          />
        </ScrollArea>
        <aside className="detail-side">
          <section className="card">
            <h2 className="card-title">{t('invoice.summary')}</h2>
            <dl className="balance">
              <dt>{t('invoice.total')}</dt>
              <dd>{money(inv.payable_amount, inv.currency)}</dd>
              <dt>{t('invoice.paid')}</dt>
              <dd data-testid="invoice-paid">{money(inv.paid_amount, inv.currency)}</dd>
              {compareMoney(inv.credited_amount, '0') > 0 && (
                <>
                  <dt>{t('invoice.credited')}</dt>
                  <dd>{money(inv.credited_amount, inv.currency)}</dd>
                </>
              )}
              <dt className="balance-due">{t('invoice.amountDue')}</dt>
              <dd className="balance-due" data-testid="invoice-amount-due">
                {money(inv.amount_due, inv.currency)}
              </dd>
            </dl>
          </section>

          {isZatca && <ZatcaPanel invoice={inv} reloadKey={reloadKey} />}
          {isTransmitted && <TransmissionPanel invoice={inv} reloadKey={reloadKey} />}
          {/* Also once paid: the checkouts, declines and refunds stay in view. */}
          {!isNote && <OnlinePaymentPanel invoice={inv} reloadKey={reloadKey} />}

          {canPay && (
            <PaymentForm
              invoice={inv}
              onRecorded={() => {
                setNotice(null);
                reloadAll();
              }}
            />
          )}
          {!isNote && !canPay && inv.status === 'paid' && (
            <Alert tone="success">{t('invoice.fullyPaid')}</Alert>
          )}

          <section className="card">
            <h2 className="card-title">{t('invoice.payments')}</h2>
            {payments.data && payments.data.payments.length > 0 ? (
              <ul className="payment-list" data-testid="invoice-payments">
                {payments.data.payments.map((p) => (
                  <PaymentItem
                    key={p.id}
                    amount={p.allocations.find((a) => a.invoice_id === inv.id)?.amount ?? p.amount}
                    currency={p.currency}
                    date={p.payment_date}
                    method={p.payment_method}
                    reference={p.reference}
                  />
                ))}
              </ul>
            ) : (
              <p className="muted small">{t('invoice.noPayments')}</p>
            )}
          </section>
          <TimelinePanel invoice={inv} reloadKey={reloadKey} />
        </aside>
      </div>
    </div>
  );

  function money(amount: string, currency: string) {
    return <MoneyText amount={amount} currency={currency} />;
  }
}

function MoneyText({ amount, currency }: { amount: string; currency: string }) {
  const { formatMoney } = useI18n();
  return <span className="tabular">{formatMoney(amount as `${number}`, currency)}</span>;
}

function PaymentItem(props: {
  amount: string;
  currency: string;
  date: string;
  method: string;
  reference: string | null;
}) {
  const { t, formatIsoDate, formatMoney } = useI18n();
  return (
    <li>
      <div>
        <strong className="tabular">{formatMoney(props.amount as `${number}`, props.currency)}</strong>
        <p className="muted small">
          {formatIsoDate(props.date)} · {t(`method.${props.method}` as MessageKey)}
          {props.reference && <> · {props.reference}</>}
        </p>
      </div>
    </li>
  );
}

function PaymentForm({ invoice, onRecorded }: { invoice: Invoice; onRecorded(): void }) {
  const { t } = useI18n();
  const [amount, setAmount] = useState('');
  const [date, setDate] = useState(todayIso());
  const [method, setMethod] = useState<PaymentMethod>('bank_transfer');
  const [reference, setReference] = useState('');
  const { error, isSaving, save } = useSave();

  function submit(event: FormEvent, isFull: boolean) {
    event.preventDefault();
    const details = { payment_date: date, payment_method: method, reference: reference.trim() || null };
    return save(async () => {
      if (isFull || amount.trim() === invoice.amount_due) await markInvoicePaid(api, invoice.id, details);
      else await recordPartialPayment(api, invoice.id, { ...details, amount: amount.trim() });
      setAmount('');
      setReference('');
      onRecorded();
    });
  }

  return (
    <form className="card form" onSubmit={(e) => void submit(e, false)} data-testid="payment-form">
      <h2 className="card-title">{t('invoice.recordPayment')}</h2>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <div className="form-grid">
        <label className="field">
          <span className="field-label">{t('invoice.amount')}</span>
          <input
            name="amount"
            inputMode="decimal"
            dir="ltr"
            placeholder={invoice.amount_due}
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
          />
        </label>
        <PaymentDetailsFields
          date={date}
          method={method}
          reference={reference}
          onDate={setDate}
          onMethod={setMethod}
          onReference={setReference}
        />
      </div>
      <div className="inline-actions">
        <button
          type="button"
          className="button button-ghost"
          disabled={isSaving}
          onClick={(e) => void submit(e, true)}
          data-testid="mark-paid"
        >
          {t('invoice.markPaid')}
        </button>
        <button
          type="submit"
          className="button button-primary"
          disabled={isSaving || !amount.trim()}
          data-testid="record-payment"
        >
          {t('invoice.record')}
        </button>
      </div>
    </form>
  );
}
