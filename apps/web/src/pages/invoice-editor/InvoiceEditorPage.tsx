import {
  BUYER_ID_SCHEMES,
  issuesZatcaXml,
  type JurisdictionProfile,
  profileFor,
} from '@invoiceflow/jurisdictions';
import { computeTotals, type TotalsIssue } from '@invoiceflow/totals';
import { type Dispatch, memo, useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { api } from '../../api/browser-client';
import { ApiError, isApiError } from '../../api/client';
import type { Company, Draft, Invoice, Product, RuleWarning } from '../../api/domain-types';
import {
  deleteDraft,
  getCompanyTaxRates,
  getCurrentCompany,
  getCustomer,
  getInvoice,
  getLatestDraft,
  issueDraftInvoice,
  issueInvoice,
  listProducts,
  previewInvoice,
  replaceDraftInvoice,
} from '../../api/resources';
import type { FieldError } from '../../api/types';
import { Alert } from '../../components/Alert';
import { InvoicePaper, type PaperLine } from '../../components/InvoicePaper';
import { ScrollArea } from '../../components/ScrollArea';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages-en';
import { randomKey, todayIso } from '../../lib/dates';
import { describeError } from '../../lib/errors';
import { navigate, useSearchParam } from '../../router/router';
import { CustomerPicker, toEditorCustomer } from './CustomerPicker';
import { EInvoiceSection, TransactionFlagBoxes } from './EInvoiceSection';
import {
  CATEGORIES_BY_JURISDICTION,
  type EditorAction,
  type EditorAdjustment,
  type EditorState,
  editorReducer,
  emptyState,
  fromDraftData,
  groupIssues,
  lineFromProduct,
  sameIssues,
  TAX_RATES_LIST,
  toDocumentInput,
  toIssueBody,
  toPreviewBody,
} from './editor-state';
import { FieldIssue, LineRow } from './LineRow';
import { PeppolReceiverNotice } from './PeppolReceiverNotice';
import { type SaveStatus, useDraftAutosave } from './use-draft-autosave';

const isPristine = (line: EditorState['lines'][number]) =>
  !line.description && !line.unit_price && line.quantity === '1' && !line.discount_percent;

/**
 * Loads the company and the latest draft, then hands over to the editor proper. With `?invoice=<id>` it opens
 * that draft invoice instead (one made from unbilled hours): edited there, issued as that same record, so the
 * hours stay linked to the invoice they became.
 */
export function InvoiceEditorPage() {
  const { t } = useI18n();
  const draftInvoiceId = useSearchParam('invoice');
  const [boot, setBoot] = useState<{
    company: Company;
    rates: readonly string[];
    draft: Draft | null;
    customer: EditorState['customer'];
  } | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    (async () => {
      const [company, taxRates, draft] = await Promise.all([
        getCurrentCompany(api, { signal }),
        getCompanyTaxRates(api, { signal }),
        draftInvoiceId
          ? getInvoice(api, draftInvoiceId, { signal }).then(asDraft)
          : getLatestDraft(api, { signal }),
      ]);
      const customerId =
        typeof draft?.draft_data.customer_id === 'string' ? draft.draft_data.customer_id : null;
      const customer = customerId
        ? await getCustomer(api, customerId, { signal }).then(toEditorCustomer, () => null)
        : null;
      if (!signal.aborted) setBoot({ company, rates: taxRates.rates, draft, customer });
    })().catch((e: unknown) => {
      if (!signal.aborted) setError(e);
    });
    return () => controller.abort();
  }, [draftInvoiceId]);

  if (error) return <Alert tone="error">{describeError(error, t)}</Alert>;
  if (!boot)
    return (
      <div className="page" aria-busy="true">
        <p className="muted">{t('editor.loading')}</p>
      </div>
    );
  return (
    <InvoiceEditor
      key={draftInvoiceId ?? 'new'}
      company={boot.company}
      rates={boot.rates}
      draft={boot.draft}
      customer={boot.customer}
      draftInvoiceId={draftInvoiceId}
    />
  );
}

