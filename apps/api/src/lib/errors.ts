/**
 * One coded application error, mapped to HTTP in one place (lib/problem.ts).
 * The code is the contract with clients; the message is for people and may change.
 */
const ERRORS = {
  VALIDATION_FAILED: [400, 'The request is not valid.'],
  MALFORMED_JSON: [400, 'The request body is not valid JSON.'],
  UNAUTHENTICATED: [401, 'Sign in to continue.'],
  INVALID_CREDENTIALS: [401, 'The email or password is wrong.'],
  TOKEN_INVALID: [401, 'The token is invalid or has expired.'],
  TOKEN_REUSED: [401, 'This refresh token was already used; every session of this login was signed out.'],
  MFA_CODE_INVALID: [401, 'The verification code is wrong or was already used.'],
  FORBIDDEN: [403, 'Your role does not allow this.'],
  COMPANY_SUSPENDED: [
    403,
    "This company is suspended by the platform's administrators: its members cannot use it until it is reactivated.",
  ],
  NOT_FOUND: [404, 'Not found.'],
  COMPANY_NOT_FOUND: [404, 'Company not found.'],
  USER_NOT_FOUND: [404, 'User not found.'],
  MEMBER_NOT_FOUND: [404, 'Member not found.'],
  ROUTE_NOT_FOUND: [404, 'No such endpoint.'],
  METHOD_NOT_ALLOWED: [405, 'Method not allowed.'],
  CONFLICT: [409, 'The request conflicts with the current state.'],
  EMAIL_TAKEN: [409, 'An account with this email already exists.'],
  ALREADY_MEMBER: [409, 'This user is already a member of the company.'],
  LAST_OWNER: [409, 'A company needs at least one owner.'],
  MFA_ALREADY_ENABLED: [409, 'Two-factor authentication is already enabled.'],
  MFA_NOT_ENROLLED: [409, 'Start two-factor enrolment first.'],
  MFA_NOT_ENABLED: [409, 'Two-factor authentication is not enabled.'],
  BAD_REQUEST: [400, 'The request could not be read.'],
  REQUEST_TIMEOUT: [408, 'The request took too long to arrive.'],
  PAYLOAD_TOO_LARGE: [413, 'The request body is too large.'],
  URI_TOO_LONG: [414, 'A path parameter is too long.'],
  HEADERS_TOO_LARGE: [431, 'The request headers are too large.'],
  UNSUPPORTED_MEDIA_TYPE: [415, 'Send the body as application/json.'],
  RESET_TOKEN_INVALID: [400, 'The reset link is invalid, expired or already used.'],
  TOO_MANY_REQUESTS: [429, 'Too many requests; try again later.'],
  TOO_MANY_LOGIN_ATTEMPTS: [429, 'Too many failed sign-in attempts; try again later.'],
  INTERNAL_ERROR: [500, 'Something went wrong on our side.'],
  NOT_READY: [503, 'The service is not ready.'],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof ERRORS | (string & {});

export interface FieldError {
  path: string;
  code: string;
  message: string;
  /** The message in Arabic, where the field's rule has one (invoice rules). */
  message_ar?: string;
}

export interface AppErrorOptions {
  message?: string;
  status?: number;
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** Extra members of the problem body (e.g. `invoice_id` of an idempotent replay). */
  extra?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  readonly extra?: Record<string, unknown>;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    const known = (ERRORS as Record<string, readonly [number, string]>)[code];
    super(options.message ?? known?.[1] ?? code);
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? known?.[0] ?? 400;
    this.errors = options.errors;
    this.headers = options.headers;
    this.extra = options.extra;
  }
}

/** Registers more codes from a domain module so their status lives beside the module. */
export function defineErrors<T extends Record<string, readonly [number, string]>>(errors: T): T {
  Object.assign(ERRORS, errors);
  return errors;
}

export function validationError(errors: FieldError[], message?: string): AppError {
  return new AppError('VALIDATION_FAILED', { errors, message });
}
