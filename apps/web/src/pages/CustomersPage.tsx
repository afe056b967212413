import { type FormEvent, useState } from 'react';
import { api } from '../api/browser-client';
import { isApiError } from '../api/client';
import type { Customer, CustomerInput } from '../api/domain-types';
import { createCustomer, listCustomers, updateCustomer } from '../api/resources';
import type { CountryCode } from '../api/types';
import { Alert } from '../components/Alert';
import { CountryOptions, EmirateOptions } from '../components/CountryOptions';
import {
  EditCell,
  FormActions,
  ListHeader,
  SearchToolbar,
  TableCard,
  TextField,
  useSave,
} from '../components/ListPage';
import { Pagination } from '../components/Pagination';
import { useI18n } from '../i18n/I18nProvider';
import { describeError } from '../lib/errors';
import { useSearchedList } from '../lib/use-loader';
import { hasEmirate } from './register-form';

const PAGE_SIZE = 20;

export function CustomersPage({ country }: { country: CountryCode }) {
  const { t, locale } = useI18n();
  const [editing, setEditing] = useState<Customer | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { query, search, page, setPage, list } = useSearchedList(
    (params, signal) => listCustomers(api, params, { signal }),
    PAGE_SIZE,
  );

  return (
    <div className="page page-wide">
      <ListHeader
        title={t('customers.title')}
        subtitle={t('customers.subtitle')}
        newLabel={t('customers.new')}
        newTestId="new-customer"
        onNew={() => setEditing('new')}
      />
      {notice && <Alert tone="success">{notice}</Alert>}
      {editing && (
        <CustomerForm
          key={editing === 'new' ? 'new' : editing.id}
          customer={editing === 'new' ? null : editing}
          country={country}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            setNotice(t('customers.saved'));
            list.reload();
          }}
        />
      )}
      <SearchToolbar label={t('customers.search')} value={query} onSearch={search} />
      {list.error !== undefined && <Alert tone="error">{describeError(list.error, t)}</Alert>}
      <TableCard
        testId="customer-table"
        head={
          <>
            <th>{t('customers.col.name')}</th>
            <th>{t('customers.col.vat')}</th>
            <th>{t('customers.col.city')}</th>
            <th>{t('customers.col.email')}</th>
            <th />
          </>
        }
        isEmpty={list.data?.customers.length === 0}
        empty={t('customers.empty')}
      >
        {list.data?.customers.map((c) => (
          <tr key={c.id} data-testid="customer-row">
            <td>
              <strong>{(locale === 'ar' && c.name_ar) || c.name_en}</strong>
              {c.kind === 'individual' && (
                <span className="muted small"> · {t('customers.kind.individual')}</span>
              )}
            </td>
            <td className="mono" dir="ltr">
              {c.vat_number ?? '—'}
            </td>
            <td>{c.address.city ?? '—'}</td>
            <td dir="ltr">{c.email ?? '—'}</td>
            <EditCell onEdit={() => setEditing(c)} />
          </tr>
        ))}
      </TableCard>
      {list.data && <Pagination page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />}
    </div>
  );
}

type Values = Record<
  | 'kind'
  | 'name_en'
  | 'name_ar'
  | 'vat_number'
  | 'email'
  | 'phone'
  | 'payment_terms_days'
  | 'street'
  | 'building_number'
  | 'district'
  | 'city'
  | 'postal_code'
  | 'country'
  | 'emirate',
  string
>;

function CustomerForm({
  customer,
  country,
  onCancel,
  onSaved,
}: {
  customer: Customer | null;
  country: CountryCode;
  onCancel(): void;
  onSaved(): void;
}) {
  const { t } = useI18n();
  const a = customer?.address;
  const [values, setValues] = useState<Values>({
    kind: customer?.kind ?? 'company',
    name_en: customer?.name_en ?? '',
    name_ar: customer?.name_ar ?? '',
    vat_number: customer?.vat_number ?? '',
    email: customer?.email ?? '',
    phone: customer?.phone ?? '',
    payment_terms_days: customer?.payment_terms_days?.toString() ?? '',
    street: a?.street ?? '',
    building_number: a?.building_number ?? '',
    district: a?.district ?? '',
    city: a?.city ?? '',
    postal_code: a?.postal_code ?? '',
    country: a?.country ?? country,
    emirate: a?.emirate ?? '',
  });
  const { error, isSaving, save } = useSave();
  const fieldErrors = isApiError(error) ? error.fieldErrors() : {};
  const set = (field: keyof Values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: e.target.value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const blank = (s: string) => (s.trim() === '' ? null : s.trim());
    const address = Object.fromEntries(
      (['street', 'building_number', 'district', 'city', 'postal_code', 'emirate'] as const)
        .filter((f) => values[f].trim() !== '')
        .map((f) => [f, values[f].trim()]),
    );
    const input: CustomerInput = {
      kind: values.kind as CustomerInput['kind'],
      name_en: values.name_en.trim(),
      name_ar: blank(values.name_ar),
      vat_number: blank(values.vat_number),
      email: blank(values.email),
      phone: blank(values.phone),
      payment_terms_days: values.payment_terms_days.trim() ? Number(values.payment_terms_days) : null,
      address: { country: values.country, ...address },
    };
    return save(async () => {
      if (customer) await updateCustomer(api, customer.id, input);
      else await createCustomer(api, input);
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
    <form className="card form" onSubmit={(e) => void submit(e)} data-testid="customer-form">
      <h2 className="card-title">{customer ? t('customers.edit') : t('customers.new')}</h2>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <div className="form-grid four">
        <label className="field">
          <span className="field-label">{t('customers.kind')}</span>
          <select name="kind" value={values.kind} onChange={set('kind')}>
            <option value="company">{t('customers.kind.company')}</option>
            <option value="individual">{t('customers.kind.individual')}</option>
          </select>
        </label>
        {field('name_en', t('field.nameEn'))}
        {field('name_ar', t('field.nameAr'))}
        {field('vat_number', t('field.vatNumberCustomer'), { ltr: true })}
        {field('email', t('field.customerEmail'), { ltr: true })}
        {field('phone', t('field.phone'), { ltr: true })}
        {field('payment_terms_days', t('field.paymentTerms'), { ltr: true })}
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
      </div>
      <FormActions
        onCancel={onCancel}
        saveLabel={t('common.save')}
        isDisabled={isSaving || !values.name_en.trim()}
        saveTestId="save-customer"
      />
    </form>
  );
}
