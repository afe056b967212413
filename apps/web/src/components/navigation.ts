import type { MessageKey } from '../i18n/messages-en';

export interface NavItem {
  path: string;
  label: MessageKey;
  /** SVG path data on a 24×24 grid, stroked. */
  icon: string;
  /** Shown only to these roles in the active company (the server refuses the others anyway). */
  roles?: readonly string[];
}

// Payables and reports: the roles with payables:read and reports:read.
const PAYABLES_ROLES = ['owner', 'admin', 'finance', 'viewer'] as const;

// The sections later issues fill in; each is a route already so links and e2e selectors stay stable.
export const NAV_ITEMS: readonly NavItem[] = [
  { path: '/', label: 'nav.dashboard', icon: 'M4 13h6V4H4zM14 20h6v-9h-6zM4 20h6v-3H4zM14 8h6V4h-6z' },
  { path: '/invoices', label: 'nav.invoices', icon: 'M7 3h7l5 5v13H7zM14 3v5h5M10 13h6M10 17h6' },
  { path: '/quotes', label: 'nav.quotes', icon: 'M6 3h12v18H6zM9 8h6M9 12h6M9 16h3' },
  {
    path: '/recurring',
    label: 'nav.recurring',
    icon: 'M4 12a8 8 0 0 1 14-5.3M20 12a8 8 0 0 1-14 5.3M18 3v4h-4M6 21v-4h4',
  },
  {
    path: '/customers',
    label: 'nav.customers',
    icon: 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21a7 7 0 0 1 14 0M17 4a4 4 0 0 1 0 7M22 21a7 7 0 0 0-4-6.3',
  },
  {
    path: '/products',
    label: 'nav.products',
    icon: 'M12 3l8 4.5v9L12 21l-8-4.5v-9zM4 7.5l8 4.5 8-4.5M12 12v9',
  },
  // Selling at a till needs invoices:write (POST /api/v1/purchases): owners, administrators and finance.
  {
    path: '/till',
    label: 'nav.till',
    icon: 'M4 10h16v10H4zM7 10V5h10v5M8 14h2M14 14h2M8 17h8',
    roles: ['owner', 'admin', 'finance'],
  },
  // Importing writes customers, products and invoices (imports:write): owners, administrators and finance.
  {
    path: '/imports',
    label: 'nav.imports',
    icon: 'M12 3v12M7 10l5 5 5-5M4 17v3h16v-3',
    roles: ['owner', 'admin', 'finance'],
  },
  { path: '/payments', label: 'nav.payments', icon: 'M3 6h18v12H3zM3 10h18M7 15h3' },
  // Accounts payable (payables:read): every role of the company but accountants, whose scopes do not cover it.
  {
    path: '/vendors',
    label: 'nav.vendors',
    icon: 'M3 21h18M5 21V8l7-5 7 5v13M9 21v-6h6v6',
    roles: PAYABLES_ROLES,
  },
  {
    path: '/purchase-orders',
    label: 'nav.purchaseOrders',
    icon: 'M3 4h2l2 11h11l2-8H6.5M9 20a1 1 0 1 0 0-2 1 1 0 0 0 0 2zM17 20a1 1 0 1 0 0-2 1 1 0 0 0 0 2z',
    roles: PAYABLES_ROLES,
  },
  {
    path: '/supplier-invoices',
    label: 'nav.supplierInvoices',
    icon: 'M7 3h7l5 5v13H7zM14 3v5h5M10 12l2 2 4-4M10 18h6',
    roles: PAYABLES_ROLES,
  },
  {
    path: '/bills',
    label: 'nav.bills',
    icon: 'M3 7h18v11H3zM3 11h18M16 15h2M12 3v4',
    roles: PAYABLES_ROLES,
  },
  {
    path: '/reports',
    label: 'nav.reports',
    icon: 'M4 20V10M10 20V4M16 20v-7M22 20H2',
    roles: PAYABLES_ROLES,
  },
  { path: '/expenses', label: 'nav.expenses', icon: 'M6 3h12v18l-3-2-3 2-3-2-3 2zM9 8h6M9 12h6' },
  { path: '/time', label: 'nav.time', icon: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 7v5l3 2' },
  {
    path: '/accountant',
    label: 'nav.workspace',
    icon: 'M4 5h7v15H4zM13 5h7v15h-7zM7 9h1M16 9h1',
  },
  // The company's members and invitations (members:manage).
  {
    path: '/settings/team',
    label: 'nav.team',
    icon: 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21a7 7 0 0 1 14 0M19 8v6M16 11h6',
    roles: ['owner', 'admin'],
  },
  {
    path: '/settings/accountants',
    label: 'nav.accountants',
    icon: 'M16 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM10 21a6 6 0 0 1 12 0M3 8h6M6 5v6',
    roles: ['owner', 'admin'],
  },
  // Endpoints receive the company's invoice data: managed with the settings (settings:write).
  {
    path: '/settings/webhooks',
    label: 'nav.webhooks',
    icon: 'M9 7a3 3 0 1 1 3 3l-3 6M15 17a3 3 0 1 1-3-3h6M7 17a3 3 0 1 1 2-5',
    roles: ['owner', 'admin'],
  },
  {
    path: '/settings',
    label: 'nav.settings',
    icon: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 0 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 0 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 0 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 0 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z',
  },
];

export function navItemsFor(role: string | undefined): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.roles || (role !== undefined && item.roles.includes(role)));
}

/** "/invoices/42" highlights Invoices; "/" matches only itself. */
export function isActivePath(itemPath: string, pathname: string): boolean {
  return itemPath === '/' ? pathname === '/' : pathname === itemPath || pathname.startsWith(`${itemPath}/`);
}

/** The one item to highlight: the most specific that matches ("/settings/webhooks" over "/settings"). */
export function activeNavPath(items: readonly NavItem[], pathname: string): string | undefined {
  return items
    .filter((item) => isActivePath(item.path, pathname))
    .reduce<string | undefined>(
      (best, item) => (best === undefined || item.path.length > best.length ? item.path : best),
      undefined,
    );
}
