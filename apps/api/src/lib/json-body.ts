import type { FastifyInstance } from 'fastify';
import { AppError } from './errors';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON bodies must be valid UTF-8 (RFC 8259 §8.1). Fastify's parser decodes leniently: invalid bytes became U+FFFD
 * and were stored in names and drafts as if the client had sent them. Here the bytes are decoded strictly, then
 * parsed by Fastify's own JSON parser (same prototype-poisoning protection, same empty-body error).
 */
export function registerStrictJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      return done(new AppError('MALFORMED_JSON', { message: 'The request body is not valid UTF-8.' }), undefined);
    }
    parseJson(request, text, done);
  });
}
