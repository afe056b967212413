import { compareMoney } from '@invoiceflow/totals';
import { type FormEvent, useRef, useState } from 'react';
import { api } from '../../api/browser-client';
import { isApiError } from '../../api/client';
import {
  approveSupplierInvoice,
  createSupplierInvoice,
  disputeSupplierInvoice,
  downloadSupplierOriginal,
  getMatch,
  getPurchaseOrder,
  getSupplierInvoice,
  listPurchaseOrders,
  listSupplierInvoices,
  listVendors,
  type Match,
  type MatchLine,
  type MatchReason,
  type PurchaseOrder,
  rematch,
  type SupplierInvoice,
  uploadSupplierInvoice,
} from '../../api/payables';
import { getCompanyTaxRates } from '../../api/resources';
import { Alert } from '../../components/Alert';
import { FormActions, TableCard, useSave } from '../../components/ListPage';
import { Pagination } from '../../components/Pagination';
import { ScrollArea } from '../../components/ScrollArea';
import { StatusBadge } from '../../components/StatusBadge';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages-en';
import { todayIso } from '../../lib/dates';
import { describeError, describeFieldError } from '../../lib/errors';
import { saveBlob } from '../../lib/files';
import { useLoader } from '../../lib/use-loader';
import { Link, navigate } from '../../router/router';

const PAGE_SIZE = 20;
const isDecimal = (value: string) => /^\d+(\.\d+)?$/.test(value.trim());

/** The match verdict as a badge (full match, variance, partial, not matched). */
export function MatchBadge({ status }: { status: Match['status'] | null }) {
  const { t } = useI18n();
  if (!status) return <span className="muted">—</span>;
  return (
    <span className={`status match-${status}`} data-testid="match-badge" data-status={status}>
      {t(`match.status.${status}` as MessageKey)}
    </span>
  );
}

/** Supplier invoices, newest first, with the upload of a supplier's UBL XML. */
export function SupplierInvoicesPage() {
  const { t, formatMoney, formatIsoDate } = useI18n();
  const [page, setPage] = useState(1);
  const invoices = useLoader(
    (signal) => listSupplierInvoices(api, { page, page_size: PAGE_SIZE }, { signal }),
    [page],
  );
  const fileInput = useRef<HTMLInputElement>(null);
  const { error, isSaving, save } = useSave();

  return (
    <div className="page page-wide">
      <header className="page-header page-header-row">
        <div>
          <h1>{t('si.title')}</h1>
          <p className="muted">{t('si.subtitle')}</p>
        </div>
        <div className="inline-actions">
          <input
            ref={fileInput}
            type="file"
            accept=".xml,application/xml,text/xml"
            className="visually-hidden"
            data-testid="upload-xml-input"
            aria-label={t('si.upload')}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file)
                void save(async () => {
                  const created = await uploadSupplierInvoice(api, file);
                  navigate(`/supplier-invoices/${created.id}`);
                });
            }}
          />
          <button
            type="button"
            className="button button-ghost"
            data-testid="upload-xml"
            disabled={isSaving}
            onClick={() => fileInput.current?.click()}
          >
            {t('si.upload')}
          </button>
          <button
            type="button"
            className="button button-primary"
            data-testid="new-supplier-invoice"
            onClick={() => navigate('/supplier-invoices/new')}
          >
            + {t('si.new')}
          </button>
        </div>
      </header>
      {error !== null && (
        <Alert tone="error">
          <span data-testid="upload-error">{describeError(error, t)}</span>
        </Alert>
      )}
      {invoices.error !== undefined && <Alert tone="error">{describeError(invoices.error, t)}</Alert>}
      <TableCard
        testId="supplier-invoice-table"
        head={
          <>
            <th>{t('si.col.status')}</th>
            <th>{t('si.col.match')}</th>
            <th>{t('si.col.number')}</th>
            <th>{t('si.col.supplier')}</th>
            <th>{t('si.col.date')}</th>
            <th className="num">{t('si.col.total')}</th>
          </>
        }
        isEmpty={invoices.data?.supplier_invoices.length === 0}
        empty={t('si.empty')}
      >
        {invoices.data?.supplier_invoices.map((inv) => (
          <tr key={inv.id} data-testid="supplier-invoice-row">
            <td>
              <StatusBadge status={inv.status} />
            </td>
            <td>
              <MatchBadge status={inv.match_status} />
            </td>
            <td dir="ltr">
              <Link to={`/supplier-invoices/${inv.id}`}>{inv.number}</Link>
            </td>
            <td>
              <bdi>{inv.vendor_name ?? inv.supplier_name ?? '—'}</bdi>
            </td>
            <td>{formatIsoDate(inv.issue_date)}</td>
            <td className="num">{formatMoney(inv.total_amount, inv.currency)}</td>
          </tr>
        ))}
      </TableCard>
      {invoices.data && (
        <Pagination page={page} pageSize={PAGE_SIZE} total={invoices.data.total} onPage={setPage} />
      )}
    </div>
  );
}

