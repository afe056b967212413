// Malformed requests generated from the OpenAPI document: for every operation, a plausible request built from its
// schemas, then broken one way at a time — wrong types, missing and unknown fields, huge strings and numbers,
// negative and non-numeric amounts, bad formats, SQL and script injection, bad ids and query strings, bad tokens —
// plus raw-socket requests a fetch client cannot send (invalid UTF-8, wrong or lying content types, deep JSON).
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';

/**
 * Tables that requests the suites send may change without writing anything of the caller's: failed sign-ins are
 * counted to throttle guessing, and a chain verification (a read any member may run) records its run. The webhook
 * job logs its attempts on its own schedule, for deliveries an accepted request (a replay) queued earlier; a
 * request never writes an attempt, and a delivery it queued shows in webhook_deliveries.
 */
export const MAY_CHANGE: ReadonlySet<string> = new Set([
  'login_attempts',
  'zatca_chain_runs',
  'webhook_attempts',
  // The PDF store is a cache any read may fill: a document's PDF is rendered once, to the same bytes, by whichever
  // comes first of the issuing step, a download or an export of the period.
  'invoice_pdfs',
]);

/**
 * Reads that are recorded: a platform administrator opening a company's registration document is written to the
 * audit log by the read itself, so an accepted spelling of that path adds an entry. The audit log is counted
 * without them; every other entry still counts.
 */
export const AUDITED_READS: readonly string[] = ['company.document_viewed'];

export type Schema = {
  type?: string | string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  const?: unknown;
};

export interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  path: string;
  auth?: string;
  permission?: string;
  /** x-anonymous: the operation also answers callers without a token (the live preview), within a budget. */
  isAnonymousAllowed?: boolean;
  parameters: Parameter[];
  body?: Schema;
}

export interface HostileRequest {
  label: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  /** JSON-serialisable body, or raw bytes sent as they are. */
  body?: unknown;
  raw?: Buffer;
  /** Send over a raw socket (the request is not one fetch would send). */
  isRaw?: boolean;
  /** The operation's guard (x-auth): 'token' routes are pure computations that answer 200 with field errors. */
  auth?: string;
}

export interface OpenApiOperation {
  'x-auth'?: string;
  'x-anonymous'?: boolean;
  'x-permission'?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

export function operationsOf(openapi: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(openapi.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      operations.push({
        method: method.toUpperCase(),
        path,
        auth: operation['x-auth'],
        permission: operation['x-permission'],
        isAnonymousAllowed: operation['x-anonymous'] === true,
        parameters: operation.parameters ?? [],
        body: operation.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return operations;
}

export const typesOf = (schema: Schema): string[] => {
  if (schema.anyOf ?? schema.oneOf) return (schema.anyOf ?? schema.oneOf ?? []).flatMap(typesOf);
  if (schema.enum) return [typeof schema.enum[0] === 'number' ? 'number' : 'string'];
  return [schema.type ?? 'any'].flat();
};

export const firstOption = (schema: Schema): Schema => {
  const options = schema.anyOf ?? schema.oneOf;
  if (!options) return schema;
  return firstOption(options.find((option) => option.type !== 'null') ?? (options[0] as Schema));
};

const today = () => new Date().toISOString().slice(0, 10);

/** A plausible value for a schema (not necessarily accepted: every request is broken afterwards anyway). */
export function sampleOf(schema: Schema, name: string, ids: Record<string, string>): unknown {
  const s = firstOption(schema);
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.default !== undefined) return s.default;
  switch ([s.type].flat()[0]) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) out[key] = sampleOf(s.properties?.[key] ?? {}, key, ids);
      return out;
    }
    case 'array':
      return s.minItems ? [sampleOf(s.items ?? {}, name, ids)] : [];
    case 'integer':
      return Math.max(1, s.minimum ?? 1);
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'string': {
      if (s.format === 'uuid') return ids[name] ?? ids.id ?? randomUUID();
      if (s.format === 'date') return today();
      if (s.format === 'date-time') return new Date().toISOString();
      if (s.format === 'email' || name.includes('email')) return `hostile-${randomUUID()}@example.com`;
      if (name === 'country') return 'SA';
      if (name.includes('currency')) return 'SAR';
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    }
    default:
      return 'x';
  }
}

