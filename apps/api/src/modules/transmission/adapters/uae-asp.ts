// A UAE Accredited Service Provider (corner 2 of the 5-corner model), shaped on the public Avalara E-Invoicing and
// Live Reporting API (developer.avalara.com, E-Invoicing V1; the Avalara SDKs' OpenAPI models):
// - OAuth2 client credentials: POST {token_url} (form: grant_type=client_credentials, client_id, client_secret) ->
//   { access_token, token_type, expires_in }; the token is kept until shortly before it expires and fetched again
//   on a 401. Every call carries `Authorization: Bearer …` and `avalara-version: 1.0`.
// - POST /einvoicing/documents, multipart/form-data: `metadata` (JSON: workflowId, dataFormat, dataFormatVersion,
//   countryCode, countryMandate) and `data` (the PINT AE UBL) -> 201 { id, status }. 4xx answer { error, message }.
// - GET /einvoicing/documents/{id}/status -> { id, status: Pending | Complete | Error, events: [{ eventDateTime,
//   message, responseKey, responseValue }] }: `status` is the exchange (Complete: delivered to the buyer's ASP),
//   the tax authority's answer is the event whose responseKey is `FTA Reporting Status` (Reported | Rejected, the
//   event's message the FTA's reason).
// - GET /einvoicing/documents/{id}/$download with Accept application/xml or application/pdf (404 until made).
// - GET /einvoicing/documents?$filter=… (eq only) for a document we hold no provider id of.
// - GET /einvoicing/trading-partners?$search=… : whether a participant (TRN under 0235, or any Peppol id) receives.
// - Webhooks: ELR's payload { id, invocationTimestamp, items: [{ eventName, message }] }; statusChange events carry
//   the document summary (id, status, flow out | in), taxAuthorityResponse events the reporting answer.
// Where Avalara documents nothing we follow the common ASP practice and say so: our instance id goes as the
// `Idempotency-Key` header (IETF httpapi idempotency-key draft; the same key answers the same document) and is
// filterable as `idempotencyKey`; the webhook is signed in the `x-signature` header as `t=<unix seconds>,
// v1=<hex HMAC-SHA256 over "<t>.<raw body>">` with the webhook secret, refused outside a 300-second window.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type {
  AdapterSettings,
  FetchResult,
  InboundEvent,
  StatusResult,
  SubmitResult,
  TransmissionAdapter,
  WebhookResult,
} from '../adapter';
import { isRetryableStatus, type ProviderAnswer, reasonOf, request, retryAfterSeconds } from '../http';

export const UAE_ASP_SIGNATURE_HEADER = 'x-signature';
export const UAE_ASP_TOLERANCE_SECONDS = 300;
/** The responseKey of the status event that carries the FTA's answer to the tax data document. */
export const FTA_REPORTING_KEY = 'FTA Reporting Status';
const TOKEN_MARGIN_MS = 60_000;

/** Tokens by token URL and client: adapters are made per call, the provider's token lives for its expires_in. */
const tokens = new Map<string, { token: string; expiresAt: number }>();

export interface Participant {
  id: string;
  name: string | null;
}
export type LookupResult =
  | { outcome: 'found'; receives: boolean; participants: Participant[] }
  | { outcome: 'retry'; status_code: number | null; reason: string; retry_after_seconds?: number }
  | { outcome: 'refused'; status_code: number; reason: string };

export interface UaeAspAdapter extends TransmissionAdapter {
  fetchDocument(providerDocumentId: string): Promise<FetchResult>;
  /** The document as XML or as the provider's PDF rendering. */
  download(providerDocumentId: string, format: 'xml' | 'pdf'): Promise<FetchResult>;
  /** Whether a participant receives on the network: a UAE TRN (under 0235) or a full Peppol id (`scheme:id`). */
  lookupParticipant(identifier: string): Promise<LookupResult>;
}

type Failure = Extract<StatusResult, { outcome: 'retry' | 'refused' }>;

/** The provider's `message` (or `error`) of its error body, else its first bytes. */
function errorReason(answer: ProviderAnswer): string {
  try {
    const body = JSON.parse(answer.body) as { message?: unknown; error?: unknown };
    if (typeof body.message === 'string' && body.message) return reasonOf(body.message, '');
  } catch {}
  return reasonOf(answer.body, `HTTP ${answer.status_code}`);
}

