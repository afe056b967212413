// A Tradeshift External API on 127.0.0.1 (paths under /rest/external), after its OpenAPI and guides:
// OAuth 1.0a HMAC-SHA1 on every call, verified from the Authorization header (consumer key, token, signature over
// method, URL and query, a nonce used once) plus `X-Tradeshift-TenantId`: 401 `Unauthorized` otherwise. Errors in
// its JSON envelope { ErrorCode, Message, ErrorDetail, ValidationError, RequestId }. PUT /documents/{id}?
// documentProfileId=… (204; 400 BadRequest without a profile or a UBL body), PUT /documents/{id}/dispatches/
// {dispatchId} (201; 404 for an unknown document), GET /documents/{id}/dispatches/latest (404 when none),
// GET /account/info, and the inbound side: GET /documents?sales=false&withouttag=…, GET /documents/{id}/original,
// PUT /documents/{id}/tags/{tag} (201). Documents and dispatches are kept once per id; scripted answers come first.
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TradeshiftCredentials {
  consumer_key: string;
  consumer_secret: string;
  token: string;
  token_secret: string;
  tenant_id: string;
}

export interface FakeTradeshift {
  url: string;
  credentials: TradeshiftCredentials;
  /** Documents stored, by document id (a second PUT of one id replaces it, it is not a second document). */
  documents: Map<string, { profile: string; xml: string }>;
  /** Dispatches made, by document id: the dispatch ids, each once. */
  dispatches: Map<string, Set<string>>;
  /** Every document PUT that reached the server, answered or not. */
  submits: number;
  /** Answers for the next document PUTs, in order; `store` keeps the document before answering (a lost answer). */
  script: { status: number; headers?: Record<string, string>; body?: unknown; store?: boolean }[];
  /** The DispatchState reported for a dispatched document. */
  dispatchStateOf: (documentId: string) => string;
  /** Purchase documents received from suppliers, with their tags. */
  received: Map<string, { xml: string; tags: Set<string> }>;
  close(): Promise<void>;
}

const encode = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The server's own reading of RFC 5849 §3.4: the signature it expects for this request. */
function expectedSignature(
  method: string,
  url: URL,
  oauth: Record<string, string>,
  credentials: TradeshiftCredentials,
) {
  const pairs = [...url.searchParams.entries(), ...Object.entries(oauth)]
    .filter(([name]) => name !== 'oauth_signature' && name !== 'realm')
    .map(([name, value]) => [encode(name), encode(value)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1));
  const normalized = pairs.map(([name, value]) => `${name}=${value}`).join('&');
  const base = `${method}&${encode(`${url.protocol}//${url.host}${url.pathname}`)}&${encode(normalized)}`;
  return createHmac('sha1', `${encode(credentials.consumer_secret)}&${encode(credentials.token_secret)}`)
    .update(base)
    .digest('base64');
}

function parseOAuthHeader(header: string | undefined): Record<string, string> | null {
  if (!header?.startsWith('OAuth ')) return null;
  const params: Record<string, string> = {};
  for (const part of header.slice(6).split(',')) {
    const match = /^\s*([\w]+)="([^"]*)"\s*$/.exec(part);
    if (!match) return null;
    params[match[1] as string] = decodeURIComponent(match[2] as string);
  }
  return params;
}

