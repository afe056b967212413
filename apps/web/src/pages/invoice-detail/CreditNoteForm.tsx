import { findProfile, profileFor } from '@invoiceflow/jurisdictions';
import { compareMoney, computeTotals, parseDecimal } from '@invoiceflow/totals';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/browser-client';
import { isApiError } from '../../api/client';
import type { Invoice } from '../../api/domain-types';
import { issueInvoice } from '../../api/resources';
import { Alert } from '../../components/Alert';
import { ScrollArea } from '../../components/ScrollArea';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages-en';
import { randomKey } from '../../lib/dates';
import { describeError } from '../../lib/errors';
import { isQuantityAdjustable, requestLine } from './line-bodies';

interface LineChoice {
  isChosen: boolean;
  quantity: string;
}

/** A quantity typed for a line: a positive decimal no larger than what was invoiced, else why not. */
function quantityProblem(text: string, issued: string): 'invalid' | 'tooMuch' | null {
  const value = text.trim();
  if (!/^\d+(\.\d+)?$/.test(value) || !parseDecimal(value) || compareMoney(value, '0') <= 0) return 'invalid';
  return compareMoney(value, issued) > 0 ? 'tooMuch' : null;
}

/**
 * A credit note for some lines of the invoice, or part of their quantities (every line in full by default). The
 * note references the invoice (BR-KSA-56 billing reference) and gives its reason (BR-KSA-17); the API refuses a
 * credit beyond what remains uncredited (CREDIT_EXCEEDS_REMAINING).
 */
