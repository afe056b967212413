// One-at-a-time mutations generated from the OpenAPI document: each operation's plausible request (hostile.ts)
// with ONE field, ONE query parameter or the path's spelling replaced by a hostile value, so that every failure
// names the operation, the field and the class of value that broke it.
import type { Context, HostileRequest, Operation, Schema } from './hostile';
import { baseHeaders, fieldsOf, firstOption, sampleOf, setAt, typesOf, urlOf } from './hostile';

export type Family = 'field' | 'query' | 'params' | 'path' | 'guard';

export interface Mutation extends HostileRequest {
  family: Family;
  operation: string;
  /** The field ("lines.0.unit_price"), query parameter ("query.limit") or path spelling that was mutated. */
  target: string;
  valueClass: string;
  /** A path spelling the router resolves to the operation's own route: answered exactly as this plain path. */
  plainUrl?: string;
  /** Without the token the operation declares: must never be answered 2xx. */
  isUnauthenticated?: boolean;
}

/** A JSON literal written into the body as it is (JSON.stringify cannot write 1e999 or 2^53 + 1 exactly). */
class RawJson {
  constructor(readonly text: string) {}
}
const raw = (text: string) => new RawJson(text);

/** The hostile value classes, each with its values (the CI scale sends the first of each). */
export const VALUE_CLASSES: Record<string, unknown[]> = {
  'C0 control': ['a\u0000b', 'bell\u0007', 'x\u001b[2Jy', 'tab\u0009\u000b\u000c'],
  'lone surrogate': ['\ud800', 'a\udfffb', 'end\udbff'],
  'bidi control': ['\u202eevil.exe', 'a\u2066b\u2069', '\u2067x\u2068y', '\u202ax\u202c'],
  '10k string': ['x'.repeat(10_000), '\u0634'.repeat(10_000)],
  '5000-deep nesting': [
    raw(`${'['.repeat(5_000)}${']'.repeat(5_000)}`),
    raw(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`),
  ],
  'past 2^53': [raw('9007199254740993'), raw('-9007199254740993'), raw('18446744073709551616')],
  '1e999': [raw('1e999'), raw('-1e999')],
};

const WRONG_TYPES: Record<string, unknown[]> = {
  string: [42, {}, true],
  number: ['abc', [], true],
  integer: ['abc', 1.5, {}],
  boolean: ['true', 1],
  array: [{}, 'x'],
  object: [[], 'x'],
};

/** Query values of each class: the same catalogue, as text (a lone surrogate as its CESU-8 bytes). */
const QUERY_CLASSES: Record<string, string[]> = {
  'C0 control': ['a%00b', '%07', '%1B%5B2J'],
  'lone surrogate': ['%ED%A0%80', 'a%ED%BF%BFb'],
  'bidi control': [encodeURIComponent('\u202eevil'), encodeURIComponent('a\u2066b\u2069')],
  '10k string': ['x'.repeat(10_000)],
  '5000-deep nesting': [encodeURIComponent('['.repeat(5_000))],
  'past 2^53': ['9007199254740993', '18446744073709551616'],
  '1e999': ['1e999', '-1e999'],
};

function serialize(body: unknown): string {
  const literals: string[] = [];
  const text = JSON.stringify(body, (_key, value) => {
    if (value instanceof RawJson) {
      literals.push(value.text);
      return `\u0000raw${literals.length - 1}\u0000`;
    }
    return value;
  });
  return text.replaceAll(
    /"\\u0000raw(\d+)\\u0000"/g,
    (_, index: string) => literals[Number(index)] as string,
  );
}

const pick = <T>(values: T[], isFull: boolean): T[] => (isFull ? values : values.slice(0, 1));

/** Spellings the router resolves to the same route (it decodes escapes and reads absolute-form lines). */
export function sameRouteSpellings(url: string): Record<string, string[]> {
  const [path = '', query] = url.split('?');
  const withQuery = (p: string) => (query ? `${p}?${query}` : p);
  const segments = path.split('/');
  const escaped = segments.flatMap((segment, index) => {
    const at = segment.search(/[a-z]/i);
    if (at < 0 || /^[0-9a-f-]{36}$/.test(segment)) return [];
    const letter = `%${segment.charCodeAt(at).toString(16)}`;
    return [
      [
        ...segments.slice(0, index),
        segment.slice(0, at) + letter + segment.slice(at + 1),
        ...segments.slice(index + 1),
      ].join('/'),
    ];
  });
  return {
    'escaped letter': escaped.map(withQuery),
    'absolute-form': [`http://invoiceflow.example${url}`, `HTTP://invoiceflow.example.:80${url}`],
  };
}

/** Spellings that name no route: a 404 problem (or a refusal of the parameter they garble), never an answer. */
export function otherSpellings(url: string): Record<string, string[]> {
  const [path = '', query] = url.split('?');
  const withQuery = (p: string) => (query ? `${p}?${query}` : p);
  return {
    'double slash': [`/${path}`, path.replace('/v1/', '/v1//')].map(withQuery),
    'trailing dot': [`${path}.`, path.replace('/v1/', '/v1./')].map(withQuery),
    'dot segment': [path.replace('/v1/', '/v1/x/../'), path.replace('/api/', '/api/./')].map(withQuery),
    'case variant': [path.replace('/api/', '/API/'), path.replace('/v1/', '/V1/')].map(withQuery),
    ';params': [`${path};x=1`, path.replace('/api/', '/api;x/')].map(withQuery),
    'double escape': [path.replace('/api/', '/%2561pi/')].map(withQuery),
  };
}

/** Every mutation of one operation. `isFull`: every value of every class, else the first of each. */
export function mutationsOf(op: Operation, ctx: Context, isFull: boolean): Mutation[] {
  const operation = `${op.method} ${op.path}`;
  const out: Mutation[] = [];
  const headers = baseHeaders(op, ctx);
  const hasBody = op.body !== undefined;
  const base = hasBody ? (ctx.bodies[operation] ?? sampleOf(op.body as Schema, '', ctx.ids)) : undefined;
  const requiredQuery = op.parameters.filter((p) => p.in === 'query' && p.required);
  const baseQuery = requiredQuery.map(
    (p) => `${p.name}=${encodeURIComponent(String(sampleOf(p.schema, p.name, ctx.ids)))}`,
  );
  const url = urlOf(op, ctx, {}, baseQuery.join('&'));
  const add = (m: Omit<Mutation, 'label' | 'method' | 'operation' | 'auth'> & { body?: unknown }) => {
    const { body, ...rest } = m;
    out.push({
      label: `${operation} ${m.target} [${m.valueClass}]`,
      method: op.method,
      operation,
      auth: op.auth,
      isRaw: true,
      ...rest,
      headers: { ...(hasBody ? {} : { 'content-type': '' }), ...rest.headers },
      raw: hasBody ? Buffer.from(serialize(body === undefined ? base : body)) : Buffer.alloc(0),
    });
  };

  // One body field at a time through every class, and a value of the wrong type for it.
  if (hasBody && base !== undefined && base !== null && typeof base === 'object') {
    for (const field of fieldsOf(op.body as Schema)) {
      const name = field.path.join('.');
      for (const [valueClass, values] of Object.entries(VALUE_CLASSES))
        for (const value of pick(values, isFull))
          add({
            family: 'field',
            target: name,
            valueClass,
            url,
            headers,
            body: setAt(base, field.path, value),
          });
      const types = typesOf(field.schema);
      const wrong = types
        .flatMap((type) => WRONG_TYPES[type] ?? [])
        .filter((value) => !types.includes(typeOfValue(value)));
      for (const value of pick(wrong, isFull))
        add({
          family: 'field',
          target: name,
          valueClass: 'wrong type',
          url,
          headers,
          body: setAt(base, field.path, value),
        });
    }
  }

  // One query parameter at a time, then repeated ones and unknown ones.
  const query = op.parameters.filter((p) => p.in === 'query');
  for (const param of query) {
    const rest = baseQuery.filter((part) => !part.startsWith(`${param.name}=`));
    const withValue = (value: string) => urlOf(op, ctx, {}, [...rest, `${param.name}=${value}`].join('&'));
    for (const [valueClass, values] of Object.entries(QUERY_CLASSES))
      for (const value of pick(values, isFull))
        add({ family: 'query', target: `query.${param.name}`, valueClass, url: withValue(value), headers });
    const s = firstOption(param.schema);
    const isTyped = typesOf(param.schema).some((t) => t !== 'string') || s.enum || s.format || s.pattern;
    if (isTyped)
      add({
        family: 'params',
        target: `query.${param.name}`,
        valueClass: 'wrong type',
        url: withValue('not-a-value'),
        headers,
      });
    const sample = encodeURIComponent(String(sampleOf(param.schema, param.name, ctx.ids)));
    add({
      family: 'params',
      target: `query.${param.name}`,
      valueClass: 'repeated',
      url: urlOf(op, ctx, {}, [...rest, `${param.name}=${sample}`, `${param.name}=${sample}`].join('&')),
      headers,
    });
  }
  // (Not on deletes: an ignored unknown parameter leaves a valid delete that would remove the world's record.)
  if (op.method !== 'DELETE')
    for (const unknown of pick(
      ['zz_unknown=1', '__proto__=x', 'constructor%5Bprototype%5D=1', 'is_admin=true&is_admin=false'],
      isFull,
    ))
      add({
        family: 'params',
        target: 'query (unknown parameter)',
        valueClass: 'unknown',
        url: urlOf(op, ctx, {}, [...baseQuery, unknown].join('&')),
        headers,
      });

  // The path's spellings, with the token: a read spelled any way the router resolves is answered as the plain
  // path; other spellings are 404s. (Writes and deletes are not re-sent under resolving spellings with a token:
  // they would act, legitimately, on the world's own records.)
  const isRead = op.method === 'GET';
  for (const [valueClass, spellings] of Object.entries(sameRouteSpellings(url)))
    if (isRead)
      for (const spelling of pick(spellings, isFull))
        add({ family: 'path', target: spelling, valueClass, url: spelling, headers, plainUrl: url });
  for (const [valueClass, spellings] of Object.entries(otherSpellings(url)))
    for (const spelling of pick(spellings, isFull))
      add({ family: 'path', target: spelling, valueClass, url: spelling, headers });

  // Without the token, under every spelling: a guarded route never answers 2xx (unless it declares that it
  // answers anonymous callers, x-anonymous: the live preview).
  if (op.auth !== 'public' && !op.isAnonymousAllowed) {
    const { authorization: _token, ...anonymous } = headers;
    const spellings = { plain: [url], ...sameRouteSpellings(url), ...otherSpellings(url) };
    for (const [valueClass, list] of Object.entries(spellings))
      for (const spelling of list)
        add({
          family: 'guard',
          target: spelling,
          valueClass,
          url: spelling,
          headers: anonymous,
          isUnauthenticated: true,
        });
  }
  return out;
}

function typeOfValue(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
