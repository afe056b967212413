import type { Database, Db } from '@invoiceflow/db';
import type { Config } from './config';
import type { JobQueue } from './jobs/queue';
import type { Secrets } from './lib/secrets';

/** What services need from the running application: the database, configuration and keys. */
export interface AppContext {
  database: Database;
  db: Db;
  config: Config;
  secrets: Secrets;
  /** Background jobs; modules define theirs at start-up and enqueue inside their transactions. */
  jobs: JobQueue;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}
