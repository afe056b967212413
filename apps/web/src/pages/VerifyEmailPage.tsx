import { useEffect, useState } from 'react';
import * as authApi from '../api/auth';
import { api } from '../api/browser-client';
import { Alert } from '../components/Alert';
import { AuthLayout } from '../components/AuthLayout';
import { useI18n } from '../i18n/I18nProvider';
import { describeError } from '../lib/errors';
import { Link, useSearchParam } from '../router/router';

/** The page the verification mail links to: it confirms the address with the link's single-use token. */
export function VerifyEmailPage() {
  const { t } = useI18n();
  const token = useSearchParam('token');
  const [state, setState] = useState<{ kind: 'busy' } | { kind: 'done' } | { kind: 'error'; text: string }>({
    kind: 'busy',
  });

  useEffect(() => {
    if (!token) return;
    let isCurrent = true;
    authApi.verifyEmail(api, token).then(
      () => isCurrent && setState({ kind: 'done' }),
      (e: unknown) => isCurrent && setState({ kind: 'error', text: describeError(e, t) }),
    );
    return () => {
      isCurrent = false;
    };
  }, [token, t]);

  return (
    <AuthLayout title={t('verify.title')}>
      {!token ? (
        <Alert tone="error">{t('verify.missingToken')}</Alert>
      ) : state.kind === 'done' ? (
        <Alert tone="success">{t('verify.done')}</Alert>
      ) : state.kind === 'error' ? (
        <Alert tone="error">{state.text}</Alert>
      ) : (
        <p aria-busy="true">{t('app.loading')}</p>
      )}
      <p className="form-row-end">
        <Link to="/">{t('verify.continue')}</Link>
      </p>
    </AuthLayout>
  );
}
