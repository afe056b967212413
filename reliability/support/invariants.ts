// What must hold after issuing under load, read from the database itself and from the product's own endpoints.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FIRST_PIH } from '@invoiceflow/zatca';
import type pg from 'pg';
import {
  describeFailures,
  validateZatcaFiles,
  type ZatcaValidationResult,
  zatcaValidatorAvailability,
} from '../../packages/zatca/src/test-support/validator';
import { call, type Session } from './client';
import type { Ack } from './load';

export interface Execute {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

export interface IssuedState {
  invoices: {
    id: string;
    number: string;
    total_amount: string;
    qr: string | null;
    has_zatca: boolean;
    has_audit: boolean;
  }[];
  documents: {
    invoice_id: string;
    egs_id: string;
    icv: number;
    invoice_hash: string;
    previous_hash: string;
    xml: string;
  }[];
  egs: { id: string; last_icv: number; last_invoice_hash: string; is_default: boolean }[];
  idempotency: { key: string; status_code: number | null; invoice_id: string | null }[];
  pdfs: number;
}

export async function readIssuedState(db: Execute, companyId: string): Promise<IssuedState> {
  const invoices = await db.query<IssuedState['invoices'][number]>(
    `SELECT i.id, i.number, i.total_amount::text AS total_amount, z.qr_payload AS qr, z.invoice_id IS NOT NULL AS has_zatca,
        EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_id = i.id::text AND a.action = 'invoice.issued') AS has_audit
       FROM invoices i LEFT JOIN einvoice_documents z ON z.invoice_id = i.id AND z.format = 'zatca'
      WHERE i.company_id = $1`,
    [companyId],
  );
  const documents = await db.query<IssuedState['documents'][number]>(
    `SELECT d.invoice_id, e.id AS egs_id, d.position::int AS icv, d.hash AS invoice_hash, d.previous_hash, d.xml
       FROM einvoice_documents d JOIN egs_units e ON e.chain_id = d.chain_id
      WHERE d.company_id = $1 ORDER BY e.id, d.position`,
    [companyId],
  );
  const egs = await db.query<IssuedState['egs'][number]>(
    `SELECT e.id, c.last_position::int AS last_icv, c.last_hash AS last_invoice_hash, e.is_default
       FROM egs_units e JOIN document_chains c ON c.id = e.chain_id WHERE e.company_id = $1`,
    [companyId],
  );
  const idempotency = await db.query<IssuedState['idempotency'][number]>(
    `SELECT key, status_code, response->>'id' AS invoice_id FROM idempotency_keys WHERE company_id = $1`,
    [companyId],
  );
  const pdfs = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM invoice_pdfs WHERE company_id = $1',
    [companyId],
  );
  return {
    invoices: invoices.rows,
    documents: documents.rows,
    egs: egs.rows,
    idempotency: idempotency.rows,
    pdfs: pdfs.rows[0]?.n ?? 0,
  };
}

/**
 * Every problem found, as readable lines (empty = all invariants hold):
 * - numbers INV-YYYY-000001…N, unique, without a gap;
 * - one EGS unit with counters 1…N without a gap, its last ICV/hash = the last document's;
 * - every invoice has its ZATCA document and its audit entry, every document its invoice (nothing half-written);
 * - every idempotency key is completed and names an existing invoice, one invoice per key;
 * - every acknowledged invoice exists unchanged (number, total, QR).
 */
export function checkIssuedState(state: IssuedState, acks: Ack[], expectedCount: number): string[] {
  const problems: string[] = [];
  const { invoices, documents } = state;
  if (invoices.length !== expectedCount)
    problems.push(`${invoices.length} invoices, expected ${expectedCount}`);

  const numbers = invoices.map((invoice) => invoice.number).sort();
  if (new Set(numbers).size !== numbers.length) problems.push('duplicate invoice numbers');
  const series = /^(INV-\d{4})-\d{6}$/.exec(numbers[0] ?? '')?.[1];
  numbers.forEach((number, index) => {
    const expected = `${series}-${String(index + 1).padStart(6, '0')}`;
    if (number !== expected && problems.length < 20)
      problems.push(`number #${index + 1} is ${number}, expected ${expected}`);
  });

  if (state.egs.length !== 1) problems.push(`${state.egs.length} EGS units, expected 1`);
  documents.forEach((doc, index) => {
    if (doc.icv !== index + 1 && problems.length < 40)
      problems.push(`document #${index + 1} has ICV ${doc.icv}`);
    const expectedPih = index === 0 ? FIRST_PIH : documents[index - 1]?.invoice_hash;
    if (doc.previous_hash !== expectedPih && problems.length < 40)
      problems.push(`ICV ${doc.icv}: PIH is not the previous hash`);
  });
  const last = documents.at(-1);
  const egs = state.egs[0];
  if (egs && last && (egs.last_icv !== last.icv || egs.last_invoice_hash !== last.invoice_hash))
    problems.push(`EGS counter ${egs.last_icv} / hash do not match the last document (ICV ${last.icv})`);
  if (documents.length !== invoices.length)
    problems.push(`${documents.length} ZATCA documents for ${invoices.length} invoices`);

  const invoiceById = new Map(invoices.map((invoice) => [invoice.id, invoice]));
  for (const invoice of invoices) {
    if (!invoice.has_zatca) problems.push(`invoice ${invoice.number} has no ZATCA document`);
    if (!invoice.has_audit) problems.push(`invoice ${invoice.number} has no audit entry`);
    if (!invoice.qr) problems.push(`invoice ${invoice.number} has no QR artifact`);
  }
  for (const doc of documents)
    if (!invoiceById.has(doc.invoice_id)) problems.push(`orphan ZATCA document ICV ${doc.icv}`);

  const keyed = new Map<string, string>();
  for (const row of state.idempotency) {
    if (row.status_code !== 201 || !row.invoice_id) problems.push(`idempotency key ${row.key} not completed`);
    else if (!invoiceById.has(row.invoice_id))
      problems.push(`idempotency key ${row.key} names a missing invoice`);
    else keyed.set(row.key, row.invoice_id);
  }
  if (new Set(keyed.values()).size !== keyed.size)
    problems.push('two idempotency keys name the same invoice');

  for (const ack of acks) {
    const invoice = invoiceById.get(ack.id);
    if (!invoice) problems.push(`acknowledged invoice ${ack.number} (${ack.key}) is missing`);
    else if (
      invoice.number !== ack.number ||
      invoice.total_amount !== ack.totalAmount ||
      invoice.qr !== ack.qr
    )
      problems.push(`acknowledged invoice ${ack.number} changed: ${JSON.stringify({ invoice, ack })}`);
    if (keyed.get(ack.key) !== ack.id)
      problems.push(`key ${ack.key} was acknowledged as ${ack.id} but is stored as ${keyed.get(ack.key)}`);
  }
  return problems.slice(0, 50);
}

