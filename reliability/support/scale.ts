// How big a run is. `npm run reliability` sets RELIABILITY_SCALE=full (the counts); inside `npm test` the
// default is the CI scale: the same checks on smaller counts, so the whole reliability part stays a few minutes.
export type Scale = 'ci' | 'full';

export const SCALE: Scale = process.env.RELIABILITY_SCALE === 'full' ? 'full' : 'ci';

export interface Counts {
  /** API processes sharing one PostgreSQL. */
  processes: number;
  /** Concurrent HTTP clients. */
  clients: number;
  /** Invoices issued by the load (each run of it). */
  invoices: number;
  /** SIGKILLs of an API process during the killed-process load. */
  kills: number;
  /** Invoices and SIGKILLs of the embedded-database (PGlite) kill test. */
  embeddedInvoices: number;
  embeddedKills: number;
  /** Malformed requests sent by the hostile-input barrage. */
  hostileRequests: number;
  /** XML files checked with a literal `validate.sh --pih <predecessor hash>` call each (one JVM per call). */
  literalPihChecks: number;
}

const COUNTS: Record<Scale, Counts> = {
  ci: {
    processes: 2,
    clients: 16,
    invoices: 200,
    kills: 2,
    embeddedInvoices: 60,
    embeddedKills: 2,
    hostileRequests: 1_000,
    literalPihChecks: 2,
  },
  full: {
    processes: 4,
    clients: 50,
    invoices: 2_000,
    kills: 6,
    embeddedInvoices: 300,
    embeddedKills: 5,
    hostileRequests: 10_000,
    literalPihChecks: 12,
  },
};

export const counts: Counts = COUNTS[SCALE];

/** PostgreSQL for the multi-process parts: TEST_DATABASE_URL (CI), or RELIABILITY_DATABASE_URL for full runs. */
export function postgresUrl(): string | undefined {
  return process.env.RELIABILITY_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
}
