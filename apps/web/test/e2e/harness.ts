import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

// End-to-end helpers: the product is started exactly as `npm start` starts it (the API process serving the
// built web app), on a free port and a fresh data directory, and driven through Debian's Chromium.

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const webRoot = path.join(repoRoot, 'apps/web');
const distIndex = path.join(webRoot, 'dist/index.html');
// The built server (`npm start`'s): the suite's global setup builds it, and so does `npm run bench`.
const apiMain = path.join(repoRoot, 'apps/api/dist/main.js');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const isCI = process.env.CI === 'true';

/**
 * Why the e2e suite cannot run here, or null when it can. On CI a missing prerequisite is a failure (the CI
 * script installs Chromium), so the caller turns the reason into an error instead of a skip.
 */
export function e2eUnavailableReason(): string | null {
  if (!existsSync(chromiumPath))
    return `Chromium not found at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (!existsSync(apiMain))
    return `the API entry point ${path.relative(repoRoot, apiMain)} does not exist yet`;
  return null;
}

export function skipOrFailWhenUnavailable(): boolean {
  const reason = e2eUnavailableReason();
  if (!reason) return false;
  if (isCI) throw new Error(`E2E prerequisites missing on CI: ${reason}`);
  console.warn(`\n⚠ Skipping web e2e tests: ${reason}.\n`);
  return true;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds apps/web/dist when it is missing or older than any source, so the test never runs a stale bundle. */
export function ensureWebBuilt(): void {
  const inputs = [path.join(webRoot, 'src'), path.join(webRoot, 'public')].filter(existsSync);
  const sourcesChanged = Math.max(
    ...inputs.map(newestMtime),
    statSync(path.join(webRoot, 'index.html')).mtimeMs,
    statSync(path.join(webRoot, 'vite.config.ts')).mtimeMs,
  );
  if (existsSync(distIndex) && statSync(distIndex).mtimeMs >= sourcesChanged) return;
  // NODE_ENV=production as `npm start` has it: under Vitest it is "test", and Vite would then bundle React's
  // development build (jsxDEV, owner stacks), several times slower than what users run.
  const result = spawnSync('npm', ['run', 'build', '-w', 'apps/web'], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error(`web build failed:\n${result.stdout}\n${result.stderr}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface RunningProduct {
  baseUrl: string;
  /** Everything the server printed, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

/**
 * `node apps/api/dist/main.js` (the built server) with PORT and a fresh DATA_DIR, ready once GET /ready says so.
 * E2E_BASE_URL instead points the suite at a product that is already running (a staging deployment, or a
 * `vite preview` in front of an API being debugged); it is then neither started nor stopped here.
 */
export async function startProduct({
  timeoutMs = 90_000,
  env = {},
}: {
  timeoutMs?: number;
  env?: Record<string, string>;
} = {}): Promise<RunningProduct> {
  const external = process.env.E2E_BASE_URL;
  if (external) return { baseUrl: external.replace(/\/$/, ''), logs: () => '', stop: async () => {} };
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'invoiceflow-e2e-'));
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, [apiMain], {
    cwd: repoRoot,
    // The scenarios sign up several people, as a multi-tenant service lets them.
    env: { ...process.env, ALLOW_REGISTRATION: 'true', ...env, PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const baseUrl = `http://127.0.0.1:${port}`;
  const logs = () => output.join('');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  while (Date.now() < deadline) {
    if (hasExited) {
      await stop();
      throw new Error(`the API exited before it was ready:\n${logs()}`);
    }
    try {
      const res = await fetch(`${baseUrl}/ready`);
      if (res.ok) return { baseUrl, logs, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`the API was not ready within ${timeoutMs} ms:\n${logs()}`);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** The product, a browser and one page of it: what each end-to-end file starts with. */
export interface BrowserSession {
  product: RunningProduct;
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

/**
 * Builds the web app if stale, starts the product (with `env` added to its environment), and opens a page in
 * English at this viewport.
 */
export async function openBrowserSession(
  viewport = { width: 1280, height: 860 },
  env: Record<string, string> = {},
): Promise<BrowserSession> {
  ensureWebBuilt();
  const session: Partial<BrowserSession> = {};
  try {
    session.product = await startProduct({ env });
    session.browser = await launchBrowser();
    session.context = await session.browser.newContext({ viewport, locale: 'en-US' });
    session.page = await session.context.newPage();
    return session as BrowserSession;
  } catch (error) {
    await closeBrowserSession(session);
    throw error;
  }
}

/** Closes what openBrowserSession opened (nothing of a start that never happened). */
export async function closeBrowserSession(session: Partial<BrowserSession>): Promise<void> {
  await session.context?.close();
  await session.browser?.close();
  await session.product?.stop();
}
