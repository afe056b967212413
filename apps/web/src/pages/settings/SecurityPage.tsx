import { type FormEvent, useState } from 'react';
import { api } from '../../api/browser-client';
import {
  changePassword,
  confirmTotp,
  disableTotp,
  listSessions,
  revokeOtherSessions,
  revokeSession,
  type SignedInSession,
  startTotp,
} from '../../api/settings';
import type { User } from '../../api/types';
import { useSession } from '../../auth/SessionProvider';
import { Alert } from '../../components/Alert';
import { QrCode } from '../../components/QrCode';
import { useI18n } from '../../i18n/I18nProvider';
import { describeError } from '../../lib/errors';
import { useLoader } from '../../lib/use-loader';

/**
 * Settings → Security, the signed-in person's own: their profile, their password, and two-step verification
 * (an authenticator app's codes; the backup codes are shown once, when it is turned on), and the sessions signed
 * in to the account (one per sign-in: the device as its browser named itself, when it started and was last active),
 * any other one signed out here. A new password or turning two-step verification on signs every other one out.
 */
export function SecurityPage({ user }: { user: User }) {
  const { t } = useI18n();
  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('security.title')}</h1>
        <p className="muted">{t('security.subtitle')}</p>
      </header>
      <section className="card" data-testid="profile-card" id="profile">
        <h2 className="card-title">{t('security.profile')}</h2>
        <dl className="detail-list">
          <dt>{t('security.name')}</dt>
          <dd>
            <bdi>{user.full_name}</bdi>
          </dd>
          <dt>{t('security.email')}</dt>
          <dd>
            <bdi dir="ltr">{user.email}</bdi>
          </dd>
        </dl>
      </section>
      <TwoStepCard isEnabled={user.mfa_enabled} />
      <PasswordCard />
      <SessionsCard />
    </div>
  );
}

