import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A webhook receiver written from docs/webhooks.md ("Verifying a delivery"), as a customer would write one: the
 * raw body, the timestamp within 5 minutes, HMAC-SHA256 of `timestamp.body` in hex, any `v1=` value compared in
 * constant time.
 */
export function isGenuine({
  secret,
  rawBody,
  timestamp,
  signature,
  now = Date.now(),
}: {
  secret: string;
  rawBody: string;
  timestamp: string | undefined;
  signature: string | undefined;
  now?: number;
}): boolean {
  const seconds = Number(timestamp);
  if (!Number.isInteger(seconds) || Math.abs(now / 1000 - seconds) > 300) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex'));
  return String(signature)
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .some((part) => {
      const given = Buffer.from(part.slice(3));
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

export interface ReceivedDelivery {
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  body: { id: string; type: string; data: Record<string, unknown> };
  /** Whether the signature verified with the receiver's secret at the time it arrived. */
  isGenuine: boolean;
  answered: number;
}

/**
 * A receiver on 127.0.0.1. `secret` is set once the endpoint is created; `answers` are the statuses to give, one per
 * request in order (then 200), so a test makes the first attempts fail.
 */
export async function startReceiver() {
  const state = {
    secret: '',
    answers: [] as number[],
    received: [] as ReceivedDelivery[],
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const genuine = isGenuine({
        secret: state.secret,
        rawBody,
        timestamp: request.headers['invoiceflow-timestamp'] as string | undefined,
        signature: request.headers['invoiceflow-signature'] as string | undefined,
      });
      const status = genuine ? (state.answers.shift() ?? 200) : 401;
      state.received.push({
        headers: request.headers,
        rawBody,
        body: JSON.parse(rawBody),
        isGenuine: genuine,
        answered: status,
      });
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(status === 200 ? 'ok' : `status ${status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    state,
    url: `http://127.0.0.1:${port}/hooks`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
