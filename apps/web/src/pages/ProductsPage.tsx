import { defaultVatRate, type Jurisdiction, type VatCategory } from '@invoiceflow/totals';
import { type FormEvent, useState } from 'react';
import { api } from '../api/browser-client';
import { isApiError } from '../api/client';
import type { Product } from '../api/domain-types';
import { createProduct, listProducts, updateProduct } from '../api/resources';
import { Alert } from '../components/Alert';
import { Pagination } from '../components/Pagination';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages-en';
import { describeError, describeFieldError } from '../lib/errors';
import { useDebouncedValue, useLoader } from '../lib/use-loader';
import { CATEGORIES_BY_JURISDICTION } from './invoice-editor/editor-state';

const PAGE_SIZE = 20;
const UNITS = ['PCE', 'HUR', 'DAY', 'MON', 'KGM', 'LTR', 'MTR', 'SET'] as const;

export function ProductsPage({ country, currency }: { country: Jurisdiction; currency: string }) {
  const { t, locale, formatMoney } = useI18n();
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const q = useDebouncedValue(query, 250);
  const list = useLoader(
    (signal) => listProducts(api, { q: q || undefined, page, page_size: PAGE_SIZE }, { signal }),
    [q, page],
  );

  return (
    <div className="page page-wide">
      <header className="page-header page-header-row">
        <div>
          <h1>{t('products.title')}</h1>
          <p className="muted">{t('products.subtitle')}</p>
        </div>
        <button
          type="button"
          className="button button-primary"
          onClick={() => setEditing('new')}
          data-testid="new-product"
        >
          + {t('products.new')}
        </button>
      </header>
      {notice && <Alert tone="success">{notice}</Alert>}
      {editing && (
        <ProductForm
          key={editing === 'new' ? 'new' : editing.id}
          product={editing === 'new' ? null : editing}
          jurisdiction={country}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            setNotice(t('products.saved'));
            list.reload();
          }}
        />
      )}
      <div className="toolbar">
        <input
          type="search"
          className="toolbar-search"
          placeholder={t('products.search')}
          aria-label={t('products.search')}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setPage(1);
          }}
        />
      </div>
      {list.error !== undefined && <Alert tone="error">{describeError(list.error, t)}</Alert>}
      <div className="card table-card">
        <table className="data-table" data-testid="product-table">
          <thead>
            <tr>
              <th>{t('products.col.name')}</th>
              <th>{t('products.col.sku')}</th>
              <th>{t('products.col.vat')}</th>
              <th className="num">{t('products.col.price')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data?.products.map((p) => (
              <tr key={p.id} data-testid="product-row">
                <td>
                  <strong>{(locale === 'ar' && p.name_ar) || p.name_en}</strong>
                  <span className="muted small">
                    {' '}
                    · {t(`unit.${p.unit_code}` as MessageKey) ?? p.unit_code}
                  </span>
                </td>
                <td className="mono" dir="ltr">
                  {p.sku ?? '—'}
                </td>
                <td>
                  {t(`vat.${p.vat_category}` as MessageKey)} · {p.vat_rate}%
                </td>
                <td className="num">{formatMoney(p.unit_price as `${number}`, currency)}</td>
                <td className="num">
                  <button
                    type="button"
                    className="button button-ghost button-small"
                    onClick={() => setEditing(p)}
                  >
                    {t('common.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.data && list.data.products.length === 0 && (
          <p className="empty-state muted">{t('products.empty')}</p>
        )}
      </div>
      {list.data && <Pagination page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />}
    </div>
  );
}

function ProductForm({
  product,
  jurisdiction,
  onCancel,
  onSaved,
}: {
  product: Product | null;
  jurisdiction: Jurisdiction;
  onCancel(): void;
  onSaved(): void;
}) {
  const { t } = useI18n();
  const [values, setValues] = useState({
    name_en: product?.name_en ?? '',
    name_ar: product?.name_ar ?? '',
    sku: product?.sku ?? '',
    unit_code: product?.unit_code ?? 'PCE',
    unit_price: product?.unit_price ?? '',
    vat_category: product?.vat_category ?? 'S',
    vat_rate: product?.vat_rate ?? defaultVatRate(jurisdiction, 'S') ?? '',
  });
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setIsSaving] = useState(false);
  const fieldErrors = isApiError(error) ? error.fieldErrors() : {};
  const set = (field: keyof typeof values) => (e: { target: { value: string } }) =>
    setValues((v) => {
      const next = { ...v, [field]: e.target.value };
      if (field === 'vat_category')
        next.vat_rate = defaultVatRate(jurisdiction, e.target.value as VatCategory) ?? '';
      return next;
    });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setIsSaving(true);
    setError(null);
    const input = {
      name_en: values.name_en.trim(),
      name_ar: values.name_ar.trim() || null,
      sku: values.sku.trim() || null,
      unit_code: values.unit_code,
      unit_price: values.unit_price.trim(),
      vat_category: values.vat_category,
      vat_rate: values.vat_rate.trim(),
    };
    try {
      if (product) await updateProduct(api, product.id, input);
      else await createProduct(api, input);
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setIsSaving(false);
    }
  }

  const text = (name: keyof typeof values, label: string, ltr = false) => {
    const problem = fieldErrors[name];
    return (
      <label className="field" data-invalid={problem ? true : undefined}>
        <span className="field-label">{label}</span>
        <input name={name} value={values[name]} dir={ltr ? 'ltr' : undefined} onChange={set(name)} />
        {problem && (
          <span className="field-message field-message-error">{describeFieldError(problem, t)}</span>
        )}
      </label>
    );
  };

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} data-testid="product-form">
      <h2 className="card-title">{product ? t('products.edit') : t('products.new')}</h2>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <div className="form-grid four">
        {text('name_en', t('field.nameEn'))}
        {text('name_ar', t('field.nameAr'))}
        {text('sku', t('field.sku'), true)}
        <label className="field">
          <span className="field-label">{t('field.unitCode')}</span>
          <select name="unit_code" value={values.unit_code} onChange={set('unit_code')}>
            {UNITS.map((u) => (
              <option key={u} value={u}>
                {t(`unit.${u}`)} ({u})
              </option>
            ))}
          </select>
        </label>
        {text('unit_price', t('field.unitPrice'), true)}
        <label className="field">
          <span className="field-label">{t('field.vatCategory')}</span>
          <select name="vat_category" value={values.vat_category} onChange={set('vat_category')}>
            {CATEGORIES_BY_JURISDICTION[jurisdiction].map((c) => (
              <option key={c} value={c}>
                {c} · {t(`vat.${c}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        {text('vat_rate', t('field.vatRate'), true)}
      </div>
      <div className="inline-actions">
        <button type="button" className="button button-ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button
          type="submit"
          className="button button-primary"
          disabled={isSaving || !values.name_en.trim()}
          data-testid="save-product"
        >
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}