const SQL = [
  "' OR '1'='1",
  "'; DROP TABLE invoices; --",
  '1; SELECT pg_sleep(5)--',
  "' UNION SELECT password_hash FROM users--",
  '$$; COPY users TO PROGRAM $$',
];
const SCRIPT = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as text
  '{{7*7}}${7*7}',
];
const BAD_AMOUNTS = [
  'abc',
  '1e5',
  'NaN',
  'Infinity',
  '-Infinity',
  '--1',
  '1,5',
  '12.3.4',
  '',
  ' ',
  '0x10',
  '١٢٣',
  '1e-7',
  '9'.repeat(400),
];
const BAD_IDS = [
  "1' OR 1=1 --",
  '../../etc/passwd',
  '00000000-0000-0000-0000-00000000000g',
  '%00',
  'x'.repeat(5000),
  'null',
  '-1',
  '١',
  '😀',
];
const WRONG_VALUES: Record<string, unknown[]> = {
  string: [42, true, {}, [], 1e308],
  number: ['twelve', {}, [], true, '1;DROP'],
  integer: ['7', 1.5, {}, [], 'abc'],
  boolean: ['yes', 1, {}, []],
  array: ['x', 3, { 0: 'a' }],
  object: ['x', 3, [], true],
  null: [],
};

export interface Field {
  path: string[];
  schema: Schema;
  isRequired: boolean;
}

/** Every field of a body schema, nested objects and the first item of arrays included (bounded depth). */
export function fieldsOf(schema: Schema, path: string[] = [], depth = 0): Field[] {
  const s = firstOption(schema);
  if (depth > 3 || !s.properties) return [];
  return Object.entries(s.properties).flatMap(([key, child]) => {
    const field = { path: [...path, key], schema: child, isRequired: (s.required ?? []).includes(key) };
    const inner = firstOption(child);
    const nested =
      inner.type === 'array' && inner.items
        ? fieldsOf(inner.items, [...path, key, '0'], depth + 1)
        : fieldsOf(child, [...path, key], depth + 1);
    return [field, ...nested];
  });
}

export function setAt(target: unknown, path: string[], value: unknown, remove = false): unknown {
  const root = structuredClone(target) as Record<string, unknown>;
  let current = root as Record<string, unknown>;
  for (const [index, segment] of path.entries()) {
    const isLast = index === path.length - 1;
    if (isLast) {
      if (remove) delete current[segment];
      else current[segment] = value;
    } else {
      if (current[segment] === null || typeof current[segment] !== 'object')
        current[segment] = /^\d+$/.test(path[index + 1] as string) ? [{}] : {};
      current = current[segment] as Record<string, unknown>;
    }
  }
  return root;
}

export interface Context {
  token: string;
  companyId: string;
  /** Real ids of the company's resources, by path parameter name. */
  ids: Record<string, string>;
  /** Known-good bodies for operations ("POST /api/v1/customers"). */
  bodies: Record<string, unknown>;
  /** An access token of a revoked login and one signed with the right key but expired. */
  revokedToken: string;
  expiredToken: string;
  foreignCompanyId: string;
}

export function urlOf(
  op: Operation,
  ctx: Context,
  overrides: Record<string, string> = {},
  query = '',
): string {
  const path = op.path.replaceAll(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(overrides[name] ?? ctx.ids[`${op.path}:${name}`] ?? ctx.ids[name] ?? randomUUID()),
  );
  return query ? `${path}?${query}` : path;
}

export function baseHeaders(op: Operation, ctx: Context): Record<string, string> {
  if (op.auth === 'public' || !op.path.startsWith('/api/')) return {};
  return { authorization: `Bearer ${ctx.token}`, 'x-company-id': ctx.companyId };
}

