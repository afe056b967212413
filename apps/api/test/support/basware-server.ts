// A Basware API on 127.0.0.1, after its published contract and the choices adapters/basware.ts names:
// POST /v1/tokens (OAuth2 client credentials: the client id and secret as HTTP Basic, a form body with
// grant_type=client_credentials and a scope; 401 { error: 'invalid_client' }, 400 { error, error_description });
// every other call needs a Bearer token it issued (401 { message: 'Unauthorized' }, as its API gateway answers).
// POST /v1/networkDocuments takes a JSON array of records named by externalCode, answers each request's id in
// `x-amzn-RequestId` and refuses with ResponseEntityList { requestId, hasErrors, errors[] } (400
// SCHEMA_VALIDATION_ERROR, 409 CONFLICT_IN_POST for an externalCode it has); GET /v1/networkDocuments/{code};
// GET /v1/requestStatus/{requestId} (RequestStatusResponse, the Network system's items) and the list;
// notifications signed with the subscription's webhookAuthenticationToken. Scripted answers come first.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BaswareCredentials {
  client_id: string;
  client_secret: string;
  webhook_secret: string;
}

export interface BaswareDocument {
  externalCode: string;
  requestId: string;
  bumId: string;
  senderId: string;
  receiverId: string;
  documentTypeId: string;
  xml: string;
}

/** How the Network system processed a document: in progress, delivered, or an error with Basware's message. */
export type BaswareItemStatus = 'InProgress' | 'Success' | { error: string };

export interface FakeBasware {
  url: string;
  credentials: BaswareCredentials;
  /** Documents received, by externalCode (one per externalCode: a repeat is refused, never kept twice). */
  documents: Map<string, BaswareDocument>;
  /** Every POST /v1/networkDocuments that reached the server, answered or not. */
  submits: number;
  /** Token requests answered with a token. */
  tokensIssued: number;
  /** Answers for the next document POSTs, in order; `store` keeps the document first (an answer lost after). */
  script: { status: number; headers?: Record<string, string>; body?: unknown; store?: boolean }[];
  statusOf: (document: BaswareDocument) => BaswareItemStatus;
  /** Forgets every token issued (a revoked client, an early expiry): the next call with one is 401. */
  revokeTokens(): void;
  /** A push notification as Basware posts it, signed with the given token (the subscription's by default). */
  notification(
    payload: Record<string, unknown>,
    secret?: string,
  ): { body: string; headers: Record<string, string> };
  close(): Promise<void>;
}

const UBL_ROOT = /^(?:<\?xml[^>]*\?>\s*)?<(?:\w+:)?(?:Invoice|CreditNote)[\s>]/;
const PARTICIPANT = /^\d{4}:[^\s]+$/;

