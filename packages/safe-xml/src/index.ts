// XML written by someone else (a supplier's invoice, a bank statement, an inbound Peppol message), read without
// giving its sender a lever: a document type declaration is refused before any parsing (no DTD, so no external or
// expanding entities: XXE and "billion laughs" never start), entities other than XML's five and character
// references are refused, as are more bytes than the limit, deeper nesting than the format needs, and anything not
// well-formed. Values are kept as the text the document prints ("1.00" stays "1.00"); nothing becomes a float.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type UntrustedXmlErrorCode =
  | 'XML_TOO_LARGE'
  | 'XML_DOCTYPE_REFUSED'
  | 'XML_TOO_DEEP'
  | 'XML_MALFORMED';

export class UntrustedXmlError extends Error {
  constructor(
    readonly code: UntrustedXmlErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UntrustedXmlError';
  }
}

export interface UntrustedXmlOptions {
  /** Largest document accepted, in bytes of UTF-8. */
  maxBytes: number;
  /** Deepest element nesting accepted. */
  maxDepth: number;
  /** Element names (without prefix) that are always lists, even when they occur once. */
  repeated: ReadonlySet<string>;
}

/** An element: children by local name (a list when repeated), attributes as "@name", text as "#text". */
export type XmlNode = Record<string, unknown>;

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** One pass over XML's five entities and character references, so "&amp;lt;" reads "&lt;" (never "<"). */
function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&\s]{0,12});|&/g, (match, name: string | undefined) => {
    if (name === undefined) throw new UntrustedXmlError('XML_MALFORMED', 'A bare "&" in the XML.');
    const predefined = PREDEFINED[name];
    if (predefined) return predefined;
    const numeric = /^#x([0-9a-fA-F]{1,6})$|^#([0-9]{1,7})$/.exec(name);
    if (numeric) {
      const code = numeric[1] ? Number.parseInt(numeric[1], 16) : Number(numeric[2]);
      if (isXmlChar(code)) return String.fromCodePoint(code);
    }
    throw new UntrustedXmlError('XML_MALFORMED', `Undefined entity ${match.slice(0, 16)} in the XML.`);
  });
}

/** Deepest element nesting, counted over the text without building anything; stops once past the limit. */
function nestingDepth(xml: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  const tags = /<(\/?)([A-Za-z_][^\s/>]*)[^>]*?(\/?)>/g;
  for (let m = tags.exec(xml); m !== null; m = tags.exec(xml)) {
    if (m[1]) depth--;
    else if (!m[3]) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    }
  }
  return deepest;
}

const parsers = new WeakMap<ReadonlySet<string>, XMLParser>();

function parserFor(repeated: ReadonlySet<string>): XMLParser {
  let parser = parsers.get(repeated);
  if (!parser) {
    parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      removeNSPrefix: true,
      // The text as printed: "1.00" must not become the float 1, a VAT number must keep its leading zeros.
      parseTagValue: false,
      parseAttributeValue: false,
      // Entities are decoded by textOf/attrOf, in one pass: none but XML's own exist without a DTD.
      processEntities: false,
      htmlEntities: false,
      trimValues: true,
      isArray: (name) => repeated.has(name),
    });
    parsers.set(repeated, parser);
  }
  return parser;
}

/**
 * Parses an untrusted document; returns the root element's local name, the root, and the source text (for a
 * namespace check by the caller). Throws UntrustedXmlError with a code for what it refuses.
 */
export function parseUntrustedXml(
  xml: string | Uint8Array,
  options: UntrustedXmlOptions,
): { rootName: string | undefined; root: XmlNode | undefined; source: string } {
  const bytes = typeof xml === 'string' ? Buffer.byteLength(xml, 'utf8') : xml.byteLength;
  if (bytes > options.maxBytes) {
    const limit =
      options.maxBytes >= 1048576
        ? `${Math.floor(options.maxBytes / 1048576)} MiB`
        : `${options.maxBytes} bytes`;
    throw new UntrustedXmlError('XML_TOO_LARGE', `The document is larger than ${limit}.`);
  }
  let source = typeof xml === 'string' ? xml : new TextDecoder('utf-8').decode(xml);
  if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
  // Case-insensitive: <!doctype is not XML, but a lenient parser might take it.
  if (/<!DOCTYPE|<!ENTITY/i.test(source)) {
    throw new UntrustedXmlError(
      'XML_DOCTYPE_REFUSED',
      'Documents with a DOCTYPE or entity declarations are refused.',
    );
  }
  if (nestingDepth(source, options.maxDepth) > options.maxDepth) {
    throw new UntrustedXmlError(
      'XML_TOO_DEEP',
      `The document nests elements deeper than ${options.maxDepth} levels.`,
    );
  }
  const valid = XMLValidator.validate(source, { allowBooleanAttributes: false });
  if (valid !== true) {
    throw new UntrustedXmlError(
      'XML_MALFORMED',
      `The XML is not well-formed (line ${valid.err.line}, column ${valid.err.col}).`,
    );
  }
  const parsed = parserFor(options.repeated).parse(source) as XmlNode;
  const rootName = Object.keys(parsed).find((key) => !key.startsWith('?') && !key.startsWith('#'));
  return { rootName, root: rootName ? asNode(parsed[rootName]) : undefined, source };
}

function asNode(value: unknown): XmlNode | undefined {
  if (Array.isArray(value)) return asNode(value[0]);
  return value !== null && typeof value === 'object' ? (value as XmlNode) : undefined;
}

/** The element at a path of local names (the first of each list). */
export function child(node: XmlNode | undefined, ...names: string[]): XmlNode | undefined {
  let current = node;
  for (const name of names) current = asNode(current?.[name]);
  return current;
}

/** Every element of that name under the node, text-only ones as { "#text": … }. */
export function childrenOf(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) =>
    typeof item === 'object' && item !== null ? (item as XmlNode) : { '#text': item },
  );
}

function textOf(value: unknown): string | null {
  if (Array.isArray(value)) return textOf(value[0]);
  if (typeof value === 'string') return value === '' ? null : decodeEntities(value);
  if (value !== null && typeof value === 'object') return textOf((value as XmlNode)['#text']);
  return null;
}

/** The text of the element at a path (of the node itself without one); null when absent or empty. */
export function text(node: XmlNode | undefined, ...names: string[]): string | null {
  if (names.length === 0) return textOf(node);
  const last = names[names.length - 1] as string;
  const parent = names.length > 1 ? child(node, ...names.slice(0, -1)) : node;
  return textOf(parent?.[last]);
}

/** An attribute of the child element `name`. */
export function attr(node: XmlNode | undefined, name: string, attribute: string): string | null {
  const value = asNode(node?.[name])?.[`@${attribute}`];
  return typeof value === 'string' ? decodeEntities(value) : null;
}