/** A draft invoice's saved request, shaped as an editor draft; an issued invoice cannot be edited. */
function asDraft(invoice: Invoice): Draft {
  if (invoice.status !== 'draft' || !invoice.draft_body) throw new ApiError(409, { code: 'INVOICE_ISSUED' });
  const body = invoice.draft_body;
  // The API takes `line_items` as another name for `lines` (hours become `line_items`); the editor reads `lines`.
  const draftData =
    !body.lines && Array.isArray(body.line_items) ? { ...body, lines: body.line_items } : body;
  return {
    id: invoice.id,
    draft_data: draftData,
    name: null,
    is_auto_saved: false,
    version: 0,
    created_at: invoice.created_at,
    updated_at: invoice.created_at,
  };
}

function initialState(
  company: Company,
  rates: readonly string[],
  draft: Draft | null,
  customer: EditorState['customer'],
): EditorState {
  const profile = profileFor(company.country);
  const base = { jurisdiction: profile.rules, currency: company.currency || profile.currency || '' };
  if (!draft) {
    const state = emptyState(base.jurisdiction, base.currency, todayIso());
    // A company with its own rates starts its first line at the highest of them (its standard rate).
    const [first] = state.lines;
    if (first && !first.vat_rate && rates[0]) return { ...state, lines: [{ ...first, vat_rate: rates[0] }] };
    return state;
  }
  const { state } = fromDraftData(draft.draft_data, base);
  return { ...state, customer, invoice_date: state.invoice_date || todayIso() };
}

