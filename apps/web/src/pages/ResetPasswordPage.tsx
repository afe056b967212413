import { type FormEvent, useState } from 'react';
import * as authApi from '../api/auth';
import { api } from '../api/browser-client';
import { Alert } from '../components/Alert';
import { AuthLayout } from '../components/AuthLayout';
import { Field, type FieldMessage } from '../components/Field';
import { useI18n } from '../i18n/I18nProvider';
import { describeError } from '../lib/errors';
import { checkPassword, PASSWORD_MIN_LENGTH } from '../lib/validation';
import { Link, useSearchParam } from '../router/router';

export function ResetPasswordPage() {
  const { t } = useI18n();
  const token = useSearchParam('token');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const passwordCheck = checkPassword(password);
  const passwordMessage: FieldMessage | null =
    submitted && passwordCheck.kind !== 'ok'
      ? { tone: 'error', text: t('validation.passwordMin', { min: PASSWORD_MIN_LENGTH }) }
      : null;
  const confirmMessage: FieldMessage | null =
    (submitted || confirm.length >= password.length) && confirm && confirm !== password
      ? { tone: 'error', text: t('validation.passwordMismatch') }
      : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!token || passwordCheck.kind !== 'ok' || confirm !== password) return;
    setBusy(true);
    setError(null);
    try {
      await authApi.resetPassword(api, { token, password });
      setDone(true);
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  }

  if (!token || done) {
    return (
      <AuthLayout title={t('reset.title')}>
        {done ? (
          <Alert tone="success">{t('reset.done')}</Alert>
        ) : (
          <Alert tone="error">{t('reset.missingToken')}</Alert>
        )}
        <p className="form-row-end">
          {done ? (
            <Link to="/login">{t('login.submit')}</Link>
          ) : (
            <Link to="/forgot-password">{t('reset.requestNew')}</Link>
          )}
        </p>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title={t('reset.title')} footer={<Link to="/login">{t('forgot.back')}</Link>}>
      <form className="form" onSubmit={submit} noValidate>
        {error && <Alert tone="error">{error}</Alert>}
        <Field
          id="reset-password"
          label={t('field.newPassword')}
          help={t('field.passwordHint', { min: PASSWORD_MIN_LENGTH })}
          message={passwordMessage}
        >
          {(a11y) => (
            <input
              {...a11y}
              type="password"
              name="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <Field id="reset-confirm" label={t('field.confirmPassword')} message={confirmMessage}>
          {(a11y) => (
            <input
              {...a11y}
              type="password"
              name="confirm"
              autoComplete="new-password"
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
            />
          )}
        </Field>
        <button className="button button-primary button-block" type="submit" disabled={busy}>
          {t('reset.submit')}
        </button>
      </form>
    </AuthLayout>
  );
}
