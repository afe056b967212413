import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const children: ChildProcess[] = [];

/** Starts the product as `npm start` does (same entry point), on the embedded database in `dataDir`. */
function startServer(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'info',
      WEB_DIST: '/nonexistent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearInterval(timer);
        resolve(match[1]);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`exited with ${code}: ${output}`));
    });
  });
  listening.catch(() => undefined); // awaited only by callers that expect the server to come up
  return { child, listening, exited, output: () => output };
}

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

describe('the embedded database has one owner', () => {
  it('refuses a second process on the same DATA_DIR with a clear message, and recovers after a kill', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'invoiceflow-lock-'));
    try {
      const first = startServer(dataDir);
      const url = await first.listening;
      expect((await fetch(`${url}/ready`)).status).toBe(200);

      const second = startServer(dataDir);
      expect(await second.exited).toBe(1);
      expect(second.output()).toContain(
        `The data directory ${dataDir} is in use by process ${first.child.pid}`,
      );
      // The first one is unharmed.
      expect((await fetch(`${url}/ready`)).status).toBe(200);

      // A killed owner leaves a stale lock that the next start takes over.
      first.child.kill('SIGKILL');
      await first.exited;
      const third = startServer(dataDir);
      const thirdUrl = await third.listening;
      expect((await fetch(`${thirdUrl}/ready`)).status).toBe(200);
      third.child.kill('SIGTERM');
      expect(await third.exited).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
