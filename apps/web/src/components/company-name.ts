import type { CompanyMembership } from '../api/types';
import type { Locale } from '../i18n/catalogs';

/** The Arabic legal name when reading in Arabic and the company has one; the English name otherwise. */
export function companyName(
  company: Pick<CompanyMembership, 'legal_name_en' | 'legal_name_ar'>,
  locale: Locale,
) {
  return locale === 'ar' && company.legal_name_ar ? company.legal_name_ar : company.legal_name_en;
}
