import type { TokenStore } from './token-store';
import type { FieldError, ProblemJson, TokenPair } from './types';

/** A failed API call, built from the server's problem+json body (or from the transport failing). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  /** Stable machine code, e.g. "INVALID_CREDENTIALS"; "NETWORK_ERROR" when the server was not reached. */
  readonly code: string;
  readonly title: string;
  readonly type: string;
  readonly errors: readonly FieldError[];
  /** The whole problem body, with any extra members (a draft conflict carries the current version). */
  readonly problem: ProblemJson & Record<string, unknown>;

  constructor(status: number, problem: ProblemJson & Record<string, unknown>) {
    super(problem.message ?? problem.title ?? `HTTP ${status}`);
    this.status = status;
    this.code = problem.code ?? (status === 0 ? 'NETWORK_ERROR' : `HTTP_${status}`);
    this.title = problem.title ?? '';
    this.type = problem.type ?? 'about:blank';
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.problem = problem;
  }

  /** Field errors keyed by their dotted path ("company.vat_number"), first message wins. */
  fieldErrors(): Record<string, FieldError> {
    const byPath: Record<string, FieldError> = {};
    for (const e of this.errors) byPath[e.path] ??= e;
    return byPath;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

export interface ApiClientOptions {
  tokens: TokenStore;
  /** Origin prefix; empty in the browser because the API is served from the same origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** The active company, sent as X-Company-Id on every request. */
  getCompanyId?: () => string | null;
  /** Called once the refresh token is rejected: the session is over and the UI should go to login. */
  onSessionExpired?: () => void;
  /**
   * Serializes refreshes across tabs. With rotation, two tabs refreshing the same token at once would look
   * like a replay and the server would revoke the whole family, signing the user out everywhere.
   */
  refreshLock?: <T>(run: () => Promise<T>) => Promise<T>;
}

export interface RequestOptions {
  body?: unknown;
  /** Attach the bearer token and refresh on 401. Off for the auth endpoints themselves. */
  auth?: boolean;
  signal?: AbortSignal;
  /** Extra request headers (Idempotency-Key, If-Match). */
  headers?: Record<string, string>;
}

export type ApiClient = ReturnType<typeof createApiClient>;

const REFRESH_PATH = '/api/v1/auth/refresh';

export function createApiClient(options: ApiClientOptions) {
  const { tokens, baseUrl = '', getCompanyId, onSessionExpired, refreshLock = (run) => run() } = options;
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  // One refresh at a time per tab: concurrent 401s all await the same promise, so a burst of requests
  // spends the (single-use) refresh token once instead of racing and tripping reuse detection.
  let refreshInFlight: Promise<boolean> | null = null;

  async function send(method: string, path: string, accessToken: string | null, opts: RequestOptions) {
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      ...opts.headers,
    };
    // A Blob (a receipt) goes as its own bytes under its own type; anything else as JSON.
    const isBlob = typeof Blob !== 'undefined' && opts.body instanceof Blob;
    if (opts.body !== undefined && !isBlob) headers['content-type'] = 'application/json';
    if (isBlob) headers['content-type'] ??= (opts.body as Blob).type || 'application/octet-stream';
    if (accessToken) headers.authorization = `Bearer ${accessToken}`;
    const companyId = getCompanyId?.();
    if (companyId) headers['x-company-id'] = companyId;
    try {
      return await fetchImpl(baseUrl + path, {
        method,
        headers,
        body: opts.body === undefined ? undefined : isBlob ? (opts.body as Blob) : JSON.stringify(opts.body),
        signal: opts.signal,
      });
    } catch (cause) {
      if (opts.signal?.aborted) throw cause;
      throw new ApiError(0, { message: cause instanceof Error ? cause.message : 'Network error' });
    }
  }

  async function refreshOnce(): Promise<boolean> {
    const refreshToken = tokens.getRefreshToken();
    if (!refreshToken) return false;
    const res = await send('POST', REFRESH_PATH, null, { body: { refresh_token: refreshToken } });
    if (res.ok) {
      // Rotation: the token we just sent is dead now; only the new one may be used from here on.
      tokens.setTokens(await readJson<TokenPair>(res));
      return true;
    }
    if (res.status >= 400 && res.status < 500 && res.status !== 429) {
      tokens.clear();
      onSessionExpired?.();
      return false;
    }
    // 5xx or rate limit: transient, keep the refresh token so a later attempt can still succeed.
    throw await toApiError(res);
  }

  /** Trades the stored refresh token for new tokens. Resolves false when there is no valid session. */
  function refresh(): Promise<boolean> {
    refreshInFlight ??= refreshLock(refreshOnce).finally(() => {
      refreshInFlight = null;
    });
    return refreshInFlight;
  }

  /** Sends with the bearer token, refreshing once on 401; answers the raw response (ok or not). */
  async function fetchAuthorized(method: string, path: string, opts: RequestOptions): Promise<Response> {
    const useAuth = opts.auth ?? true;
    let token = useAuth ? tokens.getAccessToken() : null;
    // After a reload only the refresh token survives: get an access token before the first call.
    if (useAuth && !token && tokens.getRefreshToken()) {
      await refresh();
      token = tokens.getAccessToken();
    }
    let res = await send(method, path, token, opts);
    if (useAuth && res.status === 401) {
      const current = tokens.getAccessToken();
      if (current && current !== token) {
        // Another request refreshed while this one was in flight: just retry with the newer token.
        res = await send(method, path, current, opts);
      } else if (await refresh()) {
        res = await send(method, path, tokens.getAccessToken(), opts);
      }
    }
    return res;
  }

  async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await fetchAuthorized(method, path, opts);
    if (!res.ok) throw await toApiError(res);
    return readJson<T>(res);
  }

  /** A file (PDF, XML) as a Blob, with the name from Content-Disposition when the server gives one. */
  async function download(path: string, opts: Omit<RequestOptions, 'body'> = {}) {
    const res = await fetchAuthorized('GET', path, opts);
    if (!res.ok) throw await toApiError(res);
    const disposition = res.headers.get('content-disposition') ?? '';
    const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
    const plain = /filename="([^"]+)"/i.exec(disposition)?.[1];
    return { blob: await res.blob(), filename: utf8 ? decodeURIComponent(utf8) : (plain ?? null) };
  }

  return {
    tokens,
    refresh,
    request,
    download,
    get: <T>(path: string, opts?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, opts),
    post: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) =>
      request<T>('POST', path, { ...opts, body }),
    put: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) =>
      request<T>('PUT', path, { ...opts, body }),
    patch: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) =>
      request<T>('PATCH', path, { ...opts, body }),
    delete: <T>(path: string, opts?: Omit<RequestOptions, 'body'>) => request<T>('DELETE', path, opts),
  };
}

async function readJson<T>(res: Response): Promise<T> {
  // 204 has no body; a 202 may (a quotation sent answers its public link): read it only when it is JSON, and
  // drain it otherwise so the connection is reusable.
  if (res.status === 204 || (res.status === 202 && !res.headers.get('content-type')?.includes('json'))) {
    await res.text().catch(() => '');
    return undefined as T;
  }
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

async function toApiError(res: Response): Promise<ApiError> {
  let problem: ProblemJson & Record<string, unknown> = {};
  try {
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object') problem = parsed as ProblemJson & Record<string, unknown>;
  } catch {
    // A proxy's HTML error page: keep the status, drop the body.
  }
  return new ApiError(res.status, { title: res.statusText, ...problem });
}
