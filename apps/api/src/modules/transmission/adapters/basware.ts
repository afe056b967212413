// Basware Network, through the Basware API (https://api.basware.com), as its published OpenAPI documents describe
// the parts every Basware API shares:
// - Authentication: OAuth2 client credentials. POST /v1/tokens with the client id and secret as HTTP Basic and a
//   form body `grant_type=client_credentials&scope=…`; the answer is `{ access_token, token_type, expires_in,
//   scope }`, 401 `{ error: 'invalid_client' }`, 400 `{ error, error_description }`. Every call then carries
//   `Authorization: Bearer <access_token>`.
// - Each request is named by Basware in the `x-amzn-RequestId` answer header; GET /v1/requestStatus/{requestId}
//   answers how the target systems processed it: `requestStatus[]` with `systems[].items[]`, each item with the
//   record's `externalCode`, a `status` (InProgress, Success, Warning, Error, …) and `errors[] { type, message }`.
// - Synchronous errors come as `ResponseEntityList { requestId, hasErrors, errors: [{ externalCode, type, code,
//   message, info }] }`, codes such as SCHEMA_VALIDATION_ERROR, DATA_VALIDATION_FAILED, CONFLICT_IN_POST.
// - Records are posted as a JSON array, each named by the client's `externalCode`; GET …/{externalCode} reads one.
// - Push notifications: a subscription (POST /v1/subscriptions) names our webhook URL and a
//   `webhookAuthenticationToken`, the secret Basware signs its notifications with. A notification is
//   `{ taskId, taskStatus, taskType, taskSubType, documentId, expirationTime }`; the receiver then reads the API the
//   task type names. A `ConnectionTest` task checks the URL and must be answered 200.
// Chosen where the documents are silent (the published ones cover the purchase-to-pay and master-data APIs, not
// the network's sending endpoint):
// - Sending: POST /v1/networkDocuments with one record `{ externalCode, documentFormat, senderId, receiverId,
//   documentTypeId, processId, content }` (the UBL in base64), after the shared record convention; the
//   externalCode is our instance id, so Basware holds one document per instance id, and a repeat of one it has is
//   answered 409 CONFLICT_IN_POST (a document handed to the network is not overwritten) — read as "Basware has it".
//   GET /v1/networkDocuments/{externalCode} answers the record with the `requestId` that wrote it (404 never sent).
// - The item status of the `Network` system: Success or Warning is delivered to the receiver's access point,
//   Error is failed, anything else still under way. Basware is a network, not a tax platform: no reporting.
// - Rate limiting: the API answers through Amazon API Gateway (the x-amzn-RequestId header), which refuses with
//   429 `{ message }`; a Retry-After it gives is honoured.
// - The notification signature: HMAC-SHA256 of the raw body with the webhookAuthenticationToken, hex, in
//   `x-basware-signature`; a notification past its `expirationTime` is refused as a replay.
// - RequestStatus notifications name the request in `documentId`; its items name our documents by externalCode.
// - `expires_in` is read as seconds (the document says minutes, its example is 3600): the shorter reading only
//   fetches a token sooner.
// Inbound: the documents describe received invoices only as the buyer's approved accounting documents (P2P), not
// as the network's received UBL, so this adapter has no pull.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ExchangeStatus } from '@invoiceflow/db/schema';
import type {
  AdapterSettings,
  InboundEvent,
  StatusResult,
  SubmitResult,
  TransmissionAdapter,
  WebhookRequest,
  WebhookResult,
} from '../adapter';
import { isRetryableStatus, type ProviderAnswer, reasonOf, request, retryAfterSeconds } from '../http';

