import { type FormEvent, useState } from 'react';
import { api } from '../../api/browser-client';
import { isApiError } from '../../api/client';
import {
  archiveVendor,
  createVendor,
  listVendors,
  updateVendor,
  type Vendor,
  type VendorContact,
  type VendorInput,
} from '../../api/payables';
import type { CountryCode } from '../../api/types';
import { Alert } from '../../components/Alert';
import { CountryOptions, EmirateOptions } from '../../components/CountryOptions';
import {
  FormActions,
  ListHeader,
  SearchToolbar,
  TableCard,
  TextField,
  useSave,
} from '../../components/ListPage';
import { Pagination } from '../../components/Pagination';
import { useI18n } from '../../i18n/I18nProvider';
import { describeError } from '../../lib/errors';
import { useDebouncedValue, useLoader } from '../../lib/use-loader';
import { hasEmirate } from '../register-form';

const PAGE_SIZE = 20;

/** The company's vendors (suppliers): searched, archived and brought back, created and changed. */
export function VendorsPage({ country }: { country: CountryCode }) {
  const { t, locale } = useI18n();
  const [editing, setEditing] = useState<Vendor | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  const [showArchived, setShowArchived] = useState(false);
  const q = useDebouncedValue(query, 250);
  const list = useLoader(
    (signal) =>
      listVendors(
        api,
        { q: q || undefined, page, page_size: PAGE_SIZE, include_archived: showArchived || undefined },
        { signal },
      ),
    [q, page, showArchived],
  );
  const { error, save } = useSave();

  return (
    <div className="page page-wide">
      <ListHeader
        title={t('vendors.title')}
        subtitle={t('vendors.subtitle')}
        newLabel={t('vendors.new')}
        newTestId="new-vendor"
        onNew={() => setEditing('new')}
      />
      {notice && <Alert tone="success">{notice}</Alert>}
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      {editing && (
        <VendorForm
          key={editing === 'new' ? 'new' : editing.id}
          vendor={editing === 'new' ? null : editing}
          country={country}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            setNotice(t('vendors.saved'));
            list.reload();
          }}
        />
      )}
      <div className="toolbar">
        <SearchToolbar
          label={t('vendors.search')}
          value={query}
          onSearch={(value) => {
            setQuery(value);
            setPage(1);
          }}
        />
        <label className="checkbox">
          <input
            type="checkbox"
            name="include_archived"
            checked={showArchived}
            onChange={(e) => {
              setShowArchived(e.target.checked);
              setPage(1);
            }}
          />
          <span>{t('vendors.showArchived')}</span>
        </label>
      </div>
      {list.error !== undefined && <Alert tone="error">{describeError(list.error, t)}</Alert>}
      <TableCard
        testId="vendor-table"
        head={
          <>
            <th>{t('vendors.col.name')}</th>
            <th>{t('vendors.col.vat')}</th>
            <th>{t('vendors.col.city')}</th>
            <th>{t('vendors.col.terms')}</th>
            <th />
          </>
        }
        isEmpty={list.data?.vendors.length === 0}
        empty={t('vendors.empty')}
      >
        {list.data?.vendors.map((v) => (
          <tr key={v.id} data-testid="vendor-row" data-archived={v.is_archived || undefined}>
            <td>
              <strong dir="auto">{(locale === 'ar' && v.name_ar) || v.name_en}</strong>
              {v.is_archived && <span className="chip"> {t('vendors.archived')}</span>}
            </td>
            <td className="mono" dir="ltr">
              {v.vat_number ?? '—'}
            </td>
            <td dir="auto">{v.address.city ?? '—'}</td>
            <td>
              {v.payment_terms_days === null ? '—' : t('vendors.termsDays', { days: v.payment_terms_days })}
            </td>
            <td className="num">
              <span className="inline-actions">
                <button
                  type="button"
                  className="button button-ghost button-small"
                  onClick={() => setEditing(v)}
                >
                  {t('common.edit')}
                </button>
                <button
                  type="button"
                  className="button button-ghost button-small"
                  data-testid={v.is_archived ? 'restore-vendor' : 'archive-vendor'}
                  onClick={() =>
                    void save(async () => {
                      await archiveVendor(api, v.id, !v.is_archived);
                      setNotice(t(v.is_archived ? 'vendors.restored' : 'vendors.archivedNotice'));
                      list.reload();
                    })
                  }
                >
                  {t(v.is_archived ? 'vendors.restore' : 'vendors.archive')}
                </button>
              </span>
            </td>
          </tr>
        ))}
      </TableCard>
      {list.data && <Pagination page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />}
    </div>
  );
}