export function CreditNoteForm({
  invoice,
  onCancel,
  onIssued,
}: {
  invoice: Invoice;
  onCancel(): void;
  onIssued(note: Invoice): void;
}) {
  const { t, formatMoney, formatDecimal } = useI18n();
  const country = invoice.seller.country ?? '';
  // Where the profile names credit reasons by code (PINT AE BTAE-03), one that corrects this invoice is chosen.
  const profile = findProfile(country);
  const reasonCodes =
    profile?.creditReasonCodes.filter((c) => !profile.creditReasonsWithoutInvoice.includes(c)) ?? [];
  const [reason, setReason] = useState('');
  const [reasonCode, setReasonCode] = useState('');
  const [choices, setChoices] = useState<LineChoice[]>(() =>
    invoice.lines.map((line) => ({ isChosen: true, quantity: line.quantity })),
  );
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setIsSaving] = useState(false);
  const [key] = useState(randomKey);

  // A document-level discount or charge is an amount on the whole invoice: only a full credit can carry it.
  const hasDocumentAdjustments = invoice.allowances_charges.length > 0;
  const problems = invoice.lines.map((line, i) => {
    const choice = choices[i];
    return choice?.isChosen ? quantityProblem(choice.quantity, line.quantity) : null;
  });
  const chosen = invoice.lines.flatMap((line, i) => {
    const choice = choices[i];
    return choice?.isChosen && !problems[i] ? [{ line, quantity: choice.quantity.trim() }] : [];
  });
  const isFull =
    chosen.length === invoice.lines.length &&
    chosen.every(({ line, quantity }) => compareMoney(quantity, line.quantity) === 0);
  const requestLines = chosen.map(({ line, quantity }) =>
    requestLine(line, compareMoney(quantity, line.quantity) === 0 ? line.quantity : quantity),
  );

  // What the note will credit, computed by the same engine as the invoice.
  const creditTotal =
    requestLines.length === 0
      ? null
      : computeTotals({
          jurisdiction: profileFor(country).rules,
          currency: invoice.currency,
          lines: requestLines,
          ...(isFull && hasDocumentAdjustments ? { allowances_charges: invoice.allowances_charges } : {}),
        }).totals.tax_inclusive_amount;

  const update = (index: number, change: Partial<LineChoice>) =>
    setChoices((current) => current.map((c, i) => (i === index ? { ...c, ...change } : c)));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setIsSaving(true);
    setError(null);
    const body = {
      type: 'credit_note',
      original_invoice_id: invoice.id,
      reason: reason.trim(),
      ...(reasonCode ? { reason_code: reasonCode } : {}),
      currency: invoice.currency,
      lines: requestLines,
      ...(isFull && hasDocumentAdjustments ? { allowances_charges: invoice.allowances_charges } : {}),
    };
    try {
      onIssued(await issueInvoice(api, body, key));
    } catch (e) {
      setError(e);
      setIsSaving(false);
    }
  }

  const hasProblem = problems.some(Boolean);
  const isPartialBlocked = hasDocumentAdjustments && !isFull;

  return (
    <form className="card form credit-form" onSubmit={(e) => void submit(e)} data-testid="credit-form">
      <h2 className="card-title">{t('invoice.creditTitle')}</h2>
      <p className="muted small">{t('credit.help')}</p>
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
      <ScrollArea className="table-scroll">
        <table className="data-table compact credit-lines" data-testid="credit-lines">
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">{t('credit.include')}</span>
              </th>
              <th scope="col">{t('credit.line')}</th>
              <th scope="col" className="num">
                {t('credit.invoiced')}
              </th>
              <th scope="col" className="num">
                {t('credit.quantity')}
              </th>
            </tr>
          </thead>
          <tbody>
            {invoice.lines.map((line, i) => {
              const choice = choices[i] ?? { isChosen: false, quantity: line.quantity };
              const isLocked = hasDocumentAdjustments || !isQuantityAdjustable(line);
              const problem = problems[i];
              const description = line.description || t('credit.untitled', { n: i + 1 });
              return (
                <tr key={line.index} data-testid="credit-line">
                  <td>
                    <input
                      type="checkbox"
                      name={`credit.${i}.include`}
                      aria-label={t('credit.includeLine', { line: description })}
                      checked={choice.isChosen}
                      disabled={hasDocumentAdjustments}
                      onChange={(e) => update(i, { isChosen: e.target.checked })}
                    />
                  </td>
                  <td dir="auto">{description}</td>
                  <td className="num" dir="ltr">
                    {formatDecimal(line.quantity)}
                  </td>
                  <td className="num">
                    <input
                      className="credit-quantity"
                      name={`credit.${i}.quantity`}
                      inputMode="decimal"
                      dir="ltr"
                      aria-label={t('credit.quantityOf', { line: description })}
                      aria-invalid={problem !== null}
                      aria-describedby={problem ? `credit-${i}-problem` : undefined}
                      value={choice.quantity}
                      disabled={!choice.isChosen || isLocked}
                      onChange={(e) => update(i, { quantity: e.target.value })}
                    />
                    {problem && (
                      <span id={`credit-${i}-problem`} className="field-message field-message-error block">
                        {t(problem === 'tooMuch' ? 'credit.tooMuch' : 'credit.invalid', {
                          max: formatDecimal(line.quantity),
                        })}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollArea>
      {hasDocumentAdjustments && <p className="muted small">{t('credit.wholeOnly')}</p>}
      <p className="credit-total" data-testid="credit-total">
        {t('credit.total')}{' '}
        <strong className="tabular">
          {creditTotal ? formatMoney(creditTotal as `${number}`, invoice.currency) : '—'}
        </strong>
      </p>
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
        <input
          name="reason"
          value={reason}
          maxLength={1000}
          dir="auto"
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      <div className="inline-actions">
        <button type="button" className="button button-ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button
          type="submit"
          className="button button-primary"
          disabled={
            isSaving ||
            !reason.trim() ||
            (reasonCodes.length > 0 && !reasonCode) ||
            chosen.length === 0 ||
            hasProblem ||
            isPartialBlocked
          }
        >
          {t('invoice.creditIssue')}
        </button>
      </div>
    </form>
  );
}
