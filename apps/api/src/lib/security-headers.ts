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
 * Sets the precomputed security headers and the request id on every answer, in one synchronous hook. Routes may
 * still override a header (swagger-ui sets its own CSP when it sends).
 */
export function registerResponseHeaders(app: FastifyInstance, headers: Readonly<Record<string, string>>) {
  const names = Object.keys(headers);
  const values = names.map((name) => headers[name] as string);
  const count = names.length;
  app.addHook('onRequest', (request, reply, done) => {
    for (let i = 0; i < count; i++) reply.header(names[i] as string, values[i]);
    reply.header('x-request-id', request.id);
    done();
  });
}
