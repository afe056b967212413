import type { DocumentTotals, ResolvedAllowanceCharge, VatBreakdown } from '@invoiceflow/totals';
import { memo } from 'react';
import type { PartyAddress } from '../api/domain-types';
import { useI18n } from '../i18n/I18nProvider';

// The invoice as it will look on paper: the editor's live preview and the issued invoice's page. Labels are
// bilingual as Saudi and Emirati tax invoices print them, with the reader's language first.

export interface PaperParty {
  name: string;
  nameAlt?: string | null;
  vatNumber?: string | null;
  registrationNumber?: string | null;
  address?: PartyAddress | string | null;
}

export interface PaperLine {
  key: string;
  description: string;
  quantity: string;
  unit_code: string;
  unit_price: string;
  allowance_total: string;
  net_amount: string;
  vat_category: string;
  vat_rate: string;
  vat_amount: string;
  amount_with_vat: string;
}

export interface InvoicePaperProps {
  kind: 'invoice' | 'credit_note' | 'debit_note' | (string & {});
  subtype: 'standard' | 'simplified' | (string & {});
  number: string | null;
  issueDate: string;
  dueDate: string | null;
  currency: string;
  seller: PaperParty;
  buyer: PaperParty | null;
  lines: readonly PaperLine[];
  adjustments: readonly ResolvedAllowanceCharge[];
  vatBreakdown: readonly VatBreakdown[];
  totals: DocumentTotals;
  notes?: string | null;
  isDraft?: boolean;
  references?: { number: string; reason: string | null } | null;
}

type Bilingual = readonly [en: string, ar: string];

const L = {
  taxInvoice: ['Tax Invoice', 'فاتورة ضريبية'],
  simplified: ['Simplified Tax Invoice', 'فاتورة ضريبية مبسطة'],
  creditNote: ['Credit Note', 'إشعار دائن'],
  debitNote: ['Debit Note', 'إشعار مدين'],
  number: ['Invoice no.', 'رقم الفاتورة'],
  numberPending: ['Assigned on issue', 'يُحدَّد عند الإصدار'],
  issueDate: ['Issue date', 'تاريخ الإصدار'],
  dueDate: ['Due date', 'تاريخ الاستحقاق'],
  seller: ['Seller', 'البائع'],
  buyer: ['Buyer', 'المشتري'],
  noBuyer: ['Walk-in customer', 'عميل نقدي'],
  vatNumber: ['VAT no.', 'الرقم الضريبي'],
  crNumber: ['CR no.', 'السجل التجاري'],
  description: ['Description', 'الوصف'],
  quantity: ['Qty', 'الكمية'],
  unitPrice: ['Unit price', 'سعر الوحدة'],
  discount: ['Discount', 'الخصم'],
  net: ['Taxable amount', 'المبلغ الخاضع'],
  vat: ['VAT', 'الضريبة'],
  lineTotal: ['Total incl. VAT', 'الإجمالي شامل الضريبة'],
  vatBreakdown: ['VAT breakdown', 'تفاصيل الضريبة'],
  category: ['Category', 'الفئة'],
  rate: ['Rate', 'النسبة'],
  subtotal: ['Subtotal', 'المجموع'],
  allowances: ['Discounts', 'الخصومات'],
  charges: ['Charges', 'الرسوم'],
  taxExclusive: ['Total excl. VAT', 'الإجمالي غير شامل الضريبة'],
  totalVat: ['Total VAT', 'إجمالي الضريبة'],
  total: ['Total due', 'الإجمالي المستحق'],
  prepaid: ['Paid in advance', 'المدفوع مقدمًا'],
  notes: ['Notes', 'ملاحظات'],
  draft: ['Draft', 'مسودة'],
  references: ['Credits invoice', 'يُلغي الفاتورة'],
  empty: ['Add a line to see it here.', 'أضف بندًا ليظهر هنا.'],
} as const satisfies Record<string, Bilingual>;

function Bi({ label, locale }: { label: Bilingual; locale: 'en' | 'ar' }) {
  const [first, second] = locale === 'ar' ? [label[1], label[0]] : label;
  return (
    <>
      <span className="bi-primary">{first}</span>
      <span className="bi-secondary" lang={locale === 'ar' ? 'en' : 'ar'}>
        {/* Isolated, so "Invoice no." keeps its full stop at the end inside Arabic text. */}
        <bdi>{second}</bdi>
      </span>
    </>
  );
}

function addressLines(address: PartyAddress | string | null | undefined): string[] {
  if (!address) return [];
  if (typeof address === 'string') return [address];
  const street = [address.building_number, address.street].filter(Boolean).join(' ');
  const city = [address.district, address.city, address.postal_code].filter(Boolean).join(', ');
  return [street, city, address.country].filter((line): line is string => Boolean(line));
}

