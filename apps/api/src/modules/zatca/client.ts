// ZATCA's e-invoicing HTTP API (Fatoora developer portal, simulation, core): onboarding (compliance CSID,
// compliance checks, production CSID), reporting and clearance. Shapes from ZATCA's API documentation
// ("Fatoora Portal – E-invoicing APIs", Accept-Version V2). No retries here: the jobs retry (submission.ts).
import type { EgsEnvironment } from '@invoiceflow/db/schema';

export const ZATCA_BASE_URLS: Record<Exclude<EgsEnvironment, 'local'>, string> = {
  'developer-portal': 'https://gw-fatoora.zatca.gov.sa/e-invoicing/developer-portal',
  simulation: 'https://gw-fatoora.zatca.gov.sa/e-invoicing/simulation',
  production: 'https://gw-fatoora.zatca.gov.sa/e-invoicing/core',
};

export interface ZatcaMessage {
  type?: string;
  code?: string;
  category?: string;
  message?: string;
  status?: string;
}

export interface ZatcaValidationResults {
  infoMessages?: ZatcaMessage[] | ZatcaMessage | null;
  warningMessages?: ZatcaMessage[] | null;
  errorMessages?: ZatcaMessage[] | null;
  /** PASS, WARNING, ERROR */
  status?: string;
}

/** Answer of /compliance/invoices, /invoices/reporting/single and /invoices/clearance/single. */
export interface ZatcaInvoiceResponse {
  validationResults?: ZatcaValidationResults;
  reportingStatus?: string | null;
  clearanceStatus?: string | null;
  /** Clearance: the stamped invoice, base64 XML. */
  clearedInvoice?: string | null;
}

/** Answer of /compliance and /production/csids. */
export interface ZatcaCsidResponse {
  requestID: string | number;
  dispositionMessage?: string;
  /** base64 of the certificate's base64 DER text. */
  binarySecurityToken: string;
  secret: string;
  tokenType?: string;
}

export interface InvoiceSubmission {
  invoiceHash: string;
  uuid: string;
  /** The XML, base64. */
  invoice: string;
}

export interface Credentials {
  binarySecurityToken: string;
  secret: string;
}

/**
 * Why a call failed. `isRetryable`: ZATCA was busy or unreachable (429, 5xx, network, timeout), try again later.
 * Not retryable: the request itself was refused (400 other than invoice validation, 401, 403, 404).
 */
export class ZatcaApiError extends Error {
  constructor(
    message: string,
    readonly httpStatus: number | null,
    readonly isRetryable: boolean,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ZatcaApiError';
  }
}

export interface ZatcaInvoiceResult {
  /** 200 accepted, 202 accepted with warnings, 400 rejected. */
  httpStatus: number;
  body: ZatcaInvoiceResponse;
}

export interface ZatcaClientOptions {
  environment: Exclude<EgsEnvironment, 'local'>;
  /** Replaces the environment's base URL (ZATCA_BASE_URL). */
  baseUrl?: string;
  timeoutMs?: number;
  language?: 'en' | 'ar';
}

