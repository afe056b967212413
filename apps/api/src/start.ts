import path from 'node:path';
import { type Database, DataDirInUseError, openDb } from '@invoiceflow/db';
import pino from 'pino';
import { buildApp } from './app';
import { type Config, loadConfig } from './config';
import { createContext } from './context';
import { loggerOptions, safeError } from './lib/logger';
import { defaultPdfThreads, startPdfThreads, stopPdfThreads } from './modules/pdf/render-pool';

export type Role = Config['ROLE'];

/**
 * Starts a process of the product: `api` serves HTTP and works the job queue (unless RUN_JOBS=false), `worker` only
 * works the queue. Both build the same application context (context.ts), so a job runs alike in either.
 */
export async function start(role?: Role): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env, role ? { ROLE: role } : {});
    checkRole(config);
  } catch (error) {
    // Names the variables and what is wrong with them (never their values): for the operator, as it is.
    console.error((error as Error).message);
    process.exit(1);
  }
  let database: Database;
  try {
    // DATA_DIR=memory:// runs on a throw-away in-memory database (demos, tests).
    const dataDir = config.DATA_DIR.startsWith('memory://') ? config.DATA_DIR : path.resolve(config.DATA_DIR);
    database = await openDb({
      databaseUrl: config.DATABASE_URL,
      dataDir,
      ...(config.PGLITE_SHARED_BUFFERS ? { pgliteSharedBuffers: config.PGLITE_SHARED_BUFFERS } : {}),
    });
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  await database.migrate();
  await startPdfThreads(config.PDF_THREADS ?? defaultPdfThreads());
  if (config.ROLE === 'worker') await startWorker(config, database);
  else await startApi(config, database);
}

/**
 * A worker is a second process on the application's database; PGlite is one process's database (its lock file
 * lets one in), so a worker on it could never start beside the API. Refused before anything is opened.
 */
function checkRole(config: Config): void {
  if (config.ROLE !== 'worker') return;
  if (!config.DATABASE_URL) {
    throw new Error(
      'Invalid configuration:\n  ROLE: a worker process needs DATABASE_URL (PostgreSQL). The embedded database ' +
        '(DATA_DIR) has one process, which serves and works the queue: run `npm start` alone.',
    );
  }
  if (!config.RUN_JOBS) {
    throw new Error(
      'Invalid configuration:\n  RUN_JOBS: a worker process works the queue; RUN_JOBS=false stops it.',
    );
  }
}

async function startApi(config: Config, database: Database): Promise<void> {
  const app = await buildApp({ config, database });
  onShutdown(async () => {
    app.log.info('shutting down');
    await app.close();
  }, database);
  // The queues exist before the first request can enqueue into them, whether or not this process works them.
  await app.ctx.jobs.start();
  await app.listen({ port: config.PORT, host: config.HOST });
  // Every API process also works the job queue unless told not to; pg-boss hands each job to one of them.
  if (config.RUN_JOBS) await app.ctx.jobs.work();
  app.log.info(`InvoiceFlow on http://localhost:${config.PORT} (${database.kind}); API docs at /api/docs`);
}

async function startWorker(config: Config, database: Database): Promise<void> {
  const log = pino(loggerOptions(config.LOG_LEVEL) as pino.LoggerOptions);
  const ctx = await createContext(config, database, { log });
  onShutdown(async () => {
    log.info('shutting down');
    await ctx.jobs.stop();
  }, database);
  await ctx.jobs.work();
  log.info(`InvoiceFlow worker on the job queue (${database.kind}); no HTTP port`);
}

function onShutdown(stop: () => Promise<void>, database: Database): void {
  let isClosing = false;
  const shutdown = async () => {
    if (isClosing) return;
    isClosing = true;
    await stop();
    await stopPdfThreads();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

/** The last word of a process that could not start: through the log serializer (SQL text, never its values). */
export function startFailed(error: unknown): never {
  console.error(
    JSON.stringify({ level: 60, time: Date.now(), err: safeError(error), msg: 'start-up failed' }),
  );
  process.exit(1);
}
