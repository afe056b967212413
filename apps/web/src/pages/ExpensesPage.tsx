import { type FormEvent, useState } from 'react';
import { api } from '../api/browser-client';
import {
  createExpense,
  deleteExpense,
  downloadReceipt,
  type Expense,
  listExpenses,
  updateExpense,
  uploadReceipt,
} from '../api/workspace';
import { Alert } from '../components/Alert';
import { PlainField, RowActions, useListEditor } from '../components/ListEditor';
import { FormActions, ListHeader, TableCard, useSave } from '../components/ListPage';
import { Pagination } from '../components/Pagination';
import { useI18n } from '../i18n/I18nProvider';
import { todayIso } from '../lib/dates';
import { describeError } from '../lib/errors';
import { saveBlob } from '../lib/files';
import { useLoader } from '../lib/use-loader';

const PAGE_SIZE = 20;
// What the server accepts (it checks the bytes, not the name); `capture` opens a phone's camera.
const RECEIPT_ACCEPT = 'image/*,application/pdf';

/** Expenses with their receipts: a list, a form that takes a photo or a PDF, each receipt downloadable. */
export function ExpensesPage() {
  const { t, formatMoney, formatIsoDate } = useI18n();
  const list = useListEditor<Expense>();
  const { page, editing, notice } = list;
  const expenses = useLoader(
    (signal) => listExpenses(api, { page, page_size: PAGE_SIZE }, { signal }),
    [page],
  );
  const { error, save } = useSave();

  return (
    <div className="page page-wide">
      <ListHeader
        title={t('expenses.title')}
        subtitle={t('expenses.subtitle')}
        newLabel={t('expenses.new')}
        newTestId="new-expense"
        onNew={list.isFormOpen ? undefined : list.startAdding}
      />
      {notice && <Alert tone="success">{notice}</Alert>}
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      {list.isFormOpen && (
        <ExpenseForm
          key={editing?.id ?? 'new'}
          editing={editing}
          onCancel={() => list.close()}
          onSaved={() => {
            list.close(t('expenses.saved'));
            expenses.reload();
          }}
        />
      )}
      {expenses.error !== undefined && <Alert tone="error">{describeError(expenses.error, t)}</Alert>}
      <TableCard
        testId="expense-table"
        head={
          <>
            <th>{t('expenses.col.date')}</th>
            <th>{t('expenses.col.vendor')}</th>
            <th>{t('expenses.col.category')}</th>
            <th className="num">{t('expenses.col.vat')}</th>
            <th className="num">{t('expenses.col.amount')}</th>
            <th>{t('expenses.col.receipt')}</th>
            <th />
          </>
        }
        isEmpty={expenses.data?.expenses.length === 0}
        empty={t('expenses.empty')}
      >
        {expenses.data?.expenses.map((e) => (
          <tr key={e.id} data-testid="expense-row">
            <td>{formatIsoDate(e.expense_date)}</td>
            <td>{e.vendor}</td>
            <td>{e.category}</td>
            <td className="num">{formatMoney(e.vat_amount, e.currency)}</td>
            <td className="num">
              <strong>{formatMoney(e.amount, e.currency)}</strong>
            </td>
            <td>
              {e.receipt ? (
                <button
                  type="button"
                  className="button button-ghost button-small"
                  data-testid="download-receipt"
                  onClick={() =>
                    void save(async () => {
                      const { blob, filename } = await downloadReceipt(api, e.id);
                      saveBlob(blob, filename ?? e.receipt?.file_name ?? 'receipt');
                    })
                  }
                >
                  {e.receipt.file_name}
                </button>
              ) : (
                '—'
              )}
            </td>
            <RowActions
              testIdPrefix="expense"
              editLabel={t('expenses.edit')}
              deleteLabel={t('expenses.delete')}
              confirmText={t('expenses.deleteConfirm', { vendor: e.vendor })}
              onEdit={() => list.startEditing(e)}
              onDelete={() =>
                void save(async () => {
                  await deleteExpense(api, e.id);
                  list.close(t('expenses.deleted'));
                  expenses.reload();
                })
              }
            />
          </tr>
        ))}
      </TableCard>
      {expenses.data && (
        <Pagination page={page} pageSize={PAGE_SIZE} total={expenses.data.total} onPage={list.setPage} />
      )}
    </div>
  );
}

