import type { FastifyServerOptions } from 'fastify';

/** Keeps enough of a value to recognise it in a log and no more: "a***@example.com", "3********0003". */
export function maskValue(value: unknown): unknown {
  if (typeof value !== 'string') return value === undefined || value === null ? value : '[masked]';
  const at = value.indexOf('@');
  if (at > 0) return `${value[0]}***${value.slice(at)}`;
  if (value.length <= 6) return '***';
  return `${value.slice(0, 1)}${'*'.repeat(value.length - 5)}${value.slice(-4)}`;
}

const SECRET_KEYS = [
  'password',
  'new_password',
  'access_token',
  'refresh_token',
  'mfa_token',
  'token',
  'code',
  'secret',
];
const PERSONAL_KEYS = ['email', 'vat_number', 'trn', 'phone', 'mobile', 'to_address'];

const paths = (keys: string[]) => keys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/** Log keys that hold an error: all of them go through `safeError`. */
const ERROR_KEYS = ['err', 'error', 'cause'];

/** What a log keeps of an error: nothing it carries can be a value someone typed or a secret we hold. */
export interface SafeError {
  type: string;
  message: string;
  code?: string | number;
  /** The SQL text of a failed query, placeholders only (`$1`): its parameters are never kept. */
  query?: string;
  /** A PostgreSQL error's names of things (not values): which constraint, table or column. */
  constraint?: string;
  table?: string;
  column?: string;
  stack?: string;
  cause?: SafeError;
  errors?: SafeError[];
}

// Words after which a quoted name is an identifier (constraint "users_email_key", relation "users"); any other
// quoted text in a database message is a value (invalid input syntax for type uuid: "…").
const IDENTIFIER_BEFORE =
  /(?:constraint|relation|column|table|index|schema|type|function|sequence|encoding|database|extension|operator|trigger|view|domain|cursor|savepoint|statement|role|column reference|key) $/i;
const EMAIL = /[^\s"'<>(),;:]+@[^\s"'<>(),;:]+/g;

/**
 * An error message without the values it may carry. A failed query's message (drizzle) ends with its parameters
 * (`params: a@b.c,$argon2id$…`): cut wherever it turns up. Quoted values in database messages and e-mail addresses anywhere (SMTP
 * rejections name the recipient) are replaced.
 */
export function safeMessage(message: string): string {
  const params = message.search(/\nparams: /);
  const head = params >= 0 ? message.slice(0, params) : message;
  return head
    .replaceAll(/"((?:[^"]|"")*)"/g, (quoted, _inner, offset: number) =>
      IDENTIFIER_BEFORE.test(head.slice(Math.max(0, offset - 40), offset)) ? quoted : '"[value]"',
    )
    .replaceAll(/=\((.*?)\)/g, '=([value])')
    .replaceAll(EMAIL, '[email]');
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The log serializer of every error object (request errors, job errors, start-up): type, message without values,
 * code, stack, and for a failed query its SQL text and the names of what it broke. Everything else an error
 * carries is left out — a query's `params` (e-mails, password hashes, names, VAT numbers), a PostgreSQL error's
 * `detail` ("Failing row contains (…)", "Key (email)=(…)"), `where`, `hint`, an SMTP error's recipients.
 */
export function safeError(error: unknown, depth = 0): SafeError {
  if (!(error instanceof Error)) {
    const type = error === null ? 'null' : typeof error;
    return { type, message: typeof error === 'string' ? safeMessage(error) : `a thrown ${type}` };
  }
  const source = error as Error & Record<string, unknown>;
  // The class's name, unless it is minified away (PGlite's DatabaseError is `O`): then the error's own name.
  const className = error.constructor?.name ?? '';
  const type = className.length > 2 && className !== 'Error' ? className : error.name;
  // A failed query (drizzle): its message is the SQL text and then every parameter; the SQL goes in `query`.
  const query =
    'params' in source && String(error.message).startsWith('Failed query: ') ? text(source.query) : undefined;
  const message = query !== undefined ? 'Failed query' : safeMessage(String(error.message ?? ''));
  const out: SafeError = { type, message };
  if (typeof source.code === 'string' || typeof source.code === 'number') out.code = source.code;
  if (query !== undefined) out.query = query;
  for (const name of ['constraint', 'table', 'column'] as const) {
    const value = text(source[name]);
    if (value) out[name] = value;
  }
  if (typeof error.stack === 'string') {
    const frames = error.stack.split('\n').filter((line) => /^\s+at /.test(line));
    out.stack = [`${type}: ${message}`, ...frames].join('\n');
  }
  if (depth < 4 && error.cause !== undefined) out.cause = safeError(error.cause, depth + 1);
  if (depth < 4 && Array.isArray(source.errors))
    out.errors = source.errors.slice(0, 10).map((inner) => safeError(inner, depth + 1));
  return out;
}

const isError = (value: unknown): value is Error => value instanceof Error;

/**
 * An error's `code` (FST_ERR_…, ECONNREFUSED, a SQLSTATE such as 23505), which the `*.code` redaction of MFA codes
 * would hide: a wildcard path does not tell the censor which object it is in, so the value's shape does. Neither
 * shape can be an MFA code (six digits, or a backup code with its dash and lower-case letters).
 */
function isErrorCode(value: unknown, path: unknown[]): boolean {
  if (path.at(-1) !== 'code' || typeof value !== 'string') return false;
  // A wildcard's place in the path is a symbol (pino.wildcardFirst), not the key it matched.
  if (typeof path[0] === 'string' && !ERROR_KEYS.includes(path[0])) return false;
  return /^[A-Z][A-Z0-9_]+$/.test(value) || /^[0-9][0-9A-Z]{4}$/.test(value);
}

/**
 * The request as the access log keeps it: the path, and of the query string only its parameter names. A search
 * (`?q=Ahmed Ali`), a filter by customer or an e-mail in a link is personal data the log has no use for.
 */
export function safeRequestUrl(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const names = [...new Set([...new URLSearchParams(url.slice(mark + 1)).keys()])];
  return `${url.slice(0, mark)}?${names.map((name) => `${encodeURIComponent(name)}=…`).join('&')}`;
}

interface LoggedRequest {
  method: string;
  url: string;
  id?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        ...paths(SECRET_KEYS),
        ...paths(PERSONAL_KEYS),
      ],
      censor: (value: unknown, path: unknown[]) =>
        isErrorCode(value, path)
          ? value
          : SECRET_KEYS.includes(String(path.at(-1))) || path.includes('headers')
            ? '[redacted]'
            : maskValue(value),
    },
    serializers: {
      ...Object.fromEntries(ERROR_KEYS.map((key) => [key, safeError])),
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: safeRequestUrl(request.url),
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
    hooks: {
      // pino takes a line's message from the error when none is given (`log.error(err)`, `log.error({ err })`):
      // the error's own message, parameters and all. Such lines get the safe message instead.
      logMethod(args, method) {
        const [first, second] = args as unknown[];
        if (typeof second === 'string') return method.apply(this, args);
        if (isError(first))
          return method.apply(this, [{ err: first }, safeError(first).message, ...args.slice(1)] as never);
        const inner = first && typeof first === 'object' ? (first as Record<string, unknown>).err : undefined;
        if (isError(inner) && !('msg' in (first as object)))
          return method.apply(this, [first, safeError(inner).message, ...args.slice(1)] as never);
        return method.apply(this, args);
      },
    },
  };
}
