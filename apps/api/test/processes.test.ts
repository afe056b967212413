import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it } from 'vitest';
import { as, register, simplifiedInvoice } from '../../../reliability/support/client';
import { createScratchDatabase } from '../../../reliability/support/postgres';
import { BE_COMPANY, DE_PEPPOL_BUYER, OAK_TABLE_LINE } from './support/companies';
import { startFakeAccessPoint } from './support/fake-phoss-ap';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const children: ChildProcess[] = [];

// No clock bound on these tests (timeout 0): every wait is on something the process does (it listens, it exits, a
// mail arrives), and a process starting slowly on a loaded machine is not a failure. How fast it starts is a bench.
const UNBOUNDED = 0;

/**
 * Starts the product as `npm start` does (the built server, apps/api/dist: the suite's global setup builds it), or
 * as `npm run worker` does with `entry: 'worker'`. Resolves `ready` at the line saying it serves or works.
 */
function startProcess(env: Record<string, string>, entry: 'main' | 'worker' = 'main') {
  const child = spawn(process.execPath, [path.join(repoRoot, `apps/api/dist/${entry}.js`)], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '0',
      DATABASE_URL: '',
      LOG_LEVEL: 'info',
      WEB_DIST: '/nonexistent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  let onOutput = () => {};
  child.stdout?.on('data', (chunk) => {
    output += chunk;
    onOutput();
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
    onOutput();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output);
        if (match) resolve(match);
      };
      const previous = onOutput;
      onOutput = () => {
        previous();
        check();
      };
      check();
      void exited.then((code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
  const listening = waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/).then(
    (match) => match[1] as string,
  );
  listening.catch(() => undefined); // awaited only by callers that expect the server to come up
  const working = waitFor(/InvoiceFlow worker on the job queue/);
  working.catch(() => undefined);
  return { child, listening, working, exited, output: () => output };
}

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

describe('the embedded database has one owner', () => {
  it(
    'refuses a second process on the same DATA_DIR with a clear message, and recovers after a kill',
    async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'invoiceflow-lock-'));
      try {
        const first = startProcess({ DATA_DIR: dataDir });
        const url = await first.listening;
        expect((await fetch(`${url}/ready`)).status).toBe(200);

        const second = startProcess({ DATA_DIR: dataDir });
        expect(await second.exited).toBe(1);
        expect(second.output()).toContain(
          `The data directory ${dataDir} is in use by process ${first.child.pid}`,
        );
        // The first one is unharmed.
        expect((await fetch(`${url}/ready`)).status).toBe(200);

        // A killed owner leaves a stale lock that the next start takes over.
        first.child.kill('SIGKILL');
        await first.exited;
        const third = startProcess({ DATA_DIR: dataDir });
        const thirdUrl = await third.listening;
        expect((await fetch(`${thirdUrl}/ready`)).status).toBe(200);
        third.child.kill('SIGTERM');
        expect(await third.exited).toBe(0);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    UNBOUNDED,
  );

  it(
    'refuses a worker process: the embedded database has one process, which serves and works the queue',
    async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'invoiceflow-worker-'));
      try {
        for (const started of [
          startProcess({ DATA_DIR: dataDir }, 'worker'),
          startProcess({ DATA_DIR: dataDir, ROLE: 'worker' }),
        ]) {
          expect(await started.exited).toBe(1);
          expect(started.output()).toContain('a worker process needs DATABASE_URL (PostgreSQL)');
        }
        // Refused before the database was opened: the data directory is free for the API process.
        const api = startProcess({ DATA_DIR: dataDir });
        expect((await fetch(`${await api.listening}/ready`)).status).toBe(200);
        api.child.kill('SIGTERM');
        expect(await api.exited).toBe(0);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    UNBOUNDED,
  );
});

describe('the built server', () => {
  it(
    'migrates its database and renders an issued invoice as PDF/A-3 on its render threads: fonts, ICC profile, XML',
    async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'invoiceflow-built-'));
      try {
        const api = startProcess({ DATA_DIR: dataDir, PDF_THREADS: '1' });
        const url = await api.listening;
        const owner = await register(url);
        const issued = await as(url, owner)('POST', '/api/v1/invoices/generate', simplifiedInvoice(1), {
          'idempotency-key': 'built-server-pdf',
        });
        expect(issued.status).toBe(201);
        const response = await fetch(`${url}/api/v1/invoices/${issued.json().id}/pdf`, {
          headers: { authorization: `Bearer ${owner.accessToken}`, 'x-company-id': owner.companyId },
        });
        expect(response.status).toBe(200);
        const pdf = Buffer.from(await response.arrayBuffer()).toString('latin1');
        expect(pdf.startsWith('%PDF-')).toBe(true);
        expect(pdf).toContain('NotoSansArabic-Regular');
        expect(pdf).toContain('/OutputIntents');
        expect(pdf).toContain('/EmbeddedFiles');
        api.child.kill('SIGTERM');
        expect(await api.exited).toBe(0);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    UNBOUNDED,
  );
});

