import { compareMoney, minMoney, nonNegativeMoney, subtractMoney, sumMoney } from '@invoiceflow/totals';
import { type FormEvent, useMemo, useState } from 'react';
import { api } from '../../api/browser-client';
import type { PaymentMethod } from '../../api/domain-types';
import {
  AGING_BUCKETS,
  createSupplierPayment,
  getPayablesAging,
  listBills,
  listSupplierPayments,
  listVendors,
  type PayablesAging,
} from '../../api/payables';
import { Alert } from '../../components/Alert';
import { FormActions, ListHeader, TableCard, useSave } from '../../components/ListPage';
import { Pagination } from '../../components/Pagination';
import { PaymentDetailsFields } from '../../components/PaymentDetailsFields';
import { StatusBadge } from '../../components/StatusBadge';
import { useI18n } from '../../i18n/I18nProvider';
import { todayIso } from '../../lib/dates';
import { describeError } from '../../lib/errors';
import { useLoader } from '../../lib/use-loader';
import { Link } from '../../router/router';

const PAGE_SIZE = 20;
const isAmount = (value: string) => /^\d+(\.\d+)?$/.test(value.trim());

/** Open bills by days past due, per currency: on the bills page and on the dashboard. */
export function PayablesAgingCard({
  aging,
  testId = 'payables-aging',
}: {
  aging: PayablesAging;
  testId?: string;
}) {
  const { t, formatMoney, formatIsoDate } = useI18n();
  return (
    <section className="card" data-testid={testId}>
      <h2 className="card-title">{t('bills.aging')}</h2>
      <p className="muted small">{t('dashboard.asOf', { date: formatIsoDate(aging.as_of) })}</p>
      {aging.currencies.length === 0 ? (
        <p className="muted small" data-testid="aging-empty">
          {t('bills.agingEmpty')}
        </p>
      ) : (
        aging.currencies.map((c) => (
          <ul className="aging-list" key={c.currency} data-currency={c.currency}>
            {AGING_BUCKETS.map((bucket) => (
              <li key={bucket} data-bucket={bucket}>
                <span
                  className={`aging-dot aging-${bucket === 'days_1_30' ? 'days_0_30' : bucket}`}
                  aria-hidden="true"
                />
                <span>{t(`bills.aging.${bucket}`)}</span>
                <span />
                <strong className="tabular">{formatMoney(c[bucket], c.currency)}</strong>
              </li>
            ))}
            <li data-bucket="total">
              <span />
              <strong>{t('bills.agingTotal')}</strong>
              <span className="muted small">{t('bills.count', { count: c.bills })}</span>
              <strong className="tabular" data-testid="aging-total">
                {formatMoney(c.total, c.currency)}
              </strong>
            </li>
          </ul>
        ))
      )}
    </section>
  );
}

