// Several API processes of one deployment on one PostgreSQL database (a load balancer's view of the product).
import { ApiProcess, deploymentSecrets } from './api-process';

export interface Cluster {
  processes: ApiProcess[];
  urls(): string[];
  crashes(): string[];
  stop(): Promise<void>;
}

/** Extra environment of every process in these scenarios: the floods are the point, not the flood guards. */
export const LOAD_ENV = {
  RATE_LIMIT_PER_MINUTE: '10000000',
  ISSUE_RATE_LIMIT_PER_MINUTE: '10000000',
};

export async function startCluster(
  databaseUrl: string,
  size: number,
  env: Record<string, string> = {},
): Promise<Cluster> {
  const secrets = deploymentSecrets();
  const processes = Array.from(
    { length: size },
    (_, index) =>
      new ApiProcess({
        name: `api-${index + 1}`,
        // One process works the job queue; pg-boss would share it among all, but one is what a deployment runs.
        env: {
          DATABASE_URL: databaseUrl,
          ...secrets,
          ...LOAD_ENV,
          RUN_JOBS: index === 0 ? 'true' : 'false',
          ...env,
        },
      }),
  );
  // The first applies the migrations; the others start together (they take the migration lock and find none).
  await processes[0]?.start();
  await Promise.all(processes.slice(1).map((process) => process.start()));
  return {
    processes,
    urls: () => processes.map((process) => process.url),
    crashes: () => processes.flatMap((process) => process.crashes),
    async stop() {
      await Promise.all(processes.map((process) => process.kill()));
    },
  };
}
