import { profileFor, profileForRules } from '@invoiceflow/jurisdictions';
import { computeTotals } from '@invoiceflow/totals';
import { type Dispatch, useEffect, useMemo, useReducer, useState } from 'react';
import { api } from '../../api/browser-client';
import type { Company } from '../../api/domain-types';
import { getCompanyTaxRates, getCurrentCompany } from '../../api/resources';
import { useI18n } from '../../i18n/I18nProvider';
import { todayIso } from '../../lib/dates';
import {
  type EditorAction,
  type EditorState,
  editorReducer,
  emptyState,
  fromDraftData,
  groupIssues,
  TAX_RATES_LIST,
  toDocumentInput,
  toIssueBody,
} from './editor-state';
import { LineRow } from './LineRow';

/** The company and its tax rates, which the lines of any document (quotation, recurring template) start from. */
export function useCompanyBasics() {
  const [basics, setBasics] = useState<{ company: Company; rates: readonly string[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    Promise.all([getCurrentCompany(api, { signal }), getCompanyTaxRates(api, { signal })]).then(
      ([company, rates]) => {
        if (!signal.aborted) setBasics({ company, rates: rates.rates });
      },
      (e: unknown) => {
        if (!signal.aborted) setError(e);
      },
    );
    return () => controller.abort();
  }, []);
  return { basics, error };
}

/**
 * The invoice editor's lines (the same reducer, rows and totals engine) for another document: a quotation or the
 * template of a recurring invoice. `initial` is a saved request body (its `lines`) to edit.
 */
export function useDocumentLines(
  company: Company,
  rates: readonly string[],
  initial?: Record<string, unknown>,
) {
  const [state, dispatch] = useReducer(editorReducer, null, (): EditorState => {
    const profile = profileFor(company.country);
    const base = { jurisdiction: profile.rules, currency: company.currency || profile.currency || '' };
    if (initial) return fromDraftData(initial as never, base).state;
    const empty = emptyState(base.jurisdiction, base.currency, todayIso());
    const [first] = empty.lines;
    return first && !first.vat_rate && rates[0]
      ? { ...empty, lines: [{ ...first, vat_rate: rates[0] }] }
      : empty;
  });
  const { lines, adjustments, currency, jurisdiction } = state;
  const result = useMemo(
    () => computeTotals(toDocumentInput({ lines, adjustments, currency, jurisdiction })),
    [lines, adjustments, currency, jurisdiction],
  );
  return {
    state,
    dispatch,
    result,
    /** The request's lines, as the invoice editor sends them. */
    linesBody: () => toIssueBody(state).lines as Record<string, unknown>[],
  };
}

export function DocumentLinesEditor({
  lines,
  rates,
  showIssues,
}: {
  lines: ReturnType<typeof useDocumentLines>;
  rates: readonly string[];
  showIssues: boolean;
}) {
  const { t, formatMoney } = useI18n();
  const { state, dispatch, result } = lines;
  const grouped = useMemo(() => groupIssues(result.errors), [result.errors]);
  const classifiesItems = profileForRules(state.jurisdiction)?.classifiesItems ?? false;
  return (
    <section className="editor-section">
      <h2 className="section-title">{t('editor.section.lines')}</h2>
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
            showIssues={showIssues}
            net={result.lines[index]?.net_amount ?? '0'}
            currency={state.currency}
            jurisdiction={state.jurisdiction}
            classifiesItems={classifiesItems}
            canRemove={state.lines.length > 1}
            dispatch={dispatch as Dispatch<EditorAction>}
          />
        ))}
      </ol>
      <div className="inline-actions start">
        <button
          type="button"
          className="button button-ghost button-small"
          data-testid="add-line"
          onClick={() => dispatch({ type: 'addLine' })}
        >
          + {t('editor.addLine')}
        </button>
        <output className="muted" data-testid="lines-total" aria-live="polite">
          {t('sales.linesTotal', {
            total: formatMoney(result.totals.tax_inclusive_amount as `${number}`, state.currency),
          })}
        </output>
      </div>
    </section>
  );
}
