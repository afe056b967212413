/** Only same-origin paths may be a post-login destination; "//evil.example" would be an open redirect. */
export function safeNextPath(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
