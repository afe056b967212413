// The UAE finalize step over HTTP: POST /api/v1/invoices/{id}/finalize of a saved 10-line draft (every rule, the
// gapless number, the e-invoice extensions, the integrity seal: canonical data hash, XML hash, chain link and
// ECDSA P-256 signature under the company's seal row lock, then the PDF after the commit), against the built server
// (`npm start`'s flags) on the embedded database. The baseline, in the same run and interleaved request by request
// so both see the same machine: POST /api/v1/invoices/{id}/issue of the same draft for a generic-profile company
// (the same pipeline without the approval lifecycle and the seal). Reported: p50/p99 of each and their ratio.
//   BENCH_COUNT (default 200): finalize and issue calls each; BENCH_WARMUP (default 20) of each first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiProcess, deploymentSecrets, startNodeFlags } from '../reliability/support/api-process';
import { call, register, type Session } from '../reliability/support/client';
import { LOAD_ENV } from '../reliability/support/cluster';
import { machine, percentile } from './support/machine';

const count = Number(process.env.BENCH_COUNT ?? 200);
const warmup = Number(process.env.BENCH_WARMUP ?? 20);
const dataDir = mkdtempSync(path.join(tmpdir(), 'invoiceflow-bench-finalize-'));
const server = new ApiProcess({
  name: 'bench-finalize',
  env: {
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    ...deploymentSecrets(),
    ...LOAD_ENV,
    LOG_LEVEL: 'warn',
    ISSUE_RATE_LIMIT_PER_MINUTE: '100000',
  },
});

const UAE = {
  legal_name_en: 'Gulf Trading LLC',
  legal_name_ar: 'الخليج للتجارة ذ.م.م',
  country: 'AE',
  vat_number: '100000000000003',
  address: { street: 'Sheikh Zayed Road', city: 'Dubai', country: 'AE', emirate: 'DXB' },
};
const GENERIC = {
  legal_name_en: 'Jansen Design',
  country: 'NL',
  vat_number: 'NL123456789B01',
  address: { street: 'Keizersgracht 1', city: 'Amsterdam', postal_code: '1015 CJ', country: 'NL' },
};

function tenLines(rate: string) {
  return {
    customer_name: 'Bench Buyer LLC',
    line_items: Array.from({ length: 10 }, (_, i) => ({
      description: `Item ${i + 1}`,
      quantity: String(1 + (i % 4)),
      unit_price: `${(i + 1) * 37}.${String(i * 7).padStart(2, '0')}`,
      vat_rate: rate,
    })),
  };
}

const auth = (session: Session) => ({ token: session.accessToken, companyId: session.companyId });

async function drafts(session: Session, rate: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const reply = await call(server.url, 'POST', '/api/v1/invoices', {
      ...auth(session),
      body: tenLines(rate),
    });
    if (reply.status !== 201) throw new Error(`draft: ${reply.status} ${reply.text}`);
    ids.push(reply.json().id);
  }
  return ids;
}

async function timed(session: Session, url: string): Promise<number> {
  const start = performance.now();
  const reply = await call(server.url, 'POST', url, auth(session));
  const ms = performance.now() - start;
  if (reply.status !== 200) throw new Error(`${url}: ${reply.status} ${reply.text}`);
  return ms;
}

try {
  await server.start();
  const uae = await register(server.url, UAE);
  const generic = await register(server.url, GENERIC);
  const total = warmup + count;
  const uaeDrafts = await drafts(uae, '5', total);
  const genericDrafts = await drafts(generic, '21', total);
  const finalize: number[] = [];
  const issue: number[] = [];
  for (let i = 0; i < total; i++) {
    const f = await timed(uae, `/api/v1/invoices/${uaeDrafts[i]}/finalize`);
    const b = await timed(generic, `/api/v1/invoices/${genericDrafts[i]}/issue`);
    if (i >= warmup) {
      finalize.push(f);
      issue.push(b);
    }
  }
  const verified = (await call(server.url, 'GET', '/api/v1/compliance/chain/verify', auth(uae))).json();
  finalize.sort((a, b) => a - b);
  issue.sort((a, b) => a - b);
  const show = (s: number[]) =>
    `p50 ${percentile(s, 50).toFixed(1)} ms, p99 ${percentile(s, 99).toFixed(1)} ms`;
  console.log(machine());
  console.log(`finalize over HTTP, 10 lines, embedded database, sequential, [${startNodeFlags().join(' ')}]`);
  console.log(`baseline: generic-profile draft issue: ${show(issue)} (${issue.length} calls)`);
  console.log(
    `UAE finalize (seal, ECDSA P-256): ${show(finalize)} (${finalize.length} calls); ` +
      `×${(percentile(finalize, 50) / percentile(issue, 50)).toFixed(2)} the baseline at p50, ` +
      `×${(percentile(finalize, 99) / percentile(issue, 99)).toFixed(2)} at p99; ` +
      `seal chain after the run: ${JSON.stringify(verified)}`,
  );
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