/** An SMTP server on the loopback interface; `next()` resolves with the next mail's recipients. */
async function startSmtpServer() {
  const received: string[][] = [];
  let notify = () => {};
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => {
        received.push(session.envelope.rcptTo.map((r) => r.address));
        notify();
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return {
    received,
    url: `smtp://127.0.0.1:${port}`,
    arrival: () => new Promise<void>((resolve) => (notify = resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const adminUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!adminUrl)('a worker process beside API processes (PostgreSQL)', () => {
  it(
    'sends the mail an API process with RUN_JOBS=false queued, and serves no HTTP',
    async () => {
      const database = await createScratchDatabase(adminUrl as string, 'invoiceflow_worker');
      const smtp = await startSmtpServer();
      try {
        const shared = {
          DATABASE_URL: database.url,
          SMTP_URL: smtp.url,
          MAIL_POLL_SECONDS: '1',
          JWT_SECRET: 'a'.repeat(32),
          DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
        };
        const api = startProcess({ ...shared, RUN_JOBS: 'false' });
        const url = await api.listening;
        // Registering writes the verification mail to the outbox, in the registration's transaction.
        const owner = await register(url);
        const outboxStatus = async () =>
          (
            await database.pool.query<{ status: string }>(
              'SELECT status FROM mail_outbox WHERE to_address = $1',
              [owner.email],
            )
          ).rows[0]?.status;
        expect(await outboxStatus()).toBe('pending');

        const arrived = smtp.arrival();
        const worker = startProcess({ ...shared }, 'worker');
        await worker.working;
        await arrived;
        expect(smtp.received).toEqual([[owner.email]]);
        // The mail is marked sent once the SMTP server has acknowledged it, just after it arrived.
        while ((await outboxStatus()) === 'pending') await new Promise((resolve) => setTimeout(resolve, 50));
        expect(await outboxStatus()).toBe('sent');
        // The worker listens on no port: it never logs a listening server, and the API still answers.
        expect(worker.output()).not.toContain('Server listening');
        expect((await fetch(`${url}/ready`)).status).toBe(200);

        for (const process of [worker, api]) {
          process.child.kill('SIGTERM');
          expect(await process.exited).toBe(0);
        }
      } finally {
        await smtp.close();
        await database.drop();
      }
    },
    UNBOUNDED,
  );
});

describe.skipIf(!adminUrl)('a worker killed while its provider holds the document (PostgreSQL)', () => {
  it(
    'kill -9 between "submitted" and "acknowledged", then a new worker: the access point received it once',
    async () => {
      const database = await createScratchDatabase(adminUrl as string, 'invoiceflow_transmit_kill');
      const ap = await startFakeAccessPoint();
      try {
        const shared = {
          DATABASE_URL: database.url,
          JWT_SECRET: 'a'.repeat(32),
          DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
          TRANSMISSION_POLL_SECONDS: '1',
          TRANSMISSION_LEASE_SECONDS: '2',
          TRANSMISSION_TIMEOUT_MS: '1000',
        };
        const api = startProcess({ ...shared, RUN_JOBS: 'false' });
        const url = await api.listening;
        const owner = await register(url, BE_COMPANY);
        const c = as(url, owner);
        const settings = await c('PUT', '/api/v1/transmission/settings', {
          provider: 'phoss-ap',
          base_url: ap.url,
          credentials: { api_token: ap.token },
        });
        expect(settings.status, settings.text).toBe(200);
        const customer = await c('POST', '/api/v1/customers', DE_PEPPOL_BUYER);
        expect(customer.status, customer.text).toBe(201);
        const invoice = await c('POST', '/api/v1/invoices/generate', {
          customer_id: customer.json().id,
          buyer_reference: 'PO-118',
          due_date: '2099-12-31',
          lines: [OAK_TABLE_LINE],
        });
        expect(invoice.status, invoice.text).toBe(201);
        const id = invoice.json().id as string;

        // The access point keeps the document and never answers: the worker waits on a submit that arrived.
        ap.silentSubmits = 1;
        const accepted = new Promise<void>((resolve) => (ap.onAccepted = resolve));
        expect((await c('POST', `/api/v1/invoices/${id}/send`, {})).status).toBe(202);
        const first = startProcess({ ...shared }, 'worker');
        await accepted;
        first.child.kill('SIGKILL');
        await first.exited;
        expect((await c('GET', `/api/v1/invoices/${id}/transmission`)).json().acknowledged_at).toBeNull();

        const second = startProcess({ ...shared }, 'worker');
        await second.working;
        let transmission = (await c('GET', `/api/v1/invoices/${id}/transmission`)).json();
        while (transmission.exchange.status !== 'delivered') {
          await new Promise((resolve) => setTimeout(resolve, 200));
          transmission = (await c('GET', `/api/v1/invoices/${id}/transmission`)).json();
        }
        // One document at the access point, one submit: the new worker asked for the instance id before sending.
        expect(ap.documents.size).toBe(1);
        expect(ap.submits).toBe(1);
        expect(transmission.attempts.map((a: { action: string }) => a.action)).not.toContain('submit');
        for (const process of [second, api]) {
          process.child.kill('SIGTERM');
          expect(await process.exited).toBe(0);
        }
      } finally {
        await ap.close();
        await database.drop();
      }
    },
    UNBOUNDED,
  );
});
