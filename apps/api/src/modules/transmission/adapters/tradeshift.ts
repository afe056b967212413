// Tradeshift, through its External REST API (base URL https://api.tradeshift.com/tradeshift, sandbox
// https://api-sandbox.tradeshift.com/tradeshift; every path below is under /rest/external), as its OpenAPI and
// developer guides describe it:
// - Authentication: OAuth 1.0a two-legged, HMAC-SHA1 (RFC 5849), with the consumer key/secret and token/secret the
//   "API Access to Own Account" app shows; every call also carries `X-Tradeshift-TenantId`, the company account's
//   UUID. (OAuth2 is three-legged there, acting for a logged-in user, so a server-side integration uses OAuth 1.0a.)
// - Errors: 4xx/5xx with the JSON envelope `{ ErrorCode, Message, ErrorDetail: [{ Key, Value }], RequestId }`;
//   503 `ObjectNotFound` while a document profile is refreshed ("issue the same request later").
// - Send: PUT /documents/{documentId}?documentProfileId=… with the UBL as the body (204) stores the document under
//   an id the client chooses — our instance id, so a retry writes the same document, never a second one; then
//   PUT /documents/{documentId}/dispatches/{dispatchId} (201) dispatches it, the dispatch id again ours.
// - Status: GET /documents/{documentId}/dispatches/latest (404 when never dispatched), its DispatchState one of
//   ACCEPTED, PROCESSING, COMPLETED, FAILED_TRANSIENT, FAILED.
// - Inbound: Tradeshift's webhooks are configured per app and their signing is not documented, so received
//   documents are pulled, as its guide recommends: GET /documents?sales=false&withouttag=… lists the purchase
//   documents not yet tagged, GET /documents/{id}/original answers the document as received, and
//   PUT /documents/{id}/tags/{tag} (201) marks it stored so it is not listed again.
// Assumed where the documents are silent: that a repeated dispatch PUT with the same dispatch id is one dispatch
// (it is a PUT on a client-chosen id, like the document); that COMPLETED means delivered to the receiver; the
// failure's technical details (unnamed in the examples) are kept as the dispatch's own text; the document profile
// is the company's `document_profile_id` setting, else Tradeshift's generic UBL invoice/credit-note profile.
import { createHmac, randomBytes } from 'node:crypto';
import type {
  AdapterSettings,
  FetchResult,
  PullResult,
  StatusResult,
  SubmitResult,
  TransmissionAdapter,
} from '../adapter';
import { isRetryableStatus, type ProviderAnswer, reasonOf, request, retryAfterSeconds } from '../http';

/** The tag a pulled document gets once it is stored here (the list asks for documents without it). */
export const TRADESHIFT_STORED_TAG = 'invoiceflow-stored';

const PULL_LIMIT = 100;
/** What request() keeps of an answer (http.ts): a document this long may have been cut. */
const FETCH_LIMIT_BYTES = 256 * 1024;

/** RFC 3986 percent-encoding as OAuth 1.0a signs it (RFC 5849 §3.6): only unreserved characters stay. */
export function oauthEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The HMAC-SHA1 signature of a request (RFC 5849 §3.4): method, base URL and every query and oauth_* parameter,
 * sorted; the key is the consumer secret and the token secret. A non-form body is not signed.
 */
export function oauthSignature(
  method: string,
  url: URL,
  oauthParams: Record<string, string>,
  secrets: { consumer_secret: string; token_secret: string },
): string {
  const pairs: [string, string][] = [...url.searchParams.entries(), ...Object.entries(oauthParams)]
    .filter(([name]) => name !== 'oauth_signature')
    .map(([name, value]) => [oauthEncode(name), oauthEncode(value)]);
  pairs.sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1));
  const normalized = pairs.map(([name, value]) => `${name}=${value}`).join('&');
  // WHATWG URL already lower-cases scheme and host and drops a default port (§3.4.1.2).
  const baseUrl = `${url.protocol}//${url.host}${url.pathname}`;
  const base = [method.toUpperCase(), oauthEncode(baseUrl), oauthEncode(normalized)].join('&');
  const key = `${oauthEncode(secrets.consumer_secret)}&${oauthEncode(secrets.token_secret)}`;
  return createHmac('sha1', key).update(base).digest('base64');
}