/** Bills to pay (approved supplier invoices), the payables aging, and the payments made to suppliers. */
export function BillsPage() {
  const { t, formatMoney, formatIsoDate } = useI18n();
  const [state, setState] = useState<'open' | 'paid' | 'all'>('open');
  const [page, setPage] = useState(1);
  const [paymentsPage, setPaymentsPage] = useState(1);
  const [isPaying, setIsPaying] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const bills = useLoader(
    (signal) => listBills(api, { state, page, page_size: PAGE_SIZE }, { signal }),
    [state, page],
  );
  const aging = useLoader((signal) => getPayablesAging(api, { signal }), []);
  const payments = useLoader(
    (signal) => listSupplierPayments(api, { page: paymentsPage, page_size: PAGE_SIZE }, { signal }),
    [paymentsPage],
  );
  const vendors = useLoader(
    (signal) => listVendors(api, { page_size: 100, include_archived: true }, { signal }),
    [],
  );
  const vendorName = (id: string | null) => vendors.data?.vendors.find((v) => v.id === id)?.name_en ?? '—';

  return (
    <div className="page page-wide">
      <ListHeader
        title={t('bills.title')}
        subtitle={t('bills.subtitle')}
        newLabel={t('bills.pay')}
        newTestId="new-supplier-payment"
        onNew={isPaying ? undefined : () => setIsPaying(true)}
      />
      {notice && <Alert tone="success">{notice}</Alert>}
      {isPaying && (
        <SupplierPaymentForm
          onCancel={() => setIsPaying(false)}
          onRecorded={() => {
            setIsPaying(false);
            setNotice(t('bills.paid'));
            bills.reload();
            aging.reload();
            payments.reload();
          }}
        />
      )}
      {aging.data && <PayablesAgingCard aging={aging.data} />}
      {aging.error !== undefined && <Alert tone="error">{describeError(aging.error, t)}</Alert>}

      <div className="toolbar">
        <label className="toolbar-date">
          <span>{t('bills.show')}</span>
          <select
            name="state"
            value={state}
            onChange={(e) => {
              setState(e.target.value as typeof state);
              setPage(1);
            }}
          >
            <option value="open">{t('bills.state.open')}</option>
            <option value="paid">{t('bills.state.paid')}</option>
            <option value="all">{t('bills.state.all')}</option>
          </select>
        </label>
      </div>
      {bills.error !== undefined && <Alert tone="error">{describeError(bills.error, t)}</Alert>}
      <TableCard
        testId="bill-table"
        head={
          <>
            <th>{t('bills.col.status')}</th>
            <th>{t('si.col.number')}</th>
            <th>{t('si.col.supplier')}</th>
            <th>{t('si.dueDate')}</th>
            <th className="num">{t('bills.col.payable')}</th>
            <th className="num">{t('bills.col.open')}</th>
          </>
        }
        isEmpty={bills.data?.bills.length === 0}
        empty={t('bills.empty')}
      >
        {bills.data?.bills.map((b) => (
          <tr key={b.supplier_invoice_id} data-testid="bill-row">
            <td>
              <StatusBadge status={b.payment_status} />
            </td>
            <td dir="ltr">
              <Link to={`/supplier-invoices/${b.supplier_invoice_id}`}>{b.number}</Link>
            </td>
            <td>
              <bdi>{b.vendor_name ?? '—'}</bdi>
            </td>
            <td>{b.due_date ? formatIsoDate(b.due_date) : '—'}</td>
            <td className="num">{formatMoney(b.payable_amount, b.currency)}</td>
            <td className="num" data-testid="bill-open">
              <strong>{formatMoney(b.open_amount, b.currency)}</strong>
            </td>
          </tr>
        ))}
      </TableCard>
      {bills.data && (
        <Pagination page={page} pageSize={PAGE_SIZE} total={bills.data.total} onPage={setPage} />
      )}

      <h2 className="section-title">{t('bills.payments')}</h2>
      {payments.error !== undefined && <Alert tone="error">{describeError(payments.error, t)}</Alert>}
      <TableCard
        testId="supplier-payment-table"
        head={
          <>
            <th>{t('payments.col.date')}</th>
            <th>{t('si.col.supplier')}</th>
            <th>{t('payments.col.method')}</th>
            <th>{t('bills.col.bills')}</th>
            <th className="num">{t('payments.col.amount')}</th>
          </>
        }
        isEmpty={payments.data?.supplier_payments.length === 0}
        empty={t('bills.noPayments')}
      >
        {payments.data?.supplier_payments.map((p) => (
          <tr key={p.id} data-testid="supplier-payment-row">
            <td>{formatIsoDate(p.payment_date)}</td>
            <td>
              <bdi>{vendorName(p.vendor_id)}</bdi>
            </td>
            <td>{t(`method.${p.method}` as 'method.cash')}</td>
            <td>
              {p.allocations.map((a) => (
                <Link
                  key={a.supplier_invoice_id}
                  to={`/supplier-invoices/${a.supplier_invoice_id}`}
                  className="chip mono"
                  dir="ltr"
                >
                  {a.number} · {a.amount}
                </Link>
              ))}
            </td>
            <td className="num">
              <strong>{formatMoney(p.amount, p.currency)}</strong>
            </td>
          </tr>
        ))}
      </TableCard>
      {payments.data && (
        <Pagination
          page={paymentsPage}
          pageSize={PAGE_SIZE}
          total={payments.data.total}
          onPage={setPaymentsPage}
        />
      )}
    </div>
  );
}

