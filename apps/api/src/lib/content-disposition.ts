/** RFC 5987 value-chars: encodeURIComponent leaves ' ( ) * ! unescaped, which attr-char does not allow. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*!]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * `attachment; filename="INV-2026-000001.pdf"` (RFC 6266), safe for any file name: path separators, quotes and
 * backslashes are replaced, and a name with non-ASCII characters also gets `filename*=UTF-8''…` (RFC 5987), which
 * browsers prefer, beside an ASCII fallback for those that do not read it.
 */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const name = fileName.replace(/[/\\]/g, '_');
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const fallback = `${kind}; filename="${ascii}"`;
  return ascii === name ? fallback : `${fallback}; filename*=UTF-8''${rfc5987(name)}`;
}
