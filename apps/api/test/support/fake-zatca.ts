// A fake ZATCA e-invoicing API on 127.0.0.1 for tests, following the documented request and response shapes:
// POST /compliance (OTP + CSR → compliance CSID), /compliance/invoices, /production/csids,
// /invoices/reporting/single and /invoices/clearance/single (Basic auth binarySecurityToken:secret,
// Accept-Version: V2). It checks the headers and the body, recomputes the invoice hash of the XML it receives, and
// can be told what to answer next (503 then 200, 400 with errorMessages, …). Certificates come from a test CA.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  computeInvoiceHash,
  generateEgsKeyPair,
  issueTestCertificateForCsr,
  verifyInvoiceSignature,
} from '@invoiceflow/zatca';

export interface FakeRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown> | null;
}

export interface ScriptedAnswer {
  status: number;
  body?: unknown;
}

interface Csid {
  kind: 'compliance' | 'production';
  requestId: string;
  token: string;
  secret: string;
  certificateBase64: string;
  csrPem: string;
}

export interface FakeZatca {
  /** Base URL to use as ZATCA_BASE_URL. */
  url: string;
  requests: FakeRequest[];
  /** The OTP /compliance accepts. */
  otp: string;
  /** Answers the next calls to `path` (e.g. '/invoices/reporting/single') with these, in order. */
  script(path: string, ...answers: ScriptedAnswer[]): void;
  /** Requests made to a path. */
  calls(path: string): FakeRequest[];
  close(): Promise<void>;
}

const PREFIX = '/e-invoicing/simulation';

const PASS_INFO = [
  {
    type: 'INFO',
    code: 'XSD_ZATCA_VALID',
    category: 'XSD validation',
    message: 'Complied with UBL 2.1 standards in line with ZATCA specifications',
    status: 'PASS',
  },
];

/** ZATCA's 400 answer to an invoice it rejects, with its validation errors. */
export function rejection(
  kind: 'reporting' | 'clearance',
  ...errors: { code: string; message: string }[]
): ScriptedAnswer {
  return {
    status: 400,
    body: {
      validationResults: {
        infoMessages: [],
        warningMessages: [],
        errorMessages: errors.map((e) => ({ type: 'ERROR', category: 'KSA', status: 'ERROR', ...e })),
        status: 'ERROR',
      },
      ...(kind === 'reporting'
        ? { reportingStatus: 'NOT_REPORTED' }
        : { clearanceStatus: 'NOT_CLEARED', clearedInvoice: null }),
    },
  };
}