/** A payment to a supplier, allocated across the vendor's open bills (oldest due first by default). */
function SupplierPaymentForm({ onCancel, onRecorded }: { onCancel(): void; onRecorded(): void }) {
  const { t, locale, formatMoney, formatIsoDate } = useI18n();
  const [vendorId, setVendorId] = useState('');
  const [amount, setAmount] = useState('');
  const [date, setDate] = useState(todayIso());
  const [method, setMethod] = useState<PaymentMethod>('bank_transfer');
  const [reference, setReference] = useState('');
  const [allocations, setAllocations] = useState<Record<string, string>>({});
  const { error, isSaving, save } = useSave();
  const vendors = useLoader((signal) => listVendors(api, { page_size: 100 }, { signal }), []);
  const bills = useLoader(
    (signal) =>
      vendorId
        ? listBills(api, { vendor_id: vendorId, state: 'open', page_size: 100 }, { signal })
        : Promise.resolve(null),
    [vendorId],
  );
  // Earliest due first (the API's order), so "allocate" pays what is due soonest.
  const open = useMemo(() => bills.data?.bills ?? [], [bills.data]);
  const currency = open[0]?.currency ?? 'SAR';
  const allocated = sumMoney(
    Object.values(allocations)
      .filter(isAmount)
      .map((v) => v.trim()),
    currency,
  );
  const left = isAmount(amount) ? subtractMoney(amount.trim(), allocated, currency) : null;

  function allocateInOrder(total: string) {
    if (!isAmount(total)) return;
    let remaining = total.trim();
    const next: Record<string, string> = {};
    for (const bill of open) {
      if (compareMoney(remaining, '0') <= 0) break;
      const share = minMoney(remaining, bill.open_amount, currency);
      next[bill.supplier_invoice_id] = share;
      remaining = nonNegativeMoney(subtractMoney(remaining, share, currency), currency);
    }
    setAllocations(next);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    return save(async () => {
      await createSupplierPayment(api, {
        vendor_id: vendorId,
        amount: amount.trim(),
        payment_date: date,
        method,
        ...(reference.trim() ? { reference: reference.trim() } : {}),
        allocations: Object.entries(allocations)
          .filter(([, value]) => isAmount(value) && compareMoney(value.trim(), '0') > 0)
          .map(([supplier_invoice_id, value]) => ({ supplier_invoice_id, amount: value.trim() })),
      });
      onRecorded();
    });
  }

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} data-testid="supplier-payment-form">
      <h2 className="card-title">{t('bills.pay')}</h2>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <div className="form-grid four">
        <label className="field">
          <span className="field-label">{t('si.col.supplier')}</span>
          <select
            name="vendor_id"
            value={vendorId}
            onChange={(e) => {
              setVendorId(e.target.value);
              setAllocations({});
            }}
          >
            <option value="">{t('po.chooseVendor')}</option>
            {vendors.data?.vendors.map((v) => (
              <option key={v.id} value={v.id}>
                {(locale === 'ar' && v.name_ar) || v.name_en}
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
              allocateInOrder(e.target.value);
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
      {vendorId && (
        <div>
          <div className="subhead-row">
            <h3 className="card-subtitle">{t('bills.openBills')}</h3>
            <button
              type="button"
              className="button button-ghost button-small"
              onClick={() => allocateInOrder(amount)}
            >
              {t('payments.autoAllocate')}
            </button>
          </div>
          {open.length === 0 ? (
            <p className="muted small">{t('bills.noOpen')}</p>
          ) : (
            <table className="data-table compact" data-testid="bill-allocation-table">
              <thead>
                <tr>
                  <th>{t('si.col.number')}</th>
                  <th>{t('si.dueDate')}</th>
                  <th className="num">{t('bills.col.open')}</th>
                  <th className="num">{t('payments.allocate')}</th>
                </tr>
              </thead>
              <tbody>
                {open.map((bill) => (
                  <tr key={bill.supplier_invoice_id}>
                    <td className="mono" dir="ltr">
                      {bill.number}
                    </td>
                    <td>{bill.due_date ? formatIsoDate(bill.due_date) : '—'}</td>
                    <td className="num">{formatMoney(bill.open_amount, bill.currency)}</td>
                    <td className="num">
                      <input
                        className="allocation-input"
                        aria-label={`${t('payments.allocate')} ${bill.number}`}
                        inputMode="decimal"
                        dir="ltr"
                        value={allocations[bill.supplier_invoice_id] ?? ''}
                        onChange={(e) =>
                          setAllocations((a) => ({ ...a, [bill.supplier_invoice_id]: e.target.value }))
                        }
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {left !== null && compareMoney(left, '0') > 0 && (
            <p className="muted small">
              {t('bills.unallocated', { amount: formatMoney(left as `${number}`, currency) })}
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
        isDisabled={
          isSaving ||
          !vendorId ||
          !isAmount(amount) ||
          left === null ||
          compareMoney(left, '0') < 0 ||
          compareMoney(allocated, '0') <= 0
        }
        saveTestId="save-supplier-payment"
      />
    </form>
  );
}
