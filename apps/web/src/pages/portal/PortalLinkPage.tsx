// The portal link of an invoice mail (/portal/link?token=…): followed once. The customer's portal user is signed
// in and lands on the invoice; otherwise that one invoice opens read-only for a while.
import { useEffect, useRef, useState } from 'react';
import { api, setActiveCompanyId } from '../../api/browser-client';
import { followPortalLink, getViewedInvoice, type PortalInvoice } from '../../api/portal';
import { useSession } from '../../auth/SessionProvider';
import { Alert } from '../../components/Alert';
import { useI18n } from '../../i18n/I18nProvider';
import { describeError } from '../../lib/errors';
import { Link, navigate, useLocation } from '../../router/router';
import { PortalLayout } from './PortalApp';
import { PortalInvoiceView } from './PortalInvoiceView';

export function PortalLinkPage() {
  const { t, locale } = useI18n();
  const { search } = useLocation();
  const { completeSignIn } = useSession();
  const [error, setError] = useState<unknown>();
  const [view, setView] = useState<{ token: string; invoice: PortalInvoice; canSignIn: boolean }>();
  // The link is single-use: follow it once even when React runs the effect twice.
  const followed = useRef(false);

  useEffect(() => {
    if (followed.current) return;
    followed.current = true;
    const token = new URLSearchParams(search).get('token') ?? '';
    (async () => {
      const answer = await followPortalLink(api, token);
      if (answer.kind === 'session') {
        api.tokens.setTokens(answer);
        setActiveCompanyId(answer.company_id);
        await completeSignIn();
        navigate(`/portal/invoices/${answer.invoice_id}`, { replace: true });
        return;
      }
      const invoice = await getViewedInvoice(api, answer.view_token);
      setView({ token: answer.view_token, invoice, canSignIn: answer.can_sign_in });
    })().catch(setError);
  }, [search, completeSignIn]);

  const seller = view && ((locale === 'ar' && view.invoice.seller_name_ar) || view.invoice.seller_name);
  return (
    <PortalLayout signedIn={false} sellerName={seller} customerName={view?.invoice.buyer_name}>
      <div className="page page-wide">
        {error !== undefined && (
          <>
            <Alert tone="error">
              <span data-testid="portal-link-error">{describeError(error, t)}</span>
            </Alert>
            <Link to="/login">{t('portal.link.signIn')}</Link>
          </>
        )}
        {!view && error === undefined && (
          <p className="muted" aria-busy="true">
            {t('portal.link.opening')}
          </p>
        )}
        {view && (
          <>
            <Alert tone="info">
              <span data-testid="portal-view-note">
                {t(view.canSignIn ? 'portal.link.viewSignIn' : 'portal.link.viewOnly')}
              </span>
            </Alert>
            <PortalInvoiceView invoice={view.invoice} source={{ kind: 'view', token: view.token }} />
          </>
        )}
      </div>
    </PortalLayout>
  );
}
