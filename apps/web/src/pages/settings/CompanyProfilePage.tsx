import { type ChangeEvent, type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api/browser-client';
import { isApiError } from '../../api/client';
import {
  type CompanyAddress,
  type CompanyProfile,
  getCompanyProfile,
  removeCompanyLogo,
  updateCompanyProfile,
  uploadCompanyLogo,
} from '../../api/settings';
import { Alert } from '../../components/Alert';
import { CompanyDocuments } from '../../components/CompanyDocuments';
import { announceLogoChange, useCompanyLogo } from '../../components/CompanyLogo';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages-en';
import { describeError, describeFieldError } from '../../lib/errors';
import { useLoader } from '../../lib/use-loader';

const ADDRESS_FIELDS: readonly { name: keyof CompanyAddress; label: MessageKey }[] = [
  { name: 'street', label: 'companyProfile.street' },
  { name: 'building_number', label: 'companyProfile.buildingNumber' },
  { name: 'additional_number', label: 'companyProfile.additionalNumber' },
  { name: 'district', label: 'companyProfile.district' },
  { name: 'city', label: 'companyProfile.city' },
  { name: 'postal_code', label: 'companyProfile.postalCode' },
];

/** The logo limits the API enforces (modules/companies/logo.ts), said before a file is chosen. */
const LOGO_MAX_BYTES = 1024 * 1024;

interface ProfileForm {
  legal_name_en: string;
  legal_name_ar: string;
  vat_number: string;
  registration_number: string;
  address: CompanyAddress;
  default_language: 'en' | 'ar';
}

function formOf(company: CompanyProfile): ProfileForm {
  return {
    legal_name_en: company.legal_name_en,
    legal_name_ar: company.legal_name_ar ?? '',
    vat_number: company.vat_number ?? '',
    registration_number: company.registration_number ?? '',
    address: { ...company.address },
    default_language: company.default_language,
  };
}

/**
 * Settings → Company: the names, address, registration and VAT numbers printed on every document, the default
 * language, and the logo. Documents already issued keep what they were issued with, logo included.
 */
export function CompanyProfilePage() {
  const { t } = useI18n();
  const company = useLoader((signal) => getCompanyProfile(api, { signal }), []);
  const logo = useCompanyLogo(company.data?.logo_id ?? null);
  const [form, setForm] = useState<ProfileForm | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [logoError, setLogoError] = useState<string | null>(null);
  const [logoNotice, setLogoNotice] = useState<string | null>(null);
  const [isSaving, setIsSaving] = useState(false);

  useEffect(() => {
    if (company.data) setForm(formOf(company.data));
  }, [company.data]);

  const fieldErrors = isApiError(error) ? error.fieldErrors() : {};
  const messageOf = (path: string) => {
    const e = fieldErrors[path];
    return e ? describeFieldError(e, t) : null;
  };

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!form || !company.data) return;
    setError(null);
    setNotice(null);
    setIsSaving(true);
    try {
      const trimmed = Object.fromEntries(
        Object.entries(form.address).filter(([, value]) => typeof value === 'string' && value.trim() !== ''),
      ) as CompanyAddress;
      await updateCompanyProfile(api, {
        legal_name_en: form.legal_name_en,
        legal_name_ar: form.legal_name_ar.trim() === '' ? null : form.legal_name_ar,
        vat_number: form.vat_number,
        registration_number: form.registration_number.trim() === '' ? null : form.registration_number,
        address: { ...trimmed, country: company.data.country },
        default_language: form.default_language,
      });
      setNotice(t('companyProfile.saved'));
      company.reload();
    } catch (e) {
      setError(e);
    } finally {
      setIsSaving(false);
    }
  }

  async function chooseLogo(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    setLogoError(null);
    setLogoNotice(null);
    if (!file) return;
    if (file.size > LOGO_MAX_BYTES) {
      setLogoError(t('companyProfile.logoTooBig'));
      return;
    }
    try {
      await uploadCompanyLogo(api, file);
      setLogoNotice(t('companyProfile.logoSaved'));
      company.reload();
      announceLogoChange();
    } catch (e) {
      setLogoError(
        isApiError(e) && e.status === 415
          ? t('companyProfile.logoType')
          : isApiError(e) && e.status === 413
            ? t('companyProfile.logoTooBig')
            : describeError(e, t),
      );
    }
  }

  async function removeLogo() {
    setLogoError(null);
    try {
      await removeCompanyLogo(api);
      setLogoNotice(t('companyProfile.logoRemoved'));
      company.reload();
      announceLogoChange();
    } catch (e) {
      setLogoError(describeError(e, t));
    }
  }

  const set = <K extends keyof ProfileForm>(key: K, value: ProfileForm[K]) =>
    setForm((current) => (current ? { ...current, [key]: value } : current));

  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('companyProfile.title')}</h1>
        <p className="muted">{t('companyProfile.subtitle')}</p>
      </header>
      {company.error !== undefined && <Alert tone="error">{describeError(company.error, t)}</Alert>}

      <section className="card" data-testid="company-logo">
        <h2 className="card-title">{t('companyProfile.logo')}</h2>
        {logoNotice && <Alert tone="success">{logoNotice}</Alert>}
        {logoError && <Alert tone="error">{logoError}</Alert>}
        {logo ? (
          <img
            className="company-logo-preview"
            src={logo}
            alt={t('companyProfile.logoAlt')}
            data-testid="logo-preview"
          />
        ) : (
          <p className="muted" data-testid="no-logo">
            {t('companyProfile.noLogo')}
          </p>
        )}
        <p className="muted small">{t('companyProfile.logoHelp')}</p>
        <div className="button-row">
          <label className="button button-ghost">
            {company.data?.logo_id ? t('companyProfile.replaceLogo') : t('companyProfile.uploadLogo')}
            <input
              type="file"
              accept="image/png,image/jpeg"
              className="visually-hidden"
              data-testid="logo-file"
              onChange={(e) => void chooseLogo(e)}
            />
          </label>
          {company.data?.logo_id && (
            <button type="button" className="button button-ghost" onClick={() => void removeLogo()}>
              {t('companyProfile.removeLogo')}
            </button>
          )}
        </div>
      </section>

      {company.data && <CompanyDocuments approvalStatus={company.data.approval_status} />}

      {form && company.data && (
        <form
          className="card form-grid settings-form"
          onSubmit={(e) => void save(e)}
          data-testid="company-form"
        >
          <h2 className="card-title">{t('companyProfile.details')}</h2>
          {notice && <Alert tone="success">{notice}</Alert>}
          {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
          <TextField
            name="legal_name_en"
            label={t('companyProfile.nameEn')}
            value={form.legal_name_en}
            error={messageOf('legal_name_en')}
            onChange={(v) => set('legal_name_en', v)}
            required
          />
          <TextField
            name="legal_name_ar"
            label={t('companyProfile.nameAr')}
            value={form.legal_name_ar}
            error={messageOf('legal_name_ar')}
            onChange={(v) => set('legal_name_ar', v)}
            dir="rtl"
          />
          <TextField
            name="vat_number"
            label={t('companyProfile.vatNumber')}
            value={form.vat_number}
            error={messageOf('vat_number')}
            onChange={(v) => set('vat_number', v)}
            dir="ltr"
          />
          <TextField
            name="registration_number"
            label={t('companyProfile.registrationNumber')}
            value={form.registration_number}
            error={messageOf('registration_number')}
            onChange={(v) => set('registration_number', v)}
            dir="ltr"
          />
          {ADDRESS_FIELDS.map((field) => (
            <TextField
              key={field.name}
              name={`address.${field.name}`}
              label={t(field.label)}
              value={String(form.address[field.name] ?? '')}
              error={messageOf(`address.${field.name}`)}
              onChange={(v) => set('address', { ...form.address, [field.name]: v })}
            />
          ))}
          <label className="field">
            <span className="field-label">{t('companyProfile.defaultLanguage')}</span>
            <select
              name="default_language"
              value={form.default_language}
              onChange={(e) => set('default_language', e.target.value as 'en' | 'ar')}
            >
              <option value="en">{t('lang.en')}</option>
              <option value="ar">{t('lang.ar')}</option>
            </select>
          </label>
          <p className="muted small">
            {t('companyProfile.fixed', { country: company.data.country, currency: company.data.currency })}
          </p>
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={isSaving}>
              {t('companyProfile.save')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function TextField({
  name,
  label,
  value,
  error,
  onChange,
  required,
  dir,
}: {
  name: string;
  label: string;
  value: string;
  error: string | null;
  onChange(value: string): void;
  required?: boolean;
  dir?: 'ltr' | 'rtl';
}) {
  const id = `company-${name.replace('.', '-')}`;
  return (
    <div className="field" data-invalid={error ? true : undefined}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        name={name}
        value={value}
        dir={dir ?? 'auto'}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-message` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {error && (
        <p id={`${id}-message`} className="field-message field-message-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
