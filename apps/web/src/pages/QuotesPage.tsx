import { type FormEvent, useState } from 'react';
import { api } from '../api/browser-client';
import {
  convertQuote,
  createQuote,
  deleteQuote,
  downloadQuotePdf,
  getQuote,
  listQuotes,
  type Quote,
  sendQuote,
  updateQuote,
} from '../api/quotes';
import { listCustomers } from '../api/resources';
import { Alert } from '../components/Alert';
import { FormActions, ListHeader, TableCard, useSave } from '../components/ListPage';
import { Pagination } from '../components/Pagination';
import { ScrollArea } from '../components/ScrollArea';
import { StatusBadge } from '../components/StatusBadge';
import { useI18n } from '../i18n/I18nProvider';
import { describeError } from '../lib/errors';
import { saveBlob } from '../lib/files';
import { useLoader } from '../lib/use-loader';
import { Link, navigate } from '../router/router';
import { DocumentLinesEditor, useCompanyBasics, useDocumentLines } from './invoice-editor/DocumentLines';

const PAGE_SIZE = 20;

/** The company's quotations, newest first. */
export function QuotesPage() {
  const { t, formatMoney, formatIsoDate } = useI18n();
  const [page, setPage] = useState(1);
  const quotes = useLoader((signal) => listQuotes(api, { page, page_size: PAGE_SIZE }, { signal }), [page]);
  return (
    <div className="page page-wide">
      <ListHeader
        title={t('quotes.title')}
        subtitle={t('quotes.subtitle')}
        newLabel={t('quotes.new')}
        newTestId="new-quote"
        onNew={() => navigate('/quotes/new')}
      />
      {quotes.error !== undefined && <Alert tone="error">{describeError(quotes.error, t)}</Alert>}
      <TableCard
        testId="quote-table"
        head={
          <>
            <th>{t('quotes.col.status')}</th>
            <th>{t('quotes.col.number')}</th>
            <th>{t('quotes.col.customer')}</th>
            <th className="num">{t('quotes.col.total')}</th>
            <th>{t('quotes.col.validUntil')}</th>
          </>
        }
        isEmpty={quotes.data?.quotes.length === 0}
        empty={t('quotes.empty')}
      >
        {quotes.data?.quotes.map((quote) => (
          <tr key={quote.id} data-testid="quote-row">
            <td>
              <StatusBadge status={quote.status} />
            </td>
            <td dir="ltr">
              <Link to={`/quotes/${quote.id}`}>{quote.quote_number}</Link>
            </td>
            <td>{quote.customer_name}</td>
            <td className="num">{formatMoney(quote.total_amount, quote.currency)}</td>
            <td>{formatIsoDate(quote.valid_until)}</td>
          </tr>
        ))}
      </TableCard>
      {quotes.data && (
        <Pagination page={page} pageSize={PAGE_SIZE} total={quotes.data.total} onPage={setPage} />
      )}
    </div>
  );
}

/** A new quotation, or a draft one being changed. */
export function QuoteEditorPage({ id }: { id?: string }) {
  const { t } = useI18n();
  const { basics, error } = useCompanyBasics();
  const existing = useLoader((signal) => (id ? getQuote(api, id, { signal }) : Promise.resolve(null)), [id]);
  if (error || existing.error) return <Alert tone="error">{describeError(error ?? existing.error, t)}</Alert>;
  if (!basics || existing.data === undefined)
    return (
      <div className="page" aria-busy="true">
        <p className="muted">{t('common.loading')}</p>
      </div>
    );
  return <QuoteForm company={basics.company} rates={basics.rates} quote={existing.data} />;
}