function TwoStepCard({ isEnabled }: { isEnabled: boolean }) {
  const { t } = useI18n();
  const { completeSignIn } = useSession();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [enrolment, setEnrolment] = useState<{ secret: string; otpauth_uri: string } | null>(null);
  const [backupCodes, setBackupCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function run(work: () => Promise<void>) {
    setError(null);
    setNotice(null);
    setIsBusy(true);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setIsBusy(false);
    }
  }

  const start = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const started = await startTotp(api, password);
      setEnrolment({ secret: started.secret, otpauth_uri: started.otpauth_uri });
    });
  };
  const confirm = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const confirmed = await confirmTotp(api, { code, password });
      setBackupCodes(confirmed.backup_codes);
      setEnrolment(null);
      setCode('');
      setPassword('');
    });
  };
  const turnOff = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await disableTotp(api, { code, password });
      setCode('');
      setPassword('');
      setNotice(t('security.totpOff'));
      await completeSignIn();
    });
  };

  return (
    <section className="card" data-testid="two-step" data-enabled={String(isEnabled)}>
      <h2 className="card-title">{t('security.twoStep')}</h2>
      {!backupCodes && <p data-testid="two-step-state">{isEnabled ? t('user.mfaOn') : t('user.mfaOff')}</p>}
      {notice && <Alert tone="success">{notice}</Alert>}
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      {backupCodes && (
        <div data-testid="backup-codes">
          <Alert tone="success">{t('security.totpOn')}</Alert>
          <p>{t('security.backupCodesOnce')}</p>
          <ul className="backup-codes" dir="ltr">
            {backupCodes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="button button-primary"
            data-testid="backup-codes-done"
            onClick={() => {
              setBackupCodes(null);
              void completeSignIn();
            }}
          >
            {t('security.backupCodesSaved')}
          </button>
        </div>
      )}
      {!isEnabled && !backupCodes && !enrolment && (
        <form className="form-grid settings-form" onSubmit={start} data-testid="totp-start">
          <p className="muted">{t('security.twoStepText')}</p>
          <PasswordInput value={password} onChange={setPassword} />
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={isBusy}>
              {t('security.enable')}
            </button>
          </div>
        </form>
      )}
      {enrolment && (
        <form className="form-grid settings-form" onSubmit={confirm} data-testid="totp-confirm">
          <p>{t('security.scan')}</p>
          <QrCode value={enrolment.otpauth_uri} label={t('security.qrLabel')} />
          <p className="muted small">
            {t('security.secret')}{' '}
            <code dir="ltr" data-testid="totp-secret">
              {enrolment.secret}
            </code>
          </p>
          <CodeInput value={code} onChange={setCode} />
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={isBusy}>
              {t('security.confirm')}
            </button>
          </div>
        </form>
      )}
      {isEnabled && !backupCodes && (
        <form className="form-grid settings-form" onSubmit={turnOff} data-testid="totp-disable">
          <p className="muted">{t('security.disableText')}</p>
          <PasswordInput value={password} onChange={setPassword} />
          <CodeInput value={code} onChange={setCode} />
          <div className="button-row">
            <button type="submit" className="button button-danger" disabled={isBusy}>
              {t('security.disable')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function PasswordCard() {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setNotice(null);
    try {
      await changePassword(api, { current_password: current, new_password: next });
      setCurrent('');
      setNext('');
      setNotice(t('security.passwordChanged'));
    } catch (e) {
      setError(e);
    }
  }

  return (
    <form
      className="card form-grid settings-form"
      id="password"
      onSubmit={(e) => void submit(e)}
      data-testid="password-form"
    >
      <h2 className="card-title">{t('security.password')}</h2>
      {notice && <Alert tone="success">{notice}</Alert>}
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <label className="field">
        <span className="field-label">{t('security.currentPassword')}</span>
        <input
          type="password"
          name="current_password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
      </label>
      <label className="field">
        <span className="field-label">{t('security.newPassword')}</span>
        <input
          type="password"
          name="new_password"
          autoComplete="new-password"
          minLength={10}
          required
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
      </label>
      <div className="button-row">
        <button type="submit" className="button button-primary">
          {t('security.changePassword')}
        </button>
      </div>
    </form>
  );
}

function PasswordInput({ value, onChange }: { value: string; onChange(value: string): void }) {
  const { t } = useI18n();
  return (
    <label className="field">
      <span className="field-label">{t('security.currentPassword')}</span>
      <input
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

function CodeInput({ value, onChange }: { value: string; onChange(value: string): void }) {
  const { t } = useI18n();
  return (
    <label className="field">
      <span className="field-label">{t('security.code')}</span>
      <input
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        dir="ltr"
        required
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

function SessionsCard() {
  const { t, formatDate, formatTime } = useI18n();
  const sessions = useLoader((signal) => listSessions(api, { signal }), []);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const list = sessions.data?.sessions ?? [];
  const others = list.filter((s) => !s.current);
  const when = (iso: string) => {
    const date = new Date(iso);
    return `${formatDate(date)} ${formatTime(date)}`;
  };
  const device = (session: SignedInSession) => session.device ?? t('security.unknownDevice');

  async function run(id: string, work: () => Promise<void>, message: string) {
    setError(null);
    setNotice(null);
    setBusyId(id);
    try {
      await work();
      setNotice(message);
      sessions.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusyId(null);
    }
  }

  return (
    <section className="card" data-testid="sessions-card" id="sessions" aria-labelledby="sessions-title">
      <h2 className="card-title" id="sessions-title">
        {t('security.sessionsTitle')}
      </h2>
      <p className="muted">{t('security.sessions')}</p>
      <div aria-live="polite">
        {notice && <Alert tone="success">{notice}</Alert>}
        {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      </div>
      {sessions.error !== undefined && <Alert tone="error">{describeError(sessions.error, t)}</Alert>}
      {sessions.isLoading && !sessions.data && <p className="muted">{t('security.sessionsLoading')}</p>}
      {sessions.data && (
        <ul className="session-list" data-testid="session-list">
          {list.map((session) => (
            <li key={session.id} className="session-item" data-current={String(session.current)}>
              <div className="session-main">
                <strong>
                  <bdi dir={session.device ? 'ltr' : undefined}>{device(session)}</bdi>
                </strong>
                {session.current && <span className="badge">{t('security.thisDevice')}</span>}
              </div>
              <dl className="detail-list session-details">
                <dt>{t('security.sessionStarted')}</dt>
                <dd>{when(session.started_at)}</dd>
                <dt>{t('security.sessionLastActive')}</dt>
                <dd>{when(session.last_used_at)}</dd>
              </dl>
              {!session.current && (
                <div className="button-row">
                  <button
                    type="button"
                    className="button button-ghost"
                    disabled={busyId !== null}
                    aria-label={t('security.signOutSessionLabel', {
                      device: device(session),
                      date: when(session.last_used_at),
                    })}
                    onClick={() =>
                      void run(
                        session.id,
                        () => revokeSession(api, session.id),
                        t('security.sessionSignedOut', { device: device(session) }),
                      )
                    }
                  >
                    {t('security.signOutSession')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {sessions.data && others.length === 0 && <p className="muted">{t('security.noOtherSessions')}</p>}
      {others.length > 0 && (
        <div className="button-row">
          <button
            type="button"
            className="button button-danger"
            data-testid="sign-out-others"
            disabled={busyId !== null}
            onClick={() =>
              void run('others', () => revokeOtherSessions(api), t('security.otherSessionsSignedOut'))
            }
          >
            {t('security.signOutOthers')}
          </button>
        </div>
      )}
    </section>
  );
}
