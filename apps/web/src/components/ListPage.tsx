import { type ReactNode, useState } from 'react';
import type { FieldError } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { describeFieldError } from '../lib/errors';
import { ScrollArea } from './ScrollArea';

// The pieces the record pages (customers, products, payments) are made of: a header with the "new" button, a
// search box, the table card with its empty state, and a form's text fields and its cancel/save buttons.

export function ListHeader({
  title,
  subtitle,
  newLabel,
  newTestId,
  onNew,
}: {
  title: string;
  subtitle: string;
  newLabel: string;
  newTestId: string;
  /** Absent while the button has no use (a form is already open). */
  onNew?: () => void;
}) {
  return (
    <header className="page-header page-header-row">
      <div>
        <h1>{title}</h1>
        <p className="muted">{subtitle}</p>
      </div>
      {onNew && (
        <button type="button" className="button button-primary" onClick={onNew} data-testid={newTestId}>
          + {newLabel}
        </button>
      )}
    </header>
  );
}

/** The search box above a list. */
export function SearchToolbar({
  label,
  value,
  onSearch,
}: {
  label: string;
  value: string;
  onSearch(value: string): void;
}) {
  return (
    <div className="toolbar">
      <input
        type="search"
        className="toolbar-search"
        placeholder={label}
        aria-label={label}
        value={value}
        onChange={(e) => onSearch(e.target.value)}
      />
    </div>
  );
}

export function TableCard({
  testId,
  head,
  isEmpty,
  empty,
  children,
}: {
  testId: string;
  head: ReactNode;
  isEmpty: boolean;
  empty: string;
  children: ReactNode;
}) {
  return (
    <ScrollArea className="card table-card">
      <table className="data-table" data-testid={testId}>
        <thead>
          <tr>{head}</tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
      {isEmpty && <p className="empty-state muted">{empty}</p>}
    </ScrollArea>
  );
}

/** The edit button at the end of a row. */
export function EditCell({ onEdit }: { onEdit(): void }) {
  const { t } = useI18n();
  return (
    <td className="num">
      <button type="button" className="button button-ghost button-small" onClick={onEdit}>
        {t('common.edit')}
      </button>
    </td>
  );
}

/** A text input with its label and the API's message for it. */
export function TextField({
  name,
  label,
  value,
  onChange,
  problem,
  isWide = false,
  isLtr = false,
}: {
  name: string;
  label: string;
  value: string;
  onChange(e: { target: { value: string } }): void;
  problem: FieldError | undefined;
  isWide?: boolean;
  isLtr?: boolean;
}) {
  const { t } = useI18n();
  return (
    <label className={`field${isWide ? ' field-wide' : ''}`} data-invalid={problem ? true : undefined}>
      <span className="field-label">{label}</span>
      <input name={name} value={value} dir={isLtr ? 'ltr' : undefined} onChange={onChange} />
      {problem && <span className="field-message field-message-error">{describeFieldError(problem, t)}</span>}
    </label>
  );
}

export function FormActions({
  onCancel,
  saveLabel,
  isDisabled,
  saveTestId,
  onSave,
}: {
  onCancel(): void;
  saveLabel: string;
  isDisabled: boolean;
  saveTestId: string;
  /** Fields inside another form (no form of their own): the save button runs this instead of submitting. */
  onSave?: () => void;
}) {
  const { t } = useI18n();
  return (
    <div className="inline-actions">
      <button type="button" className="button button-ghost" onClick={onCancel}>
        {t('common.cancel')}
      </button>
      <button
        type={onSave ? 'button' : 'submit'}
        className="button button-primary"
        disabled={isDisabled}
        onClick={onSave}
        data-testid={saveTestId}
      >
        {saveLabel}
      </button>
    </div>
  );
}

/** A form's save: while it runs `isSaving`; a refusal is kept in `error` (null when none) to show. */
export function useSave() {
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setIsSaving] = useState(false);
  async function save(work: () => Promise<void>) {
    setIsSaving(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setIsSaving(false);
    }
  }
  return { error, isSaving, save };
}
