import type { JurisdictionProfile, TransactionFlag } from '@invoiceflow/jurisdictions';
import { type Dispatch, memo } from 'react';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages-en';
import type { EditorAction, EditorState, EInvoiceTextField } from './editor-state';

/** The transaction flags of the company's profile, as checkboxes named like the issue body's fields. */
export function TransactionFlagBoxes({
  flags,
  offered,
  dispatch,
}: {
  flags: EditorState['transaction_flags'];
  offered: readonly TransactionFlag[];
  dispatch: Dispatch<EditorAction>;
}) {
  const { t } = useI18n();
  return (
    <fieldset className="inline-actions start plain-fieldset">
      <legend className="field-label">{t('editor.flags')}</legend>
      {offered.map((flag) => (
        <label key={flag} className="checkbox">
          <input
            type="checkbox"
            name={`transaction_flags.${flag}`}
            checked={flags[flag] === true}
            onChange={(e) => dispatch({ type: 'setFlag', flag, value: e.target.checked })}
          />{' '}
          {t(`editor.flag.${flag}` as MessageKey)}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * The e-invoice's document-level fields for a profile that is not ZATCA's: the UAE's transaction flags (BTAE-02),
 * a supply out of the scope of VAT (type 480), the free zone beneficiary and the disclosed agent's principal once
 * their flag is ticked, the invoiced period for a summary or continuous supply, and the buyer's references.
 */
export const EInvoiceSection = memo(function EInvoiceSection({
  profile,
  flags,
  fields,
  dispatch,
}: {
  profile: JurisdictionProfile;
  flags: EditorState['transaction_flags'];
  fields: EditorState['einvoice'];
  dispatch: Dispatch<EditorAction>;
}) {
  const { t } = useI18n();
  const offers = (field: JurisdictionProfile['invoiceFields'][number]) =>
    profile.invoiceFields.includes(field);
  const hasPeriodFlags = profile.transactionFlags.some((f) => f === 'summary' || f === 'continuous_supply');
  const showsPeriod =
    offers('invoice_period') &&
    (!hasPeriodFlags || flags.summary === true || flags.continuous_supply === true);
  const text = (field: EInvoiceTextField, label: MessageKey, hint?: MessageKey) => (
    <label className="field">
      <span className="field-label">{t(label)}</span>
      <input
        name={field}
        dir="ltr"
        value={fields[field]}
        onChange={(e) => dispatch({ type: 'setEInvoiceField', field, value: e.target.value })}
      />
      {hint && <span className="muted small">{t(hint)}</span>}
    </label>
  );
  const date = (field: 'period_start' | 'period_end', label: MessageKey) => (
    <label className="field">
      <span className="field-label">{t(label)}</span>
      <input
        type="date"
        name={`invoice_period.${field === 'period_start' ? 'start_date' : 'end_date'}`}
        value={fields[field]}
        onChange={(e) => dispatch({ type: 'setEInvoiceField', field, value: e.target.value })}
      />
    </label>
  );

  return (
    <section className="editor-section" data-testid="einvoice-section">
      <h2 className="section-title">{t('editor.section.einvoice')}</h2>
      {profile.transactionFlags.length > 0 && (
        <TransactionFlagBoxes flags={flags} offered={profile.transactionFlags} dispatch={dispatch} />
      )}
      {offers('out_of_scope') && (
        <label className="checkbox">
          <input
            type="checkbox"
            name="out_of_scope"
            checked={fields.out_of_scope}
            onChange={(e) => dispatch({ type: 'setOutOfScope', value: e.target.checked })}
          />{' '}
          {t('editor.outOfScope')}
        </label>
      )}
      <div className="form-grid">
        {offers('beneficiary_id') &&
          flags.free_zone === true &&
          text('beneficiary_id', 'editor.beneficiaryId', 'editor.beneficiaryIdHint')}
        {offers('principal_id') &&
          flags.disclosed_agent === true &&
          text('principal_id', 'editor.principalId', 'editor.principalIdHint')}
        {showsPeriod && (
          <>
            {date('period_start', 'editor.periodStart')}
            {date('period_end', 'editor.periodEnd')}
            {flags.continuous_supply === true && profile.billingFrequencies.length > 0 && (
              <label className="field">
                <span className="field-label">{t('editor.periodFrequency')}</span>
                <select
                  name="invoice_period.frequency"
                  value={fields.period_frequency}
                  onChange={(e) =>
                    dispatch({ type: 'setEInvoiceField', field: 'period_frequency', value: e.target.value })
                  }
                >
                  <option value="">{t('field.choose')}</option>
                  {profile.billingFrequencies.map((code) => (
                    <option key={code} value={code}>
                      {t(`editor.frequency.${code}` as MessageKey)}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </>
        )}
        {offers('buyer_reference') && text('buyer_reference', 'editor.buyerReference')}
        {offers('order_reference') && text('order_reference', 'editor.orderReference')}
      </div>
    </section>
  );
});
