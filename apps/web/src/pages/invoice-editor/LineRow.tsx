import { ITEM_TYPES } from '@invoiceflow/jurisdictions';
import { exemptionCodesOf, type Jurisdiction, type TotalsIssue, type VatCategory } from '@invoiceflow/totals';
import { type Dispatch, memo } from 'react';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages-en';
import {
  CATEGORIES_BY_JURISDICTION,
  type EditorAction,
  type EditorLine,
  issueField,
  sameIssues,
  TAX_RATES_LIST,
} from './editor-state';
import { issueMessage } from './rule-messages';

interface LineRowProps {
  line: EditorLine;
  index: number;
  /** The engine's issues for this line (paths lines.N.*). */
  issues: readonly TotalsIssue[] | undefined;
  showIssues: boolean;
  net: string;
  currency: string;
  jurisdiction: Jurisdiction;
  /** The profile asks each line's item type and its HS or service accounting code (PINT AE). */
  classifiesItems: boolean;
  canRemove: boolean;
  dispatch: Dispatch<EditorAction>;
}

/** The issues of one field (all the given issues without `field`), with the rule's code beside the message. */
export function FieldIssue({ issues, field }: { issues: readonly TotalsIssue[]; field?: string }) {
  const { locale } = useI18n();
  const mine = field === undefined ? issues : issues.filter((issue) => issueField(issue.path) === field);
  if (mine.length === 0) return null;
  return (
    <>
      {mine.map((issue) => (
        <p
          key={`${issue.path}-${issue.code}`}
          className="line-issue"
          role="alert"
          data-testid="field-issue"
          data-path={issue.path}
          data-code={issue.code}
        >
          {issueMessage(issue, locale)} <code>{issue.code}</code>
        </p>
      ))}
    </>
  );
}

/**
 * One line of the editor. Memoized on its own line object and its own issues: typing in line 7 re-renders
 * line 7 only, not the 49 others.
 */