function failureOf(answer: ProviderAnswer | { error: string }): Failure {
  if ('error' in answer) return { outcome: 'retry', status_code: null, reason: answer.error };
  if (isRetryableStatus(answer.status_code)) {
    return {
      outcome: 'retry',
      status_code: answer.status_code,
      reason: errorReason(answer),
      retry_after_seconds: retryAfterSeconds(answer.headers['retry-after']),
    };
  }
  return { outcome: 'refused', status_code: answer.status_code, reason: errorReason(answer) };
}

function parse<T>(body: string): T | undefined {
  try {
    return JSON.parse(body) as T;
  } catch {
    return undefined;
  }
}

interface StatusBody {
  id?: string;
  status?: string;
  events?: { message?: string; responseKey?: string; responseValue?: string }[];
}

/** Exchange from the document status, reporting from the FTA's status event (the latest one wins). */
export function readStatus(body: StatusBody) {
  const status = String(body.status ?? '');
  const exchange = status === 'Complete' ? 'delivered' : status === 'Error' ? 'failed' : 'submitted';
  const events = body.events ?? [];
  const fta = events.filter((e) => e.responseKey === FTA_REPORTING_KEY).at(-1);
  const reporting =
    fta?.responseValue === 'Reported'
      ? 'reported'
      : fta?.responseValue === 'Rejected'
        ? 'rejected'
        : 'pending';
  const failure = [...events].reverse().find((e) => e.responseKey !== FTA_REPORTING_KEY && e.message);
  return {
    exchange: exchange as 'delivered' | 'failed' | 'submitted',
    reporting: reporting as 'reported' | 'rejected' | 'pending',
    reason: exchange === 'failed' ? reasonOf(failure?.message ?? '', 'Error') : null,
    reporting_reason: reporting === 'rejected' ? reasonOf(fta?.message ?? '', 'Rejected') : null,
  };
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Checks `t=…,v1=…` against the raw body; null when good, else why not. */
export function verifySignature(
  secret: string,
  signature: string | undefined,
  body: Buffer,
  now: Date,
): string | null {
  if (!signature) return 'missing signature';
  const parts = new Map(
    signature.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const timestamp = parts.get('t') ?? '';
  if (!/^\d{1,12}$/.test(timestamp)) return 'malformed signature';
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > UAE_ASP_TOLERANCE_SECONDS) {
    return 'timestamp outside the tolerance window';
  }
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
  const given = Buffer.from(parts.get('v1') ?? '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'signature mismatch';
  return null;
}

/** The header a provider (or a test) sends for `body` at `timestamp` (unix seconds). */
export function signatureOf(secret: string, timestamp: number, body: string | Buffer): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

interface WebhookItem {
  eventName?: unknown;
  message?: {
    id?: unknown;
    status?: unknown;
    flow?: unknown;
    reportingStatus?: unknown;
    reason?: unknown;
    idempotencyKey?: unknown;
  };
}

/** The events of a verified payload; items we do not understand are skipped. */
export function eventsOf(payload: { items?: WebhookItem[] }): InboundEvent[] {
  const events: InboundEvent[] = [];
  for (const item of Array.isArray(payload.items) ? payload.items : []) {
    const message = item.message ?? {};
    const id = typeof message.id === 'string' ? message.id : '';
    if (!id) continue;
    const ref = {
      provider_reference: id,
      ...(typeof message.idempotencyKey === 'string' ? { instance_id: message.idempotencyKey } : {}),
    };
    const reason = typeof message.reason === 'string' && message.reason ? reasonOf(message.reason, '') : null;
    if (item.eventName === 'statusChange') {
      if (message.flow === 'in') {
        // A document the buyer side received for us: fetched with fetchDocument() when it is recorded.
        if (message.status === 'Complete') {
          events.push({ kind: 'document', event_id: `received:${id}`, provider_document_id: id });
        }
      } else if (message.status === 'Complete' || message.status === 'Error') {
        const exchange = message.status === 'Complete' ? 'delivered' : 'failed';
        events.push({ kind: 'status', event_id: `${exchange}:${id}`, ref, exchange, reason });
      }
    } else if (item.eventName === 'taxAuthorityResponse') {
      if (message.reportingStatus === 'Reported' || message.reportingStatus === 'Rejected') {
        const reporting = message.reportingStatus === 'Reported' ? 'reported' : 'rejected';
        events.push({
          kind: 'status',
          event_id: `${reporting}:${id}`,
          ref,
          reporting,
          reason: reporting === 'rejected' ? (reason ?? 'Rejected') : null,
        });
      }
    }
  }
  return events;
}

/** A multipart/form-data body; the boundary is a hash of the parts, so it cannot practically occur inside them. */
function multipart(parts: { name: string; type: string; filename?: string; body: string }[]) {
  const digest = createHash('sha256');
  for (const part of parts) digest.update(part.body);
  const boundary = `invoiceflow-${digest.digest('hex').slice(0, 32)}`;
  const sections = parts.map((p) => {
    const filename = p.filename ? `; filename="${p.filename}"` : '';
    return (
      `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${filename}\r\n` +
      `Content-Type: ${p.type}\r\n\r\n${p.body}\r\n`
    );
  });
  sections.push(`--${boundary}--\r\n`);
  return { body: sections.join(''), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function uaeAspAdapter(settings: AdapterSettings): UaeAspAdapter {
  const base = settings.base_url.replace(/\/+$/, '');
  const { client_id = '', client_secret = '', webhook_secret = '' } = settings.credentials;
  const tokenUrl = settings.credentials.token_url || `${base}/connect/token`;
  const tokenKey = `${tokenUrl}\n${client_id}\n${createHash('sha256').update(client_secret).digest('hex')}`;

  async function token(isFresh: boolean): Promise<{ token: string } | Failure> {
    const kept = tokens.get(tokenKey);
    if (!isFresh && kept && kept.expiresAt > Date.now()) return { token: kept.token };
    const answer = await request(new URL(tokenUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id, client_secret }).toString(),
      timeoutMs: settings.timeout_ms,
    });
    if ('error' in answer || answer.status_code !== 200) {
      tokens.delete(tokenKey);
      const failure = failureOf(answer);
      // A refused client is final; the token endpoint's words (never the secret) are its reason.
      return failure;
    }
    const body = parse<{ access_token?: unknown; expires_in?: unknown }>(answer.body);
    if (typeof body?.access_token !== 'string') {
      return { outcome: 'retry', status_code: 200, reason: 'unreadable token answer' };
    }
    const seconds = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    tokens.set(tokenKey, {
      token: body.access_token,
      expiresAt: Date.now() + Math.max(0, seconds * 1000 - TOKEN_MARGIN_MS),
    });
    return { token: body.access_token };
  }

  /** One authenticated call; a 401 fetches a new token and tries once more. */
  async function call(
    method: string,
    path: string,
    options: { body?: string; contentType?: string; accept?: string; headers?: Record<string, string> } = {},
  ): Promise<ProviderAnswer | { error: string } | Failure> {
    for (const isFresh of [false, true]) {
      const bearer = await token(isFresh);
      if ('outcome' in bearer) return bearer;
      const answer = await request(new URL(`${base}${path}`), {
        method,
        headers: {
          authorization: `Bearer ${bearer.token}`,
          'avalara-version': '1.0',
          accept: options.accept ?? 'application/json',
          ...(options.contentType ? { 'content-type': options.contentType } : {}),
          ...options.headers,
        },
        body: options.body,
        timeoutMs: settings.timeout_ms,
      });
      if ('error' in answer || answer.status_code !== 401 || isFresh) return answer;
      tokens.delete(tokenKey);
    }
    return { error: 'UNREACHABLE' };
  }

  async function statusById(id: string): Promise<StatusResult> {
    const answer = await call('GET', `/einvoicing/documents/${encodeURIComponent(id)}/status`);
    if ('outcome' in answer) return answer;
    if ('error' in answer || answer.status_code !== 200) {
      if (!('error' in answer) && answer.status_code === 404)
        return { outcome: 'not_found', status_code: 404 };
      return failureOf(answer);
    }
    const body = parse<StatusBody>(answer.body);
    if (!body) return { outcome: 'retry', status_code: 200, reason: 'unreadable status answer' };
    return { outcome: 'found', status_code: 200, ...readStatus(body) };
  }

  /** The provider's id of the document sent under our idempotency key, or why it cannot say. */
  async function findByKey(instanceId: string): Promise<{ id: string | null } | Failure> {
    const filter = `idempotencyKey eq '${instanceId.replaceAll("'", "''")}'`;
    const answer = await call('GET', `/einvoicing/documents?flow=out&$filter=${encodeURIComponent(filter)}`);
    if ('outcome' in answer) return answer;
    if ('error' in answer || answer.status_code !== 200) return failureOf(answer);
    const body = parse<{ value?: { id?: unknown }[] }>(answer.body);
    if (!body) return { outcome: 'retry', status_code: 200, reason: 'unreadable document list' };
    const first = (body.value ?? []).find((d) => typeof d.id === 'string');
    return { id: first ? String(first.id) : null };
  }

  async function download(id: string, format: 'xml' | 'pdf'): Promise<FetchResult> {
    const answer = await call('GET', `/einvoicing/documents/${encodeURIComponent(id)}/$download`, {
      accept: format === 'xml' ? 'application/xml' : 'application/pdf',
    });
    if ('outcome' in answer) return answer;
    if ('error' in answer || answer.status_code !== 200) return failureOf(answer);
    return { outcome: 'found', xml: answer.bytes ?? Buffer.from(answer.body, 'utf8') };
  }

  return {
    provider: 'uae-asp',

    async check() {
      const answer = await call('GET', '/einvoicing/documents?$top=1');
      if ('outcome' in answer) return answer.reason;
      if ('error' in answer) return answer.error;
      if (answer.status_code === 200) return null;
      return `HTTP ${answer.status_code}: ${errorReason(answer)}`;
    },

    async submit(document): Promise<SubmitResult> {
      const isCreditNote = document.envelope.document_type.includes('CreditNote-2::CreditNote');
      const { body, contentType } = multipart([
        {
          name: 'metadata',
          type: 'application/json',
          body: JSON.stringify({
            workflowId: 'partner-einvoicing-document-submission',
            dataFormat: isCreditNote ? 'ubl-creditnote' : 'ubl-invoice',
            dataFormatVersion: '2.1',
            countryCode: document.sender_country,
            countryMandate: 'AE-B2B-PEPPOL',
          }),
        },
        { name: 'data', type: 'application/xml', filename: 'document.xml', body: document.xml },
      ]);
      const answer = await call('POST', '/einvoicing/documents', {
        body,
        contentType,
        headers: { 'idempotency-key': document.instance_id },
      });
      if ('outcome' in answer) return answer;
      if ('error' in answer || answer.status_code < 200 || answer.status_code >= 300)
        return failureOf(answer);
      const created = parse<{ id?: unknown }>(answer.body);
      return {
        outcome: 'acknowledged',
        status_code: answer.status_code,
        provider_reference: typeof created?.id === 'string' ? created.id : null,
      };
    },

    async status({ instance_id, provider_reference }): Promise<StatusResult> {
      // The provider's id when we hold one (the outbox may hold our own key instead after an unknown outcome).
      if (provider_reference && provider_reference !== instance_id) {
        const known = await statusById(provider_reference);
        if (known.outcome !== 'not_found') return known;
      }
      const found = await findByKey(instance_id);
      if ('outcome' in found) return found;
      if (found.id === null) return { outcome: 'not_found', status_code: 200 };
      return statusById(found.id);
    },

    webhook(incoming): WebhookResult {
      if (!webhook_secret) return { outcome: 'refused', reason: 'no webhook secret configured' };
      const problem = verifySignature(
        webhook_secret,
        header(incoming.headers, UAE_ASP_SIGNATURE_HEADER),
        incoming.body,
        incoming.now,
      );
      if (problem) return { outcome: 'refused', reason: problem };
      const payload = parse<{ items?: WebhookItem[] }>(incoming.body.toString('utf8'));
      if (!payload || typeof payload !== 'object')
        return { outcome: 'refused', reason: 'unreadable payload' };
      return { outcome: 'accepted', events: eventsOf(payload) };
    },

    fetchDocument: (id) => download(id, 'xml'),
    download,

    async lookupParticipant(identifier): Promise<LookupResult> {
      const search = identifier.includes(':') ? identifier : `0235:${identifier}`;
      const answer = await call(
        'GET',
        `/einvoicing/trading-partners?$search=${encodeURIComponent(`"${search}"`)}`,
      );
      if ('outcome' in answer) return answer;
      if ('error' in answer || answer.status_code !== 200) return failureOf(answer);
      const body = parse<{ value?: { id?: unknown; name?: unknown }[] }>(answer.body);
      if (!body) return { outcome: 'retry', status_code: 200, reason: 'unreadable participant search' };
      const participants = (body.value ?? []).map((p) => ({
        id: String(p.id ?? ''),
        name: typeof p.name === 'string' ? p.name : null,
      }));
      return { outcome: 'found', receives: participants.length > 0, participants };
    },
  };
}
