// Wire types of the auth and identity endpoints (JSON is snake_case on the wire and we keep it that way:
// renaming at the boundary would double every field name the reader has to map in their head).

/** ISO 3166-1 alpha-2; what differs by country comes from its profile (@invoiceflow/jurisdictions). */
export type CountryCode = string;
export type Role = 'owner' | 'admin' | 'finance' | 'accountant' | 'viewer' | (string & {});

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  /** Seconds until the access token expires. */
  expires_in: number;
}

export interface MfaChallenge {
  mfa_required: true;
  mfa_token: string;
}

export type LoginResponse = TokenPair | MfaChallenge;

export interface Address {
  street: string;
  /** Required in SA (BR-KSA-09, 4 digits per BR-KSA-37). */
  building_number?: string;
  district?: string;
  city: string;
  /** Required in SA (5 digits per BR-KSA-66). */
  postal_code?: string;
  country: CountryCode;
  /** PINT AE subdivision code (AUH, DXB, …); required in AE. */
  emirate?: string;
}

export interface RegisterCompanyInput {
  legal_name_en: string;
  legal_name_ar?: string;
  country: CountryCode;
  vat_number: string;
  registration_number?: string;
  address: Address;
  currency?: string;
  /** IANA time zone; default: the country's. */
  time_zone?: string;
}

export interface RegisterInput {
  email: string;
  password: string;
  full_name: string;
  company: RegisterCompanyInput;
}

export interface User {
  id: string;
  email: string;
  full_name: string;
  mfa_enabled: boolean;
  is_super_admin: boolean;
  /** Until the mailed link is opened the account runs its own companies but joins no other. */
  email_verified: boolean;
}

export interface CompanyMembership {
  id: string;
  legal_name_en: string;
  legal_name_ar: string | null;
  country: CountryCode;
  role: Role;
}

export interface RegisterResponse extends TokenPair {
  user: User;
  company: CompanyMembership;
}

export interface Me {
  user: User;
  companies: CompanyMembership[];
  current_company_id: string | null;
}

/** One entry of a problem+json `errors` list; `path` is dotted, e.g. "company.vat_number". */
export interface FieldError {
  path: string;
  code: string;
  message: string;
}

export interface ProblemJson {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  message?: string;
  errors?: FieldError[];
}

export function isMfaChallenge(r: LoginResponse): r is MfaChallenge {
  return 'mfa_required' in r && r.mfa_required === true;
}