/** All the broken variants of one operation. Each is invalid for a reason the route itself checks. */
export function mutationsOf(op: Operation, ctx: Context): HostileRequest[] {
  const key = `${op.method} ${op.path}`;
  const out: HostileRequest[] = [];
  const headers = baseHeaders(op, ctx);
  const url = urlOf(op, ctx);
  const base = op.body ? (ctx.bodies[key] ?? sampleOf(op.body, '', ctx.ids)) : undefined;
  const add = (label: string, request: Partial<HostileRequest>) =>
    out.push({ label: `${key} — ${label}`, method: op.method, url, headers, auth: op.auth, ...request });
  const isGuarded = Object.keys(headers).length > 0;

  // Identity: a missing, malformed, forged, expired or revoked token; a company that is not ours or not a uuid.
  if (isGuarded) {
    const json = op.body ? { body: base } : {};
    add('no token', { headers: { 'x-company-id': ctx.companyId }, ...json });
    for (const authorization of [
      'Bearer',
      'Basic YWRtaW46YWRtaW4=',
      'Bearer x.y.z',
      `Bearer ${ctx.token}x`,
      `Bearer ${forgeNoneToken()}`,
      `Bearer ${ctx.expiredToken}`,
      `Bearer ${ctx.revokedToken}`,
      `Bearer ${'a'.repeat(8000)}`,
    ])
      add(`authorization ${authorization.slice(0, 24)}`, { headers: { ...headers, authorization }, ...json });
    if (op.auth !== 'token' && op.auth !== 'user')
      for (const company of [
        ctx.foreignCompanyId,
        ...SQL.slice(0, 2),
        '00000000-0000-0000-0000-000000000000',
      ])
        add(`company ${company.slice(0, 16)}`, { headers: { ...headers, 'x-company-id': company }, ...json });
  }

  // Path parameters.
  for (const param of op.parameters.filter((p) => p.in === 'path'))
    for (const bad of BAD_IDS)
      add(`path ${param.name}=${bad.slice(0, 12)}`, {
        url: urlOf(op, ctx, { [param.name]: bad }),
        ...(op.body ? { body: base } : {}),
      });

  // Query parameters: wrong types and formats, unknown names, repeated, huge.
  const query = op.parameters.filter((p) => p.in === 'query');
  for (const param of query) {
    const types = typesOf(param.schema);
    const bad = [
      ...(types.includes('integer') || types.includes('number')
        ? ['abc', '-1', '1.5', '1e999', '99999999999999999999']
        : []),
      ...(param.schema.enum || firstOption(param.schema).enum ? ['not-an-option'] : []),
      ...(firstOption(param.schema).format === 'date' ? ['2024-02-30', 'yesterday'] : []),
      ...(firstOption(param.schema).format === 'uuid' ? BAD_IDS.slice(0, 3) : []),
      ...(types.includes('boolean') ? ['maybe'] : []),
      ...(firstOption(param.schema).maxLength
        ? ['q'.repeat((firstOption(param.schema).maxLength ?? 0) + 1)]
        : []),
    ];
    for (const value of bad)
      add(`query ${param.name}=${value.slice(0, 12)}`, {
        url: urlOf(op, ctx, {}, `${param.name}=${encodeURIComponent(value)}`),
      });
    add(`query ${param.name} repeated`, { url: urlOf(op, ctx, {}, `${param.name}=1&${param.name}=2`) });
  }
  if (query.length > 0) {
    add('unknown query parameter', {
      url: urlOf(op, ctx, {}, `is_admin=true&${encodeURIComponent(SQL[0] as string)}=1`),
    });
  }

  if (op.body && base !== undefined) bodyMutations(op, base, add);
  if (key === 'POST /api/v1/invoices/generate')
    for (const idempotency of ['a b', 'k'.repeat(201), "x'; --", 'ключ'])
      add(`idempotency-key ${idempotency.slice(0, 10)}`, {
        headers: { ...headers, 'idempotency-key': idempotency },
        body: { ...(base as object), reason: 42 },
      });
  return out;
}