function InvoiceEditor({
  company,
  rates,
  draft,
  customer,
  draftInvoiceId,
}: {
  company: Company;
  rates: readonly string[];
  draft: Draft | null;
  customer: EditorState['customer'];
  draftInvoiceId: string | null;
}) {
  const { t, locale } = useI18n();
  const [state, dispatch] = useReducer(editorReducer, null, () =>
    initialState(company, rates, draft, customer),
  );
  const [hasTriedIssue, setHasTriedIssue] = useState(draft !== null);
  const [isIssuing, setIsIssuing] = useState(false);
  const [issueError, setIssueError] = useState<unknown>(null);
  // The state the server refused: the header says what is wrong until the user changes something.
  const [refusedState, setRefusedState] = useState<EditorState | null>(null);
  const issueErrorsRef = useRef<HTMLDivElement>(null);
  const issuingRef = useRef(false);
  const idempotencyRef = useRef<{ body: string; key: string } | null>(null);

  // The engine runs here, in the browser, on every change: the same code the server issues with.
  const { lines, adjustments, currency, jurisdiction } = state;
  const result = useMemo(
    () => computeTotals(toDocumentInput({ lines, adjustments, currency, jurisdiction })),
    [lines, adjustments, currency, jurisdiction],
  );
  const grouped = useMemo(() => groupIssues(result.errors), [result.errors]);
  // What ZATCA only warns about is judged by the server (buyer and document rules too): asked while typing.
  const isZatca = issuesZatcaXml(company.country);
  const profile = useMemo(() => profileFor(company.country), [company.country]);
  const hasEInvoiceFields =
    !isZatca && (profile.transactionFlags.length > 0 || profile.invoiceFields.length > 0);
  const previewBody = useMemo(() => JSON.stringify(toPreviewBody(state)), [state]);
  const warnings = usePreviewWarnings(previewBody, isZatca);

  // A draft invoice is kept as itself (saved when issued), not as one of the editor's auto-saves.
  const [isAutosaveOn, setIsAutosaveOn] = useState(draftInvoiceId === null);
  const autosave = useDraftAutosave({ state, toBody: toIssueBody, enabled: isAutosaveOn });

  // biome-ignore lint/correctness/useExhaustiveDependencies: adopt once, with what the page opened with.
  useEffect(() => {
    autosave.adopt(draftInvoiceId ? null : draft, state);
  }, []);

  const reloadTheirs = useCallback(
    async (theirs: Draft) => {
      const customerId =
        typeof theirs.draft_data.customer_id === 'string' ? theirs.draft_data.customer_id : null;
      const theirCustomer = customerId
        ? await getCustomer(api, customerId).then(toEditorCustomer, () => null)
        : null;
      const next = initialState(company, rates, theirs, theirCustomer);
      autosave.adopt(theirs, next);
      dispatch({ type: 'load', state: next });
    },
    [autosave.adopt, company, rates],
  );

  async function issue() {
    if (issuingRef.current) return; // a double click sends one request
    setHasTriedIssue(true);
    if (result.errors.length > 0) return;
    issuingRef.current = true;
    setIsIssuing(true);
    setIssueError(null);
    const issueBody = toIssueBody(state);
    const json = JSON.stringify(issueBody);
    // Same body, same key: a retry after a lost answer returns the first invoice instead of a second one.
    if (idempotencyRef.current?.body !== json) idempotencyRef.current = { body: json, key: randomKey() };
    try {
      const invoice = draftInvoiceId
        ? await replaceDraftInvoice(api, draftInvoiceId, issueBody).then(() =>
            issueDraftInvoice(api, draftInvoiceId, idempotencyRef.current?.key ?? randomKey()),
          )
        : await issueInvoice(api, issueBody, idempotencyRef.current.key);
      setIsAutosaveOn(false);
      const draftId = autosave.draftId();
      if (draftId) await deleteDraft(api, draftId).catch(() => undefined);
      navigate(`/invoices/${invoice.id}?issued=1`);
    } catch (e) {
      setIssueError(e);
      setRefusedState(state);
      issuingRef.current = false;
      setIsIssuing(false);
    }
  }

  const sellerName = (locale === 'ar' && company.legal_name_ar) || company.legal_name_en;
  const sellerAlt = locale === 'ar' ? company.legal_name_en : company.legal_name_ar;
  const paperLines = useMemo(
    () =>
      result.lines.map(
        (line, i): PaperLine => ({
          key: state.lines[i]?.key ?? String(i),
          description: state.lines[i]?.description ?? '',
          quantity: line.quantity,
          unit_code: line.unit_code,
          unit_price: line.unit_price,
          allowance_total: line.allowance_total,
          net_amount: line.net_amount,
          vat_category: line.vat_category,
          vat_rate: line.vat_rate,
          vat_amount: line.vat_amount,
          amount_with_vat: line.amount_with_vat,
        }),
      ),
    [result.lines, state.lines],
  );
  const errorCount = result.errors.length;
  const canRemoveLines = state.lines.length > 1;
  const refusal = refusedState === state ? refusalOf(issueError) : [];

  // A refused issue: its first error is brought into view (the field it names when the form has one, else the
  // list of errors at the top), so the answer never lands out of sight.
  useEffect(() => {
    if (issueError === null) return;
    const first = isApiError(issueError) ? issueError.errors[0] : undefined;
    const target =
      (first && document.querySelector<HTMLElement>(`[name="${CSS.escape(first.path)}"]`)) ||
      issueErrorsRef.current;
    target?.scrollIntoView({ block: 'center' });
    if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement) target.focus();
  }, [issueError]);

  return (
    <div className="page page-wide editor" data-testid="invoice-editor">
      <header className="editor-bar">
        <div>
          <h1>{t('editor.title')}</h1>
          <p className="muted small">{t('editor.subtitle')}</p>
        </div>
        <div className="editor-bar-end">
          <SaveIndicator status={autosave.status} />
          <span
            className={`issue-readiness ${errorCount > 0 || refusal.length > 0 ? 'is-blocked' : 'is-ready'}`}
            data-testid="issue-readiness"
          >
            {errorCount > 0
              ? t('editor.blocked', { count: errorCount })
              : refusal.length > 1
                ? t('editor.refusedMore', { problem: refusal[0] ?? '', count: refusal.length - 1 })
                : refusal.length === 1
                  ? t('editor.refused', { problem: refusal[0] ?? '' })
                  : t('editor.ready')}
          </span>
          <button
            type="button"
            className="button button-primary"
            data-testid="issue-invoice"
            disabled={isIssuing || autosave.status.kind === 'conflict'}
            onClick={() => void issue()}
          >
            {isIssuing ? t('editor.issuing') : t('editor.issue')}
          </button>
        </div>
      </header>

      {autosave.status.kind === 'conflict' && (
        <ConflictBanner
          onReload={() => {
            if (autosave.status.kind === 'conflict') void reloadTheirs(autosave.status.theirs);
          }}
          onOverwrite={autosave.overwrite}
        />
      )}
      {issueError !== null && (
        <div ref={issueErrorsRef} data-testid="issue-refusal">
          <IssueErrors error={issueError} />
        </div>
      )}
      {warnings.length > 0 && <PreviewWarnings warnings={warnings} />}

      <div className="editor-split">
        <form className="editor-form card" onSubmit={(e) => e.preventDefault()} noValidate>
          <section className="editor-section">
            <h2 className="section-title">{t('editor.section.customer')}</h2>
            <CustomerPicker customer={state.customer} country={company.country} dispatch={dispatch} />
            {state.customer?.peppol_endpoint && (
              <PeppolReceiverNotice endpoint={state.customer.peppol_endpoint} />
            )}
          </section>

          {isZatca && (
            <ZatcaSection
              scheme={state.buyer_id_scheme}
              number={state.buyer_id_number}
              flags={state.transaction_flags}
              offered={profile.transactionFlags}
              dispatch={dispatch}
            />
          )}
          {hasEInvoiceFields && (
            <EInvoiceSection
              profile={profile}
              flags={state.transaction_flags}
              fields={state.einvoice}
              dispatch={dispatch}
            />
          )}

          <DatesSection invoiceDate={state.invoice_date} dueDate={state.due_date} dispatch={dispatch} />

          <section className="editor-section">
            <h2 className="section-title">{t('editor.section.lines')}</h2>
            {grouped.document.length > 0 && hasTriedIssue && (
              <div className="line-issues">
                <FieldIssue issues={grouped.document} />
              </div>
            )}
            {/* The company's rates (its own list, or its country's), offered in every line's rate field. */}
            <datalist id={TAX_RATES_LIST}>
              {rates.map((rate) => (
                <option key={rate} value={rate} />
              ))}
            </datalist>
            <ol className="line-list">
              {state.lines.map((line, index) => (
                <LineRow
                  key={line.key}
                  line={line}
                  index={index}
                  issues={grouped.byLine.get(index)}
                  showIssues={hasTriedIssue || !isPristine(line)}
                  net={result.lines[index]?.net_amount ?? '0'}
                  currency={state.currency}
                  jurisdiction={state.jurisdiction}
                  classifiesItems={profile.classifiesItems}
                  canRemove={canRemoveLines}
                  dispatch={dispatch}
                />
              ))}
            </ol>
            <LineActions jurisdiction={state.jurisdiction} dispatch={dispatch} />
          </section>

          <section className="editor-section">
            <h2 className="section-title">{t('editor.section.adjustments')}</h2>
            {state.adjustments.length > 0 && (
              <ul className="adjustment-list">
                {state.adjustments.map((a, index) => (
                  <AdjustmentRow
                    key={a.key}
                    adjustment={a}
                    index={index}
                    issues={grouped.byAdjustment.get(index)}
                    jurisdiction={state.jurisdiction}
                    dispatch={dispatch}
                  />
                ))}
              </ul>
            )}
            <div className="inline-actions start">
              <button
                type="button"
                className="button button-ghost button-small"
                onClick={() => dispatch({ type: 'addAdjustment', is_charge: false })}
                data-testid="add-discount"
              >
                + {t('editor.addDiscount')}
              </button>
              <button
                type="button"
                className="button button-ghost button-small"
                onClick={() => dispatch({ type: 'addAdjustment', is_charge: true })}
              >
                + {t('editor.addCharge')}
              </button>
            </div>
          </section>

          <NotesSection notes={state.notes} dispatch={dispatch} />
        </form>

        <ScrollArea as="aside" className="editor-preview" aria-label={t('editor.preview')}>
          <InvoicePaper
            kind="invoice"
            subtype={state.customer?.vat_number ? 'standard' : 'simplified'}
            number={null}
            issueDate={state.invoice_date}
            dueDate={state.due_date || null}
            currency={result.totals.currency || state.currency}
            seller={{
              name: sellerName,
              nameAlt: sellerAlt,
              vatNumber: company.vat_number,
              registrationNumber: company.registration_number,
              address: company.address,
            }}
            buyer={
              state.customer
                ? {
                    name: (locale === 'ar' && state.customer.name_ar) || state.customer.name_en,
                    nameAlt: locale === 'ar' ? null : state.customer.name_ar,
                    vatNumber: state.customer.vat_number,
                    address: state.customer.address,
                  }
                : null
            }
            lines={paperLines}
            adjustments={result.allowances_charges}
            vatBreakdown={result.vat_breakdown}
            totals={result.totals}
            notes={state.notes}
            isDraft
          />
        </ScrollArea>
      </div>
    </div>
  );
}

