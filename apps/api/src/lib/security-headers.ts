import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

/** The app's helmet configuration: one place for the policy, applied to every answer. */
export const HELMET_OPTIONS: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      styleSrc: ["'self'", "'unsafe-inline'"],
      scriptSrc: ["'self'"],
    },
  },
};

/**
 * The headers helmet sets with `options`, computed once by helmet itself on a throwaway instance. The
 * configuration has no per-request part (no CSP nonces), so every answer gets the same headers; @fastify/helmet
 * registered on the app would rebuild its middleware from the options on every request (≈ 7 % of the preview's
 * CPU), and two async hooks besides.
 */
export function securityHeaders(): Promise<Readonly<Record<string, string>>> {
  appHeaders ??= computeSecurityHeaders(HELMET_OPTIONS);
  return appHeaders;
}
let appHeaders: Promise<Readonly<Record<string, string>>> | undefined;

/** What helmet answers with `options`, less what a bare Fastify answer already has. */
export async function computeSecurityHeaders(
  options: FastifyHelmetOptions,
): Promise<Readonly<Record<string, string>>> {
  const answerOf = async (withHelmet: boolean) => {
    const probe: FastifyInstance = Fastify({ logger: false });
    if (withHelmet) await probe.register(helmet, options);
    probe.get('/', async () => 'probe');
    try {
      return (await probe.inject({ method: 'GET', url: '/' })).headers;
    } finally {
      await probe.close();
    }
  };
  const plain = await answerOf(false);
  const secured = await answerOf(true);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(secured)) {
    if (name in plain || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  if (!headers['content-security-policy'] || !headers['x-content-type-options']) {
    throw new Error('helmet set no security headers on the probe');
  }
  return Object.freeze(headers);
}

/**
 * The headers of an API answer (JSON, PDF, XML under /api/), after the OWASP REST Security Cheat Sheet: nothing in
 * them is a document a browser renders, so helmet's document policies (script sources, DNS prefetch, download
 * options, origin agent clusters, the legacy XSS filter) have nothing to act on. What stays is what protects an API
 * answer: no sniffing, no framing, no sub-resource loading, HTTPS only, no referrer, same-origin reads.
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
});

/** Whether an answer to `url` is an API answer rather than a document (the web app, Swagger UI). */
export function isApiUrl(url: string): boolean {
  return url.startsWith('/api/') && !url.startsWith('/api/docs');
}

/**
 * Sets the security headers and the request id on every answer, in one synchronous hook: the API set on API
 * answers, helmet's document set (`documentHeaders`) on everything else. Each header costs about a microsecond to
 * set and write, and the live preview answers thousands of requests a second, so API answers carry six instead of
 * twelve. Routes may still override a header (swagger-ui sets its own CSP when it sends).
 */
export function registerResponseHeaders(
  app: FastifyInstance,
  documentHeaders: Readonly<Record<string, string>>,
) {
  const api = headerList(API_SECURITY_HEADERS);
  const documents = headerList(documentHeaders);
  app.addHook('onRequest', (request, reply, done) => {
    const { names, values } = isApiUrl(request.url) ? api : documents;
    for (let i = 0; i < names.length; i++) reply.header(names[i] as string, values[i]);
    reply.header('x-request-id', request.id);
    done();
  });
}

function headerList(headers: Readonly<Record<string, string>>) {
  const names = Object.keys(headers);
  return { names, values: names.map((name) => headers[name] as string) };
}