function authorizationOf(method: string, url: URL, credentials: Record<string, string>): string {
  const params: Record<string, string> = {
    oauth_consumer_key: credentials.consumer_key ?? '',
    oauth_token: credentials.token ?? '',
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(Math.floor(Date.now() / 1000)),
    oauth_nonce: randomBytes(16).toString('hex'),
    oauth_version: '1.0',
  };
  params.oauth_signature = oauthSignature(method, url, params, {
    consumer_secret: credentials.consumer_secret ?? '',
    token_secret: credentials.token_secret ?? '',
  });
  return `OAuth ${Object.entries(params)
    .map(([name, value]) => `${oauthEncode(name)}="${oauthEncode(value)}"`)
    .join(', ')}`;
}

/** Tradeshift's error envelope as one line ("BadRequest: …"), else the body's first bytes. */
export function tradeshiftReason(answer: ProviderAnswer): string {
  try {
    const error = JSON.parse(answer.body) as { ErrorCode?: unknown; Message?: unknown };
    if (typeof error.ErrorCode === 'string' || typeof error.Message === 'string') {
      return reasonOf(
        [error.ErrorCode, error.Message].filter(Boolean).join(': '),
        `HTTP ${answer.status_code}`,
      );
    }
  } catch {
    // Not the JSON envelope (a proxy's page, an XML error): its text is the reason.
  }
  return reasonOf(answer.body, `HTTP ${answer.status_code}`);
}

function retryOf(answer: ProviderAnswer | { error: string }) {
  if ('error' in answer) return { outcome: 'retry' as const, status_code: null, reason: answer.error };
  return {
    outcome: 'retry' as const,
    status_code: answer.status_code,
    reason: tradeshiftReason(answer),
    retry_after_seconds: retryAfterSeconds(answer.headers['retry-after']),
  };
}

function refusedOf(answer: ProviderAnswer) {
  return { outcome: 'refused' as const, status_code: answer.status_code, reason: tradeshiftReason(answer) };
}

const isSuccess = (answer: ProviderAnswer) => answer.status_code >= 200 && answer.status_code < 300;

function profileOf(xml: string, configured: string | undefined): string {
  if (configured) return configured;
  // The root element decides the kind (after any XML declaration and comments).
  return /<(?:[\w-]+:)?CreditNote[\s>]/.test(xml.slice(0, 2000))
    ? 'tradeshift.creditnote.ubl.1.0'
    : 'tradeshift.invoice.ubl.1.0';
}

