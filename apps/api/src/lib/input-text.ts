// The characters a request's text may hold, checked in one place for every route: JSON bodies (json-body.ts),
// query strings, path parameters and the headers the API reads (the hook below). Zod schemas, the loose line
// objects read by hand and the jsonb drafts all see text that already passed, so no field can forget it.
//
// The rule, by the field's name (the last name in its path: `line_items.0.description` is a `description`):
// - Never: C0 controls, DEL and C1 controls (U+0000–U+001F, U+007F–U+009F): CONTROL_CHARACTER. NUL answered a
//   database error, and the others are invisible in the PDF and the XML. Lone surrogates and noncharacters
//   (U+FFFE, U+FFFF, U+FDD0–U+FDEF, …): INVALID_UNICODE; they cannot be stored as text or signed as UTF-8.
// - Line breaks and tabs (LF, CR, TAB) only in multi-line text: notes, descriptions, reasons, addresses, messages
//   (MULTI_LINE_FIELDS). Names, numbers, codes, ids and everything else are one line.
// - Bidi_Control characters (ALM U+061C, LRM/RLM U+200E/F, embeddings and overrides U+202A–U+202E, isolates
//   U+2066–U+2069) reorder what a reader sees without changing the text that is signed: a description
//   "Service <U+202E>0001<U+202C> units" is drawn "Service 1000 units". Arabic is right to left by itself, so invoice data never needs them; they
//   are removed from free text people type or paste (FREE_TEXT_FIELDS: names, addresses, descriptions, notes,
//   the search text) and refused (BIDI_CONTROL) in everything else, where a silent change would alter an
//   identifier, a code or a secret. A field not named here gets the strict rule.
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { type FieldError, validationError } from './errors';

export const MULTI_LINE_FIELDS: ReadonlySet<string> = new Set([
  'notes',
  'description',
  'description_ar',
  'reason',
  'exemption_reason',
  'street',
  'address',
  'customer_address',
  // The sender's own words in an invoice mail.
  'message',
  // A bank statement file's text (CAMT.053, MT940, CSV): lines and tabs are its structure.
  'content',
]);

export const FREE_TEXT_FIELDS: ReadonlySet<string> = new Set([
  ...MULTI_LINE_FIELDS,
  'name',
  'name_en',
  'name_ar',
  'full_name',
  'first_name',
  'last_name',
  'legal_name_en',
  'legal_name_ar',
  'customer_name',
  'customer_name_ar',
  'district',
  'city',
  'branch_name',
  'industry',
  'location',
  'q',
]);

/** Any character the rules above look at; most text has none and costs one test. */
const SUSPECT = /[\p{Cc}\p{Cs}\p{Noncharacter_Code_Point}\p{Bidi_Control}]/u;
const BIDI_CONTROLS = /\p{Bidi_Control}/gu;
/**
 * The same in a JSON text before parsing, as one character class (a class without the u flag is searched
 * fastest: this runs on every body, the live preview's included): such characters raw, noncharacters of the
 * other planes by their low surrogate, and any backslash, since an escape may decode to one.
 */
const SUSPECT_JSON =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it looks for
  /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFDD0-\uFDEF\uFFFE\uFFFF\uDFFE\uDFFF\\]/;

const MAX_ERRORS = 20;

type Kind = 'multi-line' | 'free' | 'strict';

const kindOf = (field: string): Kind =>
  MULTI_LINE_FIELDS.has(field) ? 'multi-line' : FREE_TEXT_FIELDS.has(field) ? 'free' : 'strict';

const MESSAGES = {
  CONTROL_CHARACTER:
    'Remove the control character; line breaks are kept only in notes, descriptions and addresses.',
  INVALID_UNICODE:
    'The text holds a code point that is not a character (a lone surrogate or a noncharacter).',
  BIDI_CONTROL: 'Remove the invisible direction mark; text direction follows the script.',
} as const;

type Problem = keyof typeof MESSAGES;

