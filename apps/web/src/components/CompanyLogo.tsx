import { useEffect, useState } from 'react';
import { api } from '../api/browser-client';
import { downloadCompanyLogo, getCompanyProfile } from '../api/settings';

const LOGO_CHANGED = 'invoiceflow:company-logo-changed';

/** Tells every shown logo (the header's) that the company's logo changed. */
export function announceLogoChange(): void {
  window.dispatchEvent(new Event(LOGO_CHANGED));
}

/** An object URL of the company's logo while `logoId` names one; revoked when it changes or unmounts. */
export function useCompanyLogo(logoId: string | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!logoId) {
      setUrl(null);
      return;
    }
    const controller = new AbortController();
    let made: string | null = null;
    downloadCompanyLogo(api, { signal: controller.signal }).then(
      ({ blob }) => {
        made = URL.createObjectURL(blob);
        setUrl(made);
      },
      () => setUrl(null),
    );
    return () => {
      controller.abort();
      if (made) URL.revokeObjectURL(made);
    };
  }, [logoId]);
  return url;
}

/** The company's logo in the header, when it has one; follows an upload on the settings page. */
export function CompanyLogo({ companyId }: { companyId: string }) {
  const [logoId, setLogoId] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: another company (X-Company-Id) has another logo.
  useEffect(() => {
    const controller = new AbortController();
    const load = () =>
      getCompanyProfile(api, { signal: controller.signal }).then(
        (company) => setLogoId(company.logo_id),
        () => setLogoId(null),
      );
    void load();
    window.addEventListener(LOGO_CHANGED, load);
    return () => {
      controller.abort();
      window.removeEventListener(LOGO_CHANGED, load);
    };
  }, [companyId]);
  const url = useCompanyLogo(logoId);
  if (!url) return null;
  return (
    <img className="company-logo" src={url} alt="" data-testid="header-logo" data-logo-id={logoId ?? ''} />
  );
}
