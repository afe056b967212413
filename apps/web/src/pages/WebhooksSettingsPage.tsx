import { type FormEvent, useState } from 'react';
import { api } from '../api/browser-client';
import {
  createEndpoint,
  deleteEndpoint,
  getDelivery,
  listDeliveries,
  listEndpoints,
  listEventTypes,
  replayDelivery,
  rotateSecret,
  updateEndpoint,
  type WebhookEndpoint,
} from '../api/webhooks';
import { Alert } from '../components/Alert';
import { FormActions, ListHeader, useSave } from '../components/ListPage';
import { Pagination } from '../components/Pagination';
import { StatusBadge } from '../components/StatusBadge';
import { useI18n } from '../i18n/I18nProvider';
import { describeError } from '../lib/errors';
import { useLoader } from '../lib/use-loader';

/** Settings → Webhooks (owners and administrators): endpoints, their secret once, deliveries and replays. */
export function WebhooksSettingsPage() {
  const { t } = useI18n();
  const endpoints = useLoader((signal) => listEndpoints(api, { signal }), []);
  const [isAdding, setIsAdding] = useState(false);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [openLog, setOpenLog] = useState<string | null>(null);
  const { error, save } = useSave();

  return (
    <div className="page page-wide">
      <ListHeader
        title={t('webhooks.title')}
        subtitle={t('webhooks.subtitle')}
        newLabel={t('webhooks.new')}
        newTestId="new-endpoint"
        onNew={isAdding ? undefined : () => setIsAdding(true)}
      />
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      {secret && (
        <section className="card" role="status" data-testid="endpoint-secret">
          <h2 className="card-title">{t('webhooks.secretTitle')}</h2>
          <p>{t('webhooks.secretOnce', { url: secret.url })}</p>
          <p>
            <code className="secret-value" dir="ltr" data-testid="endpoint-secret-value">
              {secret.secret}
            </code>
          </p>
          <button type="button" className="button button-ghost button-small" onClick={() => setSecret(null)}>
            {t('webhooks.secretDone')}
          </button>
        </section>
      )}
      {isAdding && (
        <EndpointForm
          onCancel={() => setIsAdding(false)}
          onCreated={(created) => {
            setIsAdding(false);
            setSecret({ url: created.url, secret: created.secret });
            endpoints.reload();
          }}
        />
      )}
      {endpoints.error !== undefined && <Alert tone="error">{describeError(endpoints.error, t)}</Alert>}
      {endpoints.data?.endpoints.length === 0 && <p className="empty-state muted">{t('webhooks.empty')}</p>}
      <ul className="plain-list" data-testid="endpoint-list">
        {endpoints.data?.endpoints.map((endpoint) => (
          <li key={endpoint.id} className="card endpoint-card" data-testid="endpoint">
            <h2 className="card-title" dir="ltr">
              {endpoint.url}
            </h2>
            {endpoint.description && <p className="muted">{endpoint.description}</p>}
            <p>
              {t('webhooks.events')}: <span dir="ltr">{endpoint.events.join(', ')}</span>
            </p>
            <p>
              <StatusBadge status={endpoint.is_enabled ? 'active' : 'paused'} />
            </p>
            <div className="inline-actions start">
              <button
                type="button"
                className="button button-ghost button-small"
                aria-expanded={openLog === endpoint.id}
                data-testid="show-deliveries"
                onClick={() => setOpenLog(openLog === endpoint.id ? null : endpoint.id)}
              >
                {t('webhooks.deliveries')}
              </button>
              <button
                type="button"
                className="button button-ghost button-small"
                onClick={() =>
                  void save(async () => {
                    await updateEndpoint(api, endpoint.id, { is_enabled: !endpoint.is_enabled });
                    endpoints.reload();
                  })
                }
              >
                {endpoint.is_enabled ? t('webhooks.disable') : t('webhooks.enable')}
              </button>
              <button
                type="button"
                className="button button-ghost button-small"
                onClick={() => {
                  if (window.confirm(t('webhooks.rotateConfirm')))
                    void save(async () => {
                      const rotated = await rotateSecret(api, endpoint.id);
                      setSecret({ url: rotated.url, secret: rotated.secret });
                    });
                }}
              >
                {t('webhooks.rotate')}
              </button>
              <button
                type="button"
                className="button button-ghost button-small"
                onClick={() => {
                  if (window.confirm(t('webhooks.deleteConfirm', { url: endpoint.url })))
                    void save(async () => {
                      await deleteEndpoint(api, endpoint.id);
                      endpoints.reload();
                    });
                }}
              >
                {t('webhooks.delete')}
              </button>
            </div>
            {openLog === endpoint.id && <DeliveryLog endpoint={endpoint} />}
          </li>
        ))}
      </ul>
      <section className="card" data-testid="webhook-recipe">
        <h2 className="card-title">{t('webhooks.recipeTitle')}</h2>
        <ol>
          <li>{t('webhooks.recipe.1')}</li>
          <li>{t('webhooks.recipe.2')}</li>
          <li>
            {t('webhooks.recipe.3')} <code dir="ltr">HMAC-SHA256(secret, timestamp + "." + body)</code>
          </li>
          <li>{t('webhooks.recipe.4')}</li>
          <li>{t('webhooks.recipe.5')}</li>
        </ol>
        <p className="muted">{t('webhooks.recipeDocs')}</p>
      </section>
    </div>
  );
}