/** What is wrong with a text of this kind, or the text to keep (bidi controls removed from free text). */
function cleanText(text: string, kind: Kind): { problem: Problem } | { text: string } {
  let hasBidi = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      if (kind === 'multi-line' && (c === 0x09 || c === 0x0a || c === 0x0d)) continue;
      return { problem: 'CONTROL_CHARACTER' };
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return { problem: 'INVALID_UNICODE' };
      // U+xFFFE and U+xFFFF of every plane are noncharacters: low surrogate DFFE or DFFF after an odd high one.
      if ((next & 0xfffe) === 0xdffe && (c & 0x3f) === 0x3f) return { problem: 'INVALID_UNICODE' };
      i++;
      continue;
    }
    if ((c >= 0xfdd0 && c <= 0xfdef) || c === 0xfffe || c === 0xffff) return { problem: 'INVALID_UNICODE' };
    if (
      c === 0x061c ||
      c === 0x200e ||
      c === 0x200f ||
      (c >= 0x202a && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069)
    ) {
      if (kind === 'strict') return { problem: 'BIDI_CONTROL' };
      hasBidi = true;
    }
  }
  return { text: hasBidi ? text.replace(BIDI_CONTROLS, '') : text };
}

/** A key as it may appear in an error path: the characters it was refused for spelled as \u escapes. */
const printable = (key: string) =>
  key.replace(
    /[\p{Cc}\p{Cs}\p{Noncharacter_Code_Point}\p{Bidi_Control}]/gu,
    (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );

const join = (path: string, segment: string) => (path ? `${path}.${segment}` : segment);

/**
 * Checks every string (and object key) in a parsed value, iteratively (nothing here recurses), with the rule of
 * its field; bidi controls are removed from free text in place. Returns the value to use (a bare string body
 * may itself change) and adds one error per refused field to `errors`.
 */
export function checkTexts(root: unknown, prefix: string, errors: FieldError[]): unknown {
  const holder: Record<string, unknown> = { '': root };
  const stack: { parent: Record<string, unknown>; key: string; path: string; field: string }[] = [
    { parent: holder, key: '', path: prefix, field: prefix.split('.').at(-1) ?? '' },
  ];
  while (stack.length > 0 && errors.length < MAX_ERRORS) {
    const { parent, key, path, field } = stack.pop() as (typeof stack)[number];
    const value = parent[key];
    if (typeof value === 'string') {
      if (!SUSPECT.test(value)) continue;
      const result = cleanText(value, kindOf(field));
      if ('problem' in result) errors.push({ path, code: result.problem, message: MESSAGES[result.problem] });
      else if (result.text !== value) parent[key] = result.text;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        stack.push({
          parent: value as unknown as Record<string, unknown>,
          key: String(i),
          path: join(path, String(i)),
          field,
        });
      }
    } else if (value !== null && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      for (const name of Object.keys(object).reverse()) {
        if (SUSPECT.test(name)) {
          const result = cleanText(name, 'strict');
          if ('problem' in result) {
            errors.push({
              path: join(path, printable(name)),
              code: result.problem,
              message: MESSAGES[result.problem],
            });
            continue;
          }
        }
        stack.push({ parent: object, key: name, path: join(path, name), field: name });
      }
    }
  }
  return holder[''];
}

/** checkTexts for a JSON body, skipped when its text shows none of the characters the rules look at. */
export function checkJsonTexts(text: string, parsed: unknown): { value: unknown } | { errors: FieldError[] } {
  if (!SUSPECT_JSON.test(text)) return { value: parsed };
  const errors: FieldError[] = [];
  const value = checkTexts(parsed, '', errors);
  return errors.length > 0 ? { errors } : { value };
}

/** The request headers the API reads as input, besides those a route declares in its schema. */
const READ_HEADERS = ['idempotency-key', 'if-match', 'if-none-match'];

function hasKeys(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  for (const _ in value) return true;
  return false;
}

/**
 * Registers the check of query strings, path parameters and read headers on every route, before its schema
 * runs (preValidation): a route added later gets it without asking. Paths follow the validation errors'
 * (`query.q`, `params.id`, `headers.idempotency-key`).
 */
export function registerRequestTextChecks(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const declared = (route.schema?.headers as { shape?: Record<string, unknown> } | undefined)?.shape;
    const headers = [
      ...new Set([...READ_HEADERS, ...Object.keys(declared ?? {}).map((name) => name.toLowerCase())]),
    ];
    const check = (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
      const errors: FieldError[] = [];
      if (hasKeys(request.query)) checkTexts(request.query, 'query', errors);
      if (hasKeys(request.params)) checkTexts(request.params, 'params', errors);
      for (const name of headers) {
        const value = request.headers[name];
        if (value !== undefined && (typeof value !== 'string' || SUSPECT.test(value))) {
          checkTexts(value, `headers.${name}`, errors);
        }
      }
      done(errors.length > 0 ? validationError(errors) : undefined);
    };
    const existing = route.preValidation;
    route.preValidation = existing ? [check, ...(Array.isArray(existing) ? existing : [existing])] : check;
  });
}