function bodyMutations(
  op: Operation,
  base: unknown,
  add: (label: string, request: Partial<HostileRequest>) => void,
) {
  const schema = op.body as Schema;
  // A JSON null is malformed only where the body may not be left out: a route whose body is optional (`nullish`,
  // as an empty POST arrives as null) takes null as "no options".
  const acceptsNull = typesOf(schema).includes('null');
  for (const body of [...(acceptsNull ? [] : [null]), [], 'a string', 42, true, [base]])
    add(`body ${JSON.stringify(body).slice(0, 16)}`, { body });

  const rootRequired = firstOption(schema).required ?? [];
  for (const field of fieldsOf(schema)) {
    const name = field.path.join('.');
    const s = firstOption(field.schema);
    const types = typesOf(field.schema);
    if (field.isRequired && field.path.length === 1)
      add(`missing ${name}`, { body: setAt(base, field.path, undefined, true) });
    for (const type of types.length ? types : ['any'])
      for (const value of WRONG_VALUES[type] ?? [])
        if (
          !types.some((t) => t === typeOfValue(value) || (t === 'number' && typeOfValue(value) === 'integer'))
        )
          add(`${name} as ${JSON.stringify(value).slice(0, 10)}`, { body: setAt(base, field.path, value) });
    if (s.enum) add(`${name} not in enum`, { body: setAt(base, field.path, 'not-an-option') });
    if (types.includes('string')) {
      const max = s.maxLength;
      if (max !== undefined) {
        add(`${name} one too long`, { body: setAt(base, field.path, 'x'.repeat(max + 1)) });
        add(`${name} huge`, { body: setAt(base, field.path, '\u0634'.repeat(Math.max(max + 1, 100_000))) });
      } else if (!types.includes('number')) {
        // No length limit in the schema: larger than the body limit.
        add(`${name} beyond the body limit`, { body: setAt(base, field.path, 'y'.repeat(1_100_000)) });
      }
      if (
        s.format === 'uuid' ||
        s.format === 'date' ||
        s.format === 'date-time' ||
        s.format === 'email' ||
        s.pattern ||
        s.enum
      )
        for (const bad of [
          ...SQL,
          ...SCRIPT,
          ...(s.format?.startsWith('date') ? ['2024-13-45'] : []),
          'a@',
          '\u0000',
          '\ud800',
        ])
          add(`${name}=${bad.slice(0, 12)}`, { body: setAt(base, field.path, bad) });
    }
    if (types.includes('number') && types.includes('string')) {
      // A decimal amount (string or number): non-numeric, exponent, and absurd values.
      for (const bad of [...BAD_AMOUNTS, Number.MAX_VALUE, -Number.MAX_VALUE, 1e-320])
        add(`amount ${name}=${String(bad).slice(0, 12)}`, { body: setAt(base, field.path, bad) });
    } else if (types.includes('integer') || types.includes('number')) {
      for (const bad of [
        1e308,
        -1e308,
        2 ** 64,
        ...(s.minimum !== undefined ? [s.minimum - 1] : []),
        ...(s.maximum !== undefined ? [s.maximum + 1] : []),
      ])
        add(`${name}=${bad}`, { body: setAt(base, field.path, bad) });
    }
    if (types.includes('array') && s.maxItems !== undefined)
      add(`${name} too many items`, {
        body: setAt(
          base,
          field.path,
          Array.from({ length: s.maxItems + 1 }, () => ({})),
        ),
      });
  }
  if (firstOption(schema).additionalProperties === false) {
    add('unknown field', { body: { ...(base as object), is_super_admin: true } });
    add('prototype pollution', {
      raw: Buffer.from(`{"__proto__":{"is_admin":true},"constructor":{"prototype":{"x":1}}}`),
      isRaw: true,
    });
  }
  // Injection strings in every free-text field at once, plus a missing required field so the request stays invalid.
  if (rootRequired.length > 0) {
    const removed = rootRequired[0] as string;
    let body = setAt(base, [removed], undefined, true);
    const free = fieldsOf(schema).filter(
      (f) =>
        f.path[0] !== removed &&
        typesOf(f.schema).includes('string') &&
        !firstOption(f.schema).format &&
        isFreeText(f),
    );
    for (const field of free) body = setAt(body, field.path, SQL[field.path.length % SQL.length]);
    add('injection strings, a required field missing', { body });
  }
  rawBodyMutations(base, add);
}

const isFreeText = (field: Field) => !firstOption(field.schema).enum && !firstOption(field.schema).pattern;