function Party({
  title,
  party,
  locale,
}: {
  title: Bilingual;
  party: PaperParty | null;
  locale: 'en' | 'ar';
}) {
  return (
    <div className="paper-party">
      <h3 className="paper-label">
        <Bi label={title} locale={locale} />
      </h3>
      {party ? (
        <>
          <p className="paper-party-name" data-testid={`paper-${title[0].toLowerCase()}-name`}>
            {party.name || '—'}
          </p>
          {party.nameAlt && <p className="paper-party-alt">{party.nameAlt}</p>}
          {addressLines(party.address).map((line) => (
            <p key={line} className="paper-party-line">
              {line}
            </p>
          ))}
          {party.vatNumber && (
            <p className="paper-party-line">
              <span className="paper-muted">{locale === 'ar' ? L.vatNumber[1] : L.vatNumber[0]}</span>{' '}
              <span dir="ltr">{party.vatNumber}</span>
            </p>
          )}
          {party.registrationNumber && (
            <p className="paper-party-line">
              <span className="paper-muted">{locale === 'ar' ? L.crNumber[1] : L.crNumber[0]}</span>{' '}
              <span dir="ltr">{party.registrationNumber}</span>
            </p>
          )}
        </>
      ) : (
        <p className="paper-party-name paper-muted">{locale === 'ar' ? L.noBuyer[1] : L.noBuyer[0]}</p>
      )}
    </div>
  );
}

interface RowProps {
  line: PaperLine;
  index: number;
  currency: string;
}

/** One printed line; re-rendered only when one of its printed values changes. */
const PaperLineRow = memo(
  function PaperLineRow({ line, index, currency }: RowProps) {
    const { formatAmount, formatDecimal } = useI18n();
    const hasDiscount = line.allowance_total !== '0.00' && !/^0(\.0+)?$/.test(line.allowance_total);
    return (
      <tr data-testid="paper-line">
        <td className="paper-num-col">{index + 1}</td>
        <td className="paper-desc">{line.description || <span className="paper-muted">—</span>}</td>
        <td className="num paper-qty">{formatDecimal(line.quantity)}</td>
        <td className="num">{formatDecimal(line.unit_price)}</td>
        <td className="num">{hasDiscount ? formatAmount(line.allowance_total, currency) : '—'}</td>
        <td className="num">{formatAmount(line.net_amount, currency)}</td>
        <td className="num paper-rate">
          {formatDecimal(line.vat_rate)}%{line.vat_category !== 'S' && <small> {line.vat_category}</small>}
        </td>
        <td className="num">{formatAmount(line.vat_amount, currency)}</td>
        <td className="num paper-strong">{formatAmount(line.amount_with_vat, currency)}</td>
      </tr>
    );
  },
  (a, b) =>
    a.index === b.index &&
    a.currency === b.currency &&
    a.line.description === b.line.description &&
    a.line.quantity === b.line.quantity &&
    a.line.unit_price === b.line.unit_price &&
    a.line.allowance_total === b.line.allowance_total &&
    a.line.net_amount === b.line.net_amount &&
    a.line.vat_category === b.line.vat_category &&
    a.line.vat_rate === b.line.vat_rate &&
    a.line.vat_amount === b.line.vat_amount &&
    a.line.amount_with_vat === b.line.amount_with_vat,
);

const isZero = (amount: string | undefined) => !amount || /^-?0(\.0+)?$/.test(amount);

