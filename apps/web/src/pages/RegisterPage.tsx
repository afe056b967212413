import { findProfile } from '@invoiceflow/jurisdictions';
import { type FormEvent, type ReactNode, useState } from 'react';
import * as authApi from '../api/auth';
import { api, setActiveCompanyId } from '../api/browser-client';
import { type ApiError, isApiError } from '../api/client';
import type { CountryCode } from '../api/types';
import { useSession } from '../auth/SessionProvider';
import { Alert } from '../components/Alert';
import { AuthLayout } from '../components/AuthLayout';
import { CountryOptions, EmirateOptions } from '../components/CountryOptions';
import { Field, type FieldControlProps, type FieldMessage } from '../components/Field';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages-en';
import { describeError, describeFieldError, unclaimedFieldErrors } from '../lib/errors';
import { PASSWORD_MIN_LENGTH } from '../lib/validation';
import { Link, navigate } from '../router/router';
import {
  checkField,
  countryOf,
  defaultCurrency,
  defaultTimeZone,
  emptyRegisterValues,
  firstInvalidField,
  hasEmirate,
  isRequired,
  REGISTER_FIELDS,
  type RegisterField,
  type RegisterValues,
  toRegisterInput,
} from './register-form';

const fieldId = (field: RegisterField) => `register-${field.replaceAll('.', '-')}`;

