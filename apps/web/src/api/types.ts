// Wire types of the auth and identity endpoints, read from the generated OpenAPI types (wire.ts). JSON is
// snake_case on the wire and we keep it that way: renaming at the boundary would double every field name the reader
// has to map in their head.
import type { Body, Item, Reply, Schema } from './wire';

/** ISO 3166-1 alpha-2; what differs by country comes from its profile (@invoiceflow/jurisdictions). */
export type CountryCode = string;
export type Role = 'owner' | 'admin' | 'finance' | 'accountant' | 'viewer' | (string & {});

/** An access and a refresh token; `expires_in` is the seconds until the access token expires. */
export type TokenPair = Reply<'/api/v1/auth/refresh', 'post'>;

export type LoginResponse = Reply<'/api/v1/auth/login', 'post'>;

export type MfaChallenge = Extract<LoginResponse, { mfa_required: true }>;

export type RegisterInput = Body<'/api/v1/auth/register'>;

/** The company registered with its first user; `time_zone` (IANA) defaults to the country's. */
export type RegisterCompanyInput = RegisterInput['company'];

/** SA asks a building number (4 digits) and postal code (5); AE an emirate (AUH, DXB, …). */
export type Address = RegisterCompanyInput['address'];

export type Me = Reply<'/api/v1/me'>;

/** Until the mailed link is opened the account runs its own companies but joins no other. */
export type User = Me['user'];

export type CompanyMembership = Item<Me['companies']> & { role: Role };

export type RegisterResponse = Reply<'/api/v1/auth/register', 'post'>;

/** One entry of a problem+json `errors` list; `path` is dotted, e.g. "company.vat_number". */
export type FieldError = Item<NonNullable<Schema<'Problem'>['errors']>>;

/** A problem+json body as received: every member may be missing (a proxy's answer, a network failure). */
export type ProblemJson = Partial<Schema<'Problem'>>;

export function isMfaChallenge(r: LoginResponse): r is MfaChallenge {
  return 'mfa_required' in r && r.mfa_required === true;
}