interface LineDraft {
  description: string;
  quantity: string;
  unit_price: string;
  vat_rate: string;
  order_line_ref: string;
}
const emptyLine = (): LineDraft => ({
  description: '',
  quantity: '1',
  unit_price: '',
  vat_rate: '',
  order_line_ref: '',
});

/** A supplier invoice typed in from paper: the vendor, its number and dates, the order it bills, its lines. */
export function SupplierInvoiceEditorPage() {
  const { t, locale } = useI18n();
  const [vendorId, setVendorId] = useState('');
  const [number, setNumber] = useState('');
  const [issueDate, setIssueDate] = useState(todayIso());
  const [dueDate, setDueDate] = useState('');
  const [orderId, setOrderId] = useState('');
  const [lines, setLines] = useState<LineDraft[]>([emptyLine()]);
  const vendors = useLoader((signal) => listVendors(api, { page_size: 100 }, { signal }), []);
  const orders = useLoader(
    (signal) =>
      vendorId
        ? listPurchaseOrders(api, { vendor_id: vendorId, page_size: 100 }, { signal })
        : Promise.resolve(null),
    [vendorId],
  );
  const rates = useLoader((signal) => getCompanyTaxRates(api, { signal }), []);
  const { error, isSaving, save } = useSave();
  const fieldErrors = isApiError(error) ? error.fieldErrors() : {};
  const chosenOrder = orders.data?.purchase_orders.find((o) => o.id === orderId);
  const setLine = (index: number, patch: Partial<LineDraft>) =>
    setLines((all) => all.map((line, i) => (i === index ? { ...line, ...patch } : line)));

  /** The order's lines as the invoice's starting point: what was received (else ordered), at the order's price. */
  function copyOrderLines(order: PurchaseOrder) {
    setLines(
      order.lines.map((l) => ({
        description: l.description ?? '',
        quantity: /[1-9]/.test(l.received_quantity) ? l.received_quantity : l.quantity,
        unit_price: l.unit_price,
        vat_rate: l.vat_rate,
        order_line_ref: String(l.position),
      })),
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    return save(async () => {
      const created = await createSupplierInvoice(api, {
        vendor_id: vendorId,
        number: number.trim(),
        issue_date: issueDate,
        due_date: dueDate || null,
        ...(chosenOrder ? { order_references: [chosenOrder.number] } : {}),
        lines: lines.map((l) => ({
          description: l.description.trim(),
          quantity: l.quantity.trim(),
          unit_price: l.unit_price.trim(),
          ...(l.vat_rate ? { vat_rate: l.vat_rate } : {}),
          ...(chosenOrder ? { order_reference: chosenOrder.number } : {}),
          ...(l.order_line_ref.trim() ? { order_line_ref: l.order_line_ref.trim() } : {}),
        })),
      });
      navigate(`/supplier-invoices/${created.id}`);
    });
  }
  const problem = (path: string) => {
    const e = fieldErrors[path];
    return e ? <span className="field-message field-message-error">{describeFieldError(e, t)}</span> : null;
  };
  const lineRates = rates.data?.rates ?? [];

  return (
    <form className="page page-wide" onSubmit={(e) => void submit(e)} data-testid="supplier-invoice-form">
      <header className="page-header">
        <h1>{t('si.new')}</h1>
      </header>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <div className="card form">
        <div className="form-grid four">
          <label className="field" data-invalid={fieldErrors.vendor_id ? true : undefined}>
            <span className="field-label">{t('si.col.supplier')}</span>
            <select
              name="vendor_id"
              value={vendorId}
              onChange={(e) => {
                setVendorId(e.target.value);
                setOrderId('');
              }}
            >
              <option value="">{t('po.chooseVendor')}</option>
              {vendors.data?.vendors.map((v) => (
                <option key={v.id} value={v.id}>
                  {(locale === 'ar' && v.name_ar) || v.name_en}
                </option>
              ))}
            </select>
            {problem('vendor_id')}
          </label>
          <label className="field" data-invalid={fieldErrors.number ? true : undefined}>
            <span className="field-label">{t('si.col.number')}</span>
            <input name="number" dir="ltr" value={number} onChange={(e) => setNumber(e.target.value)} />
            {problem('number')}
          </label>
          <label className="field">
            <span className="field-label">{t('si.issueDate')}</span>
            <input
              type="date"
              name="issue_date"
              value={issueDate}
              onChange={(e) => setIssueDate(e.target.value)}
            />
          </label>
          <label className="field" data-invalid={fieldErrors.due_date ? true : undefined}>
            <span className="field-label">{t('si.dueDate')}</span>
            <input type="date" name="due_date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} />
            {problem('due_date')}
          </label>
          <label className="field">
            <span className="field-label">{t('si.order')}</span>
            <select name="purchase_order" value={orderId} onChange={(e) => setOrderId(e.target.value)}>
              <option value="">{t('si.noOrder')}</option>
              {orders.data?.purchase_orders.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.number}
                </option>
              ))}
            </select>
          </label>
          {chosenOrder && (
            <div className="inline-actions start">
              <button
                type="button"
                className="button button-ghost button-small"
                data-testid="copy-order-lines"
                onClick={() => copyOrderLines(chosenOrder)}
              >
                {t('si.copyLines')}
              </button>
            </div>
          )}
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
          <div className="form-grid four po-line" key={index} data-testid="si-line">
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
                value={line.unit_price}
                onChange={(e) => setLine(index, { unit_price: e.target.value })}
              />
              {problem(`lines.${index}.unit_price`)}
            </label>
            <label className="field">
              <span className="field-label">{t('field.vatRate')}</span>
              <select
                name={`lines.${index}.vat_rate`}
                value={line.vat_rate}
                onChange={(e) => setLine(index, { vat_rate: e.target.value })}
              >
                <option value="">{t('po.defaultVat')}</option>
                {[...new Set([...lineRates, ...(line.vat_rate ? [line.vat_rate] : [])])].map((rate) => (
                  <option key={rate} value={rate}>
                    {rate}%
                  </option>
                ))}
              </select>
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
          onCancel={() => navigate('/supplier-invoices')}
          saveLabel={t('si.save')}
          isDisabled={
            isSaving ||
            !vendorId ||
            !number.trim() ||
            lines.some((l) => !l.description.trim() || !isDecimal(l.quantity) || !isDecimal(l.unit_price))
          }
          saveTestId="save-supplier-invoice"
        />
      </div>
    </form>
  );
}

