import { ITEM_TYPES, profileForRules } from '@invoiceflow/jurisdictions';
import { defaultVatRate, type Jurisdiction, type VatCategory } from '@invoiceflow/totals';
import { type FormEvent, useState } from 'react';
import { api } from '../api/browser-client';
import { isApiError } from '../api/client';
import type { Product } from '../api/domain-types';
import { createProduct, listProducts, updateProduct } from '../api/resources';
import { Alert } from '../components/Alert';
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
import type { MessageKey } from '../i18n/messages-en';
import { describeError } from '../lib/errors';
import { useSearchedList } from '../lib/use-loader';
import { CATEGORIES_BY_JURISDICTION } from './invoice-editor/editor-state';

const PAGE_SIZE = 20;
const UNITS = ['PCE', 'HUR', 'DAY', 'MON', 'KGM', 'LTR', 'MTR', 'SET'] as const;

export function ProductsPage({ country, currency }: { country: Jurisdiction; currency: string }) {
  const { t, locale, formatMoney } = useI18n();
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { query, search, page, setPage, list } = useSearchedList(
    (params, signal) => listProducts(api, params, { signal }),
    PAGE_SIZE,
  );

  return (
    <div className="page page-wide">
      <ListHeader
        title={t('products.title')}
        subtitle={t('products.subtitle')}
        newLabel={t('products.new')}
        newTestId="new-product"
        onNew={() => setEditing('new')}
      />
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
      <SearchToolbar label={t('products.search')} value={query} onSearch={search} />
      {list.error !== undefined && <Alert tone="error">{describeError(list.error, t)}</Alert>}
      <TableCard
        testId="product-table"
        head={
          <>
            <th>{t('products.col.name')}</th>
            <th>{t('products.col.sku')}</th>
            <th>{t('products.col.vat')}</th>
            <th className="num">{t('products.col.price')}</th>
            <th />
          </>
        }
        isEmpty={list.data?.products.length === 0}
        empty={t('products.empty')}
      >
        {list.data?.products.map((p) => (
          <tr key={p.id} data-testid="product-row">
            <td>
              <strong>{(locale === 'ar' && p.name_ar) || p.name_en}</strong>
              <span className="muted small"> · {t(`unit.${p.unit_code}` as MessageKey) ?? p.unit_code}</span>
            </td>
            <td className="mono" dir="ltr">
              {p.sku ?? '—'}
            </td>
            <td>
              {t(`vat.${p.vat_category}` as MessageKey)} · {p.vat_rate}%
            </td>
            <td className="num">{formatMoney(p.unit_price as `${number}`, currency)}</td>
            <EditCell onEdit={() => setEditing(p)} />
          </tr>
        ))}
      </TableCard>
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
  // PINT AE BTAE-13: what the product is, with its HS or service accounting code, carried onto invoice lines.
  const classifiesItems = profileForRules(jurisdiction)?.classifiesItems ?? false;
  const [values, setValues] = useState({
    name_en: product?.name_en ?? '',
    name_ar: product?.name_ar ?? '',
    sku: product?.sku ?? '',
    unit_code: product?.unit_code ?? 'PCE',
    unit_price: product?.unit_price ?? '',
    vat_category: product?.vat_category ?? 'S',
    vat_rate: product?.vat_rate ?? defaultVatRate(jurisdiction, 'S') ?? '',
    item_type: product?.item_type ?? '',
    hs_code: product?.hs_code ?? '',
    service_code: product?.service_code ?? '',
  });
  const { error, isSaving, save } = useSave();
  const fieldErrors = isApiError(error) ? error.fieldErrors() : {};
  const set = (field: keyof typeof values) => (e: { target: { value: string } }) =>
    setValues((v) => {
      const next = { ...v, [field]: e.target.value };
      if (field === 'vat_category')
        next.vat_rate = defaultVatRate(jurisdiction, e.target.value as VatCategory) ?? '';
      return next;
    });

  function submit(event: FormEvent) {
    event.preventDefault();
    const input = {
      name_en: values.name_en.trim(),
      name_ar: values.name_ar.trim() || null,
      sku: values.sku.trim() || null,
      unit_code: values.unit_code,
      unit_price: values.unit_price.trim(),
      vat_category: values.vat_category,
      vat_rate: values.vat_rate.trim(),
      ...(classifiesItems
        ? {
            item_type: (values.item_type || null) as Product['item_type'],
            hs_code: values.hs_code.trim() || null,
            service_code: values.service_code.trim() || null,
          }
        : {}),
    };
    return save(async () => {
      if (product) await updateProduct(api, product.id, input);
      else await createProduct(api, input);
      onSaved();
    });
  }

  const text = (name: keyof typeof values, label: string, ltr = false) => (
    <TextField
      name={name}
      label={label}
      value={values[name]}
      onChange={set(name)}
      problem={fieldErrors[name]}
      isLtr={ltr}
    />
  );

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
        {classifiesItems && (
          <>
            <label className="field">
              <span className="field-label">{t('item.type')}</span>
              <select name="item_type" value={values.item_type} onChange={set('item_type')}>
                <option value="">{t('field.choose')}</option>
                {ITEM_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {t(`item.type.${type}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            {values.item_type !== 'services' && text('hs_code', t('item.hsCode'), true)}
            {values.item_type !== 'goods' && text('service_code', t('item.serviceCode'), true)}
          </>
        )}
      </div>
      <FormActions
        onCancel={onCancel}
        saveLabel={t('common.save')}
        isDisabled={isSaving || !values.name_en.trim()}
        saveTestId="save-product"
      />
    </form>
  );
}
