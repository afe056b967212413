// The product as `npm start` runs it (the built server, apps/api/dist/main.js, with the start script's node flags),
// in a child process the suite can SIGKILL and start again on the same port. The suites' global setup builds it
// (apps/api/test/build-server.ts); a bench run on its own builds it when it is missing.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { buildApi } from '../../apps/api/scripts/build.mjs';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Keys every process of one deployment shares (tokens signed by one are accepted by all). */
export function deploymentSecrets() {
  return { DATA_KEY: randomBytes(32).toString('base64'), JWT_SECRET: randomBytes(32).toString('hex') };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/**
 * The node flags of `npm start` (the API process's memory budget: young and old generation sizes), read from the
 * root package.json so the suites and benches run the product with exactly what `npm start` gives it.
 */
export function startNodeFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const match = /\bnode ((?:--[\w-]+(?:=\S+)? )*)apps\/api\/dist\/main\.js/.exec(scripts.start ?? '');
  if (!match)
    throw new Error(`package.json "start" does not run node … apps/api/dist/main.js: ${scripts.start}`);
  return (match[1] ?? '').split(' ').filter(Boolean);
}

/** The built server's entry (`npm start`'s), built first when it is missing. */
export async function builtServer(): Promise<string> {
  const main = path.join(repoRoot, 'apps/api/dist/main.js');
  if (!existsSync(main)) await buildApi();
  return main;
}

export interface ApiProcessOptions {
  name: string;
  env: Record<string, string>;
  /** Extra node flags after `npm start`'s own (e.g. --cpu-prof; a later V8 flag overrides an earlier one). */
  nodeArgs?: string[];
}

const TAIL = 64 * 1024;

export class ApiProcess {
  readonly name: string;
  port = 0;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private isStopping = false;
  private log = '';
  /** Exits this suite did not cause (a crash): each fails the test that owns the process. */
  readonly crashes: string[] = [];
  starts = 0;

  constructor(private readonly options: ApiProcessOptions) {
    this.name = options.name;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get isRunning(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  output(): string {
    return this.log;
  }

  /** Starts (or restarts, on the same port) and resolves once /ready answers 200. */
  async start(timeoutMs = 120_000): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    this.isStopping = false;
    this.starts++;
    const main = await builtServer();
    const child = spawn(process.execPath, [...startNodeFlags(), ...(this.options.nodeArgs ?? []), main], {
      cwd: repoRoot,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        WEB_DIST: '/nonexistent',
        // The suites sign up many people and companies, as a multi-tenant service lets them.
        ALLOW_REGISTRATION: 'true',
        ...this.options.env,
        PORT: String(this.port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const append = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString('utf8')).slice(-TAIL);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        if (!this.isStopping) this.crashes.push(`${this.name} exited (code ${code}, signal ${signal})`);
        resolve();
      }),
    );
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.isRunning) throw new Error(`${this.name} exited while starting:\n${this.log}`);
      try {
        const response = await fetch(`${this.url}/ready`, { signal: AbortSignal.timeout(2_000) });
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`${this.name} did not become ready in ${timeoutMs} ms:\n${this.log}`);
  }

  /** SIGKILL: no shutdown hook runs, open transactions die with the connection. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.child) return;
    this.isStopping = true;
    if (this.isRunning) this.child.kill(signal);
    await this.exited;
  }

  /** Graceful stop (SIGTERM), as an orchestrator would. */
  async stop(): Promise<void> {
    await this.kill('SIGTERM');
  }

  /** Peak resident set size of the process so far (VmHWM), and the current one (VmRSS), in bytes. */
  memory(): { rss: number; peakRss: number } | undefined {
    return this.child?.pid ? processMemory(this.child.pid) : undefined;
  }
}

export function processMemory(pid: number): { rss: number; peakRss: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), peakRss: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
