import { PAYMENT_METHODS, type PaymentMethod } from '../api/domain-types';
import { useI18n } from '../i18n/I18nProvider';

/** When, how and with what reference a payment was made: the fields every payment form asks for. */
export function PaymentDetailsFields({
  date,
  method,
  reference,
  onDate,
  onMethod,
  onReference,
  isReferenceWide = false,
}: {
  date: string;
  method: PaymentMethod;
  reference: string;
  onDate(date: string): void;
  onMethod(method: PaymentMethod): void;
  onReference(reference: string): void;
  isReferenceWide?: boolean;
}) {
  const { t } = useI18n();
  return (
    <>
      <label className="field">
        <span className="field-label">{t('invoice.paymentDate')}</span>
        <input type="date" name="payment_date" value={date} onChange={(e) => onDate(e.target.value)} />
      </label>
      <label className="field">
        <span className="field-label">{t('invoice.method')}</span>
        <select
          name="payment_method"
          value={method}
          onChange={(e) => onMethod(e.target.value as PaymentMethod)}
        >
          {PAYMENT_METHODS.map((m) => (
            <option key={m} value={m}>
              {t(`method.${m}`)}
            </option>
          ))}
        </select>
      </label>
      <label className={`field${isReferenceWide ? ' field-wide' : ''}`}>
        <span className="field-label">
          {t('invoice.reference')} <span className="field-optional">({t('field.optional')})</span>
        </span>
        <input name="reference" value={reference} onChange={(e) => onReference(e.target.value)} />
      </label>
    </>
  );
}
