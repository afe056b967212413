/**
 * What a request that matched no route was aiming at. The router decodes percent-escapes and reads absolute-form
 * request lines (`GET http://host/api/…`), so the raw URL is never the place to decide anything; a matched route is
 * decided by its declaration. An unmatched one is read here as generously as any server or proxy in front of us
 * might read it (escapes decoded, absolute form, `\`, empty, `.` and `..` segments, `;params`, trailing dots, any
 * case), so that every spelling of an API path is answered as the API answers.
 */
export function canonicalPath(url: string): string {
  let path = url;
  const query = path.search(/[?#]/);
  if (query >= 0) path = path.slice(0, query);
  if (!path.startsWith('/')) {
    const scheme = path.indexOf('://');
    if (scheme >= 0) {
      const start = path.indexOf('/', scheme + 3);
      path = start >= 0 ? path.slice(start) : '/';
    }
  }
  // Twice: a double escape (`%2561`) is one an outer proxy may already have decoded.
  for (let round = 0; round < 2 && path.includes('%'); round++) {
    try {
      path = decodeURIComponent(path);
    } catch {
      break;
    }
  }
  const segments: string[] = [];
  for (const raw of path.replaceAll('\\', '/').split('/')) {
    const segment = raw.split(';')[0]?.replace(/[.\s]+$/, '') ?? '';
    if (segment === '' || segment === '.') {
      if (raw === '..' || raw.startsWith('..;')) segments.pop();
      continue;
    }
    segments.push(segment.toLowerCase());
  }
  return `/${segments.join('/')}`;
}

/** Whether a route path (as declared) is an API route: JSON, PDF or XML answers, rather than a document. */
export function isApiRoute(routeUrl: string): boolean {
  return routeUrl.startsWith('/api/') && !routeUrl.startsWith('/api/docs');
}

/** Whether an unmatched request, under any spelling, was aimed at the API. */
export function isApiPath(url: string): boolean {
  const path = canonicalPath(url);
  return (path === '/api' || path.startsWith('/api/')) && !path.startsWith('/api/docs');
}
