import type { CompanyMembership } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { en, type MessageKey } from '../i18n/messages-en';
import { companyName } from './company-name';

interface Props {
  companies: readonly CompanyMembership[];
  current: CompanyMembership | null;
  onSwitch(companyId: string): void;
}

export function CompanySwitcher({ companies, current, onSwitch }: Props) {
  const { t, locale } = useI18n();
  if (companies.length === 0) return <span className="muted">{t('company.none')}</span>;
  // With one company there is nothing to switch to: show the name, not a control that does nothing.
  if (companies.length === 1 && current) {
    return (
      <span className="company-current" data-testid="company-current">
        <CompanyBadge country={current.country} />
        <bdi className="company-current-name" title={companyName(current, locale)}>
          {companyName(current, locale)}
        </bdi>
      </span>
    );
  }
  return (
    <label className="company-switcher">
      <span className="visually-hidden">{t('company.switcher')}</span>
      {current && <CompanyBadge country={current.country} />}
      <select
        data-testid="company-switcher"
        value={current?.id ?? ''}
        onChange={(e) => onSwitch(e.target.value)}
      >
        {companies.map((c) => (
          <option key={c.id} value={c.id}>
            {companyName(c, locale)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The tax jurisdiction, which decides the e-invoicing regime (ZATCA or FTA) of everything in the company. */
function CompanyBadge({ country }: { country: CompanyMembership['country'] }) {
  const { t } = useI18n();
  const key = `country.short.${country}`;
  return <span className="badge">{Object.hasOwn(en, key) ? t(key as MessageKey) : country}</span>;
}
