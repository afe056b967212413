import type { Database, Db } from '@invoiceflow/db';
import type { Config } from './config';
import type { Secrets } from './lib/secrets';

/** What services need from the running application: the database, configuration and keys. */
export interface AppContext {
  database: Database;
  db: Db;
  config: Config;
  secrets: Secrets;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}