function typeOfValue(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Requests a fetch client would not send: they go over a raw socket. */
function rawBodyMutations(base: unknown, add: (label: string, request: Partial<HostileRequest>) => void) {
  const json = JSON.stringify(base);
  // Invalid UTF-8 inside a JSON string value (and overlong encodings, lone continuation bytes, UTF-16 surrogates).
  const withBytes = (bytes: number[]) => {
    const marker = json.indexOf('":"');
    if (marker < 0) return Buffer.concat([Buffer.from('{"x":"'), Buffer.from(bytes), Buffer.from('"}')]);
    return Buffer.concat([
      Buffer.from(json.slice(0, marker + 3)),
      Buffer.from(bytes),
      Buffer.from(json.slice(marker + 3)),
    ]);
  };
  for (const bytes of [
    [0xff, 0xfe],
    [0xc0, 0xaf],
    [0x80],
    [0xed, 0xa0, 0x80],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
  ])
    add(`invalid UTF-8 ${bytes.map((b) => b.toString(16)).join('')}`, { raw: withBytes(bytes), isRaw: true });
  const types = [
    'text/plain',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/json; charset=utf-16',
    'application/jsonx',
    '',
    'application/octet-stream',
  ];
  for (const type of types)
    add(`content-type "${type}"`, { raw: Buffer.from(json), isRaw: true, headers: { 'content-type': type } });
  add('empty JSON body', { raw: Buffer.alloc(0), isRaw: true });
  add('truncated JSON', { raw: Buffer.from(json.slice(0, Math.max(1, json.length - 2))), isRaw: true });
  add('deep JSON', { raw: Buffer.from(`${'['.repeat(20_000)}${']'.repeat(20_000)}`), isRaw: true });
  add('deep object', { raw: Buffer.from(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`), isRaw: true });
  // In place of a string value when there is one (a loose object such as draft_data takes any JSON value).
  const huge = /:"[^"]*"/.test(json) ? json.replace(/:"[^"]*"/, ':1e999999') : '{"n":1e999999}';
  add('huge number literal', { raw: Buffer.from(huge), isRaw: true });
  add('NUL bytes', { raw: Buffer.from(`\u0000${json}`), isRaw: true });
  add('byte order mark', {
    raw: Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('{"x":'),
      Buffer.from(json),
      Buffer.from('}'),
    ]),
    isRaw: true,
  });
  add('content-length shorter than the body', {
    raw: Buffer.from(json),
    isRaw: true,
    headers: { 'x-raw-length': String(Math.max(1, json.length - 3)) },
  });
}

/** An unsigned JWT (alg none) naming a random user: must never be accepted. */
function forgeNoneToken(): string {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'access' })}.${b64({ sub: randomUUID(), fam: randomUUID(), exp: 9_999_999_999 })}.`;
}

export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/** One HTTP/1.1 request written byte for byte; resolves with the status line, content type and body. */
export function sendRaw(port: number, request: HostileRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = request.raw ?? Buffer.alloc(0);
    const { 'x-raw-length': lengthOverride, ...headers } = request.headers;
    const contentType = 'content-type' in headers ? headers['content-type'] : 'application/json';
    const lines = [
      `${request.method} ${request.url} HTTP/1.1`,
      `host: 127.0.0.1:${port}`,
      'connection: close',
      ...Object.entries(headers)
        .filter(([name]) => name !== 'content-type')
        .map(([name, value]) => `${name}: ${value}`),
      ...(contentType ? [`content-type: ${contentType}`] : []),
      `content-length: ${lengthOverride ?? body.length}`,
    ];
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(30_000, () => socket.destroy(new Error('timeout')));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      if (!status) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const type = /content-type: ([^\r\n]*)/i.exec(head)?.[1] ?? '';
      const isChunked = /transfer-encoding: chunked/i.test(head);
      const raw = rest.join('\r\n\r\n');
      resolve({ status, contentType: type, body: isChunked ? dechunk(raw) : raw });
    });
    socket.write(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), body]));
  });
}

function dechunk(raw: string): string {
  let out = '';
  let rest = raw;
  for (;;) {
    const match = /^([0-9a-f]+)\r\n/i.exec(rest);
    if (!match) return out;
    const size = Number.parseInt(match[1] as string, 16);
    if (size === 0) return out;
    out += rest.slice(match[0].length, match[0].length + size);
    rest = rest.slice(match[0].length + size + 2);
  }
}