type Values = Record<
  | 'name_en'
  | 'name_ar'
  | 'vat_number'
  | 'registration_number'
  | 'email'
  | 'phone'
  | 'payment_terms_days'
  | 'currency'
  | 'iban'
  | 'bank_name'
  | 'peppol_scheme'
  | 'peppol_id'
  | 'notes'
  | 'street'
  | 'building_number'
  | 'district'
  | 'city'
  | 'postal_code'
  | 'country'
  | 'emirate',
  string
>;

const ADDRESS_FIELDS = ['street', 'building_number', 'district', 'city', 'postal_code', 'emirate'] as const;
const emptyContact = (): VendorContact => ({ name: '', email: '', phone: '', role: '' });

function VendorForm({
  vendor,
  country,
  onCancel,
  onSaved,
}: {
  vendor: Vendor | null;
  country: CountryCode;
  onCancel(): void;
  onSaved(): void;
}) {
  const { t } = useI18n();
  const a = vendor?.address;
  const [values, setValues] = useState<Values>({
    name_en: vendor?.name_en ?? '',
    name_ar: vendor?.name_ar ?? '',
    vat_number: vendor?.vat_number ?? '',
    registration_number: vendor?.registration_number ?? '',
    email: vendor?.email ?? '',
    phone: vendor?.phone ?? '',
    payment_terms_days: vendor?.payment_terms_days?.toString() ?? '',
    currency: vendor?.currency ?? '',
    iban: vendor?.iban ?? '',
    bank_name: vendor?.bank_name ?? '',
    peppol_scheme: vendor?.peppol_endpoint?.scheme ?? '',
    peppol_id: vendor?.peppol_endpoint?.id ?? '',
    notes: vendor?.notes ?? '',
    street: a?.street ?? '',
    building_number: a?.building_number ?? '',
    district: a?.district ?? '',
    city: a?.city ?? '',
    postal_code: a?.postal_code ?? '',
    country: a?.country ?? country,
    emirate: a?.emirate ?? '',
  });
  const [contacts, setContacts] = useState<VendorContact[]>(vendor?.contacts ?? []);
  const { error, isSaving, save } = useSave();
  const fieldErrors = isApiError(error) ? error.fieldErrors() : {};
  const set = (field: keyof Values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: e.target.value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const blank = (s: string) => (s.trim() === '' ? null : s.trim());
    const address: Record<string, string> = { country: values.country };
    for (const f of ADDRESS_FIELDS) if (values[f].trim() !== '') address[f] = values[f].trim();
    const input: VendorInput = {
      name_en: values.name_en.trim(),
      name_ar: blank(values.name_ar),
      vat_number: blank(values.vat_number),
      registration_number: blank(values.registration_number),
      email: blank(values.email),
      phone: blank(values.phone),
      payment_terms_days: values.payment_terms_days.trim() ? Number(values.payment_terms_days) : null,
      currency: blank(values.currency.toUpperCase()),
      iban: blank(values.iban),
      bank_name: blank(values.bank_name),
      peppol_endpoint:
        values.peppol_scheme.trim() && values.peppol_id.trim()
          ? { scheme: values.peppol_scheme.trim(), id: values.peppol_id.trim() }
          : null,
      notes: blank(values.notes),
      address,
      contacts: contacts
        .filter((c) => c.name.trim() !== '')
        .map((c) =>
          Object.fromEntries(
            Object.entries(c)
              .map(([k, v]) => [k, (v ?? '').trim()])
              .filter(([, v]) => v !== ''),
          ),
        ) as unknown as VendorContact[],
    };
    return save(async () => {
      if (vendor) await updateVendor(api, vendor.id, input);
      else await createVendor(api, input);
      onSaved();
    });
  }

  const field = (
    name: keyof Values,
    label: string,
    opts: { wide?: boolean; ltr?: boolean; path?: string } = {},
  ) => (
    <TextField
      name={name}
      label={label}
      value={values[name]}
      onChange={set(name)}
      problem={fieldErrors[opts.path ?? name]}
      isWide={opts.wide}
      isLtr={opts.ltr}
    />
  );

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} data-testid="vendor-form">
      <h2 className="card-title">{vendor ? t('vendors.edit') : t('vendors.new')}</h2>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <div className="form-grid four">
        {field('name_en', t('field.nameEn'))}
        {field('name_ar', t('field.nameAr'))}
        {field('vat_number', t('vendors.field.vat'), { ltr: true })}
        {field('registration_number', t('field.registrationNumber'), { ltr: true })}
        {field('email', t('field.customerEmail'), { ltr: true })}
        {field('phone', t('field.phone'), { ltr: true })}
        {field('payment_terms_days', t('field.paymentTerms'), { ltr: true })}
        {field('currency', t('field.currency'), { ltr: true })}
        {field('iban', t('vendors.field.iban'), { ltr: true })}
        {field('bank_name', t('vendors.field.bankName'))}
        {field('peppol_scheme', t('vendors.field.peppolScheme'), {
          ltr: true,
          path: 'peppol_endpoint.scheme',
        })}
        {field('peppol_id', t('vendors.field.peppolId'), { ltr: true, path: 'peppol_endpoint.id' })}
        <label className="field">
          <span className="field-label">{t('field.country')}</span>
          <select name="country" value={values.country} onChange={set('country')}>
            <CountryOptions />
          </select>
        </label>
        {field('street', t('field.street'), { wide: true, path: 'address.street' })}
        {field('building_number', t('field.buildingNumber'), { ltr: true, path: 'address.building_number' })}
        {field('district', t('field.district'), { path: 'address.district' })}
        {field('city', t('field.city'), { path: 'address.city' })}
        {field('postal_code', t('field.postalCode'), { ltr: true, path: 'address.postal_code' })}
        {hasEmirate(values.country) && (
          <label className="field">
            <span className="field-label">{t('field.emirate')}</span>
            <select name="emirate" value={values.emirate} onChange={set('emirate')}>
              <EmirateOptions />
            </select>
          </label>
        )}
        {field('notes', t('vendors.field.notes'), { wide: true })}
      </div>

      <div>
        <div className="subhead-row">
          <h3 className="card-subtitle">{t('vendors.contacts')}</h3>
          <button
            type="button"
            className="button button-ghost button-small"
            data-testid="add-contact"
            onClick={() => setContacts((c) => [...c, emptyContact()])}
          >
            + {t('vendors.addContact')}
          </button>
        </div>
        {contacts.length === 0 && <p className="muted small">{t('vendors.noContacts')}</p>}
        {contacts.map((contact, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: contacts have no ids; they are edited in place.
          <div className="form-grid four" key={index} data-testid="contact-row">
            {(['name', 'role', 'email', 'phone'] as const).map((key) => (
              <TextField
                key={key}
                name={`contacts.${index}.${key}`}
                label={t(`vendors.contact.${key}`)}
                value={contact[key] ?? ''}
                isLtr={key === 'email' || key === 'phone'}
                problem={fieldErrors[`contacts.${index}.${key}`]}
                onChange={(e) =>
                  setContacts((all) => all.map((c, i) => (i === index ? { ...c, [key]: e.target.value } : c)))
                }
              />
            ))}
            <div className="inline-actions start">
              <button
                type="button"
                className="button button-ghost button-small"
                onClick={() => setContacts((all) => all.filter((_, i) => i !== index))}
              >
                {t('common.remove')}
              </button>
            </div>
          </div>
        ))}
      </div>
      <FormActions
        onCancel={onCancel}
        saveLabel={t('common.save')}
        isDisabled={isSaving || !values.name_en.trim()}
        saveTestId="save-vendor"
      />
    </form>
  );
}
