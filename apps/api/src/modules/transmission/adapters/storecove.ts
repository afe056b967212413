// Storecove, a Peppol access-point service, through its REST API v2 (https://www.storecove.com/docs, the OpenAPI
// "Storecove API 2.0.1" and the SDKs generated from it). What we follow:
// - Every call carries `Authorization: Bearer <api key>`; a bad key is 401.
// - POST /api/v2/document_submissions with `legalEntityId` (the sending legal entity, an integer), `idempotencyGuid`
//   (36 characters: our instance id), `routing.eIdentifiers` [{ scheme, id }] and `document` { documentType:
//   'invoice' (credit notes too), rawDocumentData { document: base64 UBL, parse: true, parseStrategy: 'ubl' } }.
//   200 answers { guid } (kept as provider_reference); 422 answers an array of { source, details }. The documented
//   idempotency: a second submission with an idempotencyGuid already used is not processed and answers 422.
// - GET /api/v2/document_submissions/{guid}/evidence/sending: the transmission's evidence ({ guid, sender, receiver,
//   network, documents, evidence }) once the document was sent; read as "delivered" when present.
// - GET /api/v2/legal_entities/{id}: check() (read-only, behind the same key).
// - Webhooks: Storecove posts JSON events to the URL configured for the API key; the same bodies wait in a pull
//   queue for installs Storecove cannot reach: GET /api/v2/webhook_instances/ answers the head ({ guid, body: the
//   JSON text }) or 204 when empty; DELETE /api/v2/webhook_instances/{guid} removes it (the next GET gives the next).
//   A `received_document` event names the document by `document_guid`; GET /api/v2/received_documents/{guid}/original
//   answers { guid, direction, original } with the document as received.
// Where the documentation we could read is silent, the most plausible reading, chosen here:
// - Webhook authentication: Storecove documents no signature over push webhooks; the receiving URL is protected by
//   HTTP Basic credentials written into it (https://storecove:<webhook_secret>@host/...). We check the password
//   against the `webhook_secret` credential (constant-time); no timestamp exists, so replays are caught only by the
//   event id (recorded once).
// - The event bodies: `event_type` 'received_document' with `document_guid`, and 'document_submission' with `event`
//   (succeeded / failed / …), `document_submission_guid` (or `guid`), optional `idempotency_guid` and `details`.
// - The 422 of a reused idempotencyGuid names `idempotencyGuid` as its source: read as "Storecove has it".
// - Evidence not (yet) there is 404; `original` is base64 (raw XML is accepted as well).
// - eIdentifier schemes: Storecove names schemes as the Peppol code list's short names (DE:VAT, BE:EN, GLN, …);
//   codes missing from the table below are sent as the numeric ICD.
import { timingSafeEqual } from 'node:crypto';
import type {
  AdapterSettings,
  FetchResult,
  InboundEvent,
  PullResult,
  StatusResult,
  SubmitResult,
  TransmissionAdapter,
  WebhookRequest,
  WebhookResult,
} from '../adapter';
import { isRetryableStatus, type ProviderAnswer, reasonOf, request, retryAfterSeconds } from '../http';

/** Peppol participant identifier scheme codes (ICD) and the short names Storecove expects in eIdentifiers. */
const SCHEME_NAMES: Record<string, string> = {
  '0007': 'SE:ORGNR',
  '0009': 'FR:SIRET',
  '0037': 'FI:OVT',
  '0060': 'DUNS',
  '0088': 'GLN',
  '0096': 'DK:P',
  '0106': 'NL:KVK',
  '0151': 'AU:ABN',
  '0183': 'CH:UIDB',
  '0184': 'DK:DIGST',
  '0190': 'NL:OINO',
  '0192': 'NO:ORG',
  '0195': 'SG:UEN',
  '0204': 'DE:LWID',
  '0208': 'BE:EN',
  '0211': 'IT:IVA',
  '9906': 'IT:VAT',
  '9914': 'AT:VAT',
  '9920': 'ES:VAT',
  '9925': 'BE:VAT',
  '9930': 'DE:VAT',
  '9944': 'NL:VAT',
  '9945': 'PL:VAT',
  '9946': 'PT:VAT',
  '9957': 'FR:VAT',
};

