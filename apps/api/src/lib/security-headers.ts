import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyContextConfig, type FastifyInstance } from 'fastify';
import { isApiPath, isApiRoute } from './request-path';

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

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The answer carries a credential (access or refresh tokens, an MFA token, backup codes, a TOTP secret): it
     * goes out with `Cache-Control: no-store`, so no browser, proxy or CDN keeps a copy.
     */
    noStore?: boolean;
  }
}

/** Fields of an answer that are credentials: a route answering with one must declare `noStore`. */
const CREDENTIAL_FIELDS = new Set([
  'access_token',
  'refresh_token',
  'mfa_token',
  'backup_codes',
  'secret',
  'otpauth_uri',
]);

/** The response header set of a route, decided once when it is declared (a symbol: no config name to clash). */
const HEADER_SET = Symbol('response headers');

interface HeaderList {
  names: string[];
  values: string[];
}

/**
 * Sets the security headers and the request id on every answer, in one synchronous hook: the API set on API
 * answers, helmet's document set (`documentHeaders`) on everything else, plus `Cache-Control: no-store` on routes
 * that declare `noStore`. Each header costs about a microsecond to set and write, and the live preview answers
 * thousands of requests a second, so API answers carry six instead of twelve. Routes may still override a header
 * (swagger-ui sets its own CSP when it sends).
 *
 * Which set applies is decided by the route the router matched (its declared path), never by the request's URL
 * text: the router decodes escapes and reads absolute-form request lines, so `/%61pi/…` is an API route too. A
 * request that matched nothing is classified by its canonical path (lib/request-path.ts).
 */
export function registerResponseHeaders(
  app: FastifyInstance,
  documentHeaders: Readonly<Record<string, string>>,
) {
  const api = headerList(API_SECURITY_HEADERS);
  const documents = headerList(documentHeaders);
  const apiNoStore = headerList({ ...API_SECURITY_HEADERS, 'cache-control': 'no-store' });
  const documentsNoStore = headerList({ ...documentHeaders, 'cache-control': 'no-store' });
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as FastifyContextConfig;
    const isApi = isApiRoute(route.url);
    if (isApi && !config.noStore) {
      const field = credentialFieldOf(route.schema?.response);
      if (field)
        throw new Error(
          `Route ${route.method} ${route.url} answers with ${field} but does not declare config.noStore`,
        );
    }
    const headers = config.noStore ? (isApi ? apiNoStore : documentsNoStore) : isApi ? api : documents;
    route.config = { ...config, [HEADER_SET]: headers } as FastifyContextConfig;
  });
  app.addHook('onRequest', (request, reply, done) => {
    const config = request.routeOptions.config as { [HEADER_SET]?: HeaderList };
    const { names, values } = config[HEADER_SET] ?? (isApiPath(request.url) ? api : documents);
    for (let i = 0; i < names.length; i++) reply.header(names[i] as string, values[i]);
    reply.header('x-request-id', request.id);
    done();
  });
}

function headerList(headers: Readonly<Record<string, string>>): HeaderList {
  const names = Object.keys(headers);
  return { names, values: names.map((name) => headers[name] as string) };
}

interface ZodLike {
  _zod?: { def?: Record<string, unknown> };
}

/** The first credential field named anywhere in a route's response schemas (Zod), if any. */
function credentialFieldOf(responses: unknown): string | undefined {
  if (!responses || typeof responses !== 'object') return undefined;
  const seen = new Set<unknown>();
  const walk = (schema: unknown, depth: number): string | undefined => {
    const def = (schema as ZodLike | undefined)?._zod?.def;
    if (!def || depth > 8 || seen.has(schema)) return undefined;
    seen.add(schema);
    const shape = def.shape as Record<string, unknown> | undefined;
    if (def.type === 'object' && shape) {
      for (const [key, child] of Object.entries(shape)) {
        if (CREDENTIAL_FIELDS.has(key)) return key;
        const found = walk(child, depth + 1);
        if (found) return found;
      }
      return undefined;
    }
    const children = [
      ...((def.options as unknown[] | undefined) ?? []),
      def.element,
      def.innerType,
      def.in,
      def.out,
      def.left,
      def.right,
    ];
    for (const child of children) {
      const found = child ? walk(child, depth + 1) : undefined;
      if (found) return found;
    }
    return undefined;
  };
  for (const schema of Object.values(responses)) {
    const found = walk(schema, 0);
    if (found) return found;
  }
  return undefined;
}
