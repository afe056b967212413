import { type FormEvent, useState } from 'react';
import * as authApi from '../api/auth';
import { api } from '../api/browser-client';
import { isMfaChallenge } from '../api/types';
import { useSession } from '../auth/SessionProvider';
import { Alert } from '../components/Alert';
import { AuthLayout } from '../components/AuthLayout';
import { Field } from '../components/Field';
import { PublicHome } from '../components/PublicHome';
import { useI18n } from '../i18n/I18nProvider';
import { describeError } from '../lib/errors';
import { safeNextPath } from '../lib/safe-next';
import { Link, navigate, useSearchParam } from '../router/router';

export function LoginPage({ expired }: { expired: boolean }) {
  const { t } = useI18n();
  const { completeSignIn } = useSession();
  const next = safeNextPath(useSearchParam('next'));
  const [mfaToken, setMfaToken] = useState<string | null>(null);

  async function enter() {
    await completeSignIn();
    navigate(next, { replace: true });
  }

  if (mfaToken) {
    return <MfaStep mfaToken={mfaToken} onDone={enter} onCancel={() => setMfaToken(null)} />;
  }

  return (
    <AuthLayout
      title={t('login.title')}
      subtitle={t('login.subtitle')}
      hero={<PublicHome />}
      footer={
        <>
          {t('login.noAccount')} <Link to="/register">{t('login.createAccount')}</Link>
        </>
      }
    >
      {expired && <Alert tone="info">{t('login.sessionExpired')}</Alert>}
      <CredentialsForm onMfa={setMfaToken} onSignedIn={enter} />
    </AuthLayout>
  );
}

function CredentialsForm({ onMfa, onSignedIn }: { onMfa(token: string): void; onSignedIn(): Promise<void> }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await authApi.login(api, { email: email.trim(), password });
      if (isMfaChallenge(res)) onMfa(res.mfa_token);
      else await onSignedIn();
    } catch (e) {
      setError(describeError(e, t));
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      {error && <Alert tone="error">{error}</Alert>}
      <Field id="login-email" label={t('field.email')}>
        {(a11y) => (
          <input
            {...a11y}
            name="email"
            type="email"
            autoComplete="username"
            dir="ltr"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        )}
      </Field>
      <Field id="login-password" label={t('field.password')}>
        {(a11y) => (
          <input
            {...a11y}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <div className="form-row-end">
        <Link to="/forgot-password">{t('login.forgot')}</Link>
      </div>
      <button
        className="button button-primary button-block"
        type="submit"
        disabled={busy || !email || !password}
      >
        {t('login.submit')}
      </button>
    </form>
  );
}

function MfaStep({
  mfaToken,
  onDone,
  onCancel,
}: {
  mfaToken: string;
  onDone(): Promise<void>;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A TOTP code is 6 digits; backup codes are longer and may carry dashes, so accept either shape.
  const normalized = code.replace(/\s+/g, '');
  const isPlausible = /^\d{6}$/.test(normalized) || /^[A-Za-z0-9-]{8,}$/.test(normalized);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!isPlausible) {
      setError(t('validation.mfaCode'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await authApi.loginWithMfa(api, { mfa_token: mfaToken, code: normalized });
      await onDone();
    } catch (e) {
      setError(describeError(e, t));
      setBusy(false);
    }
  }

  return (
    <AuthLayout title={t('mfa.title')} subtitle={t('mfa.subtitle')}>
      <form className="form" onSubmit={submit} noValidate>
        {error && <Alert tone="error">{error}</Alert>}
        <Field id="mfa-code" label={t('mfa.code')}>
          {(a11y) => (
            <input
              {...a11y}
              name="code"
              className="input-code"
              inputMode="text"
              autoComplete="one-time-code"
              dir="ltr"
              // biome-ignore lint/a11y/noAutofocus: the code field is the only task on this step.
              autoFocus
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          )}
        </Field>
        <button className="button button-primary button-block" type="submit" disabled={busy || !normalized}>
          {t('mfa.submit')}
        </button>
        <button className="button button-ghost button-block" type="button" onClick={onCancel}>
          {t('mfa.back')}
        </button>
      </form>
    </AuthLayout>
  );
}
