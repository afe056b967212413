import { type FormEvent, useState } from 'react';
import { api } from '../../api/browser-client';
import { getGatewaySettings, saveGatewaySettings } from '../../api/payment-gateway';
import { Alert } from '../../components/Alert';
import { useI18n } from '../../i18n/I18nProvider';
import { describeError } from '../../lib/errors';
import { useLoader } from '../../lib/use-loader';

/**
 * Settings → Online payments (owners and administrators): connect the company's Stripe account. The keys go to
 * the server once, are tried there and kept sealed; the page shows the account's name and the webhook URL to give
 * Stripe, never the keys.
 */
export function OnlinePaymentsPage() {
  const { t, formatIsoDate } = useI18n();
  const settings = useLoader((signal) => getGatewaySettings(api, { signal }), []);
  const [secretKey, setSecretKey] = useState('');
  const [webhookSecret, setWebhookSecret] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [isSaving, setIsSaving] = useState(false);
  const connected = settings.data;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setNotice(null);
    setIsSaving(true);
    try {
      await saveGatewaySettings(api, {
        provider: 'stripe',
        secret_key: secretKey,
        webhook_secret: webhookSecret,
      });
      setSecretKey('');
      setWebhookSecret('');
      setNotice(t('gateway.saved'));
      settings.reload();
    } catch (e) {
      setError(e);
    } finally {
      setIsSaving(false);
    }
  }

  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('gateway.title')}</h1>
        <p className="muted">{t('gateway.subtitle')}</p>
      </header>
      {settings.error !== undefined && <Alert tone="error">{describeError(settings.error, t)}</Alert>}
      {notice && <Alert tone="success">{notice}</Alert>}
      {connected && (
        <section className="card" data-testid="gateway-connected">
          <h2 className="card-title">{t('gateway.connected')}</h2>
          <p>
            {t('gateway.account')}:{' '}
            <bdi data-testid="gateway-account">{connected.account_name ?? 'Stripe'}</bdi>
          </p>
          <p className="muted small">
            {t('gateway.updated', { date: formatIsoDate(connected.updated_at.slice(0, 10)) })}
          </p>
          <p>{t('gateway.webhookHint')}</p>
          <p>
            <code className="secret-value" dir="ltr" data-testid="gateway-webhook-url">
              {connected.webhook_url}
            </code>
          </p>
          <p className="muted small">{t('gateway.events')}</p>
        </section>
      )}
      {settings.data === null && <p className="empty-state muted">{t('gateway.notConnected')}</p>}
      <form className="card form-grid" onSubmit={(e) => void submit(e)} data-testid="gateway-form">
        <h2 className="card-title">{connected ? t('gateway.replace') : t('gateway.connect')}</h2>
        {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
        <label className="field">
          <span className="field-label">{t('gateway.secretKey')}</span>
          <input
            name="secret_key"
            type="password"
            dir="ltr"
            autoComplete="off"
            required
            value={secretKey}
            onChange={(e) => setSecretKey(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">{t('gateway.webhookSecret')}</span>
          <input
            name="webhook_secret"
            type="password"
            dir="ltr"
            autoComplete="off"
            required
            value={webhookSecret}
            onChange={(e) => setWebhookSecret(e.target.value)}
          />
        </label>
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={isSaving}>
            {isSaving ? t('gateway.checking') : t('gateway.save')}
          </button>
        </div>
      </form>
    </div>
  );
}
