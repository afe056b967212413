import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PLAN_CODES } from './modules/plans/plans';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const csv = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  /** The embedded database's buffer pool (e.g. 32MB): less resident memory, more reads from the files. */
  PGLITE_SHARED_BUFFERS: z
    .string()
    .regex(/^\d{1,6}(kB|MB|GB)$/, 'a size such as 32MB')
    .optional(),
  /** Where people reach the web app; used in links sent by e-mail. Defaults to http://localhost:PORT. */
  PUBLIC_URL: z.string().url().optional(),
  /** HS256 key for access tokens; generated once and kept in the database when unset. */
  JWT_SECRET: z.string().min(32).optional(),
  /** 32-byte key (base64) for data encrypted at rest (TOTP secrets, EGS private keys). */
  DATA_KEY: z.string().optional(),
  CORS_ORIGINS: csv.default([]),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /**
   * How long a request may take to arrive, headers and body (a client that opens a request and trickles it, or
   * never finishes it, holds a connection and a socket until then): 408 and the connection is closed.
   */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** How long the request line and headers may take to arrive (at most REQUEST_TIMEOUT_MS). */
  HEADERS_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /**
   * How long an idle keep-alive connection stays open between requests: above the 60 s idle timeout of common load
   * balancers, so that they, not we, close it (a request sent on a connection we just closed fails).
   */
  KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().positive().default(72_000),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  WEB_DIST: z.string().default(path.join(repoRoot, 'apps/web/dist')),
  /** Requests per minute per client address, across the whole API (a coarse flood guard). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(6000),
  /** Calls per address and minute to routes that answer without a token (the live preview); none when signed in. */
  ANONYMOUS_PER_MINUTE: z.coerce.number().int().positive().default(300),
  /**
   * Invoices issued per minute per company and process: a guard against a runaway client, set above what a process
   * can issue (~50/s), so a till or a bulk run is never throttled (seed 000's 10/min would be).
   */
  ISSUE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(12000),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().positive().default(30),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  /**
   * A period report whose period holds more issued documents and payments than this is written as a file only by
   * a background run (POST /api/v1/reports/runs), with its progress: a year of a busy company takes seconds to sum.
   */
  REPORT_JOB_ROWS: z.coerce.number().int().positive().default(50_000),
  /**
   * Account mail anyone can ask for (password reset links), per recipient and per requesting address in the window;
   * requests beyond are dropped silently (the answer is the same, so it reveals nothing).
   */
  ACCOUNT_MAIL_MAX_PER_RECIPIENT: z.coerce.number().int().positive().default(3),
  ACCOUNT_MAIL_MAX_PER_ADDRESS: z.coerce.number().int().positive().default(20),
  ACCOUNT_MAIL_WINDOW_SECONDS: z.coerce.number().int().positive().default(3600),
  /**
   * What this process does: `api` serves HTTP (and works the queue unless RUN_JOBS=false); `worker` only works the
   * queue, with no HTTP port (`npm run worker`), for deployments that run them apart. A worker needs DATABASE_URL.
   */
  ROLE: z.enum(['api', 'worker']).default('api'),
  /** Whether this process works the background job queue (reminders, ZATCA submissions, e-mail). */
  RUN_JOBS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Overrides ZATCA's base URL for every environment (a proxy, or a fake ZATCA in tests). */
  ZATCA_BASE_URL: z.string().url().optional(),
  /** ZATCA reporting and clearance jobs: attempts before giving up, and the first retry delay (doubling). */
  ZATCA_RETRY_LIMIT: z.coerce.number().int().min(0).default(8),
  ZATCA_RETRY_DELAY_SECONDS: z.coerce.number().int().min(0).default(30),
  ZATCA_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** Chain verifications a company may start per hour (each reads and checks every signed document it has). */
  CHAIN_VERIFY_RUNS_PER_HOUR: z.coerce.number().int().positive().default(20),
  /**
   * GET /compliance/chain/verify answers in the request up to this many documents (and 64 MB of XML: about a
   * minute of checking); a longer chain is verified as a background run (202, followed at its Location).
   */
  CHAIN_VERIFY_SYNC_MAX_DOCUMENTS: z.coerce.number().int().min(0).default(10_000),
  /** Outgoing mail server, e.g. smtp://user:pass@host:587 (smtps:// for TLS on connect). Unset: mail waits in the outbox. */
  SMTP_URL: z.string().url().optional(),
  /** Sender of every mail, e.g. "InvoiceFlow <billing@example.com>". */
  MAIL_FROM: z.string().default('InvoiceFlow <no-reply@localhost>'),
  /** Attempts per mail before it is marked failed; retries back off exponentially from MAIL_RETRY_SECONDS. */
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
  MAIL_RETRY_SECONDS: z.coerce.number().int().min(1).default(30),
  /** How often the outbox is drained when SMTP_URL is set. */
  MAIL_POLL_SECONDS: z.coerce.number().int().min(1).default(5),
  MAIL_LEASE_SECONDS: z.coerce.number().int().min(1).default(120),
  MAIL_SENDS_PER_COMPANY_PER_DAY: z.coerce.number().int().positive().default(200),
  /** The customer-portal link in an invoice mail: single use, valid this many days. */
  PORTAL_LINK_DAYS: z.coerce.number().int().positive().max(90).default(14),
  /** Where the customer has no portal user, the link opens that invoice read-only for this many minutes. */
  PORTAL_VIEW_MINUTES: z.coerce.number().int().positive().max(1440).default(60),
  /** Threads that render invoice PDFs off the request thread (0: render in it). Default: cores − 1, 1 to 4. */
  PDF_THREADS: z.coerce.number().int().min(0).max(16).optional(),
  /** How long an Idempotency-Key is remembered: a retry within this many days gets the first answer. */
  IDEMPOTENCY_TTL_DAYS: z.coerce.number().int().min(1).default(7),
  /**
   * Webhook endpoints whose host resolves to a private, loopback or link-local address are refused (at creation
   * and at each delivery); `true` allows them, for an install whose receivers live on its own network.
   */
  WEBHOOKS_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** A delivery not answered within this time is an attempt failed (and retried). */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Attempts per delivery; retries back off exponentially from WEBHOOK_RETRY_SECONDS. */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  WEBHOOK_RETRY_SECONDS: z.coerce.number().int().min(1).default(30),
  WEBHOOK_POLL_SECONDS: z.coerce.number().int().min(1).default(5),
  /** A call to a transmission provider's time limit; retries back off from TRANSMISSION_RETRY_SECONDS. */
  TRANSMISSION_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  /** Submit attempts before a transmission fails (status reads of an acknowledged one go on, at most 6 h apart). */
  TRANSMISSION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  TRANSMISSION_RETRY_SECONDS: z.coerce.number().int().min(1).default(30),
  TRANSMISSION_POLL_SECONDS: z.coerce.number().int().min(1).default(5),
  /** How long a worker holds a transmission it works; a killed worker's row is taken again after it. */
  TRANSMISSION_LEASE_SECONDS: z.coerce.number().int().min(1).default(120),
  /** How often documents waiting at a provider with inbound by pull are fetched (0: never). */
  TRANSMISSION_PULL_SECONDS: z.coerce.number().int().min(0).default(300),
  /** The SML's DNS zone participants are looked up in (Peppol production; the test SML is acc.edelivery.tech.ec.europa.eu). */
  PEPPOL_SML_ZONE: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, 'a DNS zone')
    .default('edelivery.tech.ec.europa.eu'),
  /** A DNS server (host or host:port) for the SML queries; unset: the system's resolvers. */
  PEPPOL_DNS_SERVER: z.string().min(1).optional(),
  /**
   * Certificates (PEM, one or more) trusted to sign SMP answers: the Peppol SMP CA in production. Unset, the
   * participant lookup answers 503 PEPPOL_LOOKUP_NOT_CONFIGURED rather than trust an unsigned answer.
   */
  PEPPOL_SMP_TRUST_PEM: z.string().optional(),
  /** A DNS query or SMP call's time limit. */
  PEPPOL_LOOKUP_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  /** How long a lookup (the SML's answer and the SMP's) is kept; a participant not found is kept at most 60 s. */
  PEPPOL_LOOKUP_CACHE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** An SMP named by the SML at a private, loopback or link-local address is refused unless `true`. */
  PEPPOL_SMP_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Stripe's API (a local Stripe-shaped server in tests). */
  STRIPE_API_URL: z.string().url().default('https://api.stripe.com'),
  /** A call to an online payment gateway's time limit. */
  GATEWAY_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  /**
   * Whether anyone may sign up. The first account of an install always may (it runs the install); after it, `false`
   * (a self-hosted install) admits people only by invitation, `true` (a multi-tenant service) lets anyone register
   * a company, reviewed first when REQUIRE_COMPANY_APPROVAL is on.
   */
  ALLOW_REGISTRATION: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Multi-tenant deployments review new companies; a self-hosted install does not. */
  REQUIRE_COMPANY_APPROVAL: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * The plan a new company gets: `unlimited` for a self-hosted install, `free` for a multi-tenant deployment whose
   * administrators assign the others (modules/plans/plans.ts holds the limits).
   */
  DEFAULT_PLAN: z.enum(PLAN_CODES).default('unlimited'),
  /** Companies one account may create: each is a tenant with its own numbering, EGS units and storage. */
  MAX_COMPANIES_PER_USER: z.coerce.number().int().min(1).default(20),
  /**
   * Where uploaded files (expense receipts) are kept: `database` (the stored_files table: backed up with the rest,
   * shared by every process), `directory` (files under DATA_DIR/files) or `s3` (an S3-compatible bucket: AWS S3,
   * MinIO, Ceph, R2…, configured by the S3_* settings below). One interface: modules/files/storage.ts.
   */
  FILE_STORAGE: z.enum(['database', 'directory', 's3']).default('database'),
  /** The S3 API's base URL, e.g. http://127.0.0.1:9000 for MinIO; unset: AWS's endpoint for S3_REGION. */
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string().min(1).optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  /** Never logged, never in an error body. */
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** `/{bucket}/{key}` URLs instead of `{bucket}.host/{key}` (MinIO and most self-hosted stores need it). */
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** The largest receipt accepted, in bytes (a phone photo of a receipt is 1–5 MB). */
  RECEIPT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  /** The largest company document accepted (trade licence, VAT certificate: a scan or a PDF), in bytes. */
  COMPANY_DOCUMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  /** The largest import file accepted, in bytes (100,000 customers as CSV are about 15 MB). */
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(64 * 1024 * 1024),
  /**
   * The largest supplier invoice XML accepted, in bytes (a UBL invoice with an embedded PDF is a few MB; the reader
   * refuses anything larger before parsing it).
   */
  SUPPLIER_INVOICE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(20 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  /** The most data rows one import file may hold. */
  IMPORT_MAX_ROWS: z.coerce.number().int().min(10).max(1_000_000).default(200_000),
  /** Verification mails one account may ask for per hour (the registration mail counts). */
  VERIFICATION_MAILS_PER_HOUR: z.coerce.number().int().min(1).default(5),
});

export type Config = z.infer<typeof envSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = envSchema
    .superRefine((config, issues) => {
      if (config.FILE_STORAGE !== 's3') return;
      for (const key of ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const)
        if (!config[key])
          issues.addIssue({ code: 'custom', path: [key], message: 'Required with FILE_STORAGE=s3' });
    })
    .safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, ...overrides };
}
