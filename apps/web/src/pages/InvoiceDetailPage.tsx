import { findProfile } from '@invoiceflow/jurisdictions';
import { compareMoney } from '@invoiceflow/totals';
import { type FormEvent, useState } from 'react';
import { api } from '../api/browser-client';
import { isApiError } from '../api/client';
import type { Invoice, InvoiceParty, PaymentMethod } from '../api/domain-types';
import {
  downloadInvoicePdf,
  downloadInvoiceXml,
  getInvoice,
  getInvoicePayments,
  issueInvoice,
  markInvoicePaid,
  markInvoiceSent,
  recordPartialPayment,
  takeInvoiceStep,
} from '../api/resources';
import { Alert } from '../components/Alert';
import { InvoicePaper, type PaperParty } from '../components/InvoicePaper';
import { useSave } from '../components/ListPage';
import { PaymentDetailsFields } from '../components/PaymentDetailsFields';
import { StatusBadge } from '../components/StatusBadge';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages-en';
import { randomKey, todayIso } from '../lib/dates';
import { describeError } from '../lib/errors';
import { base64ToBlob, openBlob, saveBlob } from '../lib/files';
import { useLoader } from '../lib/use-loader';
import { Link, navigate, useSearchParam } from '../router/router';

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

  const reloadAll = () => {
    invoice.reload();
    payments.reload();
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

  const isNote = inv.type !== 'invoice';
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
              onClick={() => void run(() => markInvoiceSent(api, inv.id))}
            >
              {t('invoice.markSent')}
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

      {wasJustIssued && !notice && (
        <Alert tone="success">{t('invoice.issued', { number: inv.invoice_number })}</Alert>
      )}
      {notice && <Alert tone="success">{notice}</Alert>}
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
          country={inv.seller.country ?? ''}
          onCancel={() => setIsCrediting(false)}
          onIssued={(note) => navigate(`/invoices/${note.id}?issued=1`)}
        />
      )}

      <div className="detail-split">
        <div className="detail-paper">
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
        </div>
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

function CreditNoteForm({
  invoice,
  country,
  onCancel,
  onIssued,
}: {
  invoice: Invoice;
  country: string;
  onCancel(): void;
  onIssued(note: Invoice): void;
}) {
  const { t, formatMoney } = useI18n();
  // Where the profile names credit reasons by code (PINT AE BTAE-03), one that corrects this invoice is chosen.
  const profile = findProfile(country);
  const reasonCodes =
    profile?.creditReasonCodes.filter((c) => !profile.creditReasonsWithoutInvoice.includes(c)) ?? [];
  const [reason, setReason] = useState('');
  const [reasonCode, setReasonCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setIsSaving] = useState(false);
  const [key] = useState(randomKey);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setIsSaving(true);
    setError(null);
    // A full credit: the original's lines as they were issued, referencing it (BR-KSA-56 billing reference).
    const body = {
      type: 'credit_note',
      original_invoice_id: invoice.id,
      reason: reason.trim(),
      ...(reasonCode ? { reason_code: reasonCode } : {}),
      currency: invoice.currency,
      lines: invoice.lines.map((line) => ({
        description: line.description ?? '',
        quantity: line.quantity,
        unit_price: line.unit_price,
        unit_code: line.unit_code,
        vat_category: line.vat_category,
        vat_rate: line.vat_rate,
        ...(line.exemption_reason_code ? { exemption_reason_code: line.exemption_reason_code } : {}),
        ...(line.allowances_charges.length > 0
          ? {
              allowances_charges: line.allowances_charges.map((ac) => ({
                is_charge: ac.is_charge,
                amount: ac.amount,
                reason: ac.reason,
                reason_code: ac.reason_code,
              })),
            }
          : {}),
      })),
      ...(invoice.allowances_charges.length > 0 ? { allowances_charges: invoice.allowances_charges } : {}),
    };
    try {
      onIssued(await issueInvoice(api, body, key));
    } catch (e) {
      setError(e);
      setIsSaving(false);
    }
  }

  return (
    <form className="card form credit-form" onSubmit={(e) => void submit(e)} data-testid="credit-form">
      <h2 className="card-title">{t('invoice.creditTitle')}</h2>
      <p className="muted small">
        {t('invoice.creditHelp', {
          amount: formatMoney(invoice.payable_amount as `${number}`, invoice.currency),
        })}
      </p>
      {error !== null && (
        <Alert tone="error">
          {describeError(error, t)}
          {isApiError(error) && error.errors.length > 0 && (
            <ul data-testid="credit-errors">
              {error.errors.map((e) => (
                <li key={`${e.path}-${e.code}`}>
                  {e.message} <code>{e.code}</code>
                </li>
              ))}
            </ul>
          )}
        </Alert>
      )}
      {reasonCodes.length > 0 && (
        <label className="field">
          <span className="field-label">{t('invoice.creditReasonCode')}</span>
          <select name="reason_code" value={reasonCode} onChange={(e) => setReasonCode(e.target.value)}>
            <option value="">{t('field.choose')}</option>
            {reasonCodes.map((code) => (
              <option key={code} value={code}>
                {code} — {t(`creditReason.${code}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="field">
        <span className="field-label">{t('invoice.creditReason')}</span>
        <input name="reason" value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} />
      </label>
      <div className="inline-actions">
        <button type="button" className="button button-ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button
          type="submit"
          className="button button-primary"
          disabled={isSaving || !reason.trim() || (reasonCodes.length > 0 && !reasonCode)}
        >
          {t('invoice.creditIssue')}
        </button>
      </div>
    </form>
  );
}
