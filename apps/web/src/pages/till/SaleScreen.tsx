import {
  compareMoney,
  computeTotals,
  fitsCurrency,
  type Jurisdiction,
  subtractMoney,
} from '@invoiceflow/totals';
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../api/browser-client';
import { isApiError } from '../../api/client';
import {
  createSale,
  findProductByCode,
  type Sale,
  searchTillProducts,
  type TillProduct,
} from '../../api/pos';
import { Alert } from '../../components/Alert';
import { useI18n } from '../../i18n/I18nProvider';
import { describeError } from '../../lib/errors';
import { useDebouncedValue, useLoader } from '../../lib/use-loader';
import { isUnanswered, newIdempotencyKey, sendWithRetries } from './idempotency';
import { Receipt } from './Receipt';
import { isFaceValue, isQuantity, quickAmounts, stepQuantity } from './till-math';

interface CartLine {
  product: TillProduct;
  quantity: string;
}

const isOutOfStock = (product: TillProduct) =>
  product.stock_quantity !== null && compareMoney(product.stock_quantity, '0') <= 0;

/** Search, cart, cash and the receipt of one sale after another at an open till. */
export function SaleScreen({
  tillId,
  currency,
  jurisdiction,
  faceValues,
  onSold,
}: {
  tillId: string;
  currency: string;
  jurisdiction: Jurisdiction;
  faceValues: readonly string[];
  onSold(): void;
}) {
  const { t, locale, formatAmount } = useI18n();
  const [query, setQuery] = useState('');
  const [highlight, setHighlight] = useState(-1);
  const [lookupMessage, setLookupMessage] = useState<string | null>(null);
  const [cart, setCart] = useState<CartLine[]>([]);
  const [email, setEmail] = useState('');
  const [paid, setPaid] = useState('');
  // The note a quick-amount button named (the customer handed over one 50): sent as `tendered`, so the drawer
  // counts that note and can give it back as change. A typed amount says nothing of its pieces.
  const [tenderedNote, setTenderedNote] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isSending, setIsSending] = useState(false);
  // Kept from the first attempt until an answer arrives: a retry is the same sale, never a second one.
  const [pendingKey, setPendingKey] = useState<string | null>(null);
  const [sale, setSale] = useState<Sale | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const [stockVersion, setStockVersion] = useState(0);

  const q = useDebouncedValue(query.trim(), 200);
  const results = useLoader(
    (signal) => (q ? searchTillProducts(api, q, { signal }) : Promise.resolve({ products: [] })),
    [q, stockVersion],
  );
  const products = results.data?.products ?? [];
  const nameOf = (p: { name_en?: string; name?: string | null; name_ar: string | null }) =>
    (locale === 'ar' && p.name_ar) || p.name_en || p.name || '';

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new search starts with nothing highlighted.
  useEffect(() => setHighlight(-1), [q]);

  const priced = useMemo(() => {
    if (cart.length === 0 || cart.some((line) => !isQuantity(line.quantity))) return null;
    return computeTotals({
      jurisdiction,
      currency,
      lines: cart.map((line) => ({
        quantity: line.quantity.trim(),
        unit_price: line.product.unit_price,
        vat_category: line.product.vat_category as never,
        vat_rate: line.product.vat_rate,
      })),
    });
  }, [cart, currency, jurisdiction]);
  const totals = priced?.totals ?? null;
  const due = totals?.payable_amount ?? null;
  const isLocked = pendingKey !== null;

  function add(product: TillProduct) {
    if (isLocked) return;
    setLookupMessage(null);
    if (isOutOfStock(product)) {
      setLookupMessage(t('till.outOfStockNamed', { product: nameOf(product) }));
      return;
    }
    setCart((lines) => {
      const index = lines.findIndex((line) => line.product.id === product.id);
      if (index === -1) return [...lines, { product, quantity: '1' }];
      return lines.map((line, i) =>
        i === index && isQuantity(line.quantity)
          ? { ...line, quantity: stepQuantity(line.quantity, 1) }
          : line,
      );
    });
    setError(null);
    setQuery('');
    searchRef.current?.focus();
  }

  async function onSearchKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (products.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setHighlight((h) => (h + step + products.length) % products.length);
      return;
    }
    if (event.key === 'Escape') {
      setQuery('');
      return;
    }
    if (event.key !== 'Enter') return;
    event.preventDefault();
    // Only a highlight in the list of what is typed now (the search may not have settled yet).
    const chosen = q === query.trim() ? products[highlight] : undefined;
    if (chosen) {
      add(chosen);
      return;
    }
    // A scanner types the code and Enter faster than the search settles: look the code up exactly.
    const code = query.trim();
    if (!code) return;
    try {
      const product = await findProductByCode(api, code);
      if (product) add(product);
      else setLookupMessage(t('till.noCode', { code }));
    } catch (lookupError) {
      setLookupMessage(describeError(lookupError, t));
    }
  }

  const setQuantity = (index: number, quantity: string) =>
    setCart((lines) => lines.map((line, i) => (i === index ? { ...line, quantity } : line)));

  async function sell() {
    if (!due || isSending) return;
    const key = pendingKey ?? newIdempotencyKey();
    setPendingKey(key);
    setIsSending(true);
    setError(null);
    try {
      const answer = await sendWithRetries(() =>
        createSale(
          api,
          {
            items: cart.map((line) => ({ product_id: line.product.id, quantity: line.quantity.trim() })),
            paid_amount: paid.trim(),
            ...(tenderedNote !== null && tenderedNote === paid.trim()
              ? { tendered: [{ value: tenderedNote, count: 1 }] }
              : {}),
            till_id: tillId,
            ...(email.trim() ? { customer_email: email.trim() } : {}),
          },
          key,
        ),
      );
      setPendingKey(null);
      setSale(answer);
      onSold();
    } catch (saleError) {
      // Refused (stock, change, underpayment): nothing was recorded, the next attempt is a new sale.
      if (!isUnanswered(saleError)) setPendingKey(null);
      setError(saleError);
    } finally {
      setIsSending(false);
    }
  }

  function nextSale() {
    setSale(null);
    setCart([]);
    setEmail('');
    setPaid('');
    setTenderedNote(null);
    setError(null);
    setStockVersion((v) => v + 1);
    setTimeout(() => searchRef.current?.focus(), 0);
  }

  const problem = isApiError(error) ? error : null;
  const stockLine = problem?.code === 'INSUFFICIENT_STOCK' ? problem.errors[0]?.path : undefined;
  const cashMessage =
    problem?.code === 'PAYMENT_TOO_LOW'
      ? t('till.error.underpaid', {
          total: formatAmount(String(problem.problem.total_amount ?? due ?? ''), currency),
        })
      : problem?.code === 'CHANGE_UNAVAILABLE'
        ? t('till.error.noChange', {
            change: formatAmount(String(problem.problem.change_amount ?? ''), currency),
          })
        : null;
  const generalMessage =
    error === null || cashMessage || stockLine !== undefined
      ? null
      : isUnanswered(error)
        ? t('till.error.unanswered')
        : describeError(error, t);

  const isPaidValid = /^\d{1,12}(\.\d+)?$/.test(paid.trim()) && fitsCurrency(paid.trim(), currency);
  const changeDue =
    due && isPaidValid && compareMoney(paid.trim(), due) >= 0
      ? subtractMoney(paid.trim(), due, currency)
      : null;

  if (sale) {
    return (
      <div className="till-sale-done">
        <Receipt sale={sale} />
        <div className="till-actions no-print">
          <button type="button" className="button button-primary" onClick={nextSale} data-testid="next-sale">
            {t('till.nextSale')}
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="till-sale no-print">
      <section className="card till-search" aria-labelledby="till-search-title">
        <h2 className="card-title" id="till-search-title">
          {t('till.products')}
        </h2>
        <label className="field">
          <span className="field-label">{t('till.search')}</span>
          <input
            ref={searchRef}
            name="product_search"
            type="search"
            // biome-ignore lint/a11y/noAutofocus: a till's first act is a scan or a search.
            autoFocus
            autoComplete="off"
            aria-controls="till-results"
            value={query}
            disabled={isLocked}
            onChange={(e) => {
              setQuery(e.target.value);
              // A highlight belongs to the list it was made in: a scanner's burst must not pick it.
              setHighlight(-1);
              setLookupMessage(null);
            }}
            onKeyDown={(e) => void onSearchKey(e)}
            placeholder={t('till.searchHint')}
          />
        </label>
        {lookupMessage && (
          <p className="field-message field-message-error" role="alert" data-testid="lookup-message">
            {lookupMessage}
          </p>
        )}
        <ul className="till-results" id="till-results" aria-label={t('till.results')}>
          {products.map((product, index) => {
            const isOut = isOutOfStock(product);
            return (
              <li key={product.id}>
                <button
                  type="button"
                  id={`till-result-${index}`}
                  aria-current={index === highlight || undefined}
                  disabled={isOut || isLocked}
                  className={`till-result${index === highlight ? ' is-active' : ''}${isOut ? ' is-out' : ''}`}
                  data-testid="product-result"
                  onClick={() => add(product)}
                >
                  <span className="till-result-name">{nameOf(product)}</span>
                  {product.sku && (
                    <span className="muted till-result-sku" dir="ltr">
                      {product.sku}
                    </span>
                  )}
                  <span className="num">{formatAmount(product.unit_price, currency)}</span>
                  <span className={`till-stock${isOut ? ' is-out' : ''}`} data-testid="product-stock">
                    {product.stock_quantity === null
                      ? t('till.service')
                      : isOut
                        ? t('till.outOfStock')
                        : t('till.inStock', { quantity: product.stock_quantity })}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      </section>

      <section className="card till-cart" aria-labelledby="till-cart-title">
        <h2 className="card-title" id="till-cart-title">
          {t('till.cart')}
        </h2>
        {cart.length === 0 ? (
          <p className="muted">{t('till.cartEmpty')}</p>
        ) : (
          <ul className="till-lines">
            {cart.map((line, index) => {
              const lineError = stockLine === `items.${index}` ? problem : null;
              return (
                <li key={line.product.id} className="till-line" data-testid="cart-line">
                  <div className="till-line-name">
                    <strong>{nameOf(line.product)}</strong>
                    <span className="muted">{formatAmount(line.product.unit_price, currency)}</span>
                  </div>
                  <div className="till-qty">
                    <button
                      type="button"
                      className="button button-ghost button-small"
                      aria-label={t('till.decrease', { product: nameOf(line.product) })}
                      disabled={isLocked || !isQuantity(line.quantity)}
                      onClick={() => setQuantity(index, stepQuantity(line.quantity, -1))}
                    >
                      −
                    </button>
                    <input
                      name={`items.${index}.quantity`}
                      aria-label={t('till.quantityOf', { product: nameOf(line.product) })}
                      inputMode="decimal"
                      dir="ltr"
                      value={line.quantity}
                      disabled={isLocked}
                      aria-invalid={!isQuantity(line.quantity) || lineError !== null}
                      onChange={(e) => setQuantity(index, e.target.value)}
                    />
                    <button
                      type="button"
                      className="button button-ghost button-small"
                      aria-label={t('till.increase', { product: nameOf(line.product) })}
                      disabled={isLocked || !isQuantity(line.quantity)}
                      onClick={() => setQuantity(index, stepQuantity(line.quantity, 1))}
                    >
                      +
                    </button>
                  </div>
                  <span className="num till-line-amount" data-testid="line-amount">
                    {priced?.lines[index] ? formatAmount(priced.lines[index].net_amount, currency) : '—'}
                  </span>
                  <button
                    type="button"
                    className="button button-ghost button-small"
                    aria-label={t('till.remove', { product: nameOf(line.product) })}
                    disabled={isLocked}
                    onClick={() => setCart((lines) => lines.filter((_, i) => i !== index))}
                  >
                    ×
                  </button>
                  {lineError && (
                    <p
                      className="field-message field-message-error till-line-error"
                      role="alert"
                      data-testid="stock-error"
                    >
                      {t('till.error.stock', {
                        product: String(lineError.problem.product_name ?? nameOf(line.product)),
                        available: String(lineError.problem.available ?? '0'),
                      })}
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        {totals && (
          <dl className="till-totals" data-testid="cart-totals">
            <div>
              <dt>{t('till.subtotal')}</dt>
              <dd className="num">{formatAmount(totals.tax_exclusive_amount, currency)}</dd>
            </div>
            <div>
              <dt>{t('till.vat')}</dt>
              <dd className="num">{formatAmount(totals.tax_amount, currency)}</dd>
            </div>
            <div className="till-total">
              <dt>{t('till.total')}</dt>
              <dd className="num" data-testid="cart-total">
                {formatAmount(totals.payable_amount, currency)}
              </dd>
            </div>
          </dl>
        )}
      </section>

      <section className="card till-pay" aria-labelledby="till-pay-title">
        <h2 className="card-title" id="till-pay-title">
          {t('till.payment')}
        </h2>
        <label className="field">
          <span className="field-label">
            {t('till.customerEmail')} <span className="field-optional">({t('field.optional')})</span>
          </span>
          <input
            name="customer_email"
            type="email"
            dir="ltr"
            autoComplete="off"
            value={email}
            disabled={isLocked}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">{t('till.cashReceived', { currency })}</span>
          <input
            name="paid_amount"
            inputMode="decimal"
            dir="ltr"
            value={paid}
            disabled={isLocked}
            aria-invalid={cashMessage !== null}
            aria-describedby={cashMessage ? 'till-cash-error' : undefined}
            onChange={(e) => {
              setPaid(e.target.value);
              setTenderedNote(null);
            }}
          />
        </label>
        {cashMessage && (
          <p
            id="till-cash-error"
            className="field-message field-message-error"
            role="alert"
            data-testid="cash-error"
          >
            {cashMessage}
          </p>
        )}
        {due && (
          <fieldset className="till-quick">
            <legend className="visually-hidden">{t('till.quickAmounts')}</legend>
            {quickAmounts(due, faceValues, currency).map((amount, index) => (
              <button
                key={amount}
                type="button"
                className="button button-ghost"
                data-testid="quick-amount"
                disabled={isLocked}
                onClick={() => {
                  setPaid(amount);
                  setTenderedNote(isFaceValue(amount, faceValues, currency) ? amount : null);
                }}
              >
                {index === 0 ? t('till.exact') : formatAmount(amount, currency)}
              </button>
            ))}
          </fieldset>
        )}
        {changeDue && (
          <p className="till-change-due">
            {t('till.changeDue')}: <strong className="num">{formatAmount(changeDue, currency)}</strong>
          </p>
        )}
        {generalMessage && <Alert tone="error">{generalMessage}</Alert>}
        <button
          type="button"
          className="button button-primary button-block till-sell"
          data-testid="sell"
          disabled={!due || !isPaidValid || isSending}
          onClick={() => void sell()}
        >
          {isSending ? t('till.selling') : isLocked ? t('till.retrySale') : t('till.sell')}
        </button>
      </section>
    </div>
  );
}