export async function startFakeZatca(options: { otp?: string } = {}): Promise<FakeZatca> {
  const otp = options.otp ?? '123456';
  const ca = generateEgsKeyPair();
  const requests: FakeRequest[] = [];
  const scripted = new Map<string, ScriptedAnswer[]>();
  const csids = new Map<string, Csid>();

  function issueCsid(kind: Csid['kind'], csrPem: string): Csid {
    const pem = issueTestCertificateForCsr(csrPem, ca.privateKeyPem, {
      issuerName: `FAKE ZATCA ${kind.toUpperCase()} CA - NOT ZATCA`,
    });
    const certificateBase64 = pem.replace(/-----(BEGIN|END)[^-]+-----|\s+/g, '');
    const csid: Csid = {
      kind,
      // A 13-digit number, as ZATCA's requestID (JSON number: stays within 2^53).
      requestId: String(1_000_000_000_000 + randomBytes(5).readUIntBE(0, 5)),
      token: Buffer.from(certificateBase64, 'utf8').toString('base64'),
      secret: randomBytes(24).toString('base64'),
      certificateBase64,
      csrPem,
    };
    csids.set(csid.token, csid);
    return csid;
  }

  function authenticated(request: IncomingMessage, kind: Csid['kind']): Csid | undefined {
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('Basic ')) return undefined;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const at = decoded.indexOf(':');
    const csid = csids.get(decoded.slice(0, at));
    return csid && csid.kind === kind && csid.secret === decoded.slice(at + 1) ? csid : undefined;
  }

  /** Checks an invoice submission like ZATCA: hash of the XML, UUID, signature; the document's subtype. */
  function checkInvoice(
    body: Record<string, unknown> | null,
    expected: 'standard' | 'simplified' | 'any',
  ): { errors: { code: string; message: string }[]; xml: string; subtype: 'standard' | 'simplified' } {
    const errors: { code: string; message: string }[] = [];
    const xml = Buffer.from(String(body?.invoice ?? ''), 'base64').toString('utf8');
    const subtype = /<cbc:InvoiceTypeCode name="02/.test(xml) ? 'simplified' : 'standard';
    if (!xml.includes('<Invoice')) {
      errors.push({
        code: 'XSD_SCHEMA_ERROR',
        message: 'invoice is not a UBL Invoice (base64 XML expected)',
      });
      return { errors, xml, subtype };
    }
    let hash = '';
    try {
      hash = computeInvoiceHash(xml);
    } catch (error) {
      errors.push({ code: 'XSD_SCHEMA_ERROR', message: String(error) });
    }
    if (hash !== body?.invoiceHash) {
      errors.push({
        code: 'invoiceHash_QRCODE_INVOICE_HASH_ERROR',
        message: 'The invoiceHash does not match the XML',
      });
    }
    const uuid = /<cbc:UUID>([^<]*)<\/cbc:UUID>/.exec(xml)?.[1];
    if (uuid !== body?.uuid)
      errors.push({ code: 'invalid-uuid', message: 'The uuid does not match the XML' });
    const signature = verifyInvoiceSignature(xml);
    if (!signature.valid) errors.push({ code: 'signature', message: signature.reason });
    if (expected !== 'any' && subtype !== expected) {
      errors.push({
        code: 'invalid-invoice-type',
        message:
          expected === 'simplified'
            ? 'XML Submitted using reporting API is not a simplified document'
            : 'Only standard documents are cleared',
      });
    }
    return { errors, xml, subtype };
  }

  function invoiceAnswer(
    errors: { code: string; message: string }[],
    subtype: 'standard' | 'simplified',
    xml: string,
  ): ScriptedAnswer {
    const kind = subtype === 'standard' ? 'clearance' : 'reporting';
    if (errors.length > 0) return rejection(kind, ...errors);
    const validationResults = {
      infoMessages: PASS_INFO,
      warningMessages: [],
      errorMessages: [],
      status: 'PASS',
    };
    return {
      status: 200,
      body:
        kind === 'clearance'
          ? {
              validationResults,
              clearanceStatus: 'CLEARED',
              clearedInvoice: Buffer.from(xml, 'utf8').toString('base64'),
            }
          : { validationResults, reportingStatus: 'REPORTED' },
    };
  }

  function handle(
    path: string,
    request: IncomingMessage,
    body: Record<string, unknown> | null,
  ): ScriptedAnswer {
    if (request.headers['accept-version'] !== 'V2')
      return { status: 400, body: { message: 'Accept-Version V2 required' } };
    if (!String(request.headers['content-type']).startsWith('application/json')) return { status: 415 };
    switch (path) {
      case '/compliance': {
        if (request.headers.otp !== otp) {
          return {
            status: 400,
            body: { errors: [{ code: 'Invalid-OTP', message: 'The provided OTP is invalid' }] },
          };
        }
        const csrPem = Buffer.from(String(body?.csr ?? ''), 'base64').toString('utf8');
        let csid: Csid;
        try {
          csid = issueCsid('compliance', csrPem);
        } catch {
          return {
            status: 400,
            body: { errors: [{ code: 'Invalid-CSR', message: 'The provided CSR is invalid' }] },
          };
        }
        return {
          status: 200,
          body: {
            requestID: Number(csid.requestId),
            dispositionMessage: 'ISSUED',
            binarySecurityToken: csid.token,
            secret: csid.secret,
            errors: null,
          },
        };
      }
      case '/compliance/invoices': {
        if (!authenticated(request, 'compliance')) return { status: 401 };
        const { errors, xml, subtype } = checkInvoice(body, 'any');
        return invoiceAnswer(errors, subtype, xml);
      }
      case '/production/csids': {
        const compliance = authenticated(request, 'compliance');
        if (!compliance) return { status: 401 };
        if (String(body?.compliance_request_id) !== compliance.requestId) {
          return {
            status: 400,
            body: { code: 'Invalid-Request-ID', message: 'compliance_request_id is wrong' },
          };
        }
        const csid = issueCsid('production', compliance.csrPem);
        return {
          status: 200,
          body: {
            requestID: Number(csid.requestId),
            tokenType:
              'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3',
            dispositionMessage: 'ISSUED',
            binarySecurityToken: csid.token,
            secret: csid.secret,
          },
        };
      }
      case '/invoices/reporting/single': {
        if (!authenticated(request, 'production')) return { status: 401 };
        const { errors, xml, subtype } = checkInvoice(body, 'simplified');
        return invoiceAnswer(errors, subtype, xml);
      }
      case '/invoices/clearance/single': {
        if (!authenticated(request, 'production')) return { status: 401 };
        if (request.headers['clearance-status'] !== '1') {
          return {
            status: 303,
            body: {
              message:
                'Clearance is deactivated. Please use the /invoices/reporting/single endpoint instead.',
            },
          };
        }
        const { errors, xml, subtype } = checkInvoice(body, 'standard');
        return invoiceAnswer(errors, subtype, xml);
      }
      default:
        return { status: 404, body: { message: 'Not found' } };
    }
  }

  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = (request.url ?? '').split('?')[0]?.replace(PREFIX, '') ?? '';
      let body: Record<string, unknown> | null = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        body = null;
      }
      requests.push({ path, headers: request.headers, body });
      const queue = scripted.get(path);
      const answer =
        request.method !== 'POST' ? { status: 405 } : (queue?.shift() ?? handle(path, request, body));
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${PREFIX}`,
    requests,
    otp,
    script(path, ...answers) {
      scripted.set(path, [...(scripted.get(path) ?? []), ...answers]);
    },
    calls: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
