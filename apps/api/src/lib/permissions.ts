import type { AccountantScope, Role } from '@invoiceflow/db/schema';

/** Everything a route may demand. Reads are `<area>:read`, changes `<area>:write`. */
export const PERMISSIONS = [
  'company:read',
  'company:write',
  'members:read',
  'members:manage',
  'audit:read',
  'customers:read',
  'customers:write',
  'products:read',
  'products:write',
  'invoices:read',
  'invoices:write',
  'payments:read',
  'payments:write',
  'expenses:read',
  'expenses:write',
  'hours:read',
  'hours:write',
  'imports:read',
  'imports:write',
  'payables:read',
  'payables:write',
  /** Approve, dispute or override a supplier invoice: owners and admins only (finance enters, someone else approves). */
  'payables:approve',
  /** The period's figures (VAT return, sales report): sales and purchases together, so no accountant scope gives it. */
  'reports:read',
  /** The company's settings and registration documents as they stand (members, not accountants). */
  'settings:read',
  'settings:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const reads = PERMISSIONS.filter((p) => p.endsWith(':read'));

const ROLE_PERMISSIONS: Record<Exclude<Role, 'accountant'>, readonly Permission[]> = {
  owner: PERMISSIONS,
  admin: PERMISSIONS,
  finance: [
    ...reads,
    'customers:write',
    'products:write',
    'invoices:write',
    'payments:write',
    'expenses:write',
    'hours:write',
    'imports:write',
    'payables:write',
  ],
  viewer: reads.filter((p) => p !== 'audit:read' && p !== 'members:read'),
  // A customer's own person: nothing of the company's screens. The customer portal's routes, bound to the
  // membership's customer, are the only ones it may call.
  client: [],
};

/** Accountants read exactly the scopes of their assignment, nothing else, and never write. */
const SCOPE_PERMISSIONS: Record<AccountantScope, readonly Permission[]> = {
  invoices: ['invoices:read'],
  customers: ['customers:read'],
  payments: ['payments:read'],
  expenses: ['expenses:read'],
  hours: ['hours:read'],
};

export function hasPermission(
  role: Role,
  scopes: readonly AccountantScope[],
  permission: Permission,
): boolean {
  if (role === 'accountant') {
    return (
      permission === 'company:read' || scopes.some((scope) => SCOPE_PERMISSIONS[scope].includes(permission))
    );
  }
  return ROLE_PERMISSIONS[role].includes(permission);
}