function QuoteForm({
  company,
  rates,
  quote,
}: {
  company: Parameters<typeof useDocumentLines>[0];
  rates: readonly string[];
  quote: Quote | null;
}) {
  const { t, locale } = useI18n();
  const lines = useDocumentLines(company, rates, quote?.body);
  const [customerId, setCustomerId] = useState(quote?.customer_id ?? '');
  const [validUntil, setValidUntil] = useState(quote?.valid_until ?? '');
  const [notes, setNotes] = useState(quote?.notes ?? '');
  const [hasTried, setHasTried] = useState(false);
  const customers = useLoader((signal) => listCustomers(api, { page_size: 100 }, { signal }), []);
  const { error, isSaving, save } = useSave();

  function submit(event: FormEvent) {
    event.preventDefault();
    setHasTried(true);
    return save(async () => {
      const input = {
        customer_id: customerId,
        lines: lines.linesBody(),
        ...(validUntil ? { valid_until: validUntil } : {}),
        ...(notes.trim() ? { notes: notes.trim() } : {}),
      };
      const saved = quote ? await updateQuote(api, quote.id, input) : await createQuote(api, input);
      navigate(`/quotes/${saved.id}`);
    });
  }

  return (
    <form className="page page-wide" onSubmit={(e) => void submit(e)} data-testid="quote-form">
      <header className="page-header">
        <h1>{quote ? t('quotes.editTitle', { number: quote.quote_number }) : t('quotes.new')}</h1>
      </header>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <div className="card form">
        <div className="form-grid four">
          <label className="field">
            <span className="field-label">{t('quotes.col.customer')}</span>
            <select name="customer_id" value={customerId} onChange={(e) => setCustomerId(e.target.value)}>
              <option value="">{t('sales.chooseCustomer')}</option>
              {customers.data?.customers.map((c) => (
                <option key={c.id} value={c.id}>
                  {(locale === 'ar' && c.name_ar) || c.name_en}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">{t('quotes.col.validUntil')}</span>
            <input
              name="valid_until"
              type="date"
              value={validUntil}
              onChange={(e) => setValidUntil(e.target.value)}
            />
          </label>
          <label className="field field-wide">
            <span className="field-label">{t('editor.section.notes')}</span>
            <input name="notes" value={notes} onChange={(e) => setNotes(e.target.value)} />
          </label>
        </div>
        <DocumentLinesEditor lines={lines} rates={rates} showIssues={hasTried} />
        <FormActions
          onCancel={() => navigate(quote ? `/quotes/${quote.id}` : '/quotes')}
          saveLabel={t('quotes.save')}
          isDisabled={isSaving || !customerId}
          saveTestId="save-quote"
        />
      </div>
    </form>
  );
}

/** One quotation: its lines and answer, and what can be done with it now (edit, send, convert, PDF). */
export function QuoteDetailPage({ id }: { id: string }) {
  const { t, formatMoney, formatIsoDate, formatDecimal } = useI18n();
  const quote = useLoader((signal) => getQuote(api, id, { signal }), [id]);
  const [publicUrl, setPublicUrl] = useState<string | null>(null);
  const [sendTo, setSendTo] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const { error, isSaving, save } = useSave();
  const q = quote.data;
  if (quote.error !== undefined) return <Alert tone="error">{describeError(quote.error, t)}</Alert>;
  if (!q)
    return (
      <div className="page" aria-busy="true">
        <p className="muted">{t('common.loading')}</p>
      </div>
    );
  const canSend = q.status === 'draft' || q.status === 'sent';
  const canConvert = q.status !== 'declined' && q.status !== 'expired' && q.status !== 'converted';

  return (
    <div className="page page-wide" data-testid="quote-detail">
      <header className="page-header page-header-row">
        <div>
          <h1 dir="ltr" data-testid="quote-number">
            {q.quote_number}
          </h1>
          <p className="muted">
            <StatusBadge status={q.status} /> {q.customer_name} ·{' '}
            {t('quotes.validUntilDate', { date: formatIsoDate(q.valid_until) })}
          </p>
        </div>
        <div className="inline-actions">
          {q.status === 'draft' && (
            <button
              type="button"
              className="button button-ghost"
              data-testid="edit-quote"
              onClick={() => navigate(`/quotes/${q.id}/edit`)}
            >
              {t('common.edit')}
            </button>
          )}
          <button
            type="button"
            className="button button-ghost"
            data-testid="download-quote-pdf"
            onClick={() =>
              void save(async () => {
                const { blob, filename } = await downloadQuotePdf(api, q.id);
                saveBlob(blob, filename ?? `${q.quote_number}.pdf`);
              })
            }
          >
            {t('quotes.pdf')}
          </button>
          {canConvert && (
            <button
              type="button"
              className="button button-primary"
              data-testid="convert-quote"
              disabled={isSaving}
              onClick={() =>
                void save(async () => {
                  const { invoice_id } = await convertQuote(api, q.id);
                  navigate(`/invoices/new?invoice=${invoice_id}`);
                })
              }
            >
              {t('quotes.convert')}
            </button>
          )}
          {q.invoice_id && (
            <Link className="button button-ghost" to={`/invoices/new?invoice=${q.invoice_id}`}>
              {t('quotes.openInvoice')}
            </Link>
          )}
          {q.status === 'draft' && (
            <button
              type="button"
              className="button button-ghost"
              data-testid="delete-quote"
              onClick={() => {
                if (window.confirm(t('quotes.deleteConfirm', { number: q.quote_number })))
                  void save(async () => {
                    await deleteQuote(api, q.id);
                    navigate('/quotes');
                  });
              }}
            >
              {t('quotes.delete')}
            </button>
          )}
        </div>
      </header>
      {notice && <Alert tone="success">{notice}</Alert>}
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}

      <section className="card" data-testid="quote-link">
        <h2 className="card-title">{t('quotes.link')}</h2>
        <p data-testid="quote-link-status">
          {q.accepted_at
            ? t('quotes.link.accepted', { date: formatIsoDate(q.accepted_at.slice(0, 10)) })
            : q.declined_at
              ? t('quotes.link.declined', { date: formatIsoDate(q.declined_at.slice(0, 10)) })
              : q.sent_at
                ? t('quotes.link.sent', { date: formatIsoDate(q.sent_at.slice(0, 10)) })
                : t('quotes.link.notSent')}
        </p>
        {q.decision_note && (
          <p>
            {t('quotes.decisionNote')}: <q>{q.decision_note}</q>
          </p>
        )}
        {publicUrl && (
          <p>
            {t('quotes.link.url')}{' '}
            <a href={publicUrl} dir="ltr" data-testid="quote-public-url" target="_blank" rel="noreferrer">
              {publicUrl}
            </a>
          </p>
        )}
        {canSend && (
          <form
            className="inline-actions start"
            onSubmit={(e) => {
              e.preventDefault();
              void save(async () => {
                const sent = await sendQuote(api, q.id, sendTo.trim() ? { to: sendTo.trim() } : {});
                setPublicUrl(sent.public_url);
                setNotice(t('quotes.sentTo', { to: sent.to }));
                quote.reload();
              });
            }}
          >
            <label className="field">
              <span className="field-label">{t('quotes.sendTo')}</span>
              <input
                name="to"
                type="email"
                dir="ltr"
                value={sendTo}
                onChange={(e) => setSendTo(e.target.value)}
              />
            </label>
            <button
              type="submit"
              className="button button-primary"
              data-testid="send-quote"
              disabled={isSaving}
            >
              {q.sent_at ? t('quotes.resend') : t('quotes.send')}
            </button>
          </form>
        )}
      </section>

      <ScrollArea className="card table-card">
        <table className="data-table" data-testid="quote-lines">
          <thead>
            <tr>
              <th>{t('editor.line.description')}</th>
              <th className="num">{t('editor.line.quantity')}</th>
              <th className="num">{t('editor.line.unitPrice')}</th>
              <th className="num">{t('quotes.col.net')}</th>
            </tr>
          </thead>
          <tbody>
            {q.lines.map((line, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a quotation's lines have no ids; their order is fixed.
              <tr key={index} data-testid="quote-line">
                <td>{line.description}</td>
                <td className="num">{formatDecimal(line.quantity)}</td>
                <td className="num">{formatMoney(line.unit_price as `${number}`, q.currency)}</td>
                <td className="num">{formatMoney(line.net_amount as `${number}`, q.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="num" data-testid="quote-total">
          <strong>{formatMoney(q.total_amount, q.currency)}</strong>
        </p>
      </ScrollArea>
    </div>
  );
}