export function RegisterPage() {
  const { t } = useI18n();
  const { completeSignIn } = useSession();
  const [values, setValues] = useState<RegisterValues>(() => emptyRegisterValues());
  const [blurred, setBlurred] = useState<ReadonlySet<RegisterField>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<RegisterField, string>>>({});
  const [formError, setFormError] = useState<{ text: string; details: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const country = countryOf(values);
  const profile = findProfile(country);

  function update(field: RegisterField, value: string) {
    setValues((current) => {
      const next = { ...current, [field]: value };
      if (field === 'company.country') {
        const c = value as CountryCode;
        // Currency and time zone follow the country unless the user picked something else on purpose.
        if (current['company.currency'] === defaultCurrency(countryOf(current))) {
          next['company.currency'] = defaultCurrency(c);
        }
        if (current['company.time_zone'] === defaultTimeZone(countryOf(current))) {
          next['company.time_zone'] = defaultTimeZone(c);
        }
        if (!hasEmirate(c)) next['company.address.emirate'] = '';
      }
      return next;
    });
    // A server error describes the value that was sent; once edited it no longer applies.
    setServerErrors((current) => (current[field] ? { ...current, [field]: undefined } : current));
  }

  function messageFor(field: RegisterField): FieldMessage | null {
    const server = serverErrors[field];
    if (server) return { tone: 'error', text: server };
    const isFinal = submitted || blurred.has(field);
    // The VAT number is judged as it is typed: its shape is strict and easy to get wrong by one digit.
    const isLive = field === 'company.vat_number';
    if (!isFinal && !isLive) return null;
    const check = checkField(field, values, isFinal);
    if (check.kind === 'error') return { tone: 'error', text: t(check.key, check.params) };
    if (check.kind === 'hint') return { tone: 'hint', text: t(check.key, check.params) };
    if (check.kind === 'ok' && check.key) return { tone: 'ok', text: t(check.key) };
    return null;
  }

  function showServerErrors(error: ApiError) {
    const byPath = error.fieldErrors();
    const claimed: Partial<Record<RegisterField, string>> = {};
    for (const field of REGISTER_FIELDS) {
      const e = byPath[field];
      if (e) claimed[field] = describeFieldError(e, t);
    }
    // A taken e-mail is a 409 without a path, but the user fixes it in the e-mail field.
    if (error.code === 'EMAIL_TAKEN') claimed.email = t('error.emailTaken');
    setServerErrors(claimed);
    const details = unclaimedFieldErrors(error, Object.keys(claimed), t);
    const hasFieldErrors = Object.keys(claimed).length > 0;
    setFormError({ text: hasFieldErrors ? t('validation.fixErrors') : describeError(error, t), details });
    const first = REGISTER_FIELDS.find((f) => claimed[f]);
    if (first) document.getElementById(fieldId(first))?.focus();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    setFormError(null);
    const invalid = firstInvalidField(values);
    if (invalid) {
      setFormError({ text: t('validation.fixErrors'), details: [] });
      document.getElementById(fieldId(invalid))?.focus();
      return;
    }
    setBusy(true);
    try {
      const res = await authApi.register(api, toRegisterInput(values));
      setActiveCompanyId(res.company.id);
      await completeSignIn();
      navigate('/', { replace: true });
    } catch (error) {
      if (isApiError(error) && (error.errors.length > 0 || error.code === 'EMAIL_TAKEN'))
        showServerErrors(error);
      else setFormError({ text: describeError(error, t), details: [] });
      setBusy(false);
    }
  }

  /** Props shared by every text input: value, change, blur and the a11y wiring from <Field>. */
  const bind = (field: RegisterField, a11y: FieldControlProps) => ({
    ...a11y,
    name: field,
    value: values[field],
    required: isRequired(field, country),
    onChange: (e: { target: { value: string } }) => update(field, e.target.value),
    onBlur: () => setBlurred((s) => (s.has(field) ? s : new Set(s).add(field))),
  });

  const text = (field: RegisterField, label: MessageKey, extra: Partial<TextInputProps> = {}) => (
    <Field
      id={fieldId(field)}
      label={t(label)}
      optional={!isRequired(field, country)}
      help={extra.help}
      message={messageFor(field)}
      className={extra.wide ? 'field-wide' : undefined}
    >
      {(a11y) => (
        <input
          {...bind(field, a11y)}
          type={extra.type ?? 'text'}
          autoComplete={extra.autoComplete}
          inputMode={extra.inputMode}
          dir={extra.ltr ? 'ltr' : undefined}
          lang={extra.lang}
        />
      )}
    </Field>
  );

  return (
    <AuthLayout
      wide
      title={t('register.title')}
      subtitle={t('register.subtitle')}
      footer={
        <>
          {t('register.haveAccount')} <Link to="/login">{t('register.signIn')}</Link>
        </>
      }
    >
      <form className="form" onSubmit={submit} noValidate>
        {formError && (
          <Alert tone="error">
            {formError.text}
            {formError.details.length > 0 && (
              <ul>
                {formError.details.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            )}
          </Alert>
        )}

        <Section title={t('register.section.you')}>
          {text('full_name', 'field.fullName', { autoComplete: 'name', wide: true })}
          {text('email', 'field.email', { type: 'email', autoComplete: 'email', ltr: true })}
          {text('password', 'field.password', {
            type: 'password',
            autoComplete: 'new-password',
            help: t('field.passwordHint', { min: PASSWORD_MIN_LENGTH }),
          })}
        </Section>

        <Section title={t('register.section.company')}>
          <Field
            id={fieldId('company.country')}
            label={t('field.country')}
            message={messageFor('company.country')}
          >
            {(a11y) => (
              <select {...bind('company.country', a11y)}>
                <CountryOptions />
              </select>
            )}
          </Field>
          {text('company.currency', 'field.currency', { ltr: true })}
          {text('company.time_zone', 'field.timeZone', { ltr: true })}
          {text('company.legal_name_en', 'field.legalNameEn', {
            autoComplete: 'organization',
            lang: 'en',
            ltr: true,
          })}
          {text('company.legal_name_ar', 'field.legalNameAr', { lang: 'ar' })}
          {text('company.vat_number', profile?.taxIdLabel === 'trn' ? 'field.trn' : 'field.vatNumber', {
            inputMode: 'numeric',
            ltr: true,
          })}
          {text('company.registration_number', 'field.registrationNumber', { ltr: true })}
        </Section>

        <Section title={t('register.section.address')}>
          {text('company.address.street', 'field.street', { autoComplete: 'address-line1', wide: true })}
          {text('company.address.building_number', 'field.buildingNumber', {
            inputMode: 'numeric',
            ltr: true,
          })}
          {text('company.address.district', 'field.district')}
          {text('company.address.city', 'field.city', { autoComplete: 'address-level2' })}
          {text('company.address.postal_code', 'field.postalCode', {
            autoComplete: 'postal-code',
            inputMode: 'numeric',
            ltr: true,
          })}
          {hasEmirate(country) && (
            <Field
              id={fieldId('company.address.emirate')}
              label={t('field.emirate')}
              message={messageFor('company.address.emirate')}
            >
              {(a11y) => (
                <select {...bind('company.address.emirate', a11y)}>
                  <EmirateOptions />
                </select>
              )}
            </Field>
          )}
        </Section>

        <button className="button button-primary button-block" type="submit" disabled={busy}>
          {t('register.submit')}
        </button>
      </form>
    </AuthLayout>
  );
}

interface TextInputProps {
  type: string;
  autoComplete: string;
  inputMode: 'numeric' | 'text';
  help: string;
  wide: boolean;
  ltr: boolean;
  lang: string;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="form-section">
      <legend className="form-section-title">{title}</legend>
      <div className="form-grid">{children}</div>
    </fieldset>
  );
}
