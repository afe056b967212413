import { createApiClient } from './client';
import { createTokenStore } from './token-store';

const COMPANY_KEY = 'invoiceflow.company_id';

function browserStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // Some privacy modes throw on mere access.
  }
}

let activeCompanyId: string | null = browserStorage()?.getItem(COMPANY_KEY) ?? null;
const sessionExpiredListeners = new Set<() => void>();

export function getActiveCompanyId(): string | null {
  return activeCompanyId;
}

/** Remembered across reloads so the user comes back to the company they were working in. */
export function setActiveCompanyId(id: string | null): void {
  activeCompanyId = id;
  const storage = browserStorage();
  if (id) storage?.setItem(COMPANY_KEY, id);
  else storage?.removeItem(COMPANY_KEY);
}

export function onSessionExpired(listener: () => void): () => void {
  sessionExpiredListeners.add(listener);
  return () => sessionExpiredListeners.delete(listener);
}

export const api = createApiClient({
  tokens: createTokenStore(browserStorage()),
  getCompanyId: getActiveCompanyId,
  onSessionExpired: () => {
    for (const listener of sessionExpiredListeners) listener();
  },
  refreshLock: <T>(run: () => Promise<T>): Promise<T> =>
    typeof navigator !== 'undefined' && navigator.locks
      ? (navigator.locks.request('invoiceflow-token-refresh', run) as Promise<T>)
      : run(),
});
