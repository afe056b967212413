// A UAE Accredited Service Provider on 127.0.0.1, after the Avalara E-Invoicing API the uae-asp adapter follows
// (see its header): OAuth2 client credentials at POST /connect/token (401 { error: 'invalid_client' } otherwise);
// a bearer token on every /einvoicing call (401 { error, message } when missing, unknown or expired);
// POST /einvoicing/documents (multipart metadata + data, 400 { error, message } naming the bad part; the same
// Idempotency-Key answers the document it made, 200), GET …/{id}/status, GET …/{id}/$download (xml or pdf),
// GET /einvoicing/documents?$filter=idempotencyKey eq '…', GET /einvoicing/trading-partners?$search="…". It counts
// the documents it made, answers scripted failures first, and signs and sends webhooks.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signatureOf } from '../../src/modules/transmission/adapters/uae-asp';

export interface AspDocument {
  id: string;
  idempotencyKey: string | null;
  metadata: Record<string, unknown>;
  xml: string;
  flow: 'out' | 'in';
}

export interface FakeAsp {
  url: string;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
  /** Documents made, by the provider's id. */
  documents: Map<string, AspDocument>;
  /** Every submit request that reached the server with a valid token. */
  submits: number;
  /** Tokens issued. */
  tokensIssued: number;
  /** Answers for the next submits, in order. */
  script: { status: number; headers?: Record<string, string>; body?: string }[];
  /** The status answered for a document: exchange and the FTA's answer to its tax data document. */
  statusOf: (doc: AspDocument) => {
    status: 'Pending' | 'Complete' | 'Error';
    error?: string;
    fta?: { value: 'Reported' | 'Rejected'; message: string };
  };
  /** Participants that receive, as `scheme:id`. */
  participants: Map<string, string>;
  /** Forgets every issued token (as an expiry would): the next call answers 401. */
  revokeTokens(): void;
  /** Puts a received (flow in) document at the provider, as the buyer side does. */
  receive(xml: string): AspDocument;
  /** Signs `payload` at `timestamp` (unix seconds, now by default) and POSTs it to `url`. */
  sendWebhook(
    url: string,
    payload: unknown,
    options?: { timestamp?: number; secret?: string },
  ): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

function problem(status: number, message: string) {
  return { error: String(status), message };
}

/** The parts of a multipart/form-data body, by name. */
function partsOf(body: Buffer, contentType: string): Map<string, { type: string; body: string }> | null {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1]?.replace(/^"|"$/g, '');
  if (!boundary) return null;
  const parts = new Map<string, { type: string; body: string }>();
  for (const chunk of body.toString('utf8').split(`--${boundary}`)) {
    const at = chunk.indexOf('\r\n\r\n');
    if (at < 0) continue;
    const head = chunk.slice(0, at);
    const name = /name="([^"]+)"/.exec(head)?.[1];
    if (!name) continue;
    const type = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim() ?? 'text/plain';
    parts.set(name, { type, body: chunk.slice(at + 4).replace(/\r\n$/, '') });
  }
  return parts;
}