export function baswareSignature(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export async function startFakeBasware(
  credentials: BaswareCredentials = {
    client_id: '1dr2n8r3p186s7ujg4vjs5rkiq',
    client_secret: 'bw-client-secret-7f3a',
    webhook_secret: 'bw-webhook-token-91c2',
  },
): Promise<FakeBasware> {
  const issued = new Set<string>();
  const fake: FakeBasware = {
    url: '',
    credentials,
    documents: new Map(),
    submits: 0,
    tokensIssued: 0,
    script: [],
    statusOf: () => 'Success',
    revokeTokens: () => issued.clear(),
    notification: (payload, secret = credentials.webhook_secret) => {
      const body = JSON.stringify(payload);
      return {
        body,
        headers: {
          'content-type': 'application/json',
          'x-basware-signature': baswareSignature(body, secret),
        },
      };
    },
    close: async () => {},
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const method = request.method ?? 'GET';
      const url = new URL(request.url ?? '/', fake.url);
      const body = Buffer.concat(chunks).toString('utf8');
      const requestId = randomUUID();
      const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
        const base = { 'x-amzn-requestid': requestId, ...headers };
        if (payload === undefined) {
          response.writeHead(status, base);
          return response.end();
        }
        const isText = typeof payload === 'string';
        response.writeHead(status, { 'content-type': isText ? 'text/plain' : 'application/json', ...base });
        response.end(isText ? payload : JSON.stringify(payload));
      };
      const errors = (
        status: number,
        list: { code: string; type: string; message: string; externalCode?: string }[],
      ) =>
        send(status, {
          requestId,
          hasErrors: true,
          errors: list.map((error) => ({ externalCode: null, info: null, ...error })),
        });

      if (method === 'POST' && url.pathname === '/v1/tokens') {
        const [scheme, encoded] = (request.headers.authorization ?? '').split(' ');
        const [id, ...rest] = Buffer.from(encoded ?? '', 'base64')
          .toString('utf8')
          .split(':');
        if (
          scheme !== 'Basic' ||
          id !== credentials.client_id ||
          rest.join(':') !== credentials.client_secret
        ) {
          return send(401, { error: 'invalid_client' });
        }
        const form = new URLSearchParams(body);
        if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
          return send(400, { error: 'invalid_request', error_description: 'form parameters required' });
        }
        if (form.get('grant_type') !== 'client_credentials') {
          return send(400, {
            error: 'unsupported_grant_type',
            error_description: 'grant_type field required',
          });
        }
        const scope = form.get('scope');
        if (!scope) return send(400, { error: 'invalid_request', error_description: 'scope field required' });
        const token = randomBytes(24).toString('base64url');
        issued.add(token);
        fake.tokensIssued++;
        return send(200, { access_token: token, scope, expires_in: 3600, token_type: 'Bearer' });
      }

      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!bearer || !issued.has(bearer)) return send(401, { message: 'Unauthorized' });

      if (method === 'GET' && url.pathname === '/v1/requestStatus') {
        return send(200, { requestStatus: [] });
      }
      if (method === 'POST' && url.pathname === '/v1/networkDocuments') {
        fake.submits++;
        const records = (() => {
          try {
            return JSON.parse(body) as unknown;
          } catch {
            return undefined;
          }
        })();
        const record =
          Array.isArray(records) && records.length === 1 ? (records[0] as Record<string, unknown>) : {};
        const externalCode = typeof record.externalCode === 'string' ? record.externalCode : '';
        const xml =
          typeof record.content === 'string' ? Buffer.from(record.content, 'base64').toString('utf8') : '';
        const store = () =>
          fake.documents.set(externalCode, {
            externalCode,
            requestId,
            bumId: randomUUID(),
            senderId: String(record.senderId),
            receiverId: String(record.receiverId),
            documentTypeId: String(record.documentTypeId),
            xml,
          });
        const scripted = fake.script.shift();
        if (scripted) {
          if (scripted.store) store();
          return send(scripted.status, scripted.body, scripted.headers);
        }
        const problems: { code: string; type: string; message: string; externalCode?: string }[] = [];
        if (!externalCode)
          problems.push({
            code: 'SCHEMA_VALIDATION_ERROR',
            type: 'VALIDATION',
            message: 'externalCode field required',
          });
        if (record.documentFormat !== 'UBL' || !UBL_ROOT.test(xml)) {
          problems.push({
            code: 'SCHEMA_VALIDATION_ERROR',
            type: 'VALIDATION',
            message: 'content is not a UBL invoice or credit note',
          });
        }
        for (const field of ['senderId', 'receiverId'] as const) {
          if (typeof record[field] !== 'string' || !PARTICIPANT.test(record[field] as string)) {
            problems.push({
              code: 'SCHEMA_VALIDATION_ERROR',
              type: 'VALIDATION',
              message: `${field} must be scheme:identifier`,
            });
          }
        }
        if (problems.length > 0) return errors(400, problems);
        if (fake.documents.has(externalCode)) {
          return errors(409, [
            {
              code: 'CONFLICT_IN_POST',
              type: 'BUSINESS',
              message: `Document ${externalCode} already received`,
              externalCode,
            },
          ]);
        }
        store();
        const stored = fake.documents.get(externalCode);
        return send(200, [{ externalCode, bumId: stored?.bumId }]);
      }
      const documentMatch = /^\/v1\/networkDocuments\/([^/]+)$/.exec(url.pathname);
      if (method === 'GET' && documentMatch) {
        const document = fake.documents.get(decodeURIComponent(documentMatch[1] as string));
        if (!document)
          return errors(404, [{ code: 'ENTITY_NOT_FOUND', type: 'BUSINESS', message: 'Not found' }]);
        const { xml: _, ...record } = document;
        return send(200, record);
      }
      const statusMatch = /^\/v1\/requestStatus\/([^/]+)$/.exec(url.pathname);
      if (method === 'GET' && statusMatch) {
        const id = decodeURIComponent(statusMatch[1] as string);
        const document = [...fake.documents.values()].find((candidate) => candidate.requestId === id);
        if (!document) return send(404);
        const status = fake.statusOf(document);
        const itemStatus = typeof status === 'string' ? status : 'Error';
        const now = new Date().toISOString();
        return send(200, {
          requestStatus: [
            {
              requestId: id,
              entityType: 'NetworkDocument',
              requestStatus: itemStatus,
              operationType: 'POST',
              lastUpdated: now,
              systems: [
                {
                  system: 'Network',
                  systemStatus: itemStatus,
                  lastUpdated: now,
                  items: [
                    {
                      externalCode: document.externalCode,
                      status: itemStatus,
                      errors:
                        typeof status === 'string'
                          ? []
                          : [{ type: 'Error', message: status.error, category: 'DataValidation' }],
                    },
                  ],
                },
              ],
            },
          ],
        });
      }
      errors(404, [{ code: 'ENTITY_NOT_FOUND', type: 'TECHNICAL', message: 'No such resource' }]);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
