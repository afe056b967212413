import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api/browser-client';
import { isApiError } from '../../api/client';
import { getReminderSettings, type ReminderSettings, saveReminderSettings } from '../../api/settings';
import type { FieldError } from '../../api/types';
import { Alert } from '../../components/Alert';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages-en';
import { describeError } from '../../lib/errors';
import { useLoader } from '../../lib/use-loader';

type Translate = ReturnType<typeof useI18n>['t'];

// The API's bounds on a reminder day (apps/api/src/modules/payments/schemas.ts): from 60 days before the due date
// to 365 after, at most 10 days, each once. The API decides; these only word its answers.
const DAY_ERROR: Record<string, MessageKey> = {
  TOO_SMALL: 'reminders.error.range',
  TOO_BIG: 'reminders.error.range',
};
const DAYS_ERROR: Record<string, MessageKey> = {
  TOO_BIG: 'reminders.error.tooMany',
  INVALID: 'reminders.error.duplicate',
};

function describeDay(day: number, t: Translate): string {
  if (day === 0) return t('reminders.onDueDate');
  return day < 0 ? t('reminders.daysBefore', { count: -day }) : t('reminders.daysAfter', { count: day });
}

function wordError(error: FieldError, table: Record<string, MessageKey>, t: Translate): string {
  const key = table[error.code];
  return key ? t(key) : error.message;
}

/**
 * Settings → Reminders: whether customers are reminded of what they owe, on which days around the due date
 * (a negative day is before it), and whether owners and administrators hear of invoices that became overdue.
 * Everyone who reads payments sees them; owners and administrators change them (the API asks `settings:write`).
 */