export async function startFakeAsp(): Promise<FakeAsp> {
  const issued = new Set<string>();
  let sequence = 0;
  const fake: FakeAsp = {
    url: '',
    clientId: 'asp-client-1',
    clientSecret: 'asp-secret-1',
    webhookSecret: 'whsec-asp-1',
    documents: new Map(),
    submits: 0,
    tokensIssued: 0,
    script: [],
    statusOf: () => ({ status: 'Complete', fta: { value: 'Reported', message: 'Accepted by the FTA' } }),
    participants: new Map(),
    revokeTokens: () => issued.clear(),
    receive(xml) {
      sequence++;
      const doc: AspDocument = {
        id: `in-${sequence.toString().padStart(6, '0')}`,
        idempotencyKey: null,
        metadata: {},
        xml,
        flow: 'in',
      };
      fake.documents.set(doc.id, doc);
      return doc;
    },
    async sendWebhook(url, payload, options = {}) {
      const body = JSON.stringify(payload);
      const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-signature': signatureOf(options.secret ?? fake.webhookSecret, timestamp, body),
        },
        body,
      });
      return { status: response.status, body: await response.text() };
    },
    close: async () => {},
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = Buffer.concat(chunks);
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      };

      if (req.method === 'POST' && url.pathname === '/connect/token') {
        const form = new URLSearchParams(raw.toString('utf8'));
        if (form.get('grant_type') !== 'client_credentials') {
          return json(400, { error: 'unsupported_grant_type' });
        }
        if (form.get('client_id') !== fake.clientId || form.get('client_secret') !== fake.clientSecret) {
          return json(401, { error: 'invalid_client' });
        }
        fake.tokensIssued++;
        const token = `tok-${fake.tokensIssued}-${Math.random().toString(36).slice(2)}`;
        issued.add(token);
        return json(200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
      }

      if (!url.pathname.startsWith('/einvoicing/')) return json(404, problem(404, 'Not found'));
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!bearer || !issued.has(bearer)) return json(401, problem(401, 'Unauthorized'));
      if (req.headers['avalara-version'] !== '1.0') {
        return json(400, problem(400, 'The avalara-version header is required'));
      }
      const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);

      if (req.method === 'POST' && url.pathname === '/einvoicing/documents') {
        fake.submits++;
        const scripted = fake.script.shift();
        if (scripted) return json(scripted.status, scripted.body ?? '', scripted.headers);
        const form = partsOf(raw, req.headers['content-type'] ?? '');
        if (!form) return json(400, problem(400, 'Expected multipart/form-data'));
        const metadataPart = form.get('metadata');
        const data = form.get('data');
        if (!metadataPart) return json(400, problem(400, "The 'metadata' part is required"));
        let metadata: Record<string, unknown>;
        try {
          metadata = JSON.parse(metadataPart.body) as Record<string, unknown>;
        } catch {
          return json(400, problem(400, "The 'metadata' part is not JSON"));
        }
        for (const field of [
          'workflowId',
          'dataFormat',
          'dataFormatVersion',
          'countryCode',
          'countryMandate',
        ]) {
          if (typeof metadata[field] !== 'string' || !metadata[field]) {
            return json(400, problem(400, `metadata.${field} is required`));
          }
        }
        if (!data?.body.trim()) return json(400, problem(400, "The 'data' part is required"));
        if (!data.body.includes('urn:peppol:pint:billing-1@ae-1')) {
          return json(400, problem(400, 'data: not a PINT AE document (CustomizationID)'));
        }
        const key =
          typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
        const existing = key ? [...fake.documents.values()].find((d) => d.idempotencyKey === key) : undefined;
        if (existing) return json(200, { id: existing.id, status: 'Pending' });
        sequence++;
        const doc: AspDocument = {
          id: `doc-${sequence.toString().padStart(6, '0')}`,
          idempotencyKey: key,
          metadata,
          xml: data.body,
          flow: 'out',
        };
        fake.documents.set(doc.id, doc);
        return json(201, { id: doc.id, status: 'Pending' });
      }

      if (req.method === 'GET' && url.pathname === '/einvoicing/documents') {
        const filter = url.searchParams.get('$filter');
        let value = [...fake.documents.values()];
        const flow = url.searchParams.get('flow');
        if (flow) value = value.filter((d) => d.flow === flow);
        if (filter) {
          const match = /^idempotencyKey eq '((?:[^']|'')*)'$/.exec(filter);
          if (!match) return json(400, problem(400, `Unsupported $filter: ${filter}`));
          const key = (match[1] ?? '').replaceAll("''", "'");
          value = value.filter((d) => d.idempotencyKey === key);
        }
        const top = Number(url.searchParams.get('$top') ?? '100');
        value = value.slice(0, top);
        return json(200, {
          '@recordSetCount': value.length,
          value: value.map((d) => ({
            id: d.id,
            status: fake.statusOf(d).status,
            flow: d.flow,
            idempotencyKey: d.idempotencyKey,
            countryCode: 'AE',
          })),
        });
      }

      if (req.method === 'GET' && parts[1] === 'documents' && parts[2] && parts[3] === 'status') {
        const doc = fake.documents.get(parts[2]);
        if (!doc) return json(404, problem(404, `Document ${parts[2]} not found`));
        const state = fake.statusOf(doc);
        const events: {
          eventDateTime: string;
          message: string;
          responseKey?: string;
          responseValue?: string;
        }[] = [{ eventDateTime: new Date().toISOString().slice(0, 19), message: 'Document received' }];
        if (state.error)
          events.push({ eventDateTime: new Date().toISOString().slice(0, 19), message: state.error });
        if (state.fta) {
          events.push({
            eventDateTime: new Date().toISOString().slice(0, 19),
            message: state.fta.message,
            responseKey: 'FTA Reporting Status',
            responseValue: state.fta.value,
          });
        }
        return json(200, { id: doc.id, status: state.status, events });
      }

      if (req.method === 'GET' && parts[1] === 'documents' && parts[2] && parts[3] === '$download') {
        const doc = fake.documents.get(parts[2]);
        if (!doc) return json(404, problem(404, `Document ${parts[2]} not found`));
        const accept = req.headers.accept ?? '';
        if (accept.includes('application/xml')) {
          res.writeHead(200, { 'content-type': 'application/xml' });
          return res.end(doc.xml);
        }
        if (accept.includes('application/pdf')) {
          res.writeHead(200, { 'content-type': 'application/pdf' });
          return res.end(
            Buffer.concat([
              Buffer.from('%PDF-1.7\n'),
              Buffer.from([0xe2, 0xe3, 0xcf, 0xd3]),
              Buffer.from(`\n% ${doc.id}\n%%EOF\n`),
            ]),
          );
        }
        return json(406, problem(406, 'Accept must be application/xml or application/pdf'));
      }

      if (req.method === 'GET' && url.pathname === '/einvoicing/trading-partners') {
        const search = (url.searchParams.get('$search') ?? '').replace(/^"|"$/g, '');
        if (!search) return json(400, problem(400, '$search is required'));
        const name = fake.participants.get(search);
        return json(200, {
          '@recordSetCount': name ? 1 : 0,
          value: name ? [{ id: search, name, network: 'Peppol' }] : [],
        });
      }

      json(404, problem(404, 'Not found'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
