import path from 'node:path';
import { DataDirInUseError, openDb } from '@invoiceflow/db';
import { buildApp } from './app';
import { loadConfig } from './config';
import { safeError } from './lib/logger';
import { defaultPdfThreads, startPdfThreads, stopPdfThreads } from './modules/pdf/render-pool';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    // Names the variables and what is wrong with them (never their values): for the operator, as it is.
    console.error((error as Error).message);
    process.exit(1);
  }
  let database: Awaited<ReturnType<typeof openDb>>;
  try {
    // DATA_DIR=memory:// runs on a throw-away in-memory database (demos, tests).
    const dataDir = config.DATA_DIR.startsWith('memory://') ? config.DATA_DIR : path.resolve(config.DATA_DIR);
    database = await openDb({ databaseUrl: config.DATABASE_URL, dataDir });
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  await database.migrate();
  await startPdfThreads(config.PDF_THREADS ?? defaultPdfThreads());
  const app = await buildApp({ config, database });

  let isClosing = false;
  const shutdown = async (signal: string) => {
    if (isClosing) return;
    isClosing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await stopPdfThreads();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  // The queues exist before the first request can enqueue into them, whether or not this process works them.
  await app.ctx.jobs.start();
  await app.listen({ port: config.PORT, host: config.HOST });
  // Every API process also works the job queue unless told not to; pg-boss hands each job to one of them.
  if (config.RUN_JOBS) await app.ctx.jobs.work();
  app.log.info(`InvoiceFlow on http://localhost:${config.PORT} (${database.kind}); API docs at /api/docs`);
}

main().catch((error) => {
  // Through the log serializer: a migration or start-up query that fails names its SQL, never its values.
  console.error(
    JSON.stringify({ level: 60, time: Date.now(), err: safeError(error), msg: 'start-up failed' }),
  );
  process.exit(1);
});
