import { type FormEvent, useState } from 'react';
import * as authApi from '../api/auth';
import { api } from '../api/browser-client';
import { Alert } from '../components/Alert';
import { AuthLayout } from '../components/AuthLayout';
import { Field } from '../components/Field';
import { useI18n } from '../i18n/I18nProvider';
import { describeError } from '../lib/errors';
import { checkEmail } from '../lib/validation';
import { Link } from '../router/router';

export function ForgotPasswordPage() {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (checkEmail(email).kind !== 'ok') {
      setError(t('validation.email'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await authApi.requestPasswordReset(api, email.trim());
      // The API answers 202 whether or not the account exists (no account enumeration); so do we.
      setSentTo(email.trim());
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout
      title={t('forgot.title')}
      subtitle={sentTo ? undefined : t('forgot.subtitle')}
      footer={<Link to="/login">{t('forgot.back')}</Link>}
    >
      {sentTo ? (
        <Alert tone="success">{t('forgot.sent', { email: sentTo })}</Alert>
      ) : (
        <form className="form" onSubmit={submit} noValidate>
          {error && <Alert tone="error">{error}</Alert>}
          <Field id="forgot-email" label={t('field.email')}>
            {(a11y) => (
              <input
                {...a11y}
                type="email"
                name="email"
                autoComplete="email"
                dir="ltr"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            )}
          </Field>
          <button className="button button-primary button-block" type="submit" disabled={busy || !email}>
            {t('forgot.submit')}
          </button>
        </form>
      )}
    </AuthLayout>
  );
}
