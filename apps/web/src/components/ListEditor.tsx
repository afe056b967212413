import { useState } from 'react';

/**
 * The state of a list page whose rows are added and edited in one form above the list (expenses, hours): the page
 * shown, whether the form is open for a new row or for `editing`, and the notice of the last change.
 */
export function useListEditor<Row>() {
  const [page, setPage] = useState(1);
  const [isAdding, setIsAdding] = useState(false);
  const [editing, setEditing] = useState<Row | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return {
    page,
    setPage,
    isAdding,
    editing,
    notice,
    setNotice,
    isFormOpen: isAdding || editing !== null,
    startAdding() {
      setNotice(null);
      setEditing(null);
      setIsAdding(true);
    },
    startEditing(row: Row) {
      setNotice(null);
      setIsAdding(false);
      setEditing(row);
    },
    /** Closes the form, with the notice to show when something was saved. */
    close(savedNotice?: string) {
      setIsAdding(false);
      setEditing(null);
      if (savedNotice) setNotice(savedNotice);
    },
  };
}

/** A labelled input of a list page's form; `isLtr` for numbers (decimal keypad on a phone). */
export function PlainField({
  name,
  label,
  value,
  onChange,
  isLtr = false,
  isDisabled = false,
}: {
  name: string;
  label: string;
  value: string;
  onChange(value: string): void;
  isLtr?: boolean;
  isDisabled?: boolean;
}) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        name={name}
        value={value}
        dir={isLtr ? 'ltr' : undefined}
        inputMode={isLtr ? 'decimal' : undefined}
        onChange={(e) => onChange(e.target.value)}
        disabled={isDisabled}
      />
    </label>
  );
}

/** Edit and delete at the end of a row; the delete asks first. No edit button when `onEdit` is absent. */
export function RowActions({
  editLabel,
  deleteLabel,
  confirmText,
  testIdPrefix,
  onEdit,
  onDelete,
  children,
}: {
  editLabel: string;
  deleteLabel: string;
  confirmText: string;
  /** `expense` gives the buttons `edit-expense` and `delete-expense`. */
  testIdPrefix: string;
  onEdit?: () => void;
  onDelete(): void;
  children?: React.ReactNode;
}) {
  return (
    <td className="num">
      {children}
      {onEdit && (
        <button
          type="button"
          className="button button-ghost button-small"
          data-testid={`edit-${testIdPrefix}`}
          onClick={onEdit}
        >
          {editLabel}
        </button>
      )}
      <button
        type="button"
        className="button button-ghost button-small"
        data-testid={`delete-${testIdPrefix}`}
        onClick={() => {
          if (window.confirm(confirmText)) onDelete();
        }}
      >
        {deleteLabel}
      </button>
    </td>
  );
}
