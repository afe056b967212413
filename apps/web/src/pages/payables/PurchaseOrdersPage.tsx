import { Decimal, parseDecimal } from '@invoiceflow/totals';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/browser-client';
import { isApiError } from '../../api/client';
import {
  changePurchaseOrder,
  createPurchaseOrder,
  downloadPurchaseOrderPdf,
  getPurchaseOrder,
  listPurchaseOrders,
  listReceipts,
  listVendors,
  type PurchaseOrder,
  type PurchaseOrderLineInput,
  receiveGoods,
  sendPurchaseOrder,
} from '../../api/payables';
import { getCompanyTaxRates, listProducts } from '../../api/resources';
import { Alert } from '../../components/Alert';
import { FormActions, ListHeader, TableCard, useSave } from '../../components/ListPage';
import { Pagination } from '../../components/Pagination';
import { ScrollArea } from '../../components/ScrollArea';
import { StatusBadge } from '../../components/StatusBadge';
import { useI18n } from '../../i18n/I18nProvider';
import { todayIso } from '../../lib/dates';
import { describeError, describeFieldError } from '../../lib/errors';
import { openBlob } from '../../lib/files';
import { useLoader } from '../../lib/use-loader';
import { Link, navigate } from '../../router/router';

const PAGE_SIZE = 20;
const isQuantity = (value: string) => /^\d+(\.\d+)?$/.test(value.trim()) && /[1-9]/.test(value);

/** Purchase orders, newest first. */
export function PurchaseOrdersPage() {
  const { t, formatMoney, formatIsoDate } = useI18n();
  const [page, setPage] = useState(1);
  const orders = useLoader(
    (signal) => listPurchaseOrders(api, { page, page_size: PAGE_SIZE }, { signal }),
    [page],
  );
  return (
    <div className="page page-wide">
      <ListHeader
        title={t('po.title')}
        subtitle={t('po.subtitle')}
        newLabel={t('po.new')}
        newTestId="new-purchase-order"
        onNew={() => navigate('/purchase-orders/new')}
      />
      {orders.error !== undefined && <Alert tone="error">{describeError(orders.error, t)}</Alert>}
      <TableCard
        testId="purchase-order-table"
        head={
          <>
            <th>{t('po.col.status')}</th>
            <th>{t('po.col.number')}</th>
            <th>{t('po.col.vendor')}</th>
            <th>{t('po.col.date')}</th>
            <th className="num">{t('po.col.total')}</th>
          </>
        }
        isEmpty={orders.data?.purchase_orders.length === 0}
        empty={t('po.empty')}
      >
        {orders.data?.purchase_orders.map((po) => (
          <tr key={po.id} data-testid="purchase-order-row">
            <td>
              <StatusBadge status={po.status} />
            </td>
            <td dir="ltr">
              <Link to={`/purchase-orders/${po.id}`}>{po.number}</Link>
            </td>
            <td>
              <bdi>{po.vendor_name}</bdi>
            </td>
            <td>{formatIsoDate(po.issue_date)}</td>
            <td className="num">{formatMoney(po.total_amount, po.currency)}</td>
          </tr>
        ))}
      </TableCard>
      {orders.data && (
        <Pagination page={page} pageSize={PAGE_SIZE} total={orders.data.total} onPage={setPage} />
      )}
    </div>
  );
}

interface LineDraft {
  product_id: string;
  description: string;
  quantity: string;
  unit_price: string;
  vat_rate: string;
}
const emptyLine = (): LineDraft => ({
  product_id: '',
  description: '',
  quantity: '1',
  unit_price: '',
  vat_rate: '',
});

