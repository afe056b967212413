import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Files sent as the request body itself (what a file picker or a phone camera gives a fetch), parsed as bytes by
 * the plugin that registers this, and nowhere else. The declared type is only a claim: the service reads the type
 * from the bytes and compares. Pass one byte more than the service's own limit where the service should answer 413
 * itself for a file just too big.
 */
export function acceptFileBodies(app: FastifyInstance, types: readonly string[], bodyLimit: number): void {
  app.addContentTypeParser([...types], { parseAs: 'buffer', bodyLimit }, (_request, body, done) =>
    done(null, body),
  );
}

/** The body's bytes (undefined when it was not sent as a file) and the media type it was declared as. */
export function fileBodyOf(request: FastifyRequest): { bytes: Buffer | undefined; declaredType: string } {
  const body = request.body as unknown;
  const declaredType =
    String(request.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim()
      .toLowerCase() ?? '';
  return { bytes: Buffer.isBuffer(body) ? body : undefined, declaredType };
}
