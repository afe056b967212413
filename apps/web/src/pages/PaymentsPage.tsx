import { compareMoney, minMoney, nonNegativeMoney, subtractMoney, sumMoney } from '@invoiceflow/totals';
import { type FormEvent, useMemo, useState } from 'react';
import { api } from '../api/browser-client';
import type { PaymentMethod } from '../api/domain-types';
import { createPayment, listCustomers, listInvoices, listPayments } from '../api/resources';
import { Alert } from '../components/Alert';
import { FormActions, ListHeader, TableCard, useSave } from '../components/ListPage';
import { Pagination } from '../components/Pagination';
import { PaymentDetailsFields } from '../components/PaymentDetailsFields';
import { useI18n } from '../i18n/I18nProvider';
import { todayIso } from '../lib/dates';
import { describeError } from '../lib/errors';
import { useLoader } from '../lib/use-loader';
import { Link } from '../router/router';

const PAGE_SIZE = 20;
const isAmount = (value: string) => /^\d+(\.\d+)?$/.test(value.trim());

/** Payments: record one and allocate it across the customer's open invoices; the list of payments. */
export function PaymentsPage() {
  const { t, formatMoney, formatIsoDate } = useI18n();
  const [page, setPage] = useState(1);
  const [isRecording, setIsRecording] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const payments = useLoader(
    (signal) => listPayments(api, { page, page_size: PAGE_SIZE }, { signal }),
    [page],
  );
  const customers = useLoader((signal) => listCustomers(api, { page_size: 100 }, { signal }), []);
  const nameOf = (id: string | null) => customers.data?.customers.find((c) => c.id === id)?.name_en ?? '—';

  return (
    <div className="page page-wide">
      <ListHeader
        title={t('payments.title')}
        subtitle={t('payments.subtitle')}
        newLabel={t('payments.new')}
        newTestId="new-payment"
        onNew={isRecording ? undefined : () => setIsRecording(true)}
      />
      {notice && <Alert tone="success">{notice}</Alert>}
      {isRecording && (
        <RecordPaymentForm
          onCancel={() => setIsRecording(false)}
          onRecorded={() => {
            setIsRecording(false);
            setNotice(t('payments.recorded'));
            payments.reload();
          }}
        />
      )}
      {payments.error !== undefined && <Alert tone="error">{describeError(payments.error, t)}</Alert>}
      <TableCard
        testId="payment-table"
        head={
          <>
            <th>{t('payments.col.date')}</th>
            <th>{t('payments.col.customer')}</th>
            <th>{t('payments.col.method')}</th>
            <th>{t('payments.col.invoices')}</th>
            <th className="num">{t('payments.col.credit')}</th>
            <th className="num">{t('payments.col.amount')}</th>
          </>
        }
        isEmpty={payments.data?.payments.length === 0}
        empty={t('payments.empty')}
      >
        {payments.data?.payments.map((p) => (
          <tr key={p.id} data-testid="payment-row">
            <td>{formatIsoDate(p.payment_date)}</td>
            <td>{nameOf(p.customer_id)}</td>
            <td>{t(`method.${p.payment_method}` as 'method.cash')}</td>
            <td>
              {p.allocations.map((a) => (
                <Link key={a.id} to={`/invoices/${a.invoice_id}`} className="chip mono" dir="ltr">
                  {a.invoice_number} · {a.amount}
                </Link>
              ))}
            </td>
            <td className="num">
              {compareMoney(p.unallocated_amount, '0') > 0
                ? formatMoney(p.unallocated_amount, p.currency)
                : '—'}
            </td>
            <td className="num">
              <strong>{formatMoney(p.amount, p.currency)}</strong>
            </td>
          </tr>
        ))}
      </TableCard>
      {payments.data && (
        <Pagination page={page} pageSize={PAGE_SIZE} total={payments.data.total} onPage={setPage} />
      )}
    </div>
  );
}