export function RemindersPage({ canManage }: { canManage: boolean }) {
  const { t } = useI18n();
  const loaded = useLoader((signal) => getReminderSettings(api, { signal }), []);
  const [draft, setDraft] = useState<ReminderSettings | null>(null);
  const [count, setCount] = useState('');
  const [side, setSide] = useState<'before' | 'after'>('before');
  const [addError, setAddError] = useState<MessageKey | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [isSaving, setIsSaving] = useState(false);

  useEffect(() => {
    if (loaded.data) setDraft(loaded.data);
  }, [loaded.data]);

  const fieldErrors = isApiError(error) ? error.fieldErrors() : {};
  const daysError = fieldErrors.days;
  const claimed = (path: string) => path === 'days' || /^days\.\d+$/.test(path);
  const otherError =
    error !== null &&
    !(isApiError(error) && error.errors.length > 0 && error.errors.every((e) => claimed(e.path)));

  function change(next: Partial<ReminderSettings>) {
    if (!draft) return;
    setDraft({ ...draft, ...next });
    setNotice(null);
  }

  function addDay() {
    setAddError(null);
    if (!draft) return;
    const text = count.trim();
    if (!/^\d{1,4}$/.test(text)) {
      setAddError('reminders.error.wholeNumber');
      return;
    }
    const day = side === 'before' ? -Number(text) : Number(text);
    if (draft.days.includes(day)) {
      setAddError('reminders.error.duplicate');
      return;
    }
    // Kept in order, as the API keeps them, so an error's `days.N` names the row on the screen.
    change({ days: [...draft.days, day].sort((a, b) => a - b) });
    setCount('');
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!draft) return;
    setError(null);
    setNotice(null);
    setIsSaving(true);
    try {
      const saved = await saveReminderSettings(api, {
        is_enabled: draft.is_enabled,
        days: draft.days,
        is_overdue_notice_enabled: draft.is_overdue_notice_enabled,
      });
      setDraft(saved);
      setNotice(t('reminders.saved'));
    } catch (e) {
      setError(e);
    } finally {
      setIsSaving(false);
    }
  }

  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('reminders.title')}</h1>
        <p className="muted">{t('reminders.subtitle')}</p>
      </header>
      {loaded.error !== undefined && <Alert tone="error">{describeError(loaded.error, t)}</Alert>}
      {draft && (
        <form className="card reminders-form" onSubmit={(e) => void save(e)} data-testid="reminders-form">
          {!canManage && <p className="muted">{t('reminders.readOnly')}</p>}
          {notice && <Alert tone="success">{notice}</Alert>}
          {otherError && <Alert tone="error">{describeError(error, t)}</Alert>}
          <label className="checkbox">
            <input
              type="checkbox"
              name="is_enabled"
              checked={draft.is_enabled}
              disabled={!canManage}
              onChange={(e) => change({ is_enabled: e.target.checked })}
            />{' '}
            {t('reminders.enabled')}
          </label>
          <fieldset className="reminder-days" data-invalid={daysError ? true : undefined}>
            <legend className="field-label">{t('reminders.days')}</legend>
            <p className="muted small">{t('reminders.daysHelp')}</p>
            {draft.days.length === 0 ? (
              <p className="muted" data-testid="reminder-days-empty">
                {t('reminders.noDays')}
              </p>
            ) : (
              <ul className="plain-list reminder-day-list" data-testid="reminder-days">
                {draft.days.map((day, index) => {
                  const dayError = fieldErrors[`days.${index}`];
                  const label = describeDay(day, t);
                  return (
                    <li
                      key={day}
                      className="reminder-day"
                      data-testid="reminder-day"
                      data-day={day}
                      data-invalid={dayError ? true : undefined}
                    >
                      <span>{label}</span>
                      {canManage && (
                        <button
                          type="button"
                          className="button button-ghost button-small"
                          aria-label={t('reminders.remove', { day: label })}
                          onClick={() => change({ days: draft.days.filter((d) => d !== day) })}
                        >
                          {t('reminders.removeShort')}
                        </button>
                      )}
                      {dayError && (
                        <span className="field-message field-message-error" role="alert">
                          {wordError(dayError, DAY_ERROR, t)}
                        </span>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
            {daysError && (
              <p className="field-message field-message-error" role="alert">
                {wordError(daysError, DAYS_ERROR, t)}
              </p>
            )}
            {canManage && (
              <div className="reminder-add">
                <label className="field" data-invalid={addError ? true : undefined}>
                  <span className="field-label">{t('reminders.addCount')}</span>
                  <input
                    name="add_day_count"
                    inputMode="numeric"
                    dir="ltr"
                    value={count}
                    onChange={(e) => setCount(e.target.value)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') {
                        e.preventDefault();
                        addDay();
                      }
                    }}
                  />
                </label>
                <label className="field">
                  <span className="field-label">{t('reminders.addSide')}</span>
                  <select
                    name="add_day_side"
                    value={side}
                    onChange={(e) => setSide(e.target.value as 'before' | 'after')}
                  >
                    <option value="before">{t('reminders.before')}</option>
                    <option value="after">{t('reminders.after')}</option>
                  </select>
                </label>
                <button type="button" className="button button-ghost" onClick={addDay}>
                  {t('reminders.add')}
                </button>
                {addError && (
                  <span className="field-message field-message-error" role="alert">
                    {t(addError)}
                  </span>
                )}
              </div>
            )}
          </fieldset>
          <label className="checkbox">
            <input
              type="checkbox"
              name="is_overdue_notice_enabled"
              checked={draft.is_overdue_notice_enabled}
              disabled={!canManage}
              onChange={(e) => change({ is_overdue_notice_enabled: e.target.checked })}
            />{' '}
            {t('reminders.overdueNotice')}
          </label>
          <p className="muted small">{t('reminders.mailHelp')}</p>
          {canManage && (
            <div className="button-row">
              <button type="submit" className="button button-primary" disabled={isSaving}>
                {isSaving ? t('reminders.saving') : t('reminders.save')}
              </button>
            </div>
          )}
        </form>
      )}
    </div>
  );
}
