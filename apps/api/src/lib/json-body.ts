import type { FastifyInstance } from 'fastify';
import { AppError, validationError } from './errors';
import { checkJsonTexts } from './input-text';
import { scanJsonText } from './json-scan';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

/**
 * JSON bodies must be valid UTF-8 (RFC 8259 §8.1). Fastify's parser decodes leniently: invalid bytes became U+FFFD
 * and were stored in names and drafts as if the client had sent them. Here the bytes are decoded strictly, then
 * parsed by Fastify's own JSON parser (same prototype-poisoning protection, same empty-body error). A body declared
 * in another charset (`application/json; charset=utf-16`) is refused rather than read as UTF-8.
 *
 * Before parsing, the text's depth and number literals are checked (json-scan.ts: nesting beyond 64 levels, a
 * number a double cannot keep exactly such as 1e999 or 9007199254740993); after parsing, every string and key
 * (input-text.ts: control characters, lone surrogates, bidi controls). Each refusal is VALIDATION_FAILED with the
 * field's path, before any route, schema or hash sees the body.
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
    const shapeProblem = scanJsonText(text);
    if (shapeProblem) return done(validationError([shapeProblem]), undefined);
    parseJson(request, text, (error, parsed) => {
      if (error) return done(error, undefined);
      const checked = checkJsonTexts(text, parsed);
      if ('errors' in checked) return done(validationError(checked.errors), undefined);
      done(null, checked.value);
    });
  });
}