export const BASWARE_SIGNATURE_HEADER = 'x-basware-signature';
export const BASWARE_DEFAULT_SCOPE = 'networkDocuments.read networkDocuments.write requestStatus.read';
/** The target system whose answer says whether the document reached the receiver. */
const NETWORK_SYSTEM = 'Network';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);
function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** Basware's error bodies as one line: ResponseEntityList's errors, else `detail`, `error`, `message`. */
export function baswareReason(answer: ProviderAnswer): string {
  const body = parseJson(answer.body);
  const fallback = `HTTP ${answer.status_code}`;
  if (isRecord(body)) {
    if (Array.isArray(body.errors)) {
      const lines = body.errors
        .filter(isRecord)
        .map((error) => [text(error.code), text(error.message)].filter(Boolean).join(': '))
        .filter(Boolean);
      if (lines.length > 0) return reasonOf(lines.join('; '), fallback);
    }
    if (typeof body.detail === 'string') return reasonOf(body.detail, fallback);
    if (typeof body.error === 'string') {
      return reasonOf([body.error, text(body.error_description)].filter(Boolean).join(': '), fallback);
    }
    if (typeof body.message === 'string') return reasonOf(body.message, fallback);
  }
  return reasonOf(answer.body, fallback);
}

function retryOf(answer: ProviderAnswer | { error: string }) {
  if ('error' in answer) return { outcome: 'retry' as const, status_code: null, reason: answer.error };
  return {
    outcome: 'retry' as const,
    status_code: answer.status_code,
    reason: baswareReason(answer),
    retry_after_seconds: retryAfterSeconds(answer.headers['retry-after']),
  };
}

function refusedOf(answer: ProviderAnswer) {
  return { outcome: 'refused' as const, status_code: answer.status_code, reason: baswareReason(answer) };
}

const isConflict = (answer: ProviderAnswer) =>
  answer.status_code === 409 && baswareReason(answer).includes('CONFLICT_IN_POST');

/** `iso6523-actorid-upis::9925:BE0123456749` → `9925:BE0123456749`, as a network names a participant. */
const participantOf = (identifier: string) => identifier.replace(/^iso6523-actorid-upis::/, '');

/** Tokens kept per API root and client (the secret's hash, never the secret, in the key), until near expiry. */
const tokens = new Map<string, { token: string; expiresAt: number }>();

/** Maps a Network item's status (or the request's aggregate) onto the exchange. */
function exchangeOf(status: string): Exclude<ExchangeStatus, 'queued'> {
  if (status === 'Success' || status === 'Warning' || status === 'AcknowledgedSuccess') return 'delivered';
  if (status === 'Error' || status === 'AcknowledgedError') return 'failed';
  return 'submitted';
}

/** The item for our document in a RequestStatusResponse, on the Network system first. */
function itemsOf(body: unknown): { externalCode?: string; status: string; reason: string | null }[] {
  const requests = isRecord(body) && Array.isArray(body.requestStatus) ? body.requestStatus : [];
  const out: { externalCode?: string; status: string; reason: string | null }[] = [];
  for (const entry of requests.filter(isRecord)) {
    const systems = (Array.isArray(entry.systems) ? entry.systems : []).filter(isRecord);
    const network = systems.filter((system) => system.system === NETWORK_SYSTEM);
    for (const system of network.length > 0 ? network : systems) {
      for (const item of (Array.isArray(system.items) ? system.items : []).filter(isRecord)) {
        const errors = (Array.isArray(item.errors) ? item.errors : [])
          .filter(isRecord)
          .map((error) => text(error.message))
          .filter((message): message is string => message !== undefined);
        out.push({
          externalCode: text(item.externalCode),
          status: String(item.status ?? ''),
          reason: errors.length > 0 ? reasonOf(errors.join('; '), String(item.status)) : null,
        });
      }
    }
    // No item yet: the request's aggregate status stands for its one record.
    if (out.length === 0 && typeof entry.requestStatus === 'string') {
      out.push({ status: entry.requestStatus, reason: null });
    }
  }
  return out;
}