function EndpointForm({
  onCancel,
  onCreated,
}: {
  onCancel(): void;
  onCreated(created: WebhookEndpoint & { secret: string }): void;
}) {
  const { t } = useI18n();
  const types = useLoader((signal) => listEventTypes(api, { signal }), []);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const { error, isSaving, save } = useSave();

  function submit(event: FormEvent) {
    event.preventDefault();
    return save(async () => {
      onCreated(
        await createEndpoint(api, {
          url: url.trim(),
          events,
          ...(description.trim() ? { description: description.trim() } : {}),
        }),
      );
    });
  }

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} data-testid="endpoint-form">
      <h2 className="card-title">{t('webhooks.new')}</h2>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      <div className="form-grid">
        <label className="field field-wide">
          <span className="field-label">{t('webhooks.url')}</span>
          <input name="url" type="url" dir="ltr" value={url} onChange={(e) => setUrl(e.target.value)} />
        </label>
        <label className="field field-wide">
          <span className="field-label">{t('webhooks.description')}</span>
          <input name="description" value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
      </div>
      <fieldset className="event-choices">
        <legend className="field-label">{t('webhooks.events')}</legend>
        {types.data?.events.map((type) => (
          <label key={type} className="checkbox">
            <input
              type="checkbox"
              name="events"
              value={type}
              checked={events.includes(type)}
              onChange={(e) =>
                setEvents(e.target.checked ? [...events, type] : events.filter((x) => x !== type))
              }
            />{' '}
            <span dir="ltr">{type}</span>
          </label>
        ))}
      </fieldset>
      <FormActions
        onCancel={onCancel}
        saveLabel={t('webhooks.save')}
        isDisabled={isSaving || !url.trim() || events.length === 0}
        saveTestId="save-endpoint"
      />
    </form>
  );
}

/** One endpoint's deliveries, newest first, with the last answer's status and excerpt; each can be sent again. */
function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const [openId, setOpenId] = useState<string | null>(null);
  const deliveries = useLoader((signal) => listDeliveries(api, endpoint.id, page, { signal }), [page]);
  const { error, isSaving, save } = useSave();
  return (
    <div data-testid="delivery-log">
      <div className="inline-actions start">
        <button type="button" className="button button-ghost button-small" onClick={deliveries.reload}>
          {t('webhooks.refresh')}
        </button>
      </div>
      {error !== null && <Alert tone="error">{describeError(error, t)}</Alert>}
      {deliveries.data?.deliveries.length === 0 && <p className="muted">{t('webhooks.noDeliveries')}</p>}
      <table className="data-table">
        <thead>
          <tr>
            <th>{t('webhooks.col.event')}</th>
            <th>{t('webhooks.col.status')}</th>
            <th className="num">{t('webhooks.col.code')}</th>
            <th className="num">{t('webhooks.col.attempts')}</th>
            <th>{t('webhooks.col.when')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {deliveries.data?.deliveries.map((d) => (
            <DeliveryRow
              key={d.id}
              delivery={d}
              isOpen={openId === d.id}
              onToggle={() => setOpenId(openId === d.id ? null : d.id)}
              isBusy={isSaving}
              onReplay={() =>
                void save(async () => {
                  await replayDelivery(api, d.id);
                  setPage(1);
                  deliveries.reload();
                })
              }
            />
          ))}
        </tbody>
      </table>
      {deliveries.data && (
        <Pagination page={page} pageSize={20} total={deliveries.data.total} onPage={setPage} />
      )}
    </div>
  );
}

function DeliveryRow({
  delivery: d,
  isOpen,
  onToggle,
  isBusy,
  onReplay,
}: {
  delivery: Awaited<ReturnType<typeof listDeliveries>>['deliveries'][number];
  isOpen: boolean;
  onToggle(): void;
  isBusy: boolean;
  onReplay(): void;
}) {
  const { t, locale } = useI18n();
  const detail = useLoader(
    (signal) => (isOpen ? getDelivery(api, d.id, { signal }) : Promise.resolve(null)),
    [isOpen, d.id, d.attempts],
  );
  const when = new Date(d.delivered_at ?? d.created_at).toLocaleString(locale === 'ar' ? 'ar-SA' : 'en-GB');
  return (
    <>
      <tr data-testid="delivery-row" data-status={d.status}>
        <td dir="ltr">
          {d.event_type}
          {d.replay_of && <span className="muted"> ({t('webhooks.replay')})</span>}
        </td>
        <td>
          <StatusBadge status={d.status} />
        </td>
        <td className="num" data-testid="delivery-code">
          {d.last_status_code ?? '—'}
        </td>
        <td className="num">{d.attempts}</td>
        <td>{when}</td>
        <td className="num">
          <button
            type="button"
            className="button button-ghost button-small"
            aria-expanded={isOpen}
            onClick={onToggle}
          >
            {t('webhooks.details')}
          </button>
          <button
            type="button"
            className="button button-ghost button-small"
            data-testid="replay-delivery"
            disabled={isBusy}
            onClick={onReplay}
          >
            {t('webhooks.replayAction')}
          </button>
        </td>
      </tr>
      {isOpen && (
        <tr>
          <td colSpan={6}>
            {detail.data?.attempt_log.map((a) => (
              <p key={a.attempt} data-testid="delivery-attempt">
                {t('webhooks.attempt', { n: a.attempt })}: {a.status_code ?? a.error ?? '—'}
                {a.response_excerpt && (
                  <>
                    {' · '}
                    <code dir="ltr" data-testid="response-excerpt">
                      {a.response_excerpt}
                    </code>
                  </>
                )}
              </p>
            ))}
            {d.last_error && <p className="muted">{d.last_error}</p>}
          </td>
        </tr>
      )}
    </>
  );
}
