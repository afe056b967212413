// The UBL 2.1 writer every profile shares (ZATCA, PINT AE, Peppol BIS 3). Its output is already in canonical
// form (C14N 1.0/1.1 for these documents):
// no whitespace between elements, start/end tag pairs (never self-closing), attributes written in the order C14N
// sorts them, and C14N's escaping. That lets the invoice hash be computed from the string without a DOM
// (the trap: any pretty-printing would change the hash input).

// XML 1.0 §2.2: characters outside this set cannot appear in a document.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing the characters XML forbids
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** C14N text node escaping (Canonical XML §2.3). */
export function escapeText(value: string): string {
  let s = value.replace(INVALID_XML_CHARS, '');
  if (!/[&<>\r]/.test(s)) return s;
  s = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
  return s;
}

/** C14N attribute value escaping. */
export function escapeAttr(value: string): string {
  let s = value.replace(INVALID_XML_CHARS, '');
  if (!/[&<"\t\n\r]/.test(s)) return s;
  s = s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;')
    .replace(/\r/g, '&#xD;');
  return s;
}

export type Attrs = ReadonlyArray<readonly [name: string, value: string]>;

function renderAttrs(attrs: Attrs | undefined): string {
  if (!attrs || attrs.length === 0) return '';
  let out = '';
  // Unqualified attributes sort by local name in C14N; every attribute we write is unqualified.
  const sorted =
    attrs.length > 1 ? [...attrs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) : attrs;
  for (const [name, value] of sorted) out += ` ${name}="${escapeAttr(value)}"`;
  return out;
}

/** An element with text content. */
export function leaf(name: string, text: string, attrs?: Attrs): string {
  return `<${name}${renderAttrs(attrs)}>${escapeText(text)}</${name}>`;
}

/** An element with already-rendered children. */
export function node(name: string, children: string, attrs?: Attrs): string {
  return `<${name}${renderAttrs(attrs)}>${children}</${name}>`;
}

/** Leaf only when the value is present and not blank. */
export function optLeaf(name: string, text: string | undefined, attrs?: Attrs): string {
  return text === undefined || text === '' ? '' : leaf(name, text, attrs);
}
