import { type FormEvent, useState } from 'react';
import { api } from '../api/browser-client';
import { isApiError } from '../api/client';
import { acceptInvitationByToken } from '../api/team';
import { Alert } from '../components/Alert';
import { AuthLayout } from '../components/AuthLayout';
import { FormActions, useSave } from '../components/ListPage';
import { useI18n } from '../i18n/I18nProvider';
import { describeError } from '../lib/errors';
import { Link, navigate, useSearchParam } from '../router/router';

/**
 * The page the invitation mail links to: a new address chooses its name and password and joins the company; an
 * address that already has an account is told to sign in and accept it there.
 */
export function AcceptInvitationPage() {
  const { t } = useI18n();
  const token = useSearchParam('token');
  const [fullName, setFullName] = useState('');
  const [password, setPassword] = useState('');
  const [isDone, setIsDone] = useState(false);
  const { error, isSaving, save } = useSave();
  const needsSignIn = isApiError(error) && error.code === 'INVITATION_SIGN_IN_REQUIRED';

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!token) return;
    return save(async () => {
      await acceptInvitationByToken(api, {
        token,
        password,
        ...(fullName.trim() ? { full_name: fullName.trim() } : {}),
      });
      setIsDone(true);
    });
  }

  return (
    <AuthLayout title={t('acceptInvite.title')}>
      {!token ? (
        <Alert tone="error">{t('acceptInvite.missingToken')}</Alert>
      ) : isDone ? (
        <Alert tone="success">{t('acceptInvite.done')}</Alert>
      ) : (
        <form className="form" onSubmit={(e) => void submit(e)} data-testid="accept-invitation-form">
          <p className="muted">{t('acceptInvite.intro')}</p>
          {error !== null && (
            <Alert tone="error">{needsSignIn ? t('acceptInvite.signIn') : describeError(error, t)}</Alert>
          )}
          <label className="field">
            <span className="field-label">{t('acceptInvite.fullName')}</span>
            <input
              name="full_name"
              dir="auto"
              autoComplete="name"
              value={fullName}
              onChange={(e) => setFullName(e.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">{t('acceptInvite.password')}</span>
            <input
              name="password"
              type="password"
              autoComplete="new-password"
              minLength={10}
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          <FormActions
            onCancel={() => navigate('/login')}
            saveLabel={t('acceptInvite.submit')}
            isDisabled={isSaving || password.length < 10}
            saveTestId="accept-invitation"
          />
        </form>
      )}
      <p className="form-row-end">
        <Link to="/login">{t('acceptInvite.toLogin')}</Link>
      </p>
    </AuthLayout>
  );
}
