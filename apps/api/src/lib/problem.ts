import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, type FieldError } from './errors';
import { isApiPath } from './request-path';

const ZOD_CODES: Record<string, string> = {
  invalid_type: 'INVALID_TYPE',
  too_small: 'TOO_SMALL',
  too_big: 'TOO_BIG',
  invalid_format: 'INVALID_FORMAT',
  invalid_value: 'INVALID_VALUE',
  invalid_union: 'INVALID_VALUE',
  not_multiple_of: 'INVALID_VALUE',
  unrecognized_keys: 'UNKNOWN_FIELD',
  custom: 'INVALID',
};

interface ValidationItem {
  keyword: string;
  instancePath: string;
  message?: string;
  params?: { keys?: string[]; params?: { code?: string }; input?: unknown };
}

function valueAt(source: unknown, segments: string[]): unknown {
  let current = source;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/**
 * Zod issues as `{ path, code, message }`, paths dotted from the body ("company.vat_number"), one error per field.
 * A field absent from the request is REQUIRED whatever check failed on it (Zod 4 leaves the input out of issues).
 */
export function fieldErrorsFromValidation(
  items: ValidationItem[],
  context: string | undefined,
  source: unknown,
): FieldError[] {
  const prefix = context && context !== 'body' ? (context === 'querystring' ? 'query' : context) : '';
  const join = (...parts: string[]) => [prefix, ...parts].filter(Boolean).join('.');
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  const add = (error: FieldError) => {
    if (seen.has(error.path)) return;
    seen.add(error.path);
    errors.push(error);
  };
  for (const item of items) {
    const segments = item.instancePath.split('/').filter(Boolean);
    if (item.keyword === 'unrecognized_keys' && item.params?.keys) {
      for (const key of item.params.keys)
        add({ path: join(...segments, key), code: 'UNKNOWN_FIELD', message: 'Unknown field.' });
      continue;
    }
    const ruleCode = item.params?.params?.code;
    const isMissing = !ruleCode && segments.length > 0 && valueAt(source, segments) === undefined;
    add({
      path: join(...segments),
      code: isMissing ? 'REQUIRED' : (ruleCode ?? ZOD_CODES[item.keyword] ?? 'INVALID'),
      message: isMissing ? 'Required.' : (item.message ?? 'Invalid value.'),
    });
  }
  return errors;
}

function toAppError(error: FastifyError, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    return new AppError('VALIDATION_FAILED', {
      errors: fieldErrorsFromValidation(
        error.validation as unknown as ValidationItem[],
        error.validationContext,
        request[
          (error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'body')) as
            | 'body'
            | 'query'
            | 'params'
            | 'headers'
        ],
      ),
    });
  }
  if (isResponseSerializationError(error)) return new AppError('INTERNAL_ERROR');
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('MALFORMED_JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_RATE_LIMIT_EXCEEDED':
      return new AppError('TOO_MANY_REQUESTS');
  }
  if (error instanceof SyntaxError || error.statusCode === 400) {
    // JSON.parse failures and other parser rejections the framework marks as the client's fault.
    return new AppError('MALFORMED_JSON', { message: 'The request body could not be read.' });
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError(error.code ?? 'BAD_REQUEST', { status: error.statusCode, message: error.message });
  }
  return new AppError('INTERNAL_ERROR');
}

function problemBody(error: AppError, requestId?: string) {
  return {
    type: `https://invoiceflow.dev/problems/${error.code.toLowerCase().replaceAll('_', '-')}`,
    title: error.code,
    status: error.status,
    code: error.code,
    message: error.message,
    ...(requestId ? { request_id: requestId } : {}),
    ...(error.errors ? { errors: error.errors } : {}),
    ...error.extra,
  };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * How the route words its problems for the people it serves (the issuing routes: every field error also in
     * Arabic, lines counted from 1), whatever raised them: request validation, the service, a later stage.
     */
    describeProblem?: (problem: { code: string; errors?: FieldError[] }) => {
      message_ar?: string;
      errors?: FieldError[];
    };
  }
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, error: AppError): FastifyReply {
  if (error.headers) reply.headers(error.headers);
  const body = problemBody(error, request.id);
  const describe = request.routeOptions?.config?.describeProblem;
  const described = describe ? { ...body, ...describe({ code: error.code, errors: error.errors }) } : body;
  return reply.code(error.status).type('application/problem+json').send(described);
}

/**
 * Errors the router raises before any route or hook runs (Fastify's `frameworkErrors`): a URL that cannot be
 * decoded, a path parameter longer than the router allows. Without this they are Fastify's own bare JSON.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const problem =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new AppError('URI_TOO_LONG')
      : new AppError('BAD_REQUEST', { message: 'The URL could not be read.' });
  return sendProblem(reply, request, problem);
}

/**
 * Requests Node's HTTP parser rejects before Fastify sees them (a body longer than its Content-Length, a broken
 * request line, oversized headers): answered with a problem too, then the connection is closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const problem =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new AppError('REQUEST_TIMEOUT')
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? new AppError('HEADERS_TOO_LARGE')
        : new AppError('BAD_REQUEST');
  const body = JSON.stringify(problemBody(problem));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * `spaFallback`: the web app is served at /, so a browser asking for a page the server does not know (a client-side
 * route such as /invoices/42) gets index.html; API paths and non-page requests still get a problem.
 */
export function registerProblemHandlers(app: FastifyInstance, options: { spaFallback: boolean }): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toAppError(error, request);
    // Once, through the logger's error serializer (lib/logger.ts): a failed query's parameters never reach a log.
    if (problem.status >= 500) {
      if (isResponseSerializationError(error)) {
        const issues = error.cause.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code }));
        request.log.error({ err: error, issues }, 'response does not match its schema');
      } else request.log.error({ err: error }, problem.message);
    }
    return sendProblem(reply, request, problem);
  });
  app.setNotFoundHandler((request, reply) => {
    const isPageRequest =
      options.spaFallback &&
      request.method === 'GET' &&
      !isApiPath(request.url) &&
      (request.headers.accept ?? '').includes('text/html');
    if (isPageRequest) return reply.type('text/html').sendFile('index.html');
    return sendProblem(reply, request, new AppError('ROUTE_NOT_FOUND'));
  });
}