/** Verifies a push notification's signature over the raw bytes (constant-time). */
function isSignedBy(body: Buffer, signature: string | undefined, secret: string): boolean {
  if (!secret || !signature || !/^[0-9a-f]{64}$/i.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

export function baswareAdapter(settings: AdapterSettings): TransmissionAdapter {
  const base = settings.base_url.replace(/\/+$/, '');
  const { credentials } = settings;
  const clientId = credentials.client_id ?? '';
  const clientSecret = credentials.client_secret ?? '';
  const scope = credentials.scope ?? BASWARE_DEFAULT_SCOPE;
  const cacheKey = `${base}|${clientId}|${scope}|${createHash('sha256').update(clientSecret).digest('hex')}`;

  /** A bearer token, from the cache or /v1/tokens; an answer that is not a token is passed back as it came. */
  const tokenOf = async (): Promise<{ token: string } | ProviderAnswer | { error: string }> => {
    const cached = tokens.get(cacheKey);
    if (cached && cached.expiresAt > Date.now()) return { token: cached.token };
    const answer = await request(new URL(`${base}/v1/tokens`), {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope,
      }).toString(),
      timeoutMs: settings.timeout_ms,
    });
    if ('error' in answer || answer.status_code !== 200) return answer;
    const body = parseJson(answer.body);
    const token = isRecord(body) ? text(body.access_token) : undefined;
    if (!token) return { ...answer, status_code: 502, body: 'The token answer carried no access_token.' };
    const seconds = isRecord(body) && typeof body.expires_in === 'number' ? body.expires_in : 300;
    // A minute's margin, so a token never expires between the cache and Basware.
    tokens.set(cacheKey, { token, expiresAt: Date.now() + Math.max(0, seconds - 60) * 1000 });
    return { token };
  };

  const call = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<ProviderAnswer | { error: string }> => {
    for (let attempt = 0; ; attempt++) {
      const token = await tokenOf();
      if (!('token' in token)) return token;
      const headers: Record<string, string> = {
        authorization: `Bearer ${token.token}`,
        accept: 'application/json',
      };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const answer = await request(new URL(`${base}${path}`), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: settings.timeout_ms,
      });
      // A cached token Basware no longer takes (revoked, expired early): drop it and ask for one fresh token.
      if ('error' in answer || answer.status_code !== 401 || attempt > 0) return answer;
      tokens.delete(cacheKey);
    }
  };

  const documentPath = (externalCode: string) => `/v1/networkDocuments/${encodeURIComponent(externalCode)}`;

  /** The Basware request id that wrote a document, by its externalCode; `not_found` when Basware never had it. */
  const requestIdOf = async (
    externalCode: string,
  ): Promise<{ requestId: string | null } | Exclude<StatusResult, { outcome: 'found' }>> => {
    const answer = await call('GET', documentPath(externalCode));
    if ('error' in answer || isRetryableStatus(answer.status_code)) return retryOf(answer);
    if (answer.status_code === 404) return { outcome: 'not_found', status_code: 404 };
    if (answer.status_code !== 200) return refusedOf(answer);
    const record = parseJson(answer.body);
    return { requestId: isRecord(record) ? (text(record.requestId) ?? null) : null };
  };

  /** GET /v1/requestStatus/{id}: the items it processed, or the classified failure. */
  const requestStatus = async (requestId: string) => {
    const query = new URLSearchParams({ system: NETWORK_SYSTEM });
    const answer = await call('GET', `/v1/requestStatus/${encodeURIComponent(requestId)}?${query}`);
    if ('error' in answer || isRetryableStatus(answer.status_code)) return retryOf(answer);
    if (answer.status_code === 404) return { outcome: 'unknown' as const, status_code: 404 };
    if (answer.status_code !== 200) return refusedOf(answer);
    const body = parseJson(answer.body);
    if (body === undefined) {
      return { outcome: 'retry' as const, status_code: 200, reason: 'unreadable request status answer' };
    }
    return { outcome: 'items' as const, status_code: 200, items: itemsOf(body) };
  };

  return {
    provider: 'basware',

    async check() {
      // A token for these credentials, then a read-only list (the errors of the requests made, one at most).
      const answer = await call('GET', '/v1/requestStatus?status=Error&pageSize=1');
      if ('error' in answer) return answer.error;
      if (answer.status_code === 200) return null;
      return `HTTP ${answer.status_code}: ${baswareReason(answer)}`;
    },

    async submit(document): Promise<SubmitResult> {
      const answer = await call('POST', '/v1/networkDocuments', [
        {
          externalCode: document.instance_id,
          documentFormat: 'UBL',
          senderId: participantOf(document.envelope.sender),
          receiverId: participantOf(document.envelope.receiver),
          documentTypeId: document.envelope.document_type,
          processId: document.envelope.process,
          content: Buffer.from(document.xml, 'utf8').toString('base64'),
        },
      ]);
      if ('error' in answer || isRetryableStatus(answer.status_code)) return retryOf(answer);
      // Basware has this externalCode already (an earlier attempt whose answer was lost): the same document.
      if (isConflict(answer)) {
        return { outcome: 'acknowledged', status_code: 409, provider_reference: document.instance_id };
      }
      if (answer.status_code < 200 || answer.status_code >= 300) return refusedOf(answer);
      const header = answer.headers['x-amzn-requestid'];
      const requestId = (Array.isArray(header) ? header[0] : header) || document.instance_id;
      return { outcome: 'acknowledged', status_code: answer.status_code, provider_reference: requestId };
    },

    async status({ instance_id, provider_reference }): Promise<StatusResult> {
      // The request id the submit answered; when only our instance id is known, the document's record names it.
      let requestId = provider_reference && provider_reference !== instance_id ? provider_reference : null;
      if (!requestId) {
        const found = await requestIdOf(instance_id);
        if ('outcome' in found) return found;
        requestId = found.requestId;
        if (!requestId) {
          return {
            outcome: 'found',
            status_code: 200,
            exchange: 'submitted',
            reporting: 'not_applicable',
            reason: null,
          };
        }
      }
      const read = await requestStatus(requestId);
      if (read.outcome === 'retry' || read.outcome === 'refused') return read;
      // Basware holds the document but has not recorded its processing yet.
      const items = read.outcome === 'items' ? read.items : [];
      const item = items.find((candidate) => candidate.externalCode === instance_id) ?? items[0];
      const exchange = item ? exchangeOf(item.status) : 'submitted';
      return {
        outcome: 'found',
        status_code: 200,
        exchange,
        reporting: 'not_applicable',
        reason: exchange === 'failed' ? (item?.reason ?? `Basware request status ${item?.status}`) : null,
      };
    },

    async webhook({ headers, body, now }: WebhookRequest): Promise<WebhookResult> {
      const signature = headers[BASWARE_SIGNATURE_HEADER];
      if (
        !isSignedBy(
          body,
          Array.isArray(signature) ? signature[0] : signature,
          credentials.webhook_secret ?? '',
        )
      ) {
        return { outcome: 'refused', reason: 'missing or wrong signature' };
      }
      const payload = parseJson(body.toString('utf8'));
      if (!isRecord(payload)) return { outcome: 'refused', reason: 'not a notification' };
      const expires =
        typeof payload.expirationTime === 'string' ? Date.parse(payload.expirationTime) : Number.NaN;
      if (!Number.isNaN(expires) && expires < now.getTime()) {
        return { outcome: 'refused', reason: 'notification expired' };
      }
      const taskId = text(payload.taskId);
      const requestId = text(payload.documentId);
      // ConnectionTest checks the URL; other task types (accounting documents, orders) are not transmissions.
      if (payload.taskType !== 'RequestStatus' || !taskId || !requestId)
        return { outcome: 'accepted', events: [] };
      // The notification names the request; what became of our documents is read from the request status.
      const read = await requestStatus(requestId);
      if (read.outcome !== 'items') {
        // Not readable now: nothing is recorded, so a redelivery (or the outbox's own status read) still counts.
        return { outcome: 'accepted', events: [] };
      }
      // Our externalCodes are instance ids (UUIDs); a record of another integration is not ours to apply.
      const events: InboundEvent[] = read.items.flatMap((item) => {
        if (!item.externalCode || !UUID.test(item.externalCode)) return [];
        const exchange = exchangeOf(item.status);
        return [
          {
            kind: 'status' as const,
            event_id: `${taskId}:${item.externalCode}`,
            ref: { instance_id: item.externalCode },
            exchange,
            reason: exchange === 'failed' ? (item.reason ?? `Basware request status ${item.status}`) : null,
          },
        ];
      });
      return { outcome: 'accepted', events };
    },
  };
}
