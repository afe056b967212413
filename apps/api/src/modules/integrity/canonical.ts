// RFC 8785 (JSON Canonicalization Scheme) for the JSON an invoice snapshot is made of: object keys sorted by
// their UTF-16 code units (JavaScript's default sort), no whitespace, strings and numbers as ECMAScript's
// JSON.stringify writes them (which is what RFC 8785 §3.2.2 prescribes). Absent (undefined) members are left out
// as JSON.stringify leaves them out, so a value hashes the same before it is stored and after it is read back.
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new Error('RFC 8785: only finite numbers are JSON');
    }
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return 'null';
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object)
    .filter((key) => object[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`).join(',')}}`;
}
