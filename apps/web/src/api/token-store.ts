import type { TokenPair } from './types';

/**
 * Where the tokens live.
 *
 * Trade-off: the access token (short-lived, the one that authorizes API calls) is kept only in memory, so an
 * XSS payload that runs later cannot simply read it from storage, and it dies with the tab. The refresh token
 * is in localStorage so a reload or a new tab stays signed in without a cookie. That makes the refresh token
 * readable by any script running on our origin: the risk we accept in exchange for a cookie-less API (no CSRF
 * surface, same contract for the CLI and integrations). It is mitigated by rotation (every refresh returns a
 * new refresh token and the server revokes the whole family when an old one is replayed), by a short access
 * token lifetime, by logout revoking server-side, and by a strict CSP on the API that serves this app.
 * An httpOnly refresh cookie would be stronger against XSS and is the upgrade path if the API offers it.
 */
export interface TokenStore {
  getAccessToken(): string | null;
  getRefreshToken(): string | null;
  setTokens(tokens: Pick<TokenPair, 'access_token' | 'refresh_token'>): void;
  clear(): void;
}

/** Minimal slice of the Web Storage API, so tests can pass a Map-backed fake. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const REFRESH_TOKEN_KEY = 'invoiceflow.refresh_token';

export function createTokenStore(storage: KeyValueStorage | null): TokenStore {
  let accessToken: string | null = null;
  // Without storage (private mode quota errors, tests) the refresh token falls back to memory.
  let memoryRefresh: string | null = null;

  return {
    getAccessToken: () => accessToken,
    // Read through to storage every time: another tab may have rotated the token since we last looked.
    getRefreshToken: () => safeGet(storage, REFRESH_TOKEN_KEY) ?? memoryRefresh,
    setTokens(tokens) {
      accessToken = tokens.access_token;
      memoryRefresh = tokens.refresh_token;
      safeSet(storage, REFRESH_TOKEN_KEY, tokens.refresh_token);
    },
    clear() {
      accessToken = null;
      memoryRefresh = null;
      safeRemove(storage, REFRESH_TOKEN_KEY);
    },
  };
}

function safeGet(storage: KeyValueStorage | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function safeSet(storage: KeyValueStorage | null, key: string, value: string): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // Storage full or disabled: the in-memory copy still serves this tab.
  }
}

function safeRemove(storage: KeyValueStorage | null, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    // Nothing to clean up if storage is unavailable.
  }
}