/** A new purchase order: the vendor, dates and lines (a catalogue product or free text). */
export function PurchaseOrderEditorPage() {
  const { t, locale } = useI18n();
  const [vendorId, setVendorId] = useState('');
  const [issueDate, setIssueDate] = useState(todayIso());
  const [expectedDate, setExpectedDate] = useState('');
  const [notes, setNotes] = useState('');
  const [lines, setLines] = useState<LineDraft[]>([emptyLine()]);
  const vendors = useLoader((signal) => listVendors(api, { page_size: 100 }, { signal }), []);
  const products = useLoader((signal) => listProducts(api, { page_size: 100 }, { signal }), []);
  const rates = useLoader((signal) => getCompanyTaxRates(api, { signal }), []);
  const { error, isSaving, save } = useSave();
  const fieldErrors = isApiError(error) ? error.fieldErrors() : {};
  const setLine = (index: number, patch: Partial<LineDraft>) =>
    setLines((all) => all.map((line, i) => (i === index ? { ...line, ...patch } : line)));

  function submit(event: FormEvent) {
    event.preventDefault();
    return save(async () => {
      const body: PurchaseOrderLineInput[] = lines.map((line) => ({
        quantity: line.quantity.trim(),
        ...(line.product_id ? { product_id: line.product_id } : {}),
        ...(line.description.trim() ? { description: line.description.trim() } : {}),
        ...(line.unit_price.trim() ? { unit_price: line.unit_price.trim() } : {}),
        ...(line.vat_rate ? { vat_rate: line.vat_rate } : {}),
      }));
      const saved = await createPurchaseOrder(api, {
        vendor_id: vendorId,
        issue_date: issueDate,
        expected_date: expectedDate || null,
        notes: notes.trim() || null,
        lines: body,
      });
      navigate(`/purchase-orders/${saved.id}`);
    });
  }
  const problem = (path: string) => {
    const e = fieldErrors[path];
    return e ? <span className="field-message field-message-error">{describeFieldError(e, t)}</span> : null;
  };

  return (
    <form className="page page-wide" onSubmit={(e) => void submit(e)} data-testid="purchase-order-form">
      <header className="page-header">
        <h1>{t('po.new')}</h1>
      </header>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <div className="card form">
        <div className="form-grid four">
          <label className="field" data-invalid={fieldErrors.vendor_id ? true : undefined}>
            <span className="field-label">{t('po.col.vendor')}</span>
            <select name="vendor_id" value={vendorId} onChange={(e) => setVendorId(e.target.value)}>
              <option value="">{t('po.chooseVendor')}</option>
              {vendors.data?.vendors.map((v) => (
                <option key={v.id} value={v.id}>
                  {(locale === 'ar' && v.name_ar) || v.name_en}
                </option>
              ))}
            </select>
            {problem('vendor_id')}
          </label>
          <label className="field">
            <span className="field-label">{t('po.issueDate')}</span>
            <input
              type="date"
              name="issue_date"
              value={issueDate}
              onChange={(e) => setIssueDate(e.target.value)}
            />
          </label>
          <label className="field" data-invalid={fieldErrors.expected_date ? true : undefined}>
            <span className="field-label">{t('po.expectedDate')}</span>
            <input
              type="date"
              name="expected_date"
              value={expectedDate}
              onChange={(e) => setExpectedDate(e.target.value)}
            />
            {problem('expected_date')}
          </label>
          <label className="field">
            <span className="field-label">{t('editor.section.notes')}</span>
            <input name="notes" value={notes} onChange={(e) => setNotes(e.target.value)} />
          </label>
        </div>

        <div className="subhead-row">
          <h3 className="card-subtitle">{t('po.lines')}</h3>
          <button
            type="button"
            className="button button-ghost button-small"
            data-testid="add-line"
            onClick={() => setLines((all) => [...all, emptyLine()])}
          >
            + {t('po.addLine')}
          </button>
        </div>
        {lines.map((line, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines are edited in place and have no ids yet.
          <div className="form-grid four po-line" key={index} data-testid="po-line">
            <label className="field">
              <span className="field-label">{t('po.product')}</span>
              <select
                name={`lines.${index}.product_id`}
                value={line.product_id}
                onChange={(e) => setLine(index, { product_id: e.target.value })}
              >
                <option value="">{t('po.freeText')}</option>
                {products.data?.products.map((p) => (
                  <option key={p.id} value={p.id}>
                    {(locale === 'ar' && p.name_ar) || p.name_en}
                  </option>
                ))}
              </select>
            </label>
            <label
              className="field"
              data-invalid={fieldErrors[`lines.${index}.description`] ? true : undefined}
            >
              <span className="field-label">{t('editor.line.description')}</span>
              <input
                name={`lines.${index}.description`}
                dir="auto"
                value={line.description}
                onChange={(e) => setLine(index, { description: e.target.value })}
              />
              {problem(`lines.${index}.description`)}
            </label>
            <label className="field" data-invalid={fieldErrors[`lines.${index}.quantity`] ? true : undefined}>
              <span className="field-label">{t('editor.line.quantity')}</span>
              <input
                name={`lines.${index}.quantity`}
                inputMode="decimal"
                dir="ltr"
                value={line.quantity}
                onChange={(e) => setLine(index, { quantity: e.target.value })}
              />
              {problem(`lines.${index}.quantity`)}
            </label>
            <label
              className="field"
              data-invalid={fieldErrors[`lines.${index}.unit_price`] ? true : undefined}
            >
              <span className="field-label">{t('editor.line.unitPrice')}</span>
              <input
                name={`lines.${index}.unit_price`}
                inputMode="decimal"
                dir="ltr"
                placeholder={line.product_id ? t('po.productPrice') : undefined}
                value={line.unit_price}
                onChange={(e) => setLine(index, { unit_price: e.target.value })}
              />
              {problem(`lines.${index}.unit_price`)}
            </label>
            <label className="field" data-invalid={fieldErrors[`lines.${index}.vat_rate`] ? true : undefined}>
              <span className="field-label">{t('field.vatRate')}</span>
              <select
                name={`lines.${index}.vat_rate`}
                value={line.vat_rate}
                onChange={(e) => setLine(index, { vat_rate: e.target.value })}
              >
                <option value="">{t('po.defaultVat')}</option>
                {rates.data?.rates.map((rate) => (
                  <option key={rate} value={rate}>
                    {rate}%
                  </option>
                ))}
              </select>
              {problem(`lines.${index}.vat_rate`)}
            </label>
            {lines.length > 1 && (
              <div className="inline-actions start">
                <button
                  type="button"
                  className="button button-ghost button-small"
                  onClick={() => setLines((all) => all.filter((_, i) => i !== index))}
                >
                  {t('common.remove')}
                </button>
              </div>
            )}
          </div>
        ))}
        <FormActions
          onCancel={() => navigate('/purchase-orders')}
          saveLabel={t('po.save')}
          isDisabled={isSaving || !vendorId || lines.some((l) => !isQuantity(l.quantity))}
          saveTestId="save-purchase-order"
        />
      </div>
    </form>
  );
}

