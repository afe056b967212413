import { type Dispatch, memo, useState } from 'react';
import { api } from '../../api/browser-client';
import type { Customer } from '../../api/domain-types';
import { createCustomer, listCustomers } from '../../api/resources';
import type { CountryCode } from '../../api/types';
import { Alert } from '../../components/Alert';
import { FormActions, useSave } from '../../components/ListPage';
import { useI18n } from '../../i18n/I18nProvider';
import { describeError } from '../../lib/errors';
import { useDebouncedValue, useLoader } from '../../lib/use-loader';
import type { EditorAction, EditorCustomer } from './editor-state';

export const toEditorCustomer = (c: Customer): EditorCustomer => ({
  id: c.id,
  name_en: c.name_en,
  name_ar: c.name_ar,
  vat_number: c.vat_number,
  address: c.address,
  peppol_endpoint: c.peppol_endpoint ?? null,
});

interface Props {
  customer: EditorCustomer | null;
  country: CountryCode;
  dispatch: Dispatch<EditorAction>;
}

/** Pick a customer by typing (debounced search), or add one inline without leaving the invoice. */
export const CustomerPicker = memo(function CustomerPicker({ customer, country, dispatch }: Props) {
  const { t, locale } = useI18n();
  const [query, setQuery] = useState('');
  const [isOpen, setIsOpen] = useState(false);
  const [isCreating, setIsCreating] = useState(false);
  const debounced = useDebouncedValue(query, 200);
  const results = useLoader(
    (signal) =>
      isOpen
        ? listCustomers(api, { q: debounced || undefined, page_size: 8 }, { signal })
        : Promise.resolve(null),
    [debounced, isOpen],
  );

  const choose = (c: EditorCustomer | null) => {
    dispatch({ type: 'setCustomer', customer: c });
    setIsOpen(false);
    setIsCreating(false);
    setQuery('');
  };

  if (customer && !isOpen && !isCreating) {
    const name = (locale === 'ar' && customer.name_ar) || customer.name_en;
    return (
      <div className="customer-card" data-testid="customer-selected">
        <div>
          <p className="customer-name">{name}</p>
          <p className="muted small">
            {customer.vat_number ? <span dir="ltr">{customer.vat_number}</span> : t('editor.customer.b2c')}
            {customer.address?.city && <> · {customer.address.city}</>}
          </p>
          {customer.vat_number && <p className="muted small">{t('editor.customer.b2b')}</p>}
        </div>
        <button type="button" className="button button-ghost button-small" onClick={() => setIsOpen(true)}>
          {t('editor.customer.change')}
        </button>
      </div>
    );
  }

  if (isCreating) {
    return (
      <NewCustomerForm
        country={country}
        initialName={query}
        onCancel={() => setIsCreating(false)}
        onCreated={(c) => choose(toEditorCustomer(c))}
      />
    );
  }

  return (
    <div className="customer-picker">
      <div className="picker-row">
        <input
          type="search"
          name="customer-search"
          data-testid="customer-search"
          placeholder={t('editor.customer.search')}
          value={query}
          autoComplete="off"
          onFocus={() => setIsOpen(true)}
          onChange={(e) => {
            setQuery(e.target.value);
            setIsOpen(true);
          }}
        />
        <button
          type="button"
          className="button button-ghost"
          onClick={() => setIsCreating(true)}
          data-testid="customer-new"
        >
          {t('editor.customer.new')}
        </button>
      </div>
      {isOpen && results.data && (
        <ul className="picker-results">
          {results.data.customers.map((c) => (
            <li key={c.id}>
              <button type="button" onClick={() => choose(toEditorCustomer(c))} data-testid="customer-option">
                <span>{(locale === 'ar' && c.name_ar) || c.name_en}</span>
                <span className="muted small" dir="ltr">
                  {c.vat_number ?? ''}
                </span>
              </button>
            </li>
          ))}
          {results.data.customers.length === 0 && (
            <li className="muted small picker-empty">{t('editor.customer.noMatch')}</li>
          )}
        </ul>
      )}
      {!customer && <p className="muted small">{t('editor.customer.none')}</p>}
    </div>
  );
});

function NewCustomerForm({
  country,
  initialName,
  onCancel,
  onCreated,
}: {
  country: CountryCode;
  initialName: string;
  onCancel(): void;
  onCreated(customer: Customer): void;
}) {
  const { t } = useI18n();
  const [values, setValues] = useState({
    name_en: initialName,
    vat_number: '',
    street: '',
    building_number: '',
    district: '',
    city: '',
    postal_code: '',
  });
  const { error, isSaving, save } = useSave();
  const set = (field: keyof typeof values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: e.target.value }));

  function submit() {
    const { name_en, vat_number, ...address } = values;
    return save(async () => {
      const created = await createCustomer(api, {
        kind: 'company',
        name_en: name_en.trim(),
        vat_number: vat_number.trim() || null,
        address: {
          country,
          ...Object.fromEntries(Object.entries(address).filter(([, v]) => v.trim() !== '')),
        },
      });
      onCreated(created);
    });
  }

  const fields: [keyof typeof values, string, boolean][] = [
    ['name_en', t('field.nameEn'), true],
    ['vat_number', t('field.vatNumberCustomer'), false],
    ['street', t('field.street'), false],
    ['building_number', t('field.buildingNumber'), false],
    ['district', t('field.district'), false],
    ['city', t('field.city'), false],
    ['postal_code', t('field.postalCode'), false],
  ];
  // A nested <form> is not allowed inside the editor's form: this is a group submitted by its button.
  return (
    <div className="inline-form" data-testid="new-customer-form">
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <div className="form-grid compact">
        {fields.map(([field, label, isWide]) => (
          <label key={field} className={`field${isWide ? ' field-wide' : ''}`}>
            <span className="field-label">{label}</span>
            <input
              name={`new-customer.${field}`}
              value={values[field]}
              dir={
                field === 'name_en' || field === 'street' || field === 'district' || field === 'city'
                  ? undefined
                  : 'ltr'
              }
              onChange={set(field)}
            />
          </label>
        ))}
      </div>
      <FormActions
        onCancel={onCancel}
        saveLabel={t('editor.customer.create')}
        isDisabled={isSaving || !values.name_en.trim()}
        saveTestId="customer-create"
        onSave={() => void submit()}
      />
    </div>
  );
}