/** A new expense, or one being edited (`editing`): its fields changed, its receipt replaced when a file is chosen. */
function ExpenseForm({
  editing,
  onCancel,
  onSaved,
}: {
  editing: Expense | null;
  onCancel(): void;
  onSaved(): void;
}) {
  const { t } = useI18n();
  const [date, setDate] = useState(editing?.expense_date ?? todayIso());
  const [vendor, setVendor] = useState(editing?.vendor ?? '');
  const [category, setCategory] = useState(editing?.category ?? '');
  const [amount, setAmount] = useState(editing?.amount ?? '');
  const [vatRate, setVatRate] = useState(editing?.vat_rate ?? '');
  const [isRecoverable, setIsRecoverable] = useState(editing?.is_vat_recoverable ?? true);
  const [description, setDescription] = useState(editing?.description ?? '');
  const [file, setFile] = useState<File | null>(null);
  // Once saved, a refused receipt (wrong type, too large) is retried without saving the fields again.
  const [savedId, setSavedId] = useState<string | null>(null);
  const { error, isSaving, save } = useSave();

  function submit(event: FormEvent) {
    event.preventDefault();
    return save(async () => {
      let id = savedId;
      if (!id) {
        const fields = {
          expense_date: date,
          vendor: vendor.trim(),
          category: category.trim(),
          description: description.trim() || null,
          amount: amount.trim(),
          vat_rate: vatRate.trim() || '0',
          is_vat_recoverable: isRecoverable,
        };
        const expense = editing
          ? await updateExpense(api, editing.id, fields)
          : await createExpense(api, fields);
        id = expense.id;
        setSavedId(id);
      }
      if (file) await uploadReceipt(api, id, file);
      onSaved();
    });
  }

  const text = (name: string, label: string, value: string, set: (v: string) => void, ltr = false) => (
    <PlainField
      name={name}
      label={label}
      value={value}
      onChange={set}
      isLtr={ltr}
      isDisabled={savedId !== null}
    />
  );

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} data-testid="expense-form">
      <h2 className="card-title">{t(editing ? 'expenses.editTitle' : 'expenses.new')}</h2>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <div className="form-grid four">
        <label className="field">
          <span className="field-label">{t('expenses.col.date')}</span>
          <input
            name="expense_date"
            type="date"
            value={date}
            onChange={(e) => setDate(e.target.value)}
            disabled={savedId !== null}
          />
        </label>
        {text('vendor', t('expenses.col.vendor'), vendor, setVendor)}
        {text('category', t('expenses.col.category'), category, setCategory)}
        {text('amount', t('expenses.amount'), amount, setAmount, true)}
        {text('vat_rate', t('field.vatRate'), vatRate, setVatRate, true)}
        {text('description', t('expenses.description'), description, setDescription)}
        <label className="checkbox">
          <input
            type="checkbox"
            name="is_vat_recoverable"
            checked={isRecoverable}
            onChange={(e) => setIsRecoverable(e.target.checked)}
            disabled={savedId !== null}
          />{' '}
          {t('expenses.recoverable')}
        </label>
        <label className="field">
          <span className="field-label">
            {t(editing?.receipt ? 'expenses.replaceReceipt' : 'expenses.receipt')}
          </span>
          <input
            name="receipt"
            type="file"
            accept={RECEIPT_ACCEPT}
            capture="environment"
            data-testid="receipt-input"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
      </div>
      <FormActions
        onCancel={onCancel}
        saveLabel={t('expenses.save')}
        isDisabled={isSaving || !vendor.trim() || !category.trim() || !amount.trim()}
        saveTestId="save-expense"
      />
    </form>
  );
}