export class ZatcaClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly language: string;

  constructor(options: ZatcaClientOptions) {
    this.baseUrl = (options.baseUrl ?? ZATCA_BASE_URLS[options.environment]).replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.language = options.language ?? 'en';
  }

  /** POST /compliance: the CSR (base64 of its PEM) and the OTP from the Fatoora portal → compliance CSID. */
  async requestComplianceCsid(csrBase64: string, otp: string): Promise<ZatcaCsidResponse> {
    const { status, body } = await this.post('/compliance', { csr: csrBase64 }, { OTP: otp });
    if (status !== 200) throw refused('compliance CSID', status, body);
    return csidOf(body, 'compliance CSID');
  }

  /** POST /compliance/invoices: one sample document checked with the compliance CSID. */
  async checkCompliance(
    credentials: Credentials,
    submission: InvoiceSubmission,
  ): Promise<ZatcaInvoiceResult> {
    return this.invoiceCall('/compliance/invoices', credentials, submission, {});
  }

  /** POST /production/csids: the compliance request id, authenticated with the compliance CSID. */
  async requestProductionCsid(
    credentials: Credentials,
    complianceRequestId: string,
  ): Promise<ZatcaCsidResponse> {
    const { status, body } = await this.post(
      '/production/csids',
      { compliance_request_id: complianceRequestId },
      { Authorization: basicAuth(credentials) },
    );
    if (status !== 200) throw refused('production CSID', status, body);
    return csidOf(body, 'production CSID');
  }

  /** POST /invoices/reporting/single: a simplified invoice, within 24 hours of issuing it. */
  async reportInvoice(credentials: Credentials, submission: InvoiceSubmission): Promise<ZatcaInvoiceResult> {
    return this.invoiceCall('/invoices/reporting/single', credentials, submission, {});
  }

  /**
   * POST /invoices/clearance/single: a standard invoice; ZATCA answers with the stamped (cleared) XML.
   * `Clearance-Status: 1` says clearance is on (ZATCA answers 303 when it has switched clearance off).
   */
  async clearInvoice(credentials: Credentials, submission: InvoiceSubmission): Promise<ZatcaInvoiceResult> {
    return this.invoiceCall('/invoices/clearance/single', credentials, submission, {
      'Clearance-Status': '1',
    });
  }

  private async invoiceCall(
    path: string,
    credentials: Credentials,
    submission: InvoiceSubmission,
    headers: Record<string, string>,
  ): Promise<ZatcaInvoiceResult> {
    const { status, body } = await this.post(path, submission, {
      Authorization: basicAuth(credentials),
      ...headers,
    });
    // 200 accepted, 202 accepted with warnings, 400 rejected by validation: all three carry validationResults.
    if (status === 200 || status === 202 || (status === 400 && hasValidationResults(body))) {
      return { httpStatus: status, body: (body ?? {}) as ZatcaInvoiceResponse };
    }
    throw refused(path, status, body);
  }

  private async post(
    path: string,
    payload: object,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: unknown }> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          Accept: 'application/json',
          'Accept-Language': this.language,
          'Accept-Version': 'V2',
          'Content-Type': 'application/json',
          ...headers,
        },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new ZatcaApiError(`ZATCA unreachable: ${(error as Error).message}`, null, true);
    }
    const text = await response.text().catch(() => '');
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // Gateways answer HTML or plain text on some errors: keep it as text.
    }
    return { status: response.status, body };
  }
}

export function basicAuth(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.binarySecurityToken}:${credentials.secret}`).toString('base64')}`;
}

/** The certificate inside a binarySecurityToken: base64 DER (the token is base64 of that text). */
export function certificateFromToken(binarySecurityToken: string): string {
  return Buffer.from(binarySecurityToken, 'base64').toString('utf8').replace(/\s+/g, '');
}

export function tokenFromCertificate(certificateBase64: string): string {
  return Buffer.from(certificateBase64, 'utf8').toString('base64');
}

function hasValidationResults(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'validationResults' in body;
}

function csidOf(body: unknown, what: string): ZatcaCsidResponse {
  const csid = body as Partial<ZatcaCsidResponse> | null;
  if (!csid?.binarySecurityToken || !csid.secret || csid.requestID === undefined) {
    throw new ZatcaApiError(`ZATCA's ${what} answer has no token`, 200, false, body);
  }
  return csid as ZatcaCsidResponse;
}

/** ZATCA's own message, when it gave one: `{ code, message }`, `{ errors: [...] }` or validation results. */
export function zatcaErrorMessages(body: unknown): ZatcaMessage[] {
  if (!body || typeof body !== 'object')
    return typeof body === 'string' && body ? [{ message: body.slice(0, 500) }] : [];
  const b = body as {
    code?: string;
    message?: string;
    errors?: unknown;
    validationResults?: ZatcaValidationResults;
  };
  if (Array.isArray(b.errors)) {
    return b.errors.map((e) => (typeof e === 'string' ? { message: e } : (e as ZatcaMessage)));
  }
  if (b.validationResults) return asList(b.validationResults.errorMessages);
  if (b.message || b.code) return [{ code: b.code, message: b.message }];
  return [];
}

export function asList(messages: ZatcaMessage[] | ZatcaMessage | null | undefined): ZatcaMessage[] {
  if (!messages) return [];
  return Array.isArray(messages) ? messages : [messages];
}

function refused(what: string, status: number, body: unknown): ZatcaApiError {
  const isRetryable = status === 429 || status >= 500;
  const detail = zatcaErrorMessages(body)
    .map((m) => [m.code, m.message].filter(Boolean).join(': '))
    .join('; ');
  return new ZatcaApiError(
    `ZATCA answered ${status} to ${what}${detail ? ` (${detail})` : ''}`,
    status,
    isRetryable,
    body,
  );
}