/** The preview's warnings of the invoice as typed, a moment after the last change (one request at a time). */
function usePreviewWarnings(body: string, isEnabled: boolean): RuleWarning[] {
  const [warnings, setWarnings] = useState<RuleWarning[]>([]);
  useEffect(() => {
    if (!isEnabled) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      previewInvoice(api, JSON.parse(body) as Record<string, unknown>, { signal: controller.signal }).then(
        (answer) => setWarnings(answer.warnings),
        () => undefined,
      );
    }, 400);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [body, isEnabled]);
  return warnings;
}

function PreviewWarnings({ warnings }: { warnings: readonly RuleWarning[] }) {
  const { t, locale } = useI18n();
  return (
    <Alert tone="info">
      {t('editor.warnings')}
      <ul data-testid="preview-warnings">
        {warnings.map((warning) => (
          <li key={`${warning.path} ${warning.code}`} data-code={warning.code} data-path={warning.path}>
            {(locale === 'ar' && warning.message_ar) || warning.message} <code>{warning.code}</code>
          </li>
        ))}
      </ul>
    </Alert>
  );
}

/** The buyer's id (BT-46 with its scheme) and the KSA-2 transaction flags, for a company issuing ZATCA invoices. */
const ZatcaSection = memo(function ZatcaSection({
  scheme,
  number,
  flags,
  offered,
  dispatch,
}: {
  scheme: string;
  number: string;
  flags: EditorState['transaction_flags'];
  offered: JurisdictionProfile['transactionFlags'];
  dispatch: Dispatch<EditorAction>;
}) {
  const { t } = useI18n();
  return (
    <section className="editor-section" data-testid="zatca-section">
      <h2 className="section-title">{t('editor.section.zatca')}</h2>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">{t('editor.buyerId.scheme')}</span>
          <select
            name="customer_id_scheme"
            value={scheme}
            onChange={(e) => dispatch({ type: 'setField', field: 'buyer_id_scheme', value: e.target.value })}
          >
            <option value="">{t('editor.buyerId.none')}</option>
            {BUYER_ID_SCHEMES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('editor.buyerId.number')}</span>
          <input
            name="customer_id_number"
            dir="ltr"
            value={number}
            onChange={(e) => dispatch({ type: 'setField', field: 'buyer_id_number', value: e.target.value })}
          />
        </label>
      </div>
      <p className="muted small">{t('editor.buyerId.hint')}</p>
      <TransactionFlagBoxes flags={flags} offered={offered} dispatch={dispatch} />
    </section>
  );
});