export const LineRow = memo(
  function LineRow({
    line,
    index,
    issues,
    showIssues,
    net,
    currency,
    jurisdiction,
    classifiesItems,
    canRemove,
    dispatch,
  }: LineRowProps) {
    const { t, formatAmount } = useI18n();
    const shown = showIssues ? (issues ?? []) : [];
    const invalid = (field: string) => shown.some((issue) => issueField(issue.path) === field) || undefined;
    const update = (patch: Partial<Omit<EditorLine, 'key'>>) =>
      dispatch({ type: 'updateLine', key: line.key, patch });
    const id = (field: string) => `line-${line.key}-${field}`;
    const exemptionCodes = exemptionCodesOf(jurisdiction, line.vat_category);

    return (
      <li className="line-row" data-testid="line-row" data-index={index}>
        <div className="line-top">
          <span className="line-number" aria-hidden="true">
            {index + 1}
          </span>
          <div className="line-cell line-description" data-invalid={invalid('description')}>
            <label className="visually-hidden" htmlFor={id('description')}>
              {t('editor.line.description')}
            </label>
            <input
              id={id('description')}
              name={`lines.${index}.description`}
              value={line.description}
              placeholder={t('editor.line.descriptionPlaceholder')}
              autoComplete="off"
              onChange={(e) => update({ description: e.target.value })}
            />
          </div>
          <button
            type="button"
            className="icon-button"
            aria-label={t('editor.line.remove', { n: index + 1 })}
            disabled={!canRemove}
            onClick={() => dispatch({ type: 'removeLine', key: line.key })}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true">
              <path d="M6 6l12 12M18 6L6 18" />
            </svg>
          </button>
        </div>
        <div className="line-grid">
          <div className="line-cell" data-invalid={invalid('quantity')}>
            <label htmlFor={id('quantity')}>{t('editor.line.quantity')}</label>
            <input
              id={id('quantity')}
              name={`lines.${index}.quantity`}
              inputMode="decimal"
              dir="ltr"
              value={line.quantity}
              onChange={(e) => update({ quantity: e.target.value })}
            />
            <FieldIssue issues={shown} field="quantity" />
          </div>
          <div className="line-cell" data-invalid={invalid('unit_price')}>
            <label htmlFor={id('unit_price')}>{t('editor.line.unitPrice')}</label>
            <input
              id={id('unit_price')}
              name={`lines.${index}.unit_price`}
              inputMode="decimal"
              dir="ltr"
              value={line.unit_price}
              onChange={(e) => update({ unit_price: e.target.value })}
            />
            <FieldIssue issues={shown} field="unit_price" />
          </div>
          <div className="line-cell" data-invalid={invalid('vat_category')}>
            <label htmlFor={id('vat_category')}>{t('editor.line.vat')}</label>
            <select
              id={id('vat_category')}
              name={`lines.${index}.vat_category`}
              value={line.vat_category}
              onChange={(e) => update({ vat_category: e.target.value as VatCategory })}
            >
              {CATEGORIES_BY_JURISDICTION[jurisdiction].map((category) => (
                <option key={category} value={category}>
                  {t(`vat.${category}` as MessageKey)}
                </option>
              ))}
            </select>
            <FieldIssue issues={shown} field="vat_category" />
          </div>
          <div className="line-cell line-narrow" data-invalid={invalid('vat_rate')}>
            <label htmlFor={id('vat_rate')}>{t('editor.line.vatRate')}</label>
            <input
              id={id('vat_rate')}
              name={`lines.${index}.vat_rate`}
              inputMode="decimal"
              dir="ltr"
              list={TAX_RATES_LIST}
              value={line.vat_rate}
              onChange={(e) => update({ vat_rate: e.target.value })}
            />
          </div>
          <div className="line-cell line-narrow" data-invalid={invalid('discount_percent')}>
            <label htmlFor={id('discount')}>{t('editor.line.discount')}</label>
            <input
              id={id('discount')}
              name={`lines.${index}.discount_percent`}
              inputMode="decimal"
              dir="ltr"
              placeholder="0"
              value={line.discount_percent}
              onChange={(e) => update({ discount_percent: e.target.value })}
            />
          </div>
          <div className="line-cell line-net">
            <span className="line-caption">{t('editor.line.net')}</span>
            <output data-testid="line-net">{formatAmount(net, currency)}</output>
          </div>
        </div>
        {line.vat_category !== 'S' && (
          <div className="line-cell line-exemption" data-invalid={invalid('exemption_reason_code')}>
            <label htmlFor={id('exemption')}>{t('editor.line.exemption')}</label>
            {exemptionCodes ? (
              <select
                id={id('exemption')}
                name={`lines.${index}.exemption_reason_code`}
                value={line.exemption_reason_code}
                onChange={(e) => update({ exemption_reason_code: e.target.value })}
              >
                <option value="">{t('field.choose')}</option>
                {exemptionCodes.map((code) => (
                  <option key={code} value={code}>
                    {code}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id('exemption')}
                name={`lines.${index}.exemption_reason_code`}
                dir="ltr"
                value={line.exemption_reason_code}
                onChange={(e) => update({ exemption_reason_code: e.target.value })}
              />
            )}
          </div>
        )}
        {classifiesItems && (
          <div className="line-grid line-classification">
            <div className="line-cell" data-invalid={invalid('item_type')}>
              <label htmlFor={id('item_type')}>{t('item.type')}</label>
              <select
                id={id('item_type')}
                name={`lines.${index}.item_type`}
                value={line.item_type}
                onChange={(e) => update({ item_type: e.target.value as EditorLine['item_type'] })}
              >
                <option value="">{t('item.type.none')}</option>
                {ITEM_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {t(`item.type.${type}` as MessageKey)}
                  </option>
                ))}
              </select>
            </div>
            {line.item_type !== 'services' && (
              <div className="line-cell" data-invalid={invalid('hs_code')}>
                <label htmlFor={id('hs_code')}>{t('item.hsCode')}</label>
                <input
                  id={id('hs_code')}
                  name={`lines.${index}.hs_code`}
                  inputMode="numeric"
                  dir="ltr"
                  value={line.hs_code}
                  onChange={(e) => update({ hs_code: e.target.value })}
                />
                <FieldIssue issues={shown} field="hs_code" />
              </div>
            )}
            {line.item_type !== 'goods' && (
              <div className="line-cell" data-invalid={invalid('service_code')}>
                <label htmlFor={id('service_code')}>{t('item.serviceCode')}</label>
                <input
                  id={id('service_code')}
                  name={`lines.${index}.service_code`}
                  dir="ltr"
                  value={line.service_code}
                  onChange={(e) => update({ service_code: e.target.value })}
                />
                <FieldIssue issues={shown} field="service_code" />
              </div>
            )}
          </div>
        )}
        {/* Issues of fields without their own message slot (rate, discount, exemption, the row itself). */}
        {shown.length > 0 && (
          <div className="line-issues">
            {['vat_rate', 'discount_percent', 'exemption_reason_code', 'row', 'description'].map((field) => (
              <FieldIssue key={field} issues={shown} field={field} />
            ))}
          </div>
        )}
      </li>
    );
  },
  (a, b) =>
    a.line === b.line &&
    a.index === b.index &&
    a.showIssues === b.showIssues &&
    a.net === b.net &&
    a.currency === b.currency &&
    a.jurisdiction === b.jurisdiction &&
    a.classifiesItems === b.classifiesItems &&
    a.canRemove === b.canRemove &&
    a.dispatch === b.dispatch &&
    (!a.showIssues || sameIssues(a.issues, b.issues)),
);