export function InvoicePaper(props: InvoicePaperProps) {
  const { locale, dir, formatAmount, formatIsoDate } = useI18n();
  const { currency, totals } = props;
  const title =
    props.kind === 'credit_note'
      ? L.creditNote
      : props.kind === 'debit_note'
        ? L.debitNote
        : props.subtype === 'simplified'
          ? L.simplified
          : L.taxInvoice;
  const money = (amount: string) => formatAmount(amount, currency);

  return (
    <article
      className="paper"
      dir={dir}
      data-testid="invoice-paper"
      aria-label={title[locale === 'ar' ? 1 : 0]}
    >
      {props.isDraft && (
        <span className="paper-draft-mark" aria-hidden="true">
          {locale === 'ar' ? L.draft[1] : L.draft[0]}
        </span>
      )}
      <header className="paper-head">
        <div className="paper-brand">
          <span className="paper-monogram" aria-hidden="true">
            {(props.seller.name || '?').trim().charAt(0).toUpperCase()}
          </span>
          <div>
            <p className="paper-seller-name">{props.seller.name}</p>
            {props.seller.nameAlt && <p className="paper-party-alt">{props.seller.nameAlt}</p>}
          </div>
        </div>
        <div className="paper-title">
          <h2>
            <Bi label={title} locale={locale} />
          </h2>
          <dl className="paper-meta">
            <dt>
              <Bi label={L.number} locale={locale} />
            </dt>
            <dd data-testid="paper-number" dir="ltr">
              {props.number ?? (
                <span className="paper-muted">
                  {locale === 'ar' ? L.numberPending[1] : L.numberPending[0]}
                </span>
              )}
            </dd>
            <dt>
              <Bi label={L.issueDate} locale={locale} />
            </dt>
            <dd>{props.issueDate ? formatIsoDate(props.issueDate) : '—'}</dd>
            {props.dueDate && (
              <>
                <dt>
                  <Bi label={L.dueDate} locale={locale} />
                </dt>
                <dd>{formatIsoDate(props.dueDate)}</dd>
              </>
            )}
          </dl>
        </div>
      </header>

      {props.references && (
        <p className="paper-reference">
          <Bi label={L.references} locale={locale} /> <strong dir="ltr">{props.references.number}</strong>
          {props.references.reason && <> · {props.references.reason}</>}
        </p>
      )}

      <section className="paper-parties">
        <Party title={L.seller} party={props.seller} locale={locale} />
        <Party title={L.buyer} party={props.buyer} locale={locale} />
      </section>

      <table className="paper-lines">
        <thead>
          <tr>
            <th className="paper-num-col">#</th>
            <th className="paper-desc">
              <Bi label={L.description} locale={locale} />
            </th>
            <th className="num paper-qty">
              <Bi label={L.quantity} locale={locale} />
            </th>
            <th className="num">
              <Bi label={L.unitPrice} locale={locale} />
            </th>
            <th className="num">
              <Bi label={L.discount} locale={locale} />
            </th>
            <th className="num">
              <Bi label={L.net} locale={locale} />
            </th>
            <th className="num paper-rate">
              <Bi label={L.rate} locale={locale} />
            </th>
            <th className="num">
              <Bi label={L.vat} locale={locale} />
            </th>
            <th className="num">
              <Bi label={L.lineTotal} locale={locale} />
            </th>
          </tr>
        </thead>
        <tbody>
          {props.lines.map((line, index) => (
            <PaperLineRow key={line.key} line={line} index={index} currency={currency} />
          ))}
          {props.lines.length === 0 && (
            <tr>
              <td colSpan={9} className="paper-empty">
                {locale === 'ar' ? L.empty[1] : L.empty[0]}
              </td>
            </tr>
          )}
        </tbody>
      </table>

      <section className="paper-foot">
        <div className="paper-breakdown">
          <h3 className="paper-label">
            <Bi label={L.vatBreakdown} locale={locale} />
          </h3>
          <table>
            <thead>
              <tr>
                <th>
                  <Bi label={L.category} locale={locale} />
                </th>
                <th className="num">
                  <Bi label={L.net} locale={locale} />
                </th>
                <th className="num">
                  <Bi label={L.vat} locale={locale} />
                </th>
              </tr>
            </thead>
            <tbody>
              {props.vatBreakdown.map((group) => (
                <tr key={`${group.category}-${group.rate}`} data-testid="paper-vat-group">
                  <td>
                    {group.category} · {group.rate}%
                    {group.exemption_reason_code && (
                      <small className="paper-muted"> {group.exemption_reason_code}</small>
                    )}
                  </td>
                  <td className="num">{money(group.taxable_amount)}</td>
                  <td className="num">{money(group.vat_amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {props.adjustments.length > 0 && (
            <ul className="paper-adjustments">
              {props.adjustments.map((a, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: adjustments have no identity beyond their position.
                <li key={i}>
                  <span>
                    {a.reason ?? (a.is_charge ? L.charges[0] : L.allowances[0])}
                    {a.percent && ` (${a.percent}%)`}
                  </span>
                  <span dir="ltr">
                    {a.is_charge ? '+' : '−'}
                    {money(a.amount)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>

        <dl className="paper-totals">
          <dt>
            <Bi label={L.subtotal} locale={locale} />
          </dt>
          <dd data-testid="preview-subtotal">{money(totals.line_extension_amount)}</dd>
          {!isZero(totals.allowance_total_amount) && (
            <>
              <dt>
                <Bi label={L.allowances} locale={locale} />
              </dt>
              <dd data-testid="preview-allowances">−{money(totals.allowance_total_amount)}</dd>
            </>
          )}
          {!isZero(totals.charge_total_amount) && (
            <>
              <dt>
                <Bi label={L.charges} locale={locale} />
              </dt>
              <dd>{money(totals.charge_total_amount)}</dd>
            </>
          )}
          <dt>
            <Bi label={L.taxExclusive} locale={locale} />
          </dt>
          <dd data-testid="preview-tax-exclusive">{money(totals.tax_exclusive_amount)}</dd>
          <dt>
            <Bi label={L.totalVat} locale={locale} />
          </dt>
          <dd data-testid="preview-vat">{money(totals.tax_amount)}</dd>
          {!isZero(totals.prepaid_amount) && (
            <>
              <dt>
                <Bi label={L.prepaid} locale={locale} />
              </dt>
              <dd>−{money(totals.prepaid_amount)}</dd>
            </>
          )}
          <dt className="paper-grand">
            <Bi label={L.total} locale={locale} />
          </dt>
          <dd className="paper-grand" data-testid="preview-total">
            <span className="paper-currency">{currency}</span> {money(totals.payable_amount)}
          </dd>
        </dl>
      </section>

      {props.notes && (
        <section className="paper-notes">
          <h3 className="paper-label">
            <Bi label={L.notes} locale={locale} />
          </h3>
          <p>{props.notes}</p>
        </section>
      )}
    </article>
  );
}
