// A Storecove API v2 on 127.0.0.1, after its documented contract (see adapters/storecove.ts): `Authorization: Bearer`
// on every /api/v2 call (401 with a JSON error otherwise); GET /legal_entities/{id}; POST /document_submissions
// validated as Storecove does (422 with an array of { source, details }), an idempotencyGuid used before answering
// 422 without a second submission; GET /document_submissions/{guid}/evidence/sending (404 until sent); the
// webhook-instance pull queue (GET /webhook_instances/ → the head or 204, DELETE /webhook_instances/{guid});
// GET /received_documents/{guid}/original. Scripted answers (503, 429 with Retry-After) come before the real ones.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StorecoveSubmission {
  guid: string;
  idempotencyGuid: string;
  legalEntityId: number;
  eIdentifiers: { scheme: string; id: string }[];
  xml: string;
}

export interface FakeStorecove {
  url: string;
  apiKey: string;
  legalEntityId: number;
  /** Submissions accepted, by Storecove guid (a repeat of an idempotencyGuid is counted in `submits` only). */
  submissions: Map<string, StorecoveSubmission>;
  /** Every POST /document_submissions that reached the server, answered or not. */
  submits: number;
  /** Answers for the next submits, in order; `afterStoring` answers it once the submission is kept. */
  script: { status: number; headers?: Record<string, string>; body?: string; afterStoring?: boolean }[];
  /** The sending evidence of a submission: 'pending' answers 404 (not sent yet). */
  evidenceOf: (submission: StorecoveSubmission) => 'pending' | Record<string, unknown>;
  /** The pull queue (webhook instances, head first) and the received documents it names. */
  queue: { guid: string; body: string }[];
  received: Map<string, string>;
  deletes: number;
  /** Puts a received document in the queue as Storecove does on receipt; answers its document guid. */
  receive(xml: string): string;
  close(): Promise<void>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOCUMENT_TYPES = ['invoice', 'invoice_response', 'order', 'enveloped_data', 'invoice_report'];
const PARSE_STRATEGIES = ['ubl', 'cii', 'idoc'];

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Storecove's checks of a document submission (the subset we send), as its error model words them. */
function errorsOf(body: unknown, legalEntityId: number): { source: string; details: string }[] {
  if (!isRecord(body)) return [{ source: 'document_submission', details: 'must be a JSON object' }];
  const errors: { source: string; details: string }[] = [];
  if (!Number.isInteger(body.legalEntityId)) {
    errors.push({ source: 'legalEntityId', details: 'must be an integer' });
  } else if (body.legalEntityId !== legalEntityId) {
    errors.push({ source: 'legalEntityId', details: `LegalEntity ${body.legalEntityId} not found` });
  }
  if (
    body.idempotencyGuid !== undefined &&
    !(typeof body.idempotencyGuid === 'string' && GUID.test(body.idempotencyGuid))
  ) {
    errors.push({ source: 'idempotencyGuid', details: 'must be a 36 character GUID' });
  }
  const routing = isRecord(body.routing) ? body.routing : {};
  const ids = Array.isArray(routing.eIdentifiers) ? routing.eIdentifiers : [];
  const emails = Array.isArray(routing.emails) ? routing.emails : [];
  if (ids.length === 0 && emails.length === 0) {
    errors.push({ source: 'routing', details: 'at least one eIdentifier or email is required' });
  }
  for (const [index, id] of ids.entries()) {
    if (!isRecord(id) || typeof id.scheme !== 'string' || id.scheme.length < 3) {
      errors.push({
        source: `routing.eIdentifiers[${index}].scheme`,
        details: 'is too short (minimum is 3 characters)',
      });
    }
    if (!isRecord(id) || typeof id.id !== 'string' || id.id.length < 1) {
      errors.push({ source: `routing.eIdentifiers[${index}].id`, details: "can't be blank" });
    }
  }
  const document = isRecord(body.document) ? body.document : undefined;
  if (!document || !DOCUMENT_TYPES.includes(String(document.documentType))) {
    errors.push({ source: 'document.documentType', details: `must be one of ${DOCUMENT_TYPES.join(', ')}` });
  }
  const raw = document && isRecord(document.rawDocumentData) ? document.rawDocumentData : undefined;
  if (!raw || typeof raw.document !== 'string' || raw.document.length < 5) {
    errors.push({
      source: 'document.rawDocumentData.document',
      details: 'is too short (minimum is 5 characters)',
    });
  } else if (!PARSE_STRATEGIES.includes(String(raw.parseStrategy))) {
    errors.push({
      source: 'document.rawDocumentData.parseStrategy',
      details: 'must be one of ubl, cii, idoc',
    });
  } else if (
    !/<(\w+:)?(Invoice|CreditNote)[\s>]/.test(Buffer.from(raw.document, 'base64').toString('utf8'))
  ) {
    errors.push({ source: 'document.rawDocumentData.document', details: 'could not be parsed as UBL' });
  }
  return errors;
}

export async function startFakeStorecove(
  apiKey = 'sc-api-key-1',
  legalEntityId = 4211,
): Promise<FakeStorecove> {
  const byIdempotency = new Map<string, string>();
  const fake: FakeStorecove = {
    url: '',
    apiKey,
    legalEntityId,
    submissions: new Map(),
    submits: 0,
    script: [],
    evidenceOf: (submission) => ({
      guid: submission.guid,
      sender: '9925:BE0123456749',
      receiver: submission.eIdentifiers.map((e) => e.id).join(','),
      network: 'peppol',
      documents: [],
      evidence: { receiving_accesspoint: 'CN=PNL000000, O=Test AP, C=NL', transmission_id: randomUUID() },
    }),
    queue: [],
    received: new Map(),
    deletes: 0,
    receive(xml) {
      const documentGuid = randomUUID();
      fake.received.set(documentGuid, xml);
      fake.queue.push({
        guid: randomUUID(),
        body: JSON.stringify({
          event_type: 'received_document',
          event: 'received',
          document_guid: documentGuid,
        }),
      });
      return documentGuid;
    },
    close: async () => {},
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const json = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
        if (body === undefined) {
          response.writeHead(status, headers);
          return response.end();
        }
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      if (!url.pathname.startsWith('/api/v2/')) return json(404, { message: 'Not Found' });
      if (request.headers.authorization !== `Bearer ${fake.apiKey}`) {
        return json(401, { message: 'Unauthorized' });
      }
      const parts = url.pathname.slice('/api/v2/'.length).split('/').map(decodeURIComponent);
      const method = request.method ?? 'GET';

      if (method === 'GET' && parts[0] === 'legal_entities' && parts.length === 2) {
        if (Number(parts[1]) !== fake.legalEntityId) return json(404, { message: 'Not Found' });
        return json(200, { id: fake.legalEntityId, party_name: 'Atelier Bruxellois SRL', country: 'BE' });
      }

      if (method === 'POST' && url.pathname === '/api/v2/document_submissions') {
        fake.submits++;
        const scripted = fake.script[0]?.afterStoring ? undefined : fake.script.shift();
        if (scripted) return json(scripted.status, scripted.body ?? '', scripted.headers);
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return json(400, { message: 'The request body is not JSON' });
        }
        const errors = errorsOf(body, fake.legalEntityId);
        if (errors.length > 0) return json(422, errors);
        const submission = body as Json & {
          legalEntityId: number;
          idempotencyGuid?: string;
          routing: { eIdentifiers?: { scheme: string; id: string }[] };
          document: { rawDocumentData: { document: string } };
        };
        const key = submission.idempotencyGuid;
        if (key && byIdempotency.has(key)) {
          return json(422, [
            {
              source: 'idempotencyGuid',
              details: 'A DocumentSubmission with this idempotencyGuid already exists',
            },
          ]);
        }
        const guid = randomUUID();
        if (key) byIdempotency.set(key, guid);
        fake.submissions.set(guid, {
          guid,
          idempotencyGuid: key ?? '',
          legalEntityId: submission.legalEntityId,
          eIdentifiers: submission.routing.eIdentifiers ?? [],
          xml: Buffer.from(submission.document.rawDocumentData.document, 'base64').toString('utf8'),
        });
        const after = fake.script[0]?.afterStoring ? fake.script.shift() : undefined;
        if (after) return json(after.status, after.body ?? '', after.headers);
        return json(200, { guid });
      }

      if (
        method === 'GET' &&
        parts[0] === 'document_submissions' &&
        parts[2] === 'evidence' &&
        parts.length === 4
      ) {
        const submission = fake.submissions.get(parts[1] ?? '');
        if (!submission || !['sending', 'clearing'].includes(parts[3] ?? '')) {
          return json(404, { message: 'Not Found' });
        }
        const evidence = fake.evidenceOf(submission);
        if (evidence === 'pending') return json(404, { message: 'Not Found' });
        return json(200, evidence);
      }

      if (url.pathname === '/api/v2/webhook_instances/' && method === 'GET') {
        const next = fake.queue[0];
        return next ? json(200, next) : json(204);
      }
      if (method === 'DELETE' && parts[0] === 'webhook_instances' && parts.length === 2) {
        const index = fake.queue.findIndex((instance) => instance.guid === parts[1]);
        if (index < 0) return json(404, { message: 'Not Found' });
        fake.queue.splice(index, 1);
        fake.deletes++;
        return json(204);
      }

      if (method === 'GET' && parts[0] === 'received_documents' && parts.length === 3) {
        const xml = fake.received.get(parts[1] ?? '');
        if (!xml || !['original', 'json'].includes(parts[2] ?? ''))
          return json(404, { message: 'Not Found' });
        return json(200, {
          guid: parts[1],
          direction: 'in',
          legal_entity_id: fake.legalEntityId,
          original: Buffer.from(xml, 'utf8').toString('base64'),
        });
      }
      json(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