function RecordPaymentForm({ onCancel, onRecorded }: { onCancel(): void; onRecorded(): void }) {
  const { t, formatMoney, formatIsoDate } = useI18n();
  const [customerId, setCustomerId] = useState('');
  const [amount, setAmount] = useState('');
  const [date, setDate] = useState(todayIso());
  const [method, setMethod] = useState<PaymentMethod>('bank_transfer');
  const [reference, setReference] = useState('');
  const [allocations, setAllocations] = useState<Record<string, string>>({});
  const { error, isSaving, save } = useSave();
  const customers = useLoader((signal) => listCustomers(api, { page_size: 100 }, { signal }), []);
  const invoices = useLoader(
    (signal) =>
      customerId
        ? listInvoices(api, { customer_id: customerId, page_size: 100 }, { signal })
        : Promise.resolve(null),
    [customerId],
  );
  // Oldest first, so "allocate oldest first" pays what has waited longest.
  const open = useMemo(
    () =>
      (invoices.data?.invoices ?? [])
        .filter((inv) => inv.type === 'invoice' && compareMoney(inv.amount_due, '0') > 0)
        .sort(
          (a, b) =>
            a.invoice_date.localeCompare(b.invoice_date) || a.invoice_number.localeCompare(b.invoice_number),
        ),
    [invoices.data],
  );
  const currency = open[0]?.currency ?? 'SAR';
  const allocated = sumMoney(
    Object.values(allocations)
      .filter(isAmount)
      .map((v) => v.trim()),
    currency,
  );
  const left = isAmount(amount) ? subtractMoney(amount.trim(), allocated, currency) : null;

  function allocateOldestFirst(total: string) {
    if (!isAmount(total)) return;
    let remaining = total.trim();
    const next: Record<string, string> = {};
    for (const inv of open) {
      if (compareMoney(remaining, '0') <= 0) break;
      const share = minMoney(remaining, inv.amount_due, currency);
      next[inv.id] = share;
      remaining = nonNegativeMoney(subtractMoney(remaining, share, currency), currency);
    }
    setAllocations(next);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    return save(async () => {
      await createPayment(api, {
        customer_id: customerId || null,
        amount: amount.trim(),
        payment_date: date,
        payment_method: method,
        reference: reference.trim() || null,
        allocations: Object.entries(allocations)
          .filter(([, value]) => isAmount(value) && compareMoney(value.trim(), '0') > 0)
          .map(([invoice_id, value]) => ({ invoice_id, amount: value.trim() })),
      });
      onRecorded();
    });
  }

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} data-testid="record-payment-form">
      <h2 className="card-title">{t('payments.new')}</h2>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <div className="form-grid four">
        <label className="field">
          <span className="field-label">{t('payments.customer')}</span>
          <select
            name="customer_id"
            value={customerId}
            onChange={(e) => {
              setCustomerId(e.target.value);
              setAllocations({});
            }}
          >
            <option value="">{t('payments.chooseCustomer')}</option>
            {customers.data?.customers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name_en}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('invoice.amount')}</span>
          <input
            name="amount"
            inputMode="decimal"
            dir="ltr"
            value={amount}
            onChange={(e) => {
              setAmount(e.target.value);
              allocateOldestFirst(e.target.value);
            }}
          />
        </label>
        <PaymentDetailsFields
          date={date}
          method={method}
          reference={reference}
          onDate={setDate}
          onMethod={setMethod}
          onReference={setReference}
          isReferenceWide
        />
      </div>

      {customerId && (
        <div>
          <div className="subhead-row">
            <h3 className="card-subtitle">{t('payments.openInvoices')}</h3>
            <button
              type="button"
              className="button button-ghost button-small"
              onClick={() => allocateOldestFirst(amount)}
            >
              {t('payments.autoAllocate')}
            </button>
          </div>
          {open.length === 0 ? (
            <p className="muted small">{t('payments.noOpen')}</p>
          ) : (
            <table className="data-table compact" data-testid="allocation-table">
              <thead>
                <tr>
                  <th>{t('invoices.col.number')}</th>
                  <th>{t('invoices.col.date')}</th>
                  <th className="num">{t('invoices.col.amountDue')}</th>
                  <th className="num">{t('payments.allocate')}</th>
                </tr>
              </thead>
              <tbody>
                {open.map((inv) => (
                  <tr key={inv.id}>
                    <td className="mono" dir="ltr">
                      {inv.invoice_number}
                    </td>
                    <td>{formatIsoDate(inv.invoice_date)}</td>
                    <td className="num">{formatMoney(inv.amount_due, inv.currency)}</td>
                    <td className="num">
                      <input
                        className="allocation-input"
                        aria-label={`${t('payments.allocate')} ${inv.invoice_number}`}
                        inputMode="decimal"
                        dir="ltr"
                        value={allocations[inv.id] ?? ''}
                        onChange={(e) => setAllocations((a) => ({ ...a, [inv.id]: e.target.value }))}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {left !== null && compareMoney(left, '0') > 0 && (
            <p className="muted small">
              {t('payments.unallocated', { amount: formatMoney(left as `${number}`, currency) })}
            </p>
          )}
          {left !== null && compareMoney(left, '0') < 0 && (
            <p className="field-message-error small">
              {t('payments.overAllocated', {
                amount: formatMoney(subtractMoney('0', left, currency) as `${number}`, currency),
              })}
            </p>
          )}
        </div>
      )}

      <FormActions
        onCancel={onCancel}
        saveLabel={t('payments.save')}
        isDisabled={isSaving || !isAmount(amount) || (left !== null && compareMoney(left, '0') < 0)}
        saveTestId="save-payment"
      />
    </form>
  );
}
