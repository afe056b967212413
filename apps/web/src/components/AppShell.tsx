import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { CompanyMembership, Me } from '../api/types';
import { useSession } from '../auth/SessionProvider';
import { DIGITS } from '../i18n/format';
import { useI18n } from '../i18n/I18nProvider';
import { Link, useLocation } from '../router/router';
import { CompanyLogo } from './CompanyLogo';
import { CompanySwitcher } from './CompanySwitcher';
import { LanguageSwitcher } from './LanguageSwitcher';
import { Logo } from './Logo';
import { activeNavPath, navItemsFor } from './navigation';

export function AppShell({
  me,
  company,
  children,
}: {
  me: Me;
  company: CompanyMembership | null;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const { logout, switchCompany } = useSession();
  const { pathname } = useLocation();

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <aside className="sidebar" data-testid="sidebar">
        <div className="sidebar-brand">
          <Link to="/">
            <Logo />
          </Link>
        </div>
        <nav aria-label={t('nav.main')}>
          <ul className="nav-list">
            {navItemsFor(company?.role).map((item, _index, items) => {
              const isActive = item.path === activeNavPath(items, pathname);
              return (
                <li key={item.path}>
                  <Link
                    to={item.path}
                    className="nav-link"
                    aria-current={isActive ? 'page' : undefined}
                    data-testid={`nav-${item.path === '/' ? 'dashboard' : item.path.slice(1).replace('/', '-')}`}
                  >
                    <svg className="nav-icon" viewBox="0 0 24 24" aria-hidden="true">
                      <path d={item.icon} />
                    </svg>
                    {t(item.label)}
                  </Link>
                </li>
              );
            })}
            {me.user.is_super_admin && (
              <li>
                <Link
                  to="/admin"
                  className="nav-link"
                  aria-current={pathname.startsWith('/admin') ? 'page' : undefined}
                  data-testid="nav-admin"
                >
                  <svg className="nav-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6zM9 12l2 2 4-4" />
                  </svg>
                  {t('nav.admin')}
                </Link>
              </li>
            )}
          </ul>
        </nav>
      </aside>
      <div className="shell-main">
        <header className="topbar">
          <div className="topbar-start">
            {company && <CompanyLogo companyId={company.id} />}
            <CompanySwitcher companies={me.companies} current={company} onSwitch={switchCompany} />
          </div>
          <div className="topbar-end">
            <LanguageSwitcher />
            <UserMenu me={me} onLogout={() => void logout()} />
          </div>
        </header>
        <main id="main" className="content" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase();
}

/**
 * The signed-in person's menu: who they are, their profile and security (password, two-step verification), and
 * signing out. A disclosure button (aria-expanded); Escape or a click elsewhere closes it.
 */
function UserMenu({ me, onLogout }: { me: Me; onLogout(): void }) {
  const { t } = useI18n();
  const [isOpen, setIsOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const { pathname } = useLocation();

  // biome-ignore lint/correctness/useExhaustiveDependencies: a navigation closes the menu.
  useEffect(() => setIsOpen(false), [pathname]);
  useEffect(() => {
    if (!isOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setIsOpen(false);
    };
    const onClick = (event: MouseEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setIsOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [isOpen]);

  return (
    <div className="user-menu" ref={root}>
      <button
        type="button"
        className="user-chip button button-ghost"
        aria-expanded={isOpen}
        aria-controls="user-menu-panel"
        data-testid="user-menu"
        onClick={() => setIsOpen((open) => !open)}
      >
        <span className="avatar" aria-hidden="true">
          {initials(me.user.full_name || me.user.email)}
        </span>
        {/* The menu's name begins with what it shows (the person's name), then says what it is. */}
        <span className="user-name" data-testid="user-name">
          {me.user.full_name}
        </span>
        <span className="visually-hidden"> — {t('user.menu')}</span>
      </button>
      {isOpen && (
        <div className="user-menu-panel" id="user-menu-panel">
          <p className="user-menu-who">
            <bdi>{me.user.full_name}</bdi>
            <br />
            <bdi className="muted small" dir="ltr">
              {me.user.email}
            </bdi>
          </p>
          <p className="muted small" data-testid="user-menu-mfa">
            {me.user.mfa_enabled ? t('user.mfaOn') : t('user.mfaOff')}
          </p>
          <DigitsChoice />
          <ul className="plain-list">
            <li>
              <Link to="/settings/security" data-testid="user-menu-profile">
                {t('user.profile')}
              </Link>
            </li>
            <li>
              <Link to="/settings/security#password" data-testid="user-menu-password">
                {t('user.password')}
              </Link>
            </li>
          </ul>
          <button type="button" className="button button-ghost" data-testid="logout" onClick={onLogout}>
            {t('user.logout')}
          </button>
        </div>
      )}
    </div>
  );
}

/** Arabic's digits, chosen once for every screen: Latin (123, the default) or Arabic-Indic (١٢٣). */
function DigitsChoice() {
  const { locale, digits, setDigits, t } = useI18n();
  if (locale !== 'ar') return null;
  return (
    <fieldset className="segmented" aria-label={t('user.digits')}>
      {DIGITS.map((d) => (
        <button
          key={d}
          type="button"
          className="segmented-option"
          aria-pressed={d === digits}
          data-testid={`digits-${d}`}
          onClick={() => setDigits(d)}
        >
          {t(d === 'latn' ? 'user.digits.latn' : 'user.digits.arab')}
        </button>
      ))}
    </fieldset>
  );
}
