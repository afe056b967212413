import http from 'node:http';
import https from 'node:https';

/** The provider's answer: status, headers and the first bytes of the body. */
export interface ProviderAnswer {
  status_code: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The same first bytes undecoded (a PDF, a document in another encoding). */
  bytes?: Buffer;
}

/** A provider's reason as kept: the first bytes of its error body, NUL-free (PostgreSQL text). */
const REASON_BYTES = 1024;
const BODY_BYTES = 256 * 1024;

export function reasonOf(body: string, fallback: string): string {
  const text = body.trim().replaceAll('\u0000', '\uFFFD');
  return text ? text.slice(0, REASON_BYTES) : fallback;
}

/** Retry-After in seconds, as delta-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when absent or bad. */
export function retryAfterSeconds(
  header: string | string[] | undefined,
  now = Date.now(),
): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number.parseInt(value.trim(), 10);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** One request without redirects; a timeout or a network error is `{ error }` (the call may have arrived). */
export function request(
  url: URL,
  options: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number },
): Promise<ProviderAnswer | { error: string }> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let isSettled = false;
    const settle = (value: ProviderAnswer | { error: string }) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const headers = { ...options.headers };
    if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
    const outgoing = client.request(url, { method: options.method, headers }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (size < BODY_BYTES) chunks.push(chunk);
        size += chunk.length;
      });
      response.on('end', () => {
        const bytes = Buffer.concat(chunks).subarray(0, BODY_BYTES);
        settle({
          status_code: response.statusCode ?? 0,
          headers: response.headers,
          body: bytes.toString('utf8'),
          bytes,
        });
      });
      response.on('error', (error: NodeJS.ErrnoException) =>
        settle({ error: error.code ?? 'NETWORK_ERROR' }),
      );
    });
    const timer = setTimeout(() => {
      outgoing.destroy();
      settle({ error: 'TIMEOUT' });
    }, options.timeoutMs);
    outgoing.on('error', (error: NodeJS.ErrnoException) => settle({ error: error.code ?? 'NETWORK_ERROR' }));
    outgoing.end(options.body);
  });
}

/** Whether a later attempt may succeed: 5xx, 408 and 429 (RFC 9110 §15). */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}
