import { DEFAULT_COUNTRY, profileFor } from '@invoiceflow/jurisdictions';
import { Fragment, useEffect } from 'react';
import { useSession } from './auth/SessionProvider';
import { AppShell } from './components/AppShell';
import { NAV_ITEMS } from './components/navigation';
import { useI18n } from './i18n/I18nProvider';
import { safeNextPath } from './lib/safe-next';
import { AcceptInvitationPage } from './pages/AcceptInvitationPage';
import { AccountantsSettingsPage } from './pages/AccountantsSettingsPage';
import { AccountantWorkspacePage, SECTIONS, type Section } from './pages/accountant/AccountantWorkspacePage';
import { ClientBooksPage } from './pages/accountant/ClientBooksPage';
import { AdminConsolePage, type AdminSection } from './pages/admin/AdminConsolePage';
import { CustomersPage } from './pages/CustomersPage';
import { DashboardPage } from './pages/DashboardPage';
import { ExpensesPage } from './pages/ExpensesPage';
import { ForgotPasswordPage } from './pages/ForgotPasswordPage';
import { ImportPage } from './pages/ImportPage';
import { InvoiceDetailPage } from './pages/InvoiceDetailPage';
import { InvoicesPage } from './pages/InvoicesPage';
import { InvoiceEditorPage } from './pages/invoice-editor/InvoiceEditorPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { PaymentsPage } from './pages/PaymentsPage';
import { ProductsPage } from './pages/ProductsPage';
import { PublicQuotePage } from './pages/PublicQuotePage';
import { BillsPage } from './pages/payables/BillsPage';
import {
  PurchaseOrderDetailPage,
  PurchaseOrderEditorPage,
  PurchaseOrdersPage,
} from './pages/payables/PurchaseOrdersPage';
import {
  SupplierInvoiceDetailPage,
  SupplierInvoiceEditorPage,
  SupplierInvoicesPage,
} from './pages/payables/SupplierInvoicesPage';
import { VendorsPage } from './pages/payables/VendorsPage';
import { PortalApp } from './pages/portal/PortalApp';
import { PortalLinkPage } from './pages/portal/PortalLinkPage';
import { QuoteDetailPage, QuoteEditorPage, QuotesPage } from './pages/QuotesPage';
import { RecurringPage } from './pages/RecurringPage';
import { RegisterPage } from './pages/RegisterPage';
import { ReportsPage } from './pages/ReportsPage';
import { ResetPasswordPage } from './pages/ResetPasswordPage';
import { SectionPlaceholderPage } from './pages/SectionPlaceholderPage';
import { CompanyProfilePage } from './pages/settings/CompanyProfilePage';
import { EInvoicingPage } from './pages/settings/EInvoicingPage';
import { NumberingTaxPage } from './pages/settings/NumberingTaxPage';
import { OnlinePaymentsPage } from './pages/settings/OnlinePaymentsPage';
import { RemindersPage } from './pages/settings/RemindersPage';
import { SecurityPage } from './pages/settings/SecurityPage';
import { SettingsIndexPage } from './pages/settings/SettingsIndexPage';
import { TeamPage } from './pages/settings/TeamPage';
import { TransmissionPage } from './pages/settings/TransmissionPage';
import { TimeEntriesPage } from './pages/TimeEntriesPage';
import { TillPage } from './pages/till/TillPage';
import { VerifyEmailPage } from './pages/VerifyEmailPage';
import { WebhooksSettingsPage } from './pages/WebhooksSettingsPage';
import { navigate, useLocation } from './router/router';

// Pages reachable without a session. Reset stays reachable when signed in: the link comes from an e-mail.
// The invitation's link is public too: the invited person has no account yet.
const PUBLIC_PATHS = new Set([
  '/login',
  '/register',
  '/forgot-password',
  '/reset-password',
  '/verify-email',
  '/accept-invitation',
  // The invoice mail's portal link: it signs its recipient in (or opens one invoice read-only).
  '/portal/link',
]);
const SIGNED_OUT_ONLY = new Set(['/login', '/register', '/forgot-password']);