/** One reason of the match in the user's language, with the line's own figures. */
function useReasonText() {
  const { t, formatDecimal, formatAmount } = useI18n();
  return (reason: MatchReason, currency: string, line?: MatchLine): string => {
    const key = `match.reason.${reason.code}` as MessageKey;
    if (!line) return t(key);
    const amount =
      reason.code === 'PRICE_ABOVE_ORDER' || reason.code === 'PRICE_BELOW_ORDER'
        ? line.price_variance.replace(/^-/, '')
        : line.quantity_variance_amount;
    return t(key, {
      billedPrice: formatDecimal(line.billed_unit_price),
      orderedPrice: formatDecimal(line.ordered_unit_price ?? '0'),
      amount: `${formatAmount(amount, currency)} ${currency}`,
      billed: formatDecimal(line.billed_quantity),
      available: formatDecimal(line.available_quantity ?? '0'),
      excess: formatDecimal(line.quantity_variance),
    });
  };
}

const isNonZero = (value: string | null) => value !== null && /[1-9]/.test(value);

/**
 * One supplier invoice: the match view with the order (PO), what was received (GRN) and what is billed side by
 * side per line, the variances highlighted with their reasons; approve, override with a reason, or dispute.
 */
export function SupplierInvoiceDetailPage({ id, canApprove }: { id: string; canApprove: boolean }) {
  const { t, formatMoney, formatIsoDate, formatDecimal, formatAmount } = useI18n();
  const invoice = useLoader((signal) => getSupplierInvoice(api, id, { signal }), [id]);
  const match = useLoader((signal) => getMatch(api, id, { signal }), [id]);
  // The orders it matched, for what was received on each line (the goods receipts' side).
  const orders = useLoader(
    async (signal) => {
      const list = match.data?.orders ?? [];
      return Promise.all(list.map((o) => getPurchaseOrder(api, o.id, { signal })));
    },
    [match.data],
  );
  const [notice, setNotice] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const { error, isSaving, save } = useSave();
  const reasonText = useReasonText();
  const inv = invoice.data;
  const m = match.data;
  if (invoice.error !== undefined) return <Alert tone="error">{describeError(invoice.error, t)}</Alert>;
  if (!inv || !m)
    return (
      <div className="page" aria-busy="true">
        <p className="muted">{t('common.loading')}</p>
      </div>
    );
  const orderLines = new Map(
    (orders.data ?? []).flatMap((po) => po.lines.map((line) => [line.id, { po, line }] as const)),
  );
  const hasReason = reason.trim().length >= 3;
  const reload = () => {
    invoice.reload();
    match.reload();
  };
  const approve = (withReason: boolean) =>
    void save(async () => {
      await approveSupplierInvoice(api, inv.id, withReason ? reason.trim() : undefined);
      setReason('');
      setNotice(t(withReason ? 'si.overridden' : 'si.approved'));
      reload();
    });
  const reasonError = isApiError(error)
    ? (error.fieldErrors().reason ?? error.fieldErrors().override_reason)
    : undefined;
  const cur = m.currency;

  return (
    <div className="page page-wide" data-testid="supplier-invoice-detail">
      <header className="page-header page-header-row">
        <div>
          <h1 dir="ltr" data-testid="si-number">
            {inv.number}
          </h1>
          <p className="muted">
            <StatusBadge status={inv.status} /> <MatchBadge status={m.status} />{' '}
            <bdi>{inv.vendor_name ?? inv.supplier_name ?? '—'}</bdi>
            {inv.supplier_trn && (
              <>
                {' '}
                · <bdi className="mono">{inv.supplier_trn}</bdi>
              </>
            )}{' '}
            · {formatIsoDate(inv.issue_date)}
            {inv.due_date && <> · {t('si.dueOn', { date: formatIsoDate(inv.due_date) })}</>}
          </p>
        </div>
        <div className="inline-actions">
          {inv.original && (
            <button
              type="button"
              className="button button-ghost"
              data-testid="download-original"
              onClick={() =>
                void save(async () => {
                  const { blob, filename } = await downloadSupplierOriginal(api, inv.id);
                  saveBlob(blob, filename ?? inv.original?.file_name ?? 'invoice.xml');
                })
              }
            >
              {t('si.original')}
            </button>
          )}
          {inv.status !== 'approved' && (
            <button
              type="button"
              className="button button-ghost"
              data-testid="rematch"
              disabled={isSaving}
              onClick={() =>
                void save(async () => {
                  await rematch(api, inv.id);
                  setNotice(t('si.rematched'));
                  reload();
                })
              }
            >
              {t('si.rematch')}
            </button>
          )}
        </div>
      </header>
      {notice && <Alert tone="success">{notice}</Alert>}
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}

      <section className="stats" aria-label={t('si.summary')}>
        <div className="stat">
          <span className="stat-label">{t('si.billedNet')}</span>
          <span className="stat-value">{formatMoney(m.net_total, cur)}</span>
        </div>
        <div className="stat">
          <span className="stat-label">{t('si.expectedNet')}</span>
          <span className="stat-value">{formatMoney(m.expected_total, cur)}</span>
        </div>
        <div className={`stat${compareMoney(m.variance, '0') !== 0 ? ' stat-danger' : ''}`}>
          <span className="stat-label">{t('si.variance')}</span>
          <span className="stat-value" data-testid="match-variance">
            {formatMoney(m.variance, cur)}
          </span>
          {m.variance_percent !== null && (
            <span className="muted small">
              <bdi>{formatDecimal(m.variance_percent)}%</bdi>
            </span>
          )}
        </div>
        <div className="stat">
          <span className="stat-label">{t('si.total')}</span>
          <span className="stat-value">{formatMoney(inv.total_amount, inv.currency)}</span>
          <span className="muted small">
            {t('si.vatIncluded', { vat: formatMoney(inv.vat_amount, inv.currency) })}
          </span>
        </div>
      </section>

      {m.reasons.length > 0 && (
        <ul className="reason-list" data-testid="match-reasons">
          {m.reasons.map((r) => (
            <li key={`${r.code}-${r.message}`} className={r.exception ? 'reason-exception' : undefined}>
              {reasonText(r, cur)}
            </li>
          ))}
        </ul>
      )}

      <ScrollArea className="card table-card">
        <table className="data-table match-table" data-testid="match-table">
          <thead>
            <tr>
              <th rowSpan={2}>{t('editor.line.description')}</th>
              <th colSpan={2} className="group">
                {t('si.side.po')}
              </th>
              <th colSpan={1} className="group">
                {t('si.side.grn')}
              </th>
              <th colSpan={3} className="group">
                {t('si.side.invoice')}
              </th>
              <th colSpan={2} className="group">
                {t('si.side.variance')}
              </th>
            </tr>
            <tr>
              <th className="num">{t('si.col.qty')}</th>
              <th className="num">{t('si.col.price')}</th>
              <th className="num">{t('si.col.received')}</th>
              <th className="num">{t('si.col.qty')}</th>
              <th className="num">{t('si.col.price')}</th>
              <th className="num">{t('si.col.amount')}</th>
              <th className="num">{t('si.col.priceVariance')}</th>
              <th className="num">{t('si.col.qtyVariance')}</th>
            </tr>
          </thead>
          <tbody>
            {m.lines.map((line) => {
              const invLine = inv.lines[line.index];
              const ordered = line.purchase_order_line_id
                ? orderLines.get(line.purchase_order_line_id)
                : undefined;
              const priceOff = isNonZero(line.price_variance) && line.purchase_order_line_id !== null;
              const qtyOff = isNonZero(line.quantity_variance);
              const exception = line.reasons.some((r) => r.exception);
              return [
                <tr
                  key={`l-${line.index}`}
                  data-testid="match-line"
                  className={exception ? 'match-exception' : undefined}
                >
                  <td>
                    <bdi>{invLine?.description ?? '—'}</bdi>
                    {line.po_number && (
                      <div className="muted small" dir="ltr">
                        {line.po_number}
                        {line.order_line_position !== null && ` · #${line.order_line_position}`}
                      </div>
                    )}
                  </td>
                  <td className="num">
                    {line.ordered_quantity ? formatDecimal(line.ordered_quantity) : '—'}
                  </td>
                  <td className={`num${priceOff ? ' variance-cell' : ''}`}>
                    {line.ordered_unit_price ? formatAmount(line.ordered_unit_price, cur) : '—'}
                  </td>
                  <td className={`num${qtyOff ? ' variance-cell' : ''}`} data-testid="match-received">
                    {ordered ? formatDecimal(ordered.line.received_quantity) : '—'}
                    {line.available_quantity !== null &&
                      ordered &&
                      line.available_quantity !== ordered.line.received_quantity && (
                        <div className="muted small">
                          {t('si.unbilled', { quantity: formatDecimal(line.available_quantity) })}
                        </div>
                      )}
                  </td>
                  <td className={`num${qtyOff ? ' variance-cell' : ''}`}>
                    {formatDecimal(line.billed_quantity)}
                  </td>
                  <td className={`num${priceOff ? ' variance-cell' : ''}`} data-testid="match-billed-price">
                    {formatAmount(line.billed_unit_price, cur)}
                  </td>
                  <td className="num">{formatAmount(line.amount, cur)}</td>
                  <td className={`num${priceOff ? ' variance-cell' : ''}`} data-testid="match-price-variance">
                    {priceOff ? formatAmount(line.price_variance, cur) : '—'}
                    {priceOff && line.price_variance_percent !== null && (
                      <div className="small">
                        <bdi>{formatDecimal(line.price_variance_percent)}%</bdi>
                      </div>
                    )}
                  </td>
                  <td className={`num${qtyOff ? ' variance-cell' : ''}`} data-testid="match-qty-variance">
                    {qtyOff ? formatDecimal(line.quantity_variance) : '—'}
                    {qtyOff && (
                      <div className="small">{formatAmount(line.quantity_variance_amount, cur)}</div>
                    )}
                  </td>
                </tr>,
                line.reasons.length > 0 && (
                  <tr key={`r-${line.index}`} className="reason-row" data-testid="match-line-reasons">
                    <td colSpan={9}>
                      <ul className="reason-list">
                        {line.reasons.map((r) => (
                          <li
                            key={r.code}
                            className={r.exception ? 'reason-exception' : undefined}
                            data-code={r.code}
                          >
                            {r.exception ? `⚠ ${t('si.exception')}: ` : ''}
                            {reasonText(r, cur, line)}
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ),
              ];
            })}
          </tbody>
        </table>
      </ScrollArea>

      <Decision
        invoice={inv}
        match={m}
        canApprove={canApprove}
        reason={reason}
        onReason={setReason}
        reasonError={reasonError ? describeFieldError(reasonError, t) : undefined}
        isBusy={isSaving}
        onApprove={() => approve(false)}
        onOverride={() => approve(true)}
        onDispute={() =>
          void save(async () => {
            await disputeSupplierInvoice(api, inv.id, reason.trim());
            setReason('');
            setNotice(t('si.disputedNotice'));
            reload();
          })
        }
        hasReason={hasReason}
      />
    </div>
  );
}

function Decision({
  invoice,
  match,
  canApprove,
  reason,
  onReason,
  reasonError,
  isBusy,
  hasReason,
  onApprove,
  onOverride,
  onDispute,
}: {
  invoice: SupplierInvoice;
  match: Match;
  canApprove: boolean;
  reason: string;
  onReason(value: string): void;
  reasonError: string | undefined;
  isBusy: boolean;
  hasReason: boolean;
  onApprove(): void;
  onOverride(): void;
  onDispute(): void;
}) {
  const { t, formatIsoDate } = useI18n();
  if (invoice.status === 'approved') {
    return (
      <section className="card" data-testid="decision">
        <p>
          {t('si.approvedOn', { date: formatIsoDate((invoice.approved_at ?? '').slice(0, 10)) })}{' '}
          <Link to="/bills">{t('si.seeBills')}</Link>
        </p>
        {invoice.override_reason && (
          <p data-testid="override-reason">
            {t('si.overrideReason')}: <q dir="auto">{invoice.override_reason}</q>
          </p>
        )}
      </section>
    );
  }
  return (
    <section className="card form" data-testid="decision">
      <h2 className="card-title">{t('si.decision')}</h2>
      {invoice.status === 'disputed' && invoice.dispute_reason && (
        <p data-testid="dispute-reason">
          {t('si.disputedBecause')}: <q dir="auto">{invoice.dispute_reason}</q>
        </p>
      )}
      {!canApprove ? (
        <p className="muted small">{t('si.cannotApprove')}</p>
      ) : (
        <>
          <p className="muted small">{match.approvable ? t('si.approvableHint') : t('si.exceptionsHint')}</p>
          <label className="field field-wide" data-invalid={reasonError ? true : undefined}>
            <span className="field-label">{t('si.reason')}</span>
            <textarea
              name="reason"
              dir="auto"
              rows={2}
              value={reason}
              onChange={(e) => onReason(e.target.value)}
            />
            {reasonError && <span className="field-message field-message-error">{reasonError}</span>}
          </label>
          <div className="inline-actions start">
            {match.approvable ? (
              <button
                type="button"
                className="button button-primary"
                data-testid="approve"
                disabled={isBusy}
                onClick={onApprove}
              >
                {t('si.approve')}
              </button>
            ) : (
              <button
                type="button"
                className="button button-primary"
                data-testid="override"
                disabled={isBusy || !hasReason}
                onClick={onOverride}
              >
                {t('si.override')}
              </button>
            )}
            {invoice.status !== 'disputed' && (
              <button
                type="button"
                className="button button-ghost"
                data-testid="dispute"
                disabled={isBusy || !hasReason}
                onClick={onDispute}
              >
                {t('si.dispute')}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
