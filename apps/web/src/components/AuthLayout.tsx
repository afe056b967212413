import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { LanguageSwitcher } from './LanguageSwitcher';
import { Logo } from './Logo';

/** The frame of every signed-out page: brand, language choice, one centred card. */
export function AuthLayout({
  title,
  subtitle,
  wide,
  hero,
  children,
  footer,
}: {
  title: string;
  subtitle?: string;
  wide?: boolean;
  /** Above the card: the public home text on the sign-in page. */
  hero?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="auth-page">
      <header className="auth-header">
        <Logo />
        <LanguageSwitcher />
      </header>
      {hero}
      <main className={`auth-card${wide ? ' auth-card-wide' : ''}`}>
        <h1 className="auth-title">{title}</h1>
        {subtitle && <p className="auth-subtitle">{subtitle}</p>}
        {children}
      </main>
      {footer && <p className="auth-footer">{footer}</p>}
      <p className="auth-tagline">{t('app.tagline')}</p>
    </div>
  );
}