export function App() {
  const { session } = useSession();
  const { pathname, search } = useLocation();
  const { t } = useI18n();

  // A quotation's link (/q/{token}) is the customer's, signed in or not, with no redirect.
  const quoteToken = /^\/q\/([A-Za-z0-9_-]{43})$/.exec(pathname)?.[1];
  const isPublic = PUBLIC_PATHS.has(pathname) || quoteToken !== undefined;
  // A customer's own people (role client) see only the portal, under /portal.
  const isClient = session.status === 'signed-in' && session.company?.role === 'client';
  const redirect =
    isClient && !isPublic && !pathname.startsWith('/portal')
      ? '/portal'
      : session.status === 'anonymous' && !isPublic
        ? `/login${pathname === '/' ? '' : `?next=${encodeURIComponent(pathname + search)}`}`
        : session.status === 'signed-in' && SIGNED_OUT_ONLY.has(pathname)
          ? safeNextPath(new URLSearchParams(search).get('next'))
          : null;

  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  if (quoteToken) return <PublicQuotePage token={quoteToken} />;

  if (session.status === 'loading' || redirect) {
    return (
      <div className="splash" aria-busy="true">
        {t('app.loading')}
      </div>
    );
  }

  if (session.status === 'anonymous' || isPublic) {
    switch (pathname) {
      case '/register':
        return <RegisterPage />;
      case '/forgot-password':
        return <ForgotPasswordPage />;
      case '/reset-password':
        return <ResetPasswordPage />;
      case '/verify-email':
        return <VerifyEmailPage />;
      case '/accept-invitation':
        return <AcceptInvitationPage />;
      case '/portal/link':
        return <PortalLinkPage />;
      default:
        return <LoginPage expired={session.status === 'anonymous' && session.expired} />;
    }
  }

  const { me, company } = session;
  if (isClient) return <PortalApp key={company?.id} />;
  const section = NAV_ITEMS.find((item) => item.path === pathname);
  const country = company?.country ?? DEFAULT_COUNTRY;
  // Products are judged by the company's rule set (its jurisdiction profile), in its currency.
  const profile = profileFor(country);
  const invoiceId = /^\/invoices\/([0-9a-f-]{36})$/.exec(pathname)?.[1];
  const quote = /^\/quotes\/([0-9a-f-]{36})(\/edit)?$/.exec(pathname);
  const books = /^\/accountant\/clients\/([0-9a-f-]{36})\/([a-z-]+)(?:\/([0-9a-f-]{36}))?$/.exec(pathname);
  const purchaseOrderId = /^\/purchase-orders\/([0-9a-f-]{36})$/.exec(pathname)?.[1];
  const supplierInvoiceId = /^\/supplier-invoices\/([0-9a-f-]{36})$/.exec(pathname)?.[1];
  // Settings → Team, Accountants and Webhooks: owners and administrators (members:manage, settings:write).
  const canManageSettings = company?.role === 'owner' || company?.role === 'admin';
  const booksSection = SECTIONS.find((s) => s === books?.[2]) as Section | undefined;
  // The platform console: super admins only (the API refuses everyone else; the others do not see it).
  const adminSection = me.user.is_super_admin
    ? ({ '/admin': 'companies', '/admin/analytics': 'analytics', '/admin/content': 'content' } as const)[
        pathname as '/admin'
      ]
    : undefined;
  const page =
    pathname === '/' ? (
      <DashboardPage me={me} company={company} />
    ) : adminSection ? (
      <AdminConsolePage section={adminSection as AdminSection} />
    ) : pathname === '/invoices' ? (
      <InvoicesPage />
    ) : pathname === '/invoices/new' ? (
      <InvoiceEditorPage />
    ) : invoiceId ? (
      <InvoiceDetailPage key={invoiceId} id={invoiceId} />
    ) : pathname === '/quotes' ? (
      <QuotesPage />
    ) : pathname === '/quotes/new' ? (
      <QuoteEditorPage />
    ) : quote?.[1] ? (
      quote[2] ? (
        <QuoteEditorPage key={`edit-${quote[1]}`} id={quote[1]} />
      ) : (
        <QuoteDetailPage key={quote[1]} id={quote[1]} />
      )
    ) : pathname === '/recurring' ? (
      <RecurringPage />
    ) : pathname === '/settings' ? (
      <SettingsIndexPage canManage={canManageSettings} />
    ) : pathname === '/settings/security' ? (
      <SecurityPage user={me.user} />
    ) : pathname === '/settings/company' ? (
      <CompanyProfilePage />
    ) : pathname === '/settings/e-invoicing' ? (
      <EInvoicingPage />
    ) : pathname === '/settings/numbering' ? (
      <NumberingTaxPage />
    ) : pathname === '/settings/team' ? (
      <TeamPage />
    ) : pathname === '/settings/payments' ? (
      <OnlinePaymentsPage />
    ) : pathname === '/settings/reminders' ? (
      <RemindersPage canManage={canManageSettings} />
    ) : pathname === '/settings/transmission' ? (
      <TransmissionPage />
    ) : pathname === '/settings/webhooks' ? (
      <WebhooksSettingsPage />
    ) : pathname === '/customers' ? (
      <CustomersPage country={country} />
    ) : pathname === '/products' ? (
      <ProductsPage country={profile.rules} currency={profile.currency ?? ''} />
    ) : pathname === '/till' ? (
      <TillPage jurisdiction={profile.rules} />
    ) : pathname === '/imports' ? (
      <ImportPage />
    ) : pathname === '/payments' ? (
      <PaymentsPage />
    ) : pathname === '/vendors' ? (
      <VendorsPage country={country} />
    ) : pathname === '/purchase-orders' ? (
      <PurchaseOrdersPage />
    ) : pathname === '/purchase-orders/new' ? (
      <PurchaseOrderEditorPage />
    ) : purchaseOrderId ? (
      <PurchaseOrderDetailPage key={purchaseOrderId} id={purchaseOrderId} />
    ) : pathname === '/supplier-invoices' ? (
      <SupplierInvoicesPage />
    ) : pathname === '/supplier-invoices/new' ? (
      <SupplierInvoiceEditorPage />
    ) : supplierInvoiceId ? (
      <SupplierInvoiceDetailPage
        key={supplierInvoiceId}
        id={supplierInvoiceId}
        canApprove={company?.role === 'owner' || company?.role === 'admin'}
      />
    ) : pathname === '/reports' ? (
      <ReportsPage />
    ) : pathname === '/bills' ? (
      <BillsPage />
    ) : pathname === '/expenses' ? (
      <ExpensesPage />
    ) : pathname === '/time' ? (
      <TimeEntriesPage />
    ) : pathname === '/settings/accountants' ? (
      <AccountantsSettingsPage />
    ) : pathname === '/accountant' ? (
      <AccountantWorkspacePage />
    ) : books?.[1] && booksSection && (!books[3] || booksSection === 'invoices') ? (
      <ClientBooksPage
        key={`${books[1]}/${books[3] ?? ''}`}
        clientId={books[1]}
        section={booksSection}
        invoiceId={books[3]}
      />
    ) : section ? (
      <SectionPlaceholderPage title={section.label} />
    ) : (
      <NotFoundPage />
    );
  return (
    <AppShell me={me} company={company}>
      {/* Keyed by company: switching tenants remounts the page, so no screen can show the previous
          company's data or keep a request for it in flight. */}
      <Fragment key={company?.id ?? 'none'}>{page}</Fragment>
    </AppShell>
  );
}
