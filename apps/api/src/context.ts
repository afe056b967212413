import type { Database, Db } from '@invoiceflow/db';
import type { Config } from './config';
import { type JobDefinition, type JobLog, JobQueue } from './jobs/queue';
import { loadSecrets, type Secrets } from './lib/secrets';
import { einvoiceIssueExtension } from './modules/einvoice/issue';
import { idempotencyJobs } from './modules/idempotency/jobs';
import { importJobs } from './modules/imports/service';
import { sealIssueExtension } from './modules/integrity/seal';
import { mailJobs } from './modules/mail/service';
import { reminderJobs } from './modules/payments/reminders';
import { pdfIssueExtension } from './modules/pdf/service';
import { quoteJobs } from './modules/quotes/service';
import { recurringJobs } from './modules/recurring/service';
import { reportJobs } from './modules/reports/runs';
import { transmissionJobs } from './modules/transmission/outbox';
import { webhookJobs } from './modules/webhooks/delivery';
import { zatcaIssueExtension } from './modules/zatca/issue';
import { zatcaJobs } from './modules/zatca/submission';

/** What services need from the running application: the database, configuration and keys. */
export interface AppContext {
  database: Database;
  db: Db;
  config: Config;
  secrets: Secrets;
  /** Background jobs; every module's are defined when the context is made, and enqueued inside transactions. */
  jobs: JobQueue;
}

/** Where the context reports: the HTTP server's logger in an API process, a plain pino logger in a worker. */
export interface ContextLog extends JobLog {
  warn(object: object | string, message?: string): void;
}

/**
 * The application without HTTP: database, configuration, keys, the issue extensions and every module's jobs. An API
 * process (app.ts) serves HTTP around it; a worker process (start.ts, ROLE=worker) only works its queue.
 */
export async function createContext(
  config: Config,
  database: Database,
  options: { log?: ContextLog } = {},
): Promise<AppContext> {
  const secrets = await loadSecrets(database.db, config);
  if (secrets.isDataKeyStoredInDb && options.log) {
    options.log.warn('DATA_KEY is not set: the key that encrypts secrets at rest is kept in the database');
  }
  const ctx: AppContext = {
    database,
    db: database.db,
    config,
    secrets,
    jobs: new JobQueue(database, options.log ? { log: options.log } : {}),
  };
  // ZATCA: its rules before the number, signed XML, QR and the EGS chain inside every issuing transaction.
  // PINT AE / Peppol BIS 3: their rules before the number, the XML on its company chain (modules/einvoice).
  // The PDF: rendered and stored once the issue committed, whoever issued (API, worker, a sale, an import).
  // The e-invoice (PINT AE, Peppol BIS 3) before the seal (UAE), which hashes the XML the e-invoice extensions stored.
  ctx.issueExtensions = [
    zatcaIssueExtension(ctx),
    einvoiceIssueExtension(ctx),
    sealIssueExtension(ctx),
    pdfIssueExtension(ctx),
  ];
  for (const definition of applicationJobs(ctx)) ctx.jobs.define(definition);
  return ctx;
}

/** Every module's background jobs, in one list: what a process that works the queue handles. */
export function applicationJobs(ctx: AppContext): JobDefinition[] {
  return [
    ...mailJobs(ctx),
    ...reminderJobs(ctx),
    ...zatcaJobs(ctx),
    ...idempotencyJobs(ctx),
    ...recurringJobs(ctx),
    ...quoteJobs(ctx),
    ...webhookJobs(ctx),
    ...transmissionJobs(ctx),
    ...importJobs(ctx),
    ...reportJobs(ctx),
  ];
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}
