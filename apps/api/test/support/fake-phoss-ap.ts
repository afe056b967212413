// A phoss-ap access point on 127.0.0.1, after its REST API: `X-Token` on every /api call (401 with its JSON error
// otherwise), POST /api/outbound/submit/{sender}/{receiver}/{docType}/{process}/{c1Country}?sbdhInstanceID=…
// (200 with a sending report; 400 with a JSON string naming a bad identifier), GET /api/outbound/status/{id}
// (the transaction, or 404), GET /api/outbound/in-transmission. It counts the documents it accepted, once per
// SBDH instance id, and answers the scripted failures first.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeAccessPoint {
  url: string;
  token: string;
  /** Documents accepted, by SBDH instance id (a second submit of one id is counted in `submits`, not here). */
  documents: Map<string, { sender: string; receiver: string; docType: string; process: string; xml: string }>;
  /** Every submit request that reached the server, answered or not. */
  submits: number;
  /** Answers for the next submits, in order: a status and optional headers and body. */
  script: { status: number; headers?: Record<string, string>; body?: string }[];
  /** The transaction status reported for accepted documents. */
  statusOf: (instanceId: string) => { status: string; errorDetails?: string };
  /**
   * The next this many accepted submits are kept and never answered: the caller cannot know the access point has
   * the document (a process killed while it waits is the case this serves).
   */
  silentSubmits: number;
  /** Called when a submit has been received and kept (answered or not). */
  onAccepted: () => void;
  close(): Promise<void>;
}

export async function startFakeAccessPoint(token = 'ap-token-1'): Promise<FakeAccessPoint> {
  const fake: FakeAccessPoint = {
    url: '',
    token,
    documents: new Map(),
    submits: 0,
    script: [],
    statusOf: () => ({ status: 'sent' }),
    silentSubmits: 0,
    onAccepted: () => {},
    close: async () => {},
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      if (url.pathname.startsWith('/api/') && request.headers['x-token'] !== fake.token) {
        return json(401, { error: 'Invalid or missing API token' });
      }
      const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
      if (request.method === 'GET' && url.pathname === '/api/outbound/in-transmission') return json(200, []);
      if (
        request.method === 'POST' &&
        parts[1] === 'outbound' &&
        parts[2] === 'submit' &&
        parts.length === 8
      ) {
        fake.submits++;
        const scripted = fake.script.shift();
        if (scripted) return json(scripted.status, scripted.body ?? '', scripted.headers);
        const [sender, receiver, docType, process] = parts.slice(3, 7) as [string, string, string, string];
        if (!sender.startsWith('iso6523-actorid-upis::')) {
          return json(400, JSON.stringify(`Failed to parse the sending participant ID '${sender}'`));
        }
        if (!docType.startsWith('busdox-docid-qns::')) {
          return json(400, JSON.stringify(`Failed to parse the document type ID '${docType}'`));
        }
        const instanceId = url.searchParams.get('sbdhInstanceID') ?? `random-${fake.submits}`;
        if (!fake.documents.has(instanceId)) {
          fake.documents.set(instanceId, {
            sender,
            receiver,
            docType,
            process,
            xml: Buffer.concat(chunks).toString(),
          });
        }
        fake.onAccepted();
        if (fake.silentSubmits > 0) {
          fake.silentSubmits--;
          return;
        }
        return json(200, { sbdhInstanceID: instanceId, overallSuccess: true });
      }
      if (request.method === 'GET' && parts[1] === 'outbound' && parts[2] === 'status' && parts[3]) {
        const document = fake.documents.get(parts[3]);
        if (!document) return json(404, '');
        const { status, errorDetails } = fake.statusOf(parts[3]);
        return json(200, {
          sbdhInstanceID: parts[3],
          senderID: document.sender,
          receiverID: document.receiver,
          docTypeID: document.docType,
          processID: document.process,
          status,
          reportingStatus: 'pending',
          ...(errorDetails ? { errorDetails } : {}),
        });
      }
      json(404, '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