/** One purchase order: its lines with what was received and billed, its status actions, its goods receipts. */
export function PurchaseOrderDetailPage({ id }: { id: string }) {
  const { t, formatMoney, formatIsoDate, formatDecimal } = useI18n();
  const order = useLoader((signal) => getPurchaseOrder(api, id, { signal }), [id]);
  const receipts = useLoader((signal) => listReceipts(api, id, { signal }), [id]);
  const [notice, setNotice] = useState<string | null>(null);
  const [isReceiving, setIsReceiving] = useState(false);
  const [sendTo, setSendTo] = useState('');
  const { error, isSaving, save } = useSave();
  const po = order.data;
  if (order.error !== undefined) return <Alert tone="error">{describeError(order.error, t)}</Alert>;
  if (!po)
    return (
      <div className="page" aria-busy="true">
        <p className="muted">{t('common.loading')}</p>
      </div>
    );
  const canSend = po.status === 'draft' || po.status === 'sent';
  const canReceive = po.status === 'sent' || po.status === 'partially_received' || po.status === 'draft';
  const canCancel = (po.status === 'draft' || po.status === 'sent') && !receipts.data?.goods_receipts.length;
  const canClose = po.status === 'partially_received' || po.status === 'received';
  const act = (action: 'cancel' | 'close') =>
    void save(async () => {
      await changePurchaseOrder(api, po.id, action);
      setNotice(t(action === 'cancel' ? 'po.cancelled' : 'po.closed'));
      order.reload();
    });

  return (
    <div className="page page-wide" data-testid="purchase-order-detail">
      <header className="page-header page-header-row">
        <div>
          <h1 dir="ltr" data-testid="po-number">
            {po.number}
          </h1>
          <p className="muted">
            <StatusBadge status={po.status} /> <bdi>{po.vendor_name}</bdi> · {formatIsoDate(po.issue_date)}
            {po.expected_date && <> · {t('po.expectedOn', { date: formatIsoDate(po.expected_date) })}</>}
          </p>
        </div>
        <div className="inline-actions">
          <button
            type="button"
            className="button button-ghost"
            data-testid="po-pdf"
            onClick={() =>
              void save(async () => {
                const { blob } = await downloadPurchaseOrderPdf(api, po.id);
                openBlob(blob);
              })
            }
          >
            {t('po.pdf')}
          </button>
          {canClose && (
            <button
              type="button"
              className="button button-ghost"
              data-testid="close-po"
              onClick={() => act('close')}
            >
              {t('po.close')}
            </button>
          )}
          {canCancel && (
            <button
              type="button"
              className="button button-ghost"
              data-testid="cancel-po"
              onClick={() => {
                if (window.confirm(t('po.cancelConfirm', { number: po.number }))) act('cancel');
              }}
            >
              {t('po.cancel')}
            </button>
          )}
          {canReceive && !isReceiving && (
            <button
              type="button"
              className="button button-primary"
              data-testid="receive-goods"
              onClick={() => setIsReceiving(true)}
            >
              {t('po.receive')}
            </button>
          )}
        </div>
      </header>
      {notice && <Alert tone="success">{notice}</Alert>}
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}

      {canSend && (
        <form
          className="card inline-actions start"
          onSubmit={(e) => {
            e.preventDefault();
            void save(async () => {
              const sent = await sendPurchaseOrder(api, po.id, sendTo.trim() ? { to: sendTo.trim() } : {});
              setNotice(t('po.sentTo', { to: sent.to }));
              order.reload();
            });
          }}
        >
          <label className="field">
            <span className="field-label">{t('po.sendTo')}</span>
            <input
              name="to"
              type="email"
              dir="ltr"
              value={sendTo}
              onChange={(e) => setSendTo(e.target.value)}
            />
          </label>
          <button type="submit" className="button button-primary" data-testid="send-po" disabled={isSaving}>
            {po.sent_at ? t('po.resend') : t('po.send')}
          </button>
        </form>
      )}

      {isReceiving && (
        <ReceiveForm
          order={po}
          onCancel={() => setIsReceiving(false)}
          onReceived={(number) => {
            setIsReceiving(false);
            setNotice(t('po.received', { number }));
            order.reload();
            receipts.reload();
          }}
        />
      )}

      <ScrollArea className="card table-card">
        <table className="data-table" data-testid="po-lines">
          <thead>
            <tr>
              <th>{t('editor.line.description')}</th>
              <th className="num">{t('po.col.ordered')}</th>
              <th className="num">{t('po.col.received')}</th>
              <th className="num">{t('po.col.billed')}</th>
              <th className="num">{t('editor.line.unitPrice')}</th>
              <th className="num">{t('po.col.vat')}</th>
              <th className="num">{t('quotes.col.net')}</th>
            </tr>
          </thead>
          <tbody>
            {po.lines.map((line) => (
              <tr key={line.id} data-testid="po-line-row">
                <td dir="auto">{line.description ?? '—'}</td>
                <td className="num">{formatDecimal(line.quantity)}</td>
                <td className="num" data-testid="po-line-received">
                  {formatDecimal(line.received_quantity)}
                </td>
                <td className="num">{formatDecimal(line.billed_quantity)}</td>
                <td className="num">{formatMoney(line.unit_price, po.currency)}</td>
                <td className="num">{formatDecimal(line.vat_rate)}%</td>
                <td className="num">{formatMoney(line.net_amount, po.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl className="totals-list">
          <div>
            <dt>{t('po.subtotal')}</dt>
            <dd>{formatMoney(po.subtotal, po.currency)}</dd>
          </div>
          <div>
            <dt>{t('po.col.vat')}</dt>
            <dd>{formatMoney(po.vat_amount, po.currency)}</dd>
          </div>
          <div>
            <dt>{t('po.col.total')}</dt>
            <dd data-testid="po-total">
              <strong>{formatMoney(po.total_amount, po.currency)}</strong>
            </dd>
          </div>
        </dl>
      </ScrollArea>

      <section className="card">
        <h2 className="card-title">{t('po.receipts')}</h2>
        {receipts.data?.goods_receipts.length === 0 && <p className="muted small">{t('po.noReceipts')}</p>}
        {receipts.data && receipts.data.goods_receipts.length > 0 && (
          <table className="data-table compact" data-testid="receipt-table">
            <thead>
              <tr>
                <th>{t('po.col.number')}</th>
                <th>{t('po.col.date')}</th>
                <th>{t('po.col.items')}</th>
              </tr>
            </thead>
            <tbody>
              {receipts.data.goods_receipts.map((grn) => (
                <tr key={grn.id} data-testid="receipt-row">
                  <td className="mono" dir="ltr">
                    {grn.number}
                  </td>
                  <td>{formatIsoDate(grn.received_date)}</td>
                  <td>
                    {grn.lines.map((l) => (
                      <span key={l.id} className="chip">
                        <bdi>{l.description ?? '—'}</bdi> × <bdi>{formatDecimal(l.quantity)}</bdi>
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

/** The quantities that arrived, per line; the API's OVER_RECEIPT (beyond tolerance) shows on the line's field. */
function ReceiveForm({
  order,
  onCancel,
  onReceived,
}: {
  order: PurchaseOrder;
  onCancel(): void;
  onReceived(number: string): void;
}) {
  const { t, formatDecimal } = useI18n();
  const [date, setDate] = useState(todayIso());
  const [notes, setNotes] = useState('');
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  // The order lines in the order they were sent, so the API's `lines.{i}` paths find their field.
  const [sentIds, setSentIds] = useState<string[]>([]);
  const { error, isSaving, save } = useSave();
  const byLine: Record<string, ReturnType<typeof describeFieldError>> = {};
  if (isApiError(error)) {
    for (const e of error.errors) {
      const m = /^lines\.(\d+)\./.exec(e.path);
      const lineId = m ? sentIds[Number(m[1])] : undefined;
      const line = order.lines.find((l) => l.id === lineId);
      if (!lineId || !line) continue;
      // Beyond what is outstanding (and the company's tolerance): said in the user's language, with the figure.
      const remaining = /At most ([\d.]+)/.exec(e.message)?.[1];
      byLine[lineId] ??=
        e.code === 'OVER_RECEIPT' && remaining
          ? t('po.overReceipt', { remaining: formatDecimal(remaining) })
          : describeFieldError(e, t);
    }
  }
  const entered = order.lines.filter((l) => isQuantity(quantities[l.id] ?? ''));

  function submit(event: FormEvent) {
    event.preventDefault();
    const ids = entered.map((l) => l.id);
    setSentIds(ids);
    return save(async () => {
      const grn = await receiveGoods(api, order.id, {
        received_date: date,
        notes: notes.trim() || null,
        lines: ids.map((id) => ({ purchase_order_line_id: id, quantity: (quantities[id] ?? '').trim() })),
      });
      onReceived(grn.number);
    });
  }

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} data-testid="receive-form">
      <h2 className="card-title">{t('po.receiveTitle', { number: order.number })}</h2>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <div className="form-grid four">
        <label className="field">
          <span className="field-label">{t('po.receivedDate')}</span>
          <input type="date" name="received_date" value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        <label className="field field-wide">
          <span className="field-label">{t('editor.section.notes')}</span>
          <input name="receipt_notes" value={notes} onChange={(e) => setNotes(e.target.value)} />
        </label>
      </div>
      <table className="data-table compact">
        <thead>
          <tr>
            <th>{t('editor.line.description')}</th>
            <th className="num">{t('po.col.ordered')}</th>
            <th className="num">{t('po.col.received')}</th>
            <th className="num">{t('po.col.outstanding')}</th>
            <th className="num">{t('po.col.receiveNow')}</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((line, index) => {
            const zero = Decimal.of(0);
            const outstanding = (parseDecimal(line.quantity) ?? zero).minus(
              parseDecimal(line.received_quantity) ?? zero,
            );
            const problem = byLine[line.id];
            return (
              <tr key={line.id}>
                <td dir="auto">{line.description ?? '—'}</td>
                <td className="num">{formatDecimal(line.quantity)}</td>
                <td className="num">{formatDecimal(line.received_quantity)}</td>
                <td className="num">{outstanding.gt(zero) ? formatDecimal(outstanding.toPlain()) : '—'}</td>
                <td className="num" data-invalid={problem ? true : undefined}>
                  <input
                    className="allocation-input"
                    name={`receive.${index}.quantity`}
                    aria-label={`${t('po.col.receiveNow')} ${line.description ?? line.position}`}
                    inputMode="decimal"
                    dir="ltr"
                    aria-invalid={problem ? true : undefined}
                    value={quantities[line.id] ?? ''}
                    onChange={(e) => setQuantities((q) => ({ ...q, [line.id]: e.target.value }))}
                  />
                  {problem && (
                    <span className="field-message field-message-error" data-testid="receive-error">
                      {problem}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <FormActions
        onCancel={onCancel}
        saveLabel={t('po.saveReceipt')}
        isDisabled={isSaving || entered.length === 0}
        saveTestId="save-receipt"
      />
    </form>
  );
}
