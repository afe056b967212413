import type { FastifyInstance } from 'fastify';
import { AppError } from './errors';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;
/** A number literal JSON.parse may turn into ±Infinity: an exponent of 3+ digits, or 309+ digits in a row. */
const MAY_OVERFLOW = /[eE]\+?\d{3}|\d{309}/;

function hasNonFiniteNumber(value: unknown, depth = 0): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (value === null || typeof value !== 'object' || depth > 200) return false;
  return Object.values(value).some((item) => hasNonFiniteNumber(item, depth + 1));
}

/**
 * JSON bodies must be valid UTF-8 (RFC 8259 §8.1). Fastify's parser decodes leniently: invalid bytes became U+FFFD
 * and were stored in names and drafts as if the client had sent them. Here the bytes are decoded strictly, then
 * parsed by Fastify's own JSON parser (same prototype-poisoning protection, same empty-body error). A body declared
 * in another charset (`application/json; charset=utf-16`) is refused rather than read as UTF-8, and a number too
 * large for a double (`1e999999`, which JSON.parse turns into Infinity and JSON.stringify stores as null) too.
 */
export function registerStrictJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
    if (charset && charset !== 'utf-8' && charset !== 'utf8') {
      return done(new AppError('UNSUPPORTED_MEDIA_TYPE', { message: 'Send JSON as UTF-8.' }), undefined);
    }
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      return done(
        new AppError('MALFORMED_JSON', { message: 'The request body is not valid UTF-8.' }),
        undefined,
      );
    }
    if (!MAY_OVERFLOW.test(text)) return parseJson(request, text, done);
    parseJson(request, text, (error, parsed) => {
      if (!error && hasNonFiniteNumber(parsed)) {
        return done(new AppError('MALFORMED_JSON', { message: 'A number is too large.' }), undefined);
      }
      done(error, parsed);
    });
  });
}
