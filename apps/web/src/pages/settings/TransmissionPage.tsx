import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api/browser-client';
import { isApiError } from '../../api/client';
import {
  getTransmissionSettings,
  listTransmissionProviders,
  saveTransmissionSettings,
  type TransmissionProvider,
  type TransmissionProviderInfo,
  type TransmissionSettings,
  turnOffTransmission,
} from '../../api/transmission';
import { Alert } from '../../components/Alert';
import { useI18n } from '../../i18n/I18nProvider';
import { en, type MessageKey } from '../../i18n/messages-en';
import { describeError, describeFieldError, unclaimedFieldErrors } from '../../lib/errors';
import { useLoader } from '../../lib/use-loader';

type Translate = ReturnType<typeof useI18n>['t'];

/** A worded label where the catalog has one; a provider or field added on the server shows its own name. */
function labelOf(t: Translate, key: string, fallback: string): string {
  return key in en ? t(key as MessageKey) : fallback;
}

const credentialLabel = (t: Translate, name: string) =>
  labelOf(t, `transmissionSettings.field.${name}`, name.replaceAll('_', ' '));
const providerLabel = (t: Translate, info: TransmissionProviderInfo) =>
  labelOf(t, `transmissionSettings.provider.${info.provider}`, info.label);

/**
 * Settings → Transmission (owners and administrators): which access point or service provider the company's
 * invoices go through. The form is drawn from the providers the API lists; credentials go to the server, are
 * tried there with a harmless call and kept sealed: a stored one shows as such and is kept when left empty.
 */