export async function verifyChainOverHttp(baseUrl: string, session: Session) {
  const reply = await call(baseUrl, 'GET', '/api/v1/compliance/chain/verify', {
    token: session.accessToken,
    companyId: session.companyId,
    timeoutMs: 300_000,
  });
  if (reply.status !== 200) throw new Error(`chain verify: ${reply.status} ${reply.text}`);
  return reply.json() as { ok: boolean; count: number; break?: unknown };
}

export interface ValidatorReport {
  skipped?: string;
  files: number;
  failures: string[];
  literalPihChecks: number;
}

/**
 * Every stored XML through ../shared/validators/zatca/validate.sh. The script takes ONE expected PIH per call and a
 * JVM start costs ~4 s, so 2,000 calls would take over an hour on two cores. Hence two parts:
 * 1. all files in a few batched calls (every stage: XSD, EN, KSA rules, HASH, SIGNATURE, QR, PIH against the
 *    first-invoice PIH). Every stage must pass, except PIH for ICV > 1, whose only allowed error is the validator's
 *    own "PIH 'X' != expected first PIH" — and X must be the hash the validator itself computed for the predecessor;
 * 2. a sample (the first document and `literalPihChecks` random ones) validated literally with
 *    `--pih <predecessor's hash>`, all stages passing.
 */
export async function validateChainXml(
  documents: IssuedState['documents'],
  literalPihChecks: number,
): Promise<ValidatorReport> {
  const availability = zatcaValidatorAvailability();
  if (!availability.available)
    return { skipped: availability.reason, files: 0, failures: [], literalPihChecks: 0 };
  const dir = mkdtempSync(path.join(tmpdir(), 'invoiceflow-rel-xml-'));
  try {
    const files = documents.map((doc) => {
      const file = path.join(dir, `icv-${String(doc.icv).padStart(6, '0')}.xml`);
      writeFileSync(file, doc.xml);
      return file;
    });
    // Two batches in parallel (one per core); each is one JVM.
    const half = Math.ceil(files.length / 2);
    const batches = [files.slice(0, half), files.slice(half)].filter((batch) => batch.length > 0);
    const results = new Map<string, ZatcaValidationResult>();
    await Promise.all(
      batches.map(async (batch) => {
        for (const [file, result] of await validateZatcaFiles(batch.map((file) => ({ file }))))
          results.set(file, result);
      }),
    );
    const failures: string[] = [];
    files.forEach((file, index) => {
      const result = results.get(file);
      if (!result) {
        failures.push(`${path.basename(file)}: no result`);
        return;
      }
      const failed = result.stages.filter((stage) => stage.status === 'FAILED');
      const other = failed.filter((stage) => stage.stage !== 'PIH');
      if (other.length > 0)
        failures.push(`${path.basename(file)}: ${describeFailures({ ...result, stages: other })}`);
      const pihStage = result.stages.find((stage) => stage.stage === 'PIH');
      const previous = index === 0 ? undefined : results.get(files[index - 1] as string);
      const expected = previous ? previous.invoiceHash : FIRST_PIH;
      const found =
        pihStage?.status === 'PASSED'
          ? FIRST_PIH
          : /^PIH '([^']*)' != expected/.exec(pihStage?.errors[0] ?? '')?.[1];
      if (!pihStage || found !== expected || pihStage.errors.length > 1)
        failures.push(
          `${path.basename(file)}: PIH ${found} is not the validator's hash of the predecessor ${expected}`,
        );
      if (previous && previous.invoiceHash !== documents[index - 1]?.invoice_hash)
        failures.push(
          `${path.basename(files[index - 1] as string)}: validator hash differs from the stored hash`,
        );
    });

    // Literal calls with the predecessor's hash as --pih.
    const sample = new Set<number>([0]);
    while (sample.size < Math.min(documents.length, literalPihChecks + 1))
      sample.add(1 + Math.floor(Math.random() * (documents.length - 1)));
    const literal = await validateZatcaFiles(
      [...sample].map((index) => ({
        file: files[index] as string,
        pih: index === 0 ? FIRST_PIH : (documents[index - 1]?.invoice_hash as string),
      })),
    );
    for (const [file, result] of literal) {
      if (result.global !== 'PASSED')
        failures.push(`${path.basename(file)} with --pih: ${describeFailures(result)}`);
    }
    return { files: files.length, failures: failures.slice(0, 30), literalPihChecks: literal.size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