/** Pulled events read per call, at most: status events are taken off the queue as they are read. */
const PULL_BATCH = 50;
const DELIVERED = ['succeeded', 'delivered', 'accepted', 'sent'];
const FAILED = ['failed', 'rejected', 'send_error', 'internal_error'];

type Answer = ProviderAnswer | { error: string };

function retryOf(answer: Answer) {
  if ('error' in answer) return { outcome: 'retry' as const, status_code: null, reason: answer.error };
  return {
    outcome: 'retry' as const,
    status_code: answer.status_code,
    reason: reasonOf(answer.body, `HTTP ${answer.status_code}`),
    retry_after_seconds: retryAfterSeconds(answer.headers['retry-after']),
  };
}

function refusedOf(answer: ProviderAnswer) {
  return {
    outcome: 'refused' as const,
    status_code: answer.status_code,
    reason: reasonOf(answer.body, `HTTP ${answer.status_code}`),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);

/** `iso6523-actorid-upis::9930:DE123456789` → { scheme: 'DE:VAT', id: 'DE123456789' }. */
export function eIdentifierOf(participant: string): { scheme: string; id: string } | undefined {
  const match = /^(?:iso6523-actorid-upis::)?(\d{4}):(.+)$/.exec(participant);
  if (!match) return undefined;
  const [, code = '', id = ''] = match;
  return { scheme: SCHEME_NAMES[code] ?? code, id };
}

/** One Storecove event body (pushed, or waiting in the pull queue) in our terms; undefined for other events. */
export function eventOf(body: unknown): InboundEvent | undefined {
  if (!isRecord(body)) return undefined;
  const type = text(body.event_type);
  if (type === 'received_document' || type === 'received_invoice') {
    const documentGuid = text(body.document_guid) ?? text(body.guid);
    if (!documentGuid) return undefined;
    return {
      kind: 'document',
      event_id: `received_document:${documentGuid}`,
      provider_document_id: documentGuid,
    };
  }
  if (type === 'document_submission' || type === 'invoice_submission') {
    const guid = text(body.document_submission_guid) ?? text(body.invoice_submission_guid) ?? text(body.guid);
    const instanceId = text(body.idempotency_guid) ?? text(body.idempotencyGuid);
    const event = (text(body.event) ?? text(body.status) ?? '').toLowerCase();
    if ((!guid && !instanceId) || !event) return undefined;
    const exchange = DELIVERED.includes(event)
      ? 'delivered'
      : FAILED.includes(event)
        ? 'failed'
        : 'submitted';
    const details = text(body.details) ?? text(body.message);
    return {
      kind: 'status',
      event_id: `document_submission:${guid ?? instanceId}:${event}`,
      ref: {
        ...(instanceId ? { instance_id: instanceId } : {}),
        ...(guid ? { provider_reference: guid } : {}),
      },
      exchange,
      reporting: 'not_applicable',
      reason: exchange === 'failed' ? reasonOf(details ?? '', event) : null,
    };
  }
  return undefined;
}

/** The password of an `Authorization: Basic` header (the user name is not ours to check). */
function basicPassword(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(value ?? '')?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The 422 Storecove answers when the idempotencyGuid was used already: the first submission stands. */
function isIdempotencyRepeat(body: string): boolean {
  const errors = parseJson(body);
  return (
    Array.isArray(errors) &&
    errors.some((e) => isRecord(e) && String(e.source ?? '').toLowerCase() === 'idempotencyguid')
  );
}

function xmlOf(original: string): Buffer | undefined {
  const trimmed = original.trimStart();
  if (trimmed.startsWith('<')) return Buffer.from(original, 'utf8');
  if (!/^[A-Za-z0-9+/=\s]+$/.test(original)) return undefined;
  const bytes = Buffer.from(original, 'base64');
  return bytes.toString('utf8').trimStart().startsWith('<') ? bytes : undefined;
}

export function storecoveAdapter(settings: AdapterSettings): TransmissionAdapter {
  const base = `${settings.base_url.replace(/\/+$/, '').replace(/\/api\/v2$/, '')}/api/v2`;
  const legalEntityId = settings.credentials.legal_entity_id ?? '';
  const headers = {
    authorization: `Bearer ${settings.credentials.api_key ?? ''}`,
    accept: 'application/json',
  };
  const call = (method: string, path: string, body?: unknown) =>
    request(new URL(`${base}${path}`), {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: settings.timeout_ms,
    });

  /** The head of the pull queue: its instance guid and parsed body, null when empty. */
  const head = async (): Promise<
    | { outcome: 'ok'; instance: { guid: string; body: unknown } | null }
    | Exclude<PullResult, { outcome: 'ok' }>
  > => {
    const answer = await call('GET', '/webhook_instances/');
    if ('error' in answer || isRetryableStatus(answer.status_code)) return retryOf(answer);
    if (answer.status_code === 204) return { outcome: 'ok', instance: null };
    if (answer.status_code !== 200) return refusedOf(answer);
    const instance = parseJson(answer.body);
    const guid = isRecord(instance) ? text(instance.guid) : undefined;
    if (!isRecord(instance) || !guid) {
      return { outcome: 'retry', status_code: 200, reason: 'unreadable webhook instance' };
    }
    const body = typeof instance.body === 'string' ? parseJson(instance.body) : instance.body;
    return { outcome: 'ok', instance: { guid, body } };
  };
  const remove = async (guid: string): Promise<string | null> => {
    const answer = await call('DELETE', `/webhook_instances/${encodeURIComponent(guid)}`);
    if ('error' in answer) return answer.error;
    // 404: already removed (by an earlier acknowledgement whose answer was lost).
    if (answer.status_code === 204 || answer.status_code === 200 || answer.status_code === 404) return null;
    return `HTTP ${answer.status_code}: ${reasonOf(answer.body, 'no reason given')}`;
  };

  return {
    provider: 'storecove',

    async check() {
      if (!/^\d+$/.test(legalEntityId))
        return 'legal_entity_id must be the number Storecove gave the legal entity.';
      const answer = await call('GET', `/legal_entities/${legalEntityId}`);
      if ('error' in answer) return answer.error;
      if (answer.status_code === 200) return null;
      if (answer.status_code === 404)
        return `Storecove knows no legal entity ${legalEntityId} for this API key.`;
      return `HTTP ${answer.status_code}: ${reasonOf(answer.body, 'no reason given')}`;
    },

    async submit(document): Promise<SubmitResult> {
      const receiver = eIdentifierOf(document.envelope.receiver);
      const answer = await call('POST', '/document_submissions', {
        legalEntityId: Number(legalEntityId),
        idempotencyGuid: document.instance_id,
        routing: { eIdentifiers: receiver ? [receiver] : [], emails: [] },
        document: {
          documentType: 'invoice',
          rawDocumentData: {
            document: Buffer.from(document.xml, 'utf8').toString('base64'),
            parse: true,
            parseStrategy: 'ubl',
          },
        },
      });
      if ('error' in answer || isRetryableStatus(answer.status_code)) return retryOf(answer);
      if (answer.status_code >= 200 && answer.status_code < 300) {
        const result = parseJson(answer.body);
        const guid = isRecord(result) ? text(result.guid) : undefined;
        return { outcome: 'acknowledged', status_code: answer.status_code, provider_reference: guid ?? null };
      }
      // An earlier attempt reached Storecove (its answer was lost): the first submission is the one that goes.
      if (answer.status_code === 422 && isIdempotencyRepeat(answer.body)) {
        return { outcome: 'acknowledged', status_code: 422, provider_reference: null };
      }
      return refusedOf(answer);
    },

    async status({ provider_reference }): Promise<StatusResult> {
      // Without Storecove's guid there is nothing to ask by; a submit again is safe (the idempotencyGuid is kept).
      if (!provider_reference) return { outcome: 'not_found', status_code: 0 };
      const answer = await call(
        'GET',
        `/document_submissions/${encodeURIComponent(provider_reference)}/evidence/sending`,
      );
      if ('error' in answer || isRetryableStatus(answer.status_code)) return retryOf(answer);
      // Storecove acknowledged this guid: no evidence yet means not sent yet, never "not received".
      if (answer.status_code === 404) {
        return {
          outcome: 'found',
          status_code: 404,
          exchange: 'submitted',
          reporting: 'not_applicable',
          reason: null,
        };
      }
      if (answer.status_code !== 200) return refusedOf(answer);
      const evidence = parseJson(answer.body);
      if (!isRecord(evidence)) return { outcome: 'retry', status_code: 200, reason: 'unreadable evidence' };
      const status = (text(evidence.status) ?? '').toLowerCase();
      const isFailed = FAILED.includes(status);
      return {
        outcome: 'found',
        status_code: 200,
        exchange: isFailed ? 'failed' : 'delivered',
        // Storecove reports to a tax authority only in clearance countries (the "clearing" evidence).
        reporting: 'not_applicable',
        reason: isFailed ? reasonOf(text(evidence.details) ?? '', status) : null,
      };
    },

    webhook(incoming: WebhookRequest): WebhookResult {
      const secret = settings.credentials.webhook_secret;
      if (!secret) return { outcome: 'refused', reason: 'No webhook_secret is configured for Storecove.' };
      const password = basicPassword(incoming.headers.authorization);
      if (password === undefined || !sameSecret(password, secret)) {
        return { outcome: 'refused', reason: 'Missing or wrong webhook credentials.' };
      }
      const event = eventOf(parseJson(incoming.body.toString('utf8')));
      return { outcome: 'accepted', events: event ? [event] : [] };
    },

    async fetchDocument(documentGuid): Promise<FetchResult> {
      const answer = await call('GET', `/received_documents/${encodeURIComponent(documentGuid)}/original`);
      if ('error' in answer || isRetryableStatus(answer.status_code)) return retryOf(answer);
      if (answer.status_code !== 200) return refusedOf(answer);
      const transportable = parseJson(answer.body);
      const original = isRecord(transportable) ? text(transportable.original) : undefined;
      const xml = original ? xmlOf(original) : undefined;
      if (!xml)
        return { outcome: 'refused', status_code: 200, reason: 'The received document has no XML original.' };
      return { outcome: 'found', xml };
    },

    /**
     * The queue gives one instance at a time: status events (and events of no interest) are taken off as they are
     * read (the outbox reads the evidence too, so a lost one delays nothing for long); the first document stops the
     * read and stays at the head until acknowledgePulled() after it is stored.
     */
    async pull(): Promise<PullResult> {
      const events: InboundEvent[] = [];
      for (let read = 0; read < PULL_BATCH; read++) {
        const next = await head();
        if (next.outcome !== 'ok') return events.length > 0 ? { outcome: 'ok', events } : next;
        if (!next.instance) break;
        const event = eventOf(next.instance.body);
        if (event?.kind === 'document') {
          events.push(event);
          break;
        }
        if (event) events.push(event);
        const problem = await remove(next.instance.guid);
        if (problem) break;
      }
      return { outcome: 'ok', events };
    },

    async acknowledgePulled(documentGuid) {
      const next = await head();
      if (next.outcome !== 'ok') return next.reason;
      if (!next.instance) return null;
      const event = eventOf(next.instance.body);
      // Only the head can be the pulled document; another head means it was acknowledged before.
      if (event?.kind !== 'document' || event.provider_document_id !== documentGuid) return null;
      return remove(next.instance.guid);
    },
  };
}