export async function startFakeTradeshift(
  credentials: TradeshiftCredentials = {
    consumer_key: 'ts-consumer-key',
    consumer_secret: 'ts-consumer-secret',
    token: 'ts-token',
    token_secret: 'ts-token-secret',
    tenant_id: '7c253956-6a13-11eb-9439-0242ac130002',
  },
): Promise<FakeTradeshift> {
  const fake: FakeTradeshift = {
    url: '',
    credentials,
    documents: new Map(),
    dispatches: new Map(),
    submits: 0,
    script: [],
    dispatchStateOf: () => 'COMPLETED',
    received: new Map(),
    close: async () => {},
  };
  const nonces = new Set<string>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const method = request.method ?? 'GET';
      const url = new URL(request.url ?? '/', fake.url);
      const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
        if (body === undefined) {
          response.writeHead(status, headers);
          return response.end();
        }
        const isText = typeof body === 'string';
        response.writeHead(status, {
          'content-type': isText ? 'text/plain' : 'application/json',
          ...headers,
        });
        response.end(isText ? body : JSON.stringify(body));
      };
      const error = (status: number, code: string, message: string, validation: unknown[] = []) =>
        send(status, {
          ErrorCode: code,
          Message: message,
          ErrorDetail: [{ Key: 'message', Value: message }],
          ValidationError: validation,
          RequestId: randomUUID(),
        });

      const oauth = parseOAuthHeader(request.headers.authorization);
      const isAuthorized =
        oauth !== null &&
        oauth.oauth_signature_method === 'HMAC-SHA1' &&
        oauth.oauth_consumer_key === credentials.consumer_key &&
        oauth.oauth_token === credentials.token &&
        typeof oauth.oauth_nonce === 'string' &&
        !nonces.has(`${oauth.oauth_timestamp}:${oauth.oauth_nonce}`) &&
        oauth.oauth_signature === expectedSignature(method, url, oauth, credentials) &&
        request.headers['x-tradeshift-tenantid'] === credentials.tenant_id;
      if (!isAuthorized) {
        return error(401, 'Unauthorized', 'The user was not authorized to perform the operation.');
      }
      nonces.add(`${oauth.oauth_timestamp}:${oauth.oauth_nonce}`);

      const prefix = '/rest/external/';
      if (!url.pathname.startsWith(prefix)) return error(404, 'ResourceNotFound', 'No such resource');
      const parts = url.pathname.slice(prefix.length).split('/').map(decodeURIComponent);
      const body = Buffer.concat(chunks).toString('utf8');

      if (method === 'GET' && parts.join('/') === 'account/info') {
        return send(200, {
          CompanyName: 'Atelier Bruxellois SRL',
          Country: 'BE',
          CompanyAccountId: credentials.tenant_id,
          State: 'ACTIVE',
        });
      }
      if (parts[0] !== 'documents') return error(404, 'ResourceNotFound', 'No such resource');

      // GET /documents: the list, filtered as the adapter asks (purchases, without a tag).
      if (method === 'GET' && parts.length === 1) {
        const without = url.searchParams.getAll('withouttag');
        const items = url.searchParams.get('sales') === 'false' ? [...fake.received.entries()] : [];
        const found = items.filter(([, document]) => !without.some((tag) => document.tags.has(tag)));
        return send(200, {
          itemsPerPage: 100,
          itemCount: found.length,
          indexing: false,
          numPages: 1,
          pageId: 0,
          Document: found.map(([id]) => ({
            DocumentId: id,
            URI: `${fake.url}${prefix}documents/${id}`,
            DocumentType: { mimeType: 'text/xml', documentProfileId: 'peppol', type: 'invoice' },
            State: 'LOCKED',
          })),
        });
      }
      const id = parts[1] ?? '';

      if (method === 'PUT' && parts.length === 2) {
        fake.submits++;
        const scripted = fake.script.shift();
        const profile = url.searchParams.get('documentProfileId');
        const store = () => {
          if (profile) fake.documents.set(id, { profile, xml: body });
        };
        if (scripted) {
          if (scripted.store) store();
          return send(scripted.status, scripted.body, scripted.headers);
        }
        if (!profile) return error(400, 'BadRequest', 'documentProfileId is blank');
        if (!/^(?:<\?xml[^>]*\?>\s*)?<(?:\w+:)?(?:Invoice|CreditNote)[\s>]/.test(body)) {
          return error(400, 'BadRequest', 'The document is not a UBL invoice or credit note', [
            { Key: 'body', Value: 'Could not parse the UBL document' },
          ]);
        }
        store();
        return send(204);
      }
      if (method === 'PUT' && parts[2] === 'dispatches' && parts[3] && parts.length === 4) {
        if (!fake.documents.has(id)) return error(404, 'ResourceNotFound', `Document ${id} was not found`);
        const set = fake.dispatches.get(id) ?? new Set<string>();
        set.add(parts[3]);
        fake.dispatches.set(id, set);
        return send(201);
      }
      if (method === 'GET' && parts[2] === 'dispatches' && parts[3] === 'latest') {
        const set = fake.dispatches.get(id);
        if (!set) return error(404, 'ResourceNotFound', 'The provided dispatch id does not exists.');
        const now = new Date().toISOString();
        return send(200, {
          DispatchId: [...set].at(-1),
          ObjectId: id,
          Created: now,
          SenderUserId: randomUUID(),
          DispatchState: fake.dispatchStateOf(id),
          LastStateChange: now,
          ReceiverConnectionId: randomUUID(),
          DispatchChannel: 'PEPPOL',
        });
      }
      if (method === 'GET' && parts[2] === 'original' && parts.length === 3) {
        const document = fake.received.get(id);
        if (!document) return error(400, 'BadRequest', 'No document found for the supplied id');
        response.writeHead(200, {
          'content-type': 'text/xml',
          'content-disposition': `attachment; filename="${id}.xml"`,
        });
        return response.end(document.xml);
      }
      if (method === 'PUT' && parts[2] === 'tags' && parts[3] && parts.length === 4) {
        const document = fake.received.get(id);
        if (!document) return error(404, 'ResourceNotFound', `Document ${id} was not found`);
        document.tags.add(parts[3]);
        return send(201);
      }
      error(404, 'ResourceNotFound', 'No such resource');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
