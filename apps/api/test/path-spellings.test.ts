// Every spelling of a path is answered as the route the router matches: the guard a route declares runs whatever
// the request line looked like (escaped letters, absolute form), the API's headers and problems go with it, and a
// spelling that matches no route is a 404 problem. Sent over a real socket, byte for byte: an HTTP client (or
// app.inject) would tidy some of these request lines before sending them.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_SECURITY_HEADERS } from '../src/lib/security-headers';
import { createTestApp, registerUser, type Session, type TestApp } from './support/app';

let t: TestApp;
let port: number;
let session: Session;
let webDist: string;
beforeAll(async () => {
  // The web app is served at / (so unknown page paths fall back to index.html): API paths must still be problems.
  webDist = mkdtempSync(path.join(tmpdir(), 'invoiceflow-web-'));
  writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>InvoiceFlow</title>');
  t = await createTestApp({ WEB_DIST: webDist, RATE_LIMIT_PER_MINUTE: 1_000_000 });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
  session = await registerUser(t.app);
});
afterAll(async () => {
  await t.close();
  rmSync(webDist, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function send(method: string, target: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<Answer>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const lines = [
      `${method} ${target} HTTP/1.1`,
      'host: 127.0.0.1',
      'connection: close',
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      ...(body === undefined
        ? []
        : ['content-type: application/json', `content-length: ${Buffer.byteLength(body)}`]),
    ];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const parsed: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        parsed[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers: parsed, body: rest.join('\r\n\r\n') });
    });
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`);
  });
}

/** One letter percent-encoded in each segment in turn: the router decodes them all to the same route. */
function escapedSpellings(url: string): string[] {
  const segments = url.split('/');
  const out: string[] = [];
  segments.forEach((segment, index) => {
    const at = segment.search(/[a-z]/i);
    if (at < 0 || segment.startsWith(':')) return;
    const escaped = `${segment.slice(0, at)}%${segment.charCodeAt(at).toString(16)}${segment.slice(at + 1)}`;
    out.push([...segments.slice(0, index), escaped, ...segments.slice(index + 1)].join('/'));
  });
  return out;
}

/** Spellings the router takes for the same route. */
const sameRoute = (url: string) => [
  ...escapedSpellings(url),
  `http://invoiceflow.example${url}`,
  `HTTP://invoiceflow.example.:80${url}`,
];

/** Spellings that name no route (the router does not resolve them); each must be a 404 problem. */
const noRoute = (url: string) => [
  `/${url}`,
  url.replace('/v1/', '/v1//'),
  `${url}.`,
  url.replace('/v1/', '/v1/x/../'),
  url.replace('/api/', '/API/'),
  `${url};jsessionid=1`,
  `/%2561${url.slice(2)}`,
];

const withIds = (url: string) => url.replaceAll(/:\w+/g, () => randomUUID());

describe('path spellings', () => {
  it('never skip a declared guard: every guarded route refuses every spelling without a token', async () => {
    const guarded = t.app.guardedRoutes.filter((route) => route.auth !== 'public' && !route.allowAnonymous);
    expect(guarded.length).toBeGreaterThan(40);
    const failures: string[] = [];
    for (const route of guarded) {
      const url = withIds(route.url);
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? '{}' : undefined;
      for (const spelling of [url, ...sameRoute(url)]) {
        const answer = await send(route.method, spelling, {}, body);
        if (answer.status !== 401 || !answer.headers['content-type']?.includes('application/problem+json'))
          failures.push(`${route.method} ${spelling}: ${answer.status} ${answer.body.slice(0, 80)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('are answered as the route they match, token and all', async () => {
    const auth = { authorization: `Bearer ${session.accessToken}` };
    for (const spelling of sameRoute('/api/v1/me')) {
      const answer = await send('GET', spelling, auth);
      expect(answer.status, spelling).toBe(200);
      expect(JSON.parse(answer.body).user.email).toBe(session.email);
    }
    const line = JSON.stringify({ line_items: [{ quantity: 1, unit_price: 10, vat_rate: 15 }] });
    for (const spelling of sameRoute('/api/v1/preview/calculate')) {
      // It answers anonymous callers too, but a token that is sent is checked under every spelling.
      const refused = await send('POST', spelling, { authorization: 'Bearer not-a-token' }, line);
      expect(refused.status, spelling).toBe(401);
      const answered = await send('POST', spelling, auth, line);
      expect(answered.status, spelling).toBe(200);
      expect(JSON.parse(answered.body).total_amount).toBe('11.50');
    }
  });

  it('that match no route are 404 problems with the API headers, never the web app', async () => {
    const failures: string[] = [];
    for (const url of ['/api/v1/me', '/api/v1/invoices', '/api/v1/preview/calculate']) {
      for (const spelling of noRoute(url)) {
        const asPage = { authorization: `Bearer ${session.accessToken}`, accept: 'text/html' };
        for (const headers of [{}, asPage] as Record<string, string>[]) {
          const answer = await send('GET', spelling, headers);
          const isProblem =
            answer.status === 404 &&
            answer.headers['content-type']?.includes('application/problem+json') &&
            JSON.parse(answer.body).code === 'ROUTE_NOT_FOUND';
          if (!isProblem) failures.push(`GET ${spelling}: ${answer.status} ${answer.body.slice(0, 60)}`);
          for (const [name, value] of Object.entries(API_SECURITY_HEADERS))
            if (answer.headers[name] !== value)
              failures.push(`GET ${spelling}: ${name} ${answer.headers[name]}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // A page of the web app is still the web app.
    const page = await send('GET', '/invoices/42', { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>InvoiceFlow</title>');
  });

  it('of an API route carry the API security headers', async () => {
    for (const spelling of sameRoute('/api/v1/me')) {
      const answer = await send('GET', spelling);
      for (const [name, value] of Object.entries(API_SECURITY_HEADERS))
        expect(answer.headers[name], `${spelling} ${name}`).toBe(value);
    }
  });
});