function SaveIndicator({ status }: { status: SaveStatus }) {
  const { t, formatTime } = useI18n();
  const text =
    status.kind === 'saving'
      ? t('save.saving')
      : status.kind === 'saved'
        ? t('save.saved', { time: formatTime(status.at) })
        : status.kind === 'dirty'
          ? t('save.unsaved')
          : status.kind === 'conflict'
            ? t('save.conflict')
            : status.kind === 'error'
              ? t('save.error')
              : '';
  return (
    <span
      className={`save-status save-${status.kind}`}
      data-testid="save-status"
      data-state={status.kind}
      aria-live="polite"
    >
      {text}
    </span>
  );
}

function ConflictBanner({ onReload, onOverwrite }: { onReload(): void; onOverwrite(): void }) {
  const { t } = useI18n();
  return (
    <div className="alert alert-error conflict" role="alert" data-testid="draft-conflict">
      <div>
        <strong>{t('conflict.title')}</strong>
        <p>{t('conflict.body')}</p>
      </div>
      <div className="inline-actions">
        <button
          type="button"
          className="button button-ghost"
          onClick={onReload}
          data-testid="conflict-reload"
        >
          {t('conflict.reload')}
        </button>
        <button
          type="button"
          className="button button-primary"
          onClick={onOverwrite}
          data-testid="conflict-overwrite"
        >
          {t('conflict.overwrite')}
        </button>
      </div>
    </div>
  );
}

