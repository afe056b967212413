import { type Database, type Db, sqlExecutor } from '@invoiceflow/db';
import PgBoss from 'pg-boss';
import { safeError } from '../lib/logger';

/**
 * Background jobs on pg-boss, in the application's own database (PGlite or PostgreSQL): no broker to run.
 * Jobs are enqueued inside the transaction of the change that needs them (`enqueue(tx, …)`), so they can neither be
 * lost (the change committed but the job was not written) nor run for a change that rolled back.
 */
export interface JobDefinition<T extends object = object> {
  name: string;
  /** Handles one job; throwing makes pg-boss retry it with backoff. */
  handle(data: T, job: { id: string; retryCount?: number }): Promise<void>;
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** A cron expression (UTC) to run the job on a schedule, e.g. '0 2 * * *'. */
  cron?: string;
  /**
   * Every this many seconds, while this process works the queue, a job is queued (one waiting at most, under the
   * job's name as key): for polling work finer than cron's minute, such as draining the mail outbox.
   */
  everySeconds?: number;
  /** Jobs fetched per poll and handled in parallel. */
  batchSize?: number;
  /**
   * pg-boss queue policy: 'short' keeps at most one waiting job per `key`, 'singleton' one active, 'stately' one of
   * each. A once-only guarantee for business effects (a reminder sent once) belongs in a unique row, not here.
   */
  policy?: 'standard' | 'short' | 'singleton' | 'stately';
  /**
   * An active job not completed within this many seconds is failed (and retried if it may be); pg-boss's
   * default, 15 minutes, is how long a job fetched by a process that then died stays active.
   */
  expireInSeconds?: number;
}

/** Where the queue reports errors: the app's logger, whose serializer keeps a failed query's values out. */
export interface JobLog {
  error(object: { err: unknown; [key: string]: unknown }, message: string): void;
  warn(object: { err: unknown; [key: string]: unknown }, message: string): void;
}

const consoleLog: JobLog = {
  error: (object, message) =>
    console.error(JSON.stringify({ ...object, err: safeError(object.err), msg: message })),
  warn: (object, message) =>
    console.warn(JSON.stringify({ ...object, err: safeError(object.err), msg: message })),
};

export class JobQueue {
  private readonly boss: PgBoss;
  private readonly definitions = new Map<string, JobDefinition>();
  private isStarted = false;
  private readonly timers: NodeJS.Timeout[] = [];

  private readonly log: JobLog;

  constructor(database: Database, options: { pollingIntervalSeconds?: number; log?: JobLog } = {}) {
    this.log = options.log ?? consoleLog;
    this.boss = new PgBoss({
      db: { executeSql: (text, values) => database.execute(text, values) },
      schedule: true,
      supervise: true,
      migrate: true,
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
    });
    this.boss.on('error', (error) => this.log.error({ err: error }, 'job queue error'));
  }

  define<T extends object>(definition: JobDefinition<T>): void {
    this.definitions.set(definition.name, definition as unknown as JobDefinition);
  }

  /** Creates the queues (and the pg-boss schema on first start). Call before enqueueing. */
  async start(): Promise<void> {
    if (this.isStarted) return;
    await this.boss.start();
    for (const definition of this.definitions.values()) {
      const options = {
        retryLimit: definition.retryLimit ?? 5,
        retryDelay: definition.retryDelaySeconds ?? 30,
        retryBackoff: true,
        policy: definition.policy ?? 'standard',
        ...(definition.expireInSeconds ? { expireInSeconds: definition.expireInSeconds } : {}),
      } as const;
      await this.boss.createQueue(definition.name, { name: definition.name, ...options });
      // createQueue leaves a queue that exists as it was: a changed definition must reach databases that have it.
      await this.boss.updateQueue(definition.name, { name: definition.name, ...options });
      if (definition.cron) await this.boss.schedule(definition.name, definition.cron, {}, { tz: 'UTC' });
    }
    this.isStarted = true;
  }

  /** Starts handling jobs in this process. API processes and dedicated workers both may call it. */
  async work(): Promise<void> {
    await this.start();
    for (const definition of this.definitions.values()) {
      await this.boss.work(definition.name, { batchSize: definition.batchSize ?? 1 }, async (jobs) => {
        for (const job of jobs) {
          try {
            await definition.handle(job.data as object, { id: job.id });
          } catch (error) {
            this.log.warn(
              { err: error, job: definition.name, jobId: job.id },
              'job failed; pg-boss retries it',
            );
            throw error;
          }
        }
      });
      if (definition.everySeconds) {
        const tick = () =>
          this.boss
            .send(definition.name, {}, { singletonKey: definition.name })
            .catch((error) =>
              this.log.error({ err: error, job: definition.name }, 'job queue: could not queue'),
            );
        const timer = setInterval(tick, definition.everySeconds * 1000);
        timer.unref();
        this.timers.push(timer);
      }
    }
  }

  /** Enqueues inside `db` (a transaction, usually). `key` makes the job unique while it waits (singletonKey). */
  async enqueue(
    db: Db,
    name: string,
    data: object,
    options: { key?: string; startAfter?: Date | number } = {},
  ): Promise<string | null> {
    if (!this.definitions.has(name)) throw new Error(`Unknown job ${name}`);
    return this.boss.send(name, data, {
      db: sqlExecutor(db),
      singletonKey: options.key,
      startAfter: options.startAfter,
    });
  }

  /** Runs every queued job of `name` now, in this process (tests and the CLI). Returns how many ran. */
  async drain(name: string): Promise<number> {
    const definition = this.definitions.get(name);
    if (!definition) throw new Error(`Unknown job ${name}`);
    let handled = 0;
    for (;;) {
      const jobs = await this.boss.fetch(name, { batchSize: 50 });
      if (!jobs || jobs.length === 0) return handled;
      for (const job of jobs) {
        try {
          await definition.handle(job.data as object, { id: job.id });
          await this.boss.complete(name, job.id);
        } catch (error) {
          await this.boss.fail(name, job.id, { message: String(error) });
        }
        handled++;
      }
    }
  }

  async stop(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    if (!this.isStarted) return;
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    this.isStarted = false;
  }
}
