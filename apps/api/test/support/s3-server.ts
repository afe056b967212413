import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An S3-compatible server on 127.0.0.1 for tests: path-style `/{bucket}/{key}` PutObject, GetObject, HeadObject
 * and DeleteObject, as the S3 REST API documents them, and every request's AWS Signature Version 4 recomputed by
 * the documented algorithm (canonical request → string to sign → HMAC chain of the secret) — a wrong secret, a
 * changed header or a body that is not the one signed answers 403 SignatureDoesNotMatch, as S3 does.
 * `failing = true` makes it answer 503 ServiceUnavailable to everything (a store that is down).
 */
export interface TestS3Server {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The stored objects, by key (without the bucket). */
  objects: Map<string, Buffer>;
  /** Every request seen: its method, key and whether its signature verified. */
  requests: { method: string; key: string; verified: boolean; reason?: string }[];
  failing: boolean;
  close(): Promise<void>;
}

const rfc3986 = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

function errorXml(response: ServerResponse, status: number, code: string, message: string) {
  response.writeHead(status, { 'content-type': 'application/xml' });
  response.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  );
}

/** Why the request's SigV4 signature does not hold, or undefined when it does. */
export function sigV4Problem(
  request: IncomingMessage,
  body: Buffer,
  { accessKeyId, secretAccessKey, region }: { accessKeyId: string; secretAccessKey: string; region: string },
): string | undefined {
  const authorization = request.headers.authorization ?? '';
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) return 'no SigV4 Authorization header';
  const [, keyId, date, scopeRegion, signedHeaders, signature] = match as unknown as string[];
  if (keyId !== accessKeyId) return 'unknown access key';
  if (scopeRegion !== region) return 'wrong region';
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  if (!amzDate.startsWith(date as string)) return 'x-amz-date does not match the credential scope';
  const payloadHash = String(request.headers['x-amz-content-sha256'] ?? '');
  if (!payloadHash) return 'no x-amz-content-sha256';
  if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256Hex(body))
    return 'the body is not the one signed';
  const names = (signedHeaders as string).split(';');
  for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256'])
    if (!names.includes(required)) return `${required} is not signed`;
  const rawUrl = request.url ?? '/';
  const queryAt = rawUrl.indexOf('?');
  const canonicalUri = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  const canonicalQuery =
    queryAt < 0
      ? ''
      : rawUrl
          .slice(queryAt + 1)
          .split('&')
          .filter(Boolean)
          .map((pair) => {
            const eq = pair.indexOf('=');
            const name = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
            const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1));
            return [rfc3986(name), rfc3986(value)] as const;
          })
          .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
          .map(([name, value]) => `${name}=${value}`)
          .join('&');
  const canonicalHeaders = names
    .map((name) => {
      const value = request.headers[name];
      const text = Array.isArray(value) ? value.join(',') : (value ?? '');
      return `${name}:${text.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const canonicalRequest = [
    request.method,
    canonicalUri,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${secretAccessKey}`, date as string), region), 's3'),
    'aws4_request',
  );
  const expected = createHmac('sha256', signingKey).update(stringToSign).digest();
  const given = Buffer.from(signature as string, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? undefined
    : 'signature does not match';
}

export async function startTestS3Server(
  options: { bucket?: string; accessKeyId?: string; secretAccessKey?: string; region?: string } = {},
): Promise<TestS3Server> {
  const state = {
    bucket: options.bucket ?? 'receipts',
    region: options.region ?? 'eu-central-1',
    accessKeyId: options.accessKeyId ?? 'AKIATESTRECEIPTS',
    secretAccessKey: options.secretAccessKey ?? 'test-secret-key-0123456789abcdefghij',
    objects: new Map<string, Buffer>(),
    requests: [] as TestS3Server['requests'],
    failing: false,
  };
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = (request.url ?? '/').split('?')[0] as string;
    const [, bucket, ...rest] = path.split('/');
    const key = rest.map((segment) => decodeURIComponent(segment)).join('/');
    const problem = sigV4Problem(request, body, state);
    state.requests.push({ method: request.method ?? '', key, verified: !problem, reason: problem });
    if (state.failing)
      return errorXml(response, 503, 'ServiceUnavailable', 'Please reduce your request rate.');
    if (problem) return errorXml(response, 403, 'SignatureDoesNotMatch', problem);
    if (bucket !== state.bucket) return errorXml(response, 404, 'NoSuchBucket', 'The bucket does not exist');
    if (!key) return errorXml(response, 400, 'InvalidRequest', 'Only object calls are served here');
    const stored = state.objects.get(key);
    const etag = (bytes: Buffer) => `"${createHash('md5').update(bytes).digest('hex')}"`;
    switch (request.method) {
      case 'PUT':
        state.objects.set(key, body);
        response.writeHead(200, { etag: etag(body) });
        return response.end();
      case 'GET':
      case 'HEAD':
        if (!stored) {
          if (request.method === 'HEAD') {
            response.writeHead(404);
            return response.end();
          }
          return errorXml(response, 404, 'NoSuchKey', 'The specified key does not exist.');
        }
        response.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': String(stored.length),
          etag: etag(stored),
        });
        return response.end(request.method === 'GET' ? stored : undefined);
      case 'DELETE':
        state.objects.delete(key);
        response.writeHead(204);
        return response.end();
      default:
        return errorXml(response, 405, 'MethodNotAllowed', 'The method is not allowed');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  });
}