/** What the server said is wrong, one message per error (the message names the field to fix). */
function refusalOf(error: unknown): string[] {
  if (error === null) return [];
  if (!isApiError(error)) return [error instanceof Error ? error.message : String(error)];
  return error.errors.length > 0 ? error.errors.map((e) => e.message) : [error.message];
}

function IssueErrors({ error }: { error: unknown }) {
  const { t } = useI18n();
  const fieldErrors: readonly FieldError[] = isApiError(error) ? error.errors : [];
  return (
    <Alert tone="error">
      <strong>{t('editor.issueFailed')}</strong> {describeError(error, t)}
      {fieldErrors.length > 0 && (
        <ul data-testid="issue-errors">
          {fieldErrors.map((e) => (
            <li key={`${e.path}-${e.code}`}>
              <code>{e.path}</code> {e.message} <code>{e.code}</code>
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

const DatesSection = memo(function DatesSection({
  invoiceDate,
  dueDate,
  dispatch,
}: {
  invoiceDate: string;
  dueDate: string;
  dispatch: Dispatch<EditorAction>;
}) {
  const { t } = useI18n();
  return (
    <section className="editor-section">
      <h2 className="section-title">{t('editor.section.details')}</h2>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">{t('editor.invoiceDate')}</span>
          <input
            type="date"
            name="invoice_date"
            value={invoiceDate}
            onChange={(e) => dispatch({ type: 'setField', field: 'invoice_date', value: e.target.value })}
          />
        </label>
        <label className="field">
          <span className="field-label">
            {t('editor.dueDate')} <span className="field-optional">({t('field.optional')})</span>
          </span>
          <input
            type="date"
            name="due_date"
            value={dueDate}
            min={invoiceDate || undefined}
            onChange={(e) => dispatch({ type: 'setField', field: 'due_date', value: e.target.value })}
          />
        </label>
      </div>
    </section>
  );
});

const NotesSection = memo(function NotesSection({
  notes,
  dispatch,
}: {
  notes: string;
  dispatch: Dispatch<EditorAction>;
}) {
  const { t } = useI18n();
  return (
    <section className="editor-section">
      <h2 className="section-title">
        <label htmlFor="invoice-notes">{t('editor.section.notes')}</label>
      </h2>
      <textarea
        id="invoice-notes"
        name="notes"
        rows={3}
        maxLength={2000}
        placeholder={t('editor.notes.placeholder')}
        value={notes}
        onChange={(e) => dispatch({ type: 'setField', field: 'notes', value: e.target.value })}
      />
    </section>
  );
});

/** "Add line" and the catalogue picker; loads the products once. */
const LineActions = memo(function LineActions({
  jurisdiction,
  dispatch,
}: {
  jurisdiction: EditorState['jurisdiction'];
  dispatch: Dispatch<EditorAction>;
}) {
  const { t, locale, formatDecimal } = useI18n();
  const [products, setProducts] = useState<Product[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    listProducts(api, { page_size: 100 }, { signal: controller.signal }).then(
      (page) => setProducts(page.products),
      () => undefined,
    );
    return () => controller.abort();
  }, []);
  return (
    <div className="inline-actions start">
      <button
        type="button"
        className="button button-ghost button-small"
        data-testid="add-line"
        onClick={() => dispatch({ type: 'addLine' })}
      >
        + {t('editor.addLine')}
      </button>
      {products.length > 0 && (
        <select
          className="product-picker"
          aria-label={t('editor.addProduct')}
          data-testid="add-product"
          value=""
          onChange={(e) => {
            const product = products.find((p) => p.id === e.target.value);
            if (product) dispatch({ type: 'addLine', line: lineFromProduct(product, jurisdiction, locale) });
          }}
        >
          <option value="">{t('editor.addProduct')}</option>
          {products.map((p) => (
            <option key={p.id} value={p.id}>
              {(locale === 'ar' && p.name_ar) || p.name_en} · {formatDecimal(p.unit_price)}
            </option>
          ))}
        </select>
      )}
    </div>
  );
});

const AdjustmentRow = memo(
  function AdjustmentRow({
    adjustment: a,
    index,
    issues,
    jurisdiction,
    dispatch,
  }: {
    adjustment: EditorAdjustment;
    index: number;
    issues: readonly TotalsIssue[] | undefined;
    jurisdiction: EditorState['jurisdiction'];
    dispatch: Dispatch<EditorAction>;
  }) {
    const { t } = useI18n();
    const update = (patch: Partial<Omit<EditorAdjustment, 'key'>>) =>
      dispatch({ type: 'updateAdjustment', key: a.key, patch });
    const shown = a.value ? (issues ?? []) : [];
    return (
      <li className="adjustment-row" data-testid="adjustment-row">
        <span className={`adjustment-kind ${a.is_charge ? 'is-charge' : 'is-discount'}`}>
          {a.is_charge ? t('editor.adjustment.charge') : t('editor.adjustment.discount')}
        </span>
        <input
          aria-label={t('editor.adjustment.reason')}
          placeholder={t('editor.adjustment.reason')}
          name={`allowances_charges.${index}.reason`}
          value={a.reason}
          onChange={(e) => update({ reason: e.target.value })}
        />
        <input
          aria-label={t('editor.adjustment.value')}
          name={`allowances_charges.${index}.value`}
          inputMode="decimal"
          dir="ltr"
          className="adjustment-value"
          value={a.value}
          onChange={(e) => update({ value: e.target.value })}
        />
        <select
          aria-label={t('editor.adjustment.value')}
          value={a.mode}
          onChange={(e) => update({ mode: e.target.value as EditorAdjustment['mode'] })}
        >
          <option value="percent">{t('editor.adjustment.percent')}</option>
          <option value="amount">{t('editor.adjustment.amount')}</option>
        </select>
        <select
          aria-label={t('editor.line.vat')}
          value={a.vat_category}
          onChange={(e) => update({ vat_category: e.target.value as EditorAdjustment['vat_category'] })}
        >
          {CATEGORIES_BY_JURISDICTION[jurisdiction].map((c) => (
            <option key={c} value={c}>
              {c} · {t(`vat.${c}` as MessageKey)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="icon-button"
          aria-label={t('common.remove')}
          onClick={() => dispatch({ type: 'removeAdjustment', key: a.key })}
        >
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M6 6l12 12M18 6L6 18" />
          </svg>
        </button>
        {shown.length > 0 && (
          <div className="line-issues adjustment-issues">
            <FieldIssue issues={shown} />
          </div>
        )}
      </li>
    );
  },
  (a, b) =>
    a.adjustment === b.adjustment &&
    a.index === b.index &&
    a.jurisdiction === b.jurisdiction &&
    a.dispatch === b.dispatch &&
    sameIssues(a.issues, b.issues),
);