export function tradeshiftAdapter(settings: AdapterSettings): TransmissionAdapter {
  const base = `${settings.base_url.replace(/\/+$/, '')}/rest/external`;
  const { credentials } = settings;
  const call = (
    method: string,
    path: string,
    options: { body?: string; contentType?: string; accept?: string } = {},
  ) => {
    const url = new URL(`${base}${path}`);
    const headers: Record<string, string> = {
      authorization: authorizationOf(method, url, credentials),
      'x-tradeshift-tenantid': credentials.tenant_id ?? '',
      accept: options.accept ?? 'application/json',
    };
    if (options.contentType) headers['content-type'] = options.contentType;
    return request(url, { method, headers, body: options.body, timeoutMs: settings.timeout_ms });
  };
  const documentPath = (id: string) => `/documents/${encodeURIComponent(id)}`;

  return {
    provider: 'tradeshift',

    async check() {
      // The company account the credentials act for: read-only, behind the same OAuth and tenant checks.
      const answer = await call('GET', '/account/info');
      if ('error' in answer) return answer.error;
      if (answer.status_code === 200) return null;
      return `HTTP ${answer.status_code}: ${tradeshiftReason(answer)}`;
    },

    async submit(document): Promise<SubmitResult> {
      const id = document.instance_id;
      const query = new URLSearchParams({
        documentProfileId: profileOf(document.xml, credentials.document_profile_id),
        draft: 'false',
      });
      const stored = await call('PUT', `${documentPath(id)}?${query}`, {
        body: document.xml,
        contentType: 'text/xml; charset=utf-8',
      });
      if ('error' in stored || isRetryableStatus(stored.status_code)) return retryOf(stored);
      if (!isSuccess(stored)) return refusedOf(stored);
      // The dispatch is named by our instance id too: repeating it after a lost answer is the same dispatch.
      const dispatched = await call('PUT', `${documentPath(id)}/dispatches/${encodeURIComponent(id)}`);
      if ('error' in dispatched || isRetryableStatus(dispatched.status_code)) return retryOf(dispatched);
      if (!isSuccess(dispatched)) return refusedOf(dispatched);
      return { outcome: 'acknowledged', status_code: dispatched.status_code, provider_reference: id };
    },

    async status({ instance_id, provider_reference }): Promise<StatusResult> {
      const id = provider_reference ?? instance_id;
      const answer = await call('GET', `${documentPath(id)}/dispatches/latest`);
      if ('error' in answer || isRetryableStatus(answer.status_code)) return retryOf(answer);
      // No dispatch: the document never went (a stored-but-undispatched one is stored again, same id).
      if (answer.status_code === 404) return { outcome: 'not_found', status_code: 404 };
      if (answer.status_code !== 200) return refusedOf(answer);
      let dispatch: { DispatchState?: unknown };
      try {
        dispatch = JSON.parse(answer.body) as typeof dispatch;
      } catch {
        return { outcome: 'retry', status_code: 200, reason: 'unreadable dispatch answer' };
      }
      const state = String(dispatch.DispatchState ?? '');
      const exchange = state === 'COMPLETED' ? 'delivered' : state === 'FAILED' ? 'failed' : 'submitted';
      // Tradeshift is a network, not a tax authority's platform: reporting is not its part.
      return {
        outcome: 'found',
        status_code: 200,
        exchange,
        reporting: 'not_applicable',
        reason: exchange === 'failed' ? reasonOf(answer.body, state) : null,
      };
    },

    async pull(): Promise<PullResult> {
      const query = new URLSearchParams([
        ['type', 'invoice'],
        ['type', 'creditnote'],
        ['sales', 'false'],
        ['withouttag', TRADESHIFT_STORED_TAG],
        ['ascending', 'true'],
        ['limit', String(PULL_LIMIT)],
        ['page', '0'],
      ]);
      const answer = await call('GET', `/documents?${query}`);
      if ('error' in answer || isRetryableStatus(answer.status_code)) return retryOf(answer);
      if (answer.status_code !== 200) return refusedOf(answer);
      let list: { Document?: { DocumentId?: unknown }[] };
      try {
        list = JSON.parse(answer.body) as typeof list;
      } catch {
        return { outcome: 'retry', status_code: 200, reason: 'unreadable document list' };
      }
      const ids = (list.Document ?? [])
        .map((item) => item.DocumentId)
        .filter((id): id is string => typeof id === 'string' && id.length > 0);
      return {
        outcome: 'ok',
        events: ids.map((id) => ({ kind: 'document', event_id: id, provider_document_id: id })),
      };
    },

    async fetchDocument(providerDocumentId): Promise<FetchResult> {
      const answer = await call('GET', `${documentPath(providerDocumentId)}/original`, {
        accept: 'text/xml, application/xml',
      });
      if ('error' in answer || isRetryableStatus(answer.status_code)) return retryOf(answer);
      if (answer.status_code !== 200) return refusedOf(answer);
      const xml = Buffer.from(answer.body, 'utf8');
      // request() keeps a provider's answer up to a limit: a cut document must never pass for the whole one.
      const declared = Number(answer.headers['content-length']);
      if ((Number.isFinite(declared) && declared > xml.length) || xml.length >= FETCH_LIMIT_BYTES) {
        return {
          outcome: 'refused',
          status_code: 200,
          reason: `The received document is larger than ${FETCH_LIMIT_BYTES / 1024} KiB and was not fetched whole.`,
        };
      }
      return { outcome: 'found', xml };
    },

    async acknowledgePulled(providerDocumentId) {
      const answer = await call(
        'PUT',
        `${documentPath(providerDocumentId)}/tags/${encodeURIComponent(TRADESHIFT_STORED_TAG)}`,
      );
      if ('error' in answer) return answer.error;
      if (isSuccess(answer)) return null;
      return `HTTP ${answer.status_code}: ${tradeshiftReason(answer)}`;
    },
  };
}
