import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import * as authApi from '../api/auth';
import { api, getActiveCompanyId, onSessionExpired, setActiveCompanyId } from '../api/browser-client';
import { isApiError } from '../api/client';
import type { CompanyMembership, Me } from '../api/types';
import { navigate } from '../router/router';

export type Session =
  | { status: 'loading' }
  | { status: 'anonymous'; expired: boolean }
  | { status: 'signed-in'; me: Me; company: CompanyMembership | null };

interface SessionContextValue {
  session: Session;
  /** Call after tokens were stored (login, MFA, register): loads /me and enters the app. */
  completeSignIn(): Promise<void>;
  logout(): Promise<void>;
  switchCompany(companyId: string): void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** The remembered company if the user still belongs to it, else the server's choice, else the first. */
function pickCompany(me: Me): CompanyMembership | null {
  const byId = (id: string | null) => (id ? me.companies.find((c) => c.id === id) : undefined);
  return byId(getActiveCompanyId()) ?? byId(me.current_company_id) ?? me.companies[0] ?? null;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>({ status: 'loading' });

  const loadMe = useCallback(async () => {
    const me = await authApi.fetchMe(api);
    const company = pickCompany(me);
    setActiveCompanyId(company?.id ?? null);
    setSession({ status: 'signed-in', me, company });
  }, []);

  useEffect(() => {
    const stop = onSessionExpired(() => setSession({ status: 'anonymous', expired: true }));
    // A reload keeps only the refresh token; the client trades it for an access token on the /me call.
    if (!api.tokens.getRefreshToken()) {
      setSession({ status: 'anonymous', expired: false });
    } else {
      loadMe().catch((error: unknown) => {
        const expired = isApiError(error) && error.status === 401;
        if (expired) api.tokens.clear();
        setSession({ status: 'anonymous', expired });
      });
    }
    return stop;
  }, [loadMe]);

  // Signing out in one tab removes the refresh token from storage; follow along in the others.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === null || (event.key.endsWith('refresh_token') && event.newValue === null)) {
        api.tokens.clear();
        setSession({ status: 'anonymous', expired: false });
      }
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  const logout = useCallback(async () => {
    try {
      await authApi.logout(api);
    } catch {
      // Tokens are already forgotten locally; the server-side token expires on its own.
    }
    setActiveCompanyId(null);
    setSession({ status: 'anonymous', expired: false });
    // Same tick as the state change, so the guard never sees "anonymous on /invoices" and adds ?next=:
    // after a deliberate sign-out the next person should start from the dashboard, not where we left off.
    navigate('/login', { replace: true });
  }, []);

  const switchCompany = useCallback((companyId: string) => {
    setSession((current) => {
      if (current.status !== 'signed-in') return current;
      const company = current.me.companies.find((c) => c.id === companyId);
      if (!company) return current;
      setActiveCompanyId(company.id);
      return { ...current, company };
    });
  }, []);

  const value = useMemo(
    () => ({ session, completeSignIn: loadMe, logout, switchCompany }),
    [session, loadMe, logout, switchCompany],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession must be used inside <SessionProvider>');
  return ctx;
}