export function TransmissionPage() {
  const { t, formatIsoDate } = useI18n();
  const providers = useLoader((signal) => listTransmissionProviders(api, { signal }), []);
  const settings = useLoader((signal) => getTransmissionSettings(api, { signal }), []);
  const current = settings.data;
  const listed = providers.data?.items;
  const items = listed ?? [];

  const [provider, setProvider] = useState<TransmissionProvider | ''>('');
  const [baseUrl, setBaseUrl] = useState('');
  const [credentials, setCredentials] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  // A message key, not its text: the notice follows a change of language.
  const [notice, setNotice] = useState<{ key: MessageKey; provider?: string } | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  // The form starts from what is stored, or from the first provider while nothing is.
  useEffect(() => {
    if (current) {
      setProvider(current.provider);
      setBaseUrl(current.base_url);
    } else if (current === null && listed?.[0]) {
      const first = listed[0].provider;
      setProvider((chosen) => chosen || first);
    }
  }, [current, listed]);

  const chosen = items.find((item) => item.provider === provider);
  const isSameProvider = current?.provider === provider;
  const stored = new Set(isSameProvider ? current.credentials_set : []);
  const fieldErrors = isApiError(error) && error.status === 400 ? error.fieldErrors() : {};
  const hasFieldErrors = Object.keys(fieldErrors).length > 0;
  // A field error no input shows (a credential the provider does not read) goes in the summary.
  const unclaimed =
    isApiError(error) && error.status === 400
      ? unclaimedFieldErrors(
          error,
          ['base_url', ...(chosen?.credentials ?? []).map((f) => `credentials.${f.name}`)],
          t,
        )
      : [];
  const checkFailure =
    isApiError(error) && error.code === 'TRANSMISSION_SETTINGS_REJECTED'
      ? (error.errors[0]?.message ?? error.message)
      : null;

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!chosen) return;
    setError(null);
    setNotice(null);
    setIsBusy(true);
    try {
      // Only what was typed: a stored credential left empty is kept by the server.
      const typed = Object.fromEntries(
        chosen.credentials
          .map((field) => [field.name, credentials[field.name] ?? ''] as const)
          .filter(([, value]) => value !== ''),
      );
      await saveTransmissionSettings(api, {
        provider: chosen.provider,
        base_url: baseUrl,
        credentials: typed,
      });
      setCredentials({});
      setNotice({ key: 'transmissionSettings.saved', provider: chosen.provider });
      settings.reload();
    } catch (e) {
      setError(e);
    } finally {
      setIsBusy(false);
    }
  }

  async function turnOff() {
    if (!window.confirm(t('transmissionSettings.turnOffConfirm'))) return;
    setError(null);
    setNotice(null);
    setIsBusy(true);
    try {
      await turnOffTransmission(api);
      setCredentials({});
      setNotice({ key: 'transmissionSettings.turnedOff' });
      settings.reload();
    } catch (e) {
      setError(e);
    } finally {
      setIsBusy(false);
    }
  }

  const loadError = providers.error ?? settings.error;
  const noticeProvider = items.find((item) => item.provider === notice?.provider);
  const currentInfo = current ? items.find((item) => item.provider === current.provider) : undefined;

  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('transmissionSettings.title')}</h1>
        <p className="muted">{t('transmissionSettings.subtitle')}</p>
      </header>
      {loadError !== undefined && <Alert tone="error">{describeError(loadError, t)}</Alert>}
      {notice && (
        <Alert tone="success">
          <span data-testid="transmission-notice">
            {t(notice.key, {
              provider: noticeProvider ? providerLabel(t, noticeProvider) : (notice.provider ?? ''),
            })}
          </span>
        </Alert>
      )}
      {current && (
        <CurrentSettings
          current={current}
          label={currentInfo ? providerLabel(t, currentInfo) : current.provider}
          updated={formatIsoDate(current.updated_at.slice(0, 10))}
          isBusy={isBusy}
          onTurnOff={() => void turnOff()}
        />
      )}
      {current === null && (
        <p className="empty-state muted" data-testid="transmission-off">
          {t('transmissionSettings.off')}
        </p>
      )}
      {items.length > 0 && (
        <form
          className="card form-grid settings-form"
          onSubmit={(e) => void save(e)}
          data-testid="transmission-form"
        >
          <h2 className="card-title">
            {current ? t('transmissionSettings.change') : t('transmissionSettings.setUp')}
          </h2>
          {checkFailure !== null && (
            <Alert tone="error">
              <span data-testid="transmission-check-failed">
                {t('transmissionSettings.checkFailed', { reason: checkFailure })}
              </span>
            </Alert>
          )}
          {error !== null && checkFailure === null && (unclaimed.length > 0 || !hasFieldErrors) && (
            <Alert tone="error">
              {describeError(error, t)}
              {unclaimed.length > 0 && (
                <ul className="plain-list">
                  {unclaimed.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              )}
            </Alert>
          )}
          <div className="field">
            <label className="field-label" htmlFor="transmission-provider">
              {t('transmissionSettings.provider')}
            </label>
            <select
              id="transmission-provider"
              name="provider"
              value={provider}
              onChange={(e) => {
                setProvider(e.target.value as TransmissionProvider);
                setCredentials({});
                setError(null);
              }}
            >
              {items.map((item) => (
                <option key={item.provider} value={item.provider}>
                  {providerLabel(t, item)}
                </option>
              ))}
            </select>
          </div>
          <div className="field" data-invalid={fieldErrors.base_url ? true : undefined}>
            <label className="field-label" htmlFor="transmission-base-url">
              {t('transmissionSettings.baseUrl')}
            </label>
            <input
              id="transmission-base-url"
              name="base_url"
              type="url"
              dir="ltr"
              inputMode="url"
              autoComplete="off"
              required
              placeholder="https://"
              value={baseUrl}
              aria-invalid={fieldErrors.base_url ? true : undefined}
              aria-describedby={fieldErrors.base_url ? 'transmission-base-url-message' : undefined}
              onChange={(e) => setBaseUrl(e.target.value)}
            />
            {fieldErrors.base_url && (
              <span id="transmission-base-url-message" className="field-message field-message-error">
                {describeFieldError(fieldErrors.base_url, t)}
              </span>
            )}
          </div>
          {chosen?.credentials.map((field) => {
            const isStored = stored.has(field.name);
            const problem = fieldErrors[`credentials.${field.name}`];
            const inputId = `credential-${field.name}`;
            const hintId = `${inputId}-hint`;
            return (
              <div key={field.name} className="field" data-invalid={problem ? true : undefined}>
                <label className="field-label" htmlFor={inputId}>
                  {credentialLabel(t, field.name)}
                  {!field.is_required && <span className="field-optional"> ({t('field.optional')})</span>}
                </label>
                <input
                  id={inputId}
                  name={`credentials.${field.name}`}
                  type={field.is_secret ? 'password' : 'text'}
                  dir="ltr"
                  autoComplete={field.is_secret ? 'new-password' : 'off'}
                  spellCheck={false}
                  required={field.is_required && !isStored}
                  placeholder={isStored ? t('transmissionSettings.storedPlaceholder') : undefined}
                  value={credentials[field.name] ?? ''}
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={hintId}
                  onChange={(e) => setCredentials((all) => ({ ...all, [field.name]: e.target.value }))}
                />
                <span
                  id={hintId}
                  className={`field-message ${problem ? 'field-message-error' : 'field-message-hint'}`}
                  data-testid={`credential-${field.name}-state`}
                >
                  {problem
                    ? describeFieldError(problem, t)
                    : isStored
                      ? t('transmissionSettings.stored')
                      : t('transmissionSettings.notStored')}
                </span>
              </div>
            );
          })}
          <p className="muted small">{t('transmissionSettings.checkHint')}</p>
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={isBusy || !chosen}>
              {isBusy ? t('transmissionSettings.checking') : t('transmissionSettings.save')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function CurrentSettings({
  current,
  label,
  updated,
  isBusy,
  onTurnOff,
}: {
  current: TransmissionSettings;
  label: string;
  updated: string;
  isBusy: boolean;
  onTurnOff(): void;
}) {
  const { t } = useI18n();
  const [isCopied, setIsCopied] = useState(false);
  const url = current.webhook_url;

  async function copy() {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setIsCopied(true);
    } catch {
      // No clipboard permission: the URL stays selectable in the field.
      setIsCopied(false);
    }
  }

  return (
    <section className="card" data-testid="transmission-current" data-provider={current.provider}>
      <h2 className="card-title">{t('transmissionSettings.on', { provider: label })}</h2>
      <p className="muted small">{t('transmissionSettings.updated', { date: updated })}</p>
      {url ? (
        <div className="field">
          <label className="field-label" htmlFor="transmission-webhook-url">
            {t('transmissionSettings.webhookUrl')}
          </label>
          <div className="copy-row">
            <input
              id="transmission-webhook-url"
              className="copy-field"
              readOnly
              dir="ltr"
              value={url}
              data-testid="transmission-webhook-url"
              onFocus={(e) => e.target.select()}
            />
            <button type="button" className="button" onClick={() => void copy()}>
              {isCopied ? t('transmissionSettings.copied') : t('transmissionSettings.copy')}
            </button>
          </div>
          <span className="field-message field-message-hint">{t('transmissionSettings.webhookHint')}</span>
        </div>
      ) : (
        <p className="muted small">{t('transmissionSettings.pulled')}</p>
      )}
      <div className="button-row">
        <button
          type="button"
          className="button button-danger"
          disabled={isBusy}
          onClick={onTurnOff}
          data-testid="transmission-turn-off"
        >
          {t('transmissionSettings.turnOff')}
        </button>
      </div>
    </section>
  );
}
