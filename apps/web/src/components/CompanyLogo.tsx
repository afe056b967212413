import { useEffect, useState } from 'react';
import { api } from '../api/browser-client';
import { downloadCompanyLogo, getCompanyProfile } from '../api/settings';

const LOGO_CHANGED = 'invoiceflow:company-logo-changed';

/** Tells every shown logo (the header's) that the company's logo changed. */
export function announceLogoChange(): void {
  window.dispatchEvent(new Event(LOGO_CHANGED));
}

/**
 * The company's logo as a data: URL while `logoId` names one (the page's Content-Security-Policy admits images
 * from the app itself and data: URLs, not blob: ones).
 */
export function useCompanyLogo(logoId: string | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!logoId) {
      setUrl(null);
      return;
    }
    const controller = new AbortController();
    downloadCompanyLogo(api, { signal: controller.signal })
      .then(
        ({ blob }) =>
          new Promise<string>((resolve, reject) => {
            const reader = new FileReader();
            reader.onload = () => resolve(String(reader.result));
            reader.onerror = () => reject(reader.error);
            reader.readAsDataURL(blob);
          }),
      )
      .then(
        (dataUrl) => {
          if (!controller.signal.aborted) setUrl(dataUrl);
        },
        () => {
          if (!controller.signal.aborted) setUrl(null);
        },
      );
    return () => controller.abort();
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
