// The UAE integrity seal through HTTP: every finalized invoice gets a signed record on the company's chain, and
// the chain verification (endpoint and CLI) reports the first break of tampered data, XML, signature or link.
import { createPublicKey } from 'node:crypto';
import { schema } from '@invoiceflow/db';
import { asc, eq, sql } from '@invoiceflow/db/orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AE_COMPANY,
  AE_INVOICE_BUYER,
  as,
  type Call,
  createTestApp,
  registerUser,
  type TestApp,
} from '../../../test/support/app';
import { chainVerifyCommand } from '../../cli/chain-verify';
import { decrypt } from '../../lib/crypto';
import { dataHashOf } from './seal-crypto';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ CHAIN_VERIFY_RUNS_PER_HOUR: 1000 });
});
afterAll(() => t.close());

const LINES = { line_items: [{ description: 'Consulting', quantity: 2, unit_price: 500, vat_rate: 5 }] };

async function companyWithInvoices(count: number, setup?: (c: Call) => Promise<void>) {
  const session = await registerUser(t.app, AE_COMPANY);
  const c = as(t.app, session);
  await setup?.(c);
  const invoices: { id: string; invoice_number: string }[] = [];
  for (let i = 0; i < count; i++) {
    const issued = await c({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: { ...AE_INVOICE_BUYER, customer_name: `Buyer ${i + 1}`, ...LINES },
    });
    expect(issued.statusCode).toBe(201);
    invoices.push(issued.json());
  }
  return { session, c, invoices };
}

const verify = async (c: Call) => (await c({ method: 'GET', url: '/api/v1/compliance/chain/verify' })).json();

const sealsOf = (companyId: string) =>
  t.database.db
    .select()
    .from(schema.invoiceSeals)
    .where(eq(schema.invoiceSeals.companyId, companyId))
    .orderBy(asc(schema.invoiceSeals.position));

describe('the integrity seal (UAE)', () => {
  it('seals each finalized invoice on the company chain: data hash, XML hash, previous hash, signature', async () => {
    const { session, c, invoices } = await companyWithInvoices(3);
    const seals = await sealsOf(session.companyId);
    expect(seals.map((seal) => seal.position)).toEqual([1, 2, 3]);
    expect(seals[1]?.previousHash).toBe(seals[0]?.hash);
    expect(seals[2]?.previousHash).toBe(seals[1]?.hash);

    const [stored] = await t.database.db
      .select()
      .from(schema.invoices)
      .where(eq(schema.invoices.id, invoices[0]?.id ?? ''));
    expect(seals[0]?.dataHash).toBe(dataHashOf(stored?.snapshot));
    const [xml] = await t.database.db
      .select()
      .from(schema.einvoiceDocuments)
      .where(eq(schema.einvoiceDocuments.invoiceId, invoices[0]?.id ?? ''));
    expect(seals[0]).toMatchObject({ xmlFormat: 'pint-ae', xmlHash: xml?.hash });

    // ECDSA P-256 by default; the private key only encrypted with the data key.
    const [key] = await t.database.db
      .select()
      .from(schema.sealKeys)
      .where(eq(schema.sealKeys.companyId, session.companyId));
    expect(key?.algorithm).toBe('ecdsa-p256');
    expect(key?.privateKeyEnc).not.toContain('PRIVATE KEY');
    expect(decrypt(t.app.ctx.secrets.dataKey, key?.privateKeyEnc ?? '')).toContain('BEGIN PRIVATE KEY');
    expect(createPublicKey(key?.publicKeyPem ?? '').asymmetricKeyDetails?.namedCurve).toBe('prime256v1');

    expect(await verify(c)).toEqual({ ok: true, count: 3, egs_units: 0 });
    // The run counts what it checks: the three seals, not the PINT AE documents stored beside them.
    const runs = await t.database.db
      .select({ total: schema.zatcaChainRuns.total, checked: schema.zatcaChainRuns.checked })
      .from(schema.zatcaChainRuns)
      .where(eq(schema.zatcaChainRuns.companyId, session.companyId));
    expect(runs).toEqual([{ total: 3, checked: 3 }]);
  });

  it('reports a tampered snapshot as the first break, and the CLI says the same', async () => {
    const { session, c, invoices } = await companyWithInvoices(4);
    const target = invoices[2];
    await t.database.db.execute(
      sql`UPDATE invoices SET snapshot = jsonb_set(snapshot, '{notes}', '"paid in cash"') WHERE id = ${target?.id}`,
    );
    expect(await verify(c)).toMatchObject({
      ok: false,
      count: 2,
      break: {
        chain: 'seal',
        kind: 'data_hash',
        invoice_id: target?.id,
        invoice_number: target?.invoice_number,
        icv: 3,
      },
    });
    const cli = await chainVerifyCommand(t.database.db, ['--company', session.companyId]);
    expect(cli.exitCode).toBe(1);
    expect(JSON.parse(cli.output)).toMatchObject({
      ok: false,
      break: { chain: 'seal', kind: 'data_hash', icv: 3 },
    });
  });

  it('reports a tampered XML', async () => {
    const { c, invoices } = await companyWithInvoices(3);
    const target = invoices[1];
    await t.database.db.execute(
      sql`UPDATE einvoice_documents SET xml = replace(xml, '</cbc:ID>', 'X</cbc:ID>') WHERE invoice_id = ${target?.id}`,
    );
    expect(await verify(c)).toMatchObject({
      ok: false,
      count: 1,
      break: { chain: 'seal', kind: 'xml_hash', invoice_id: target?.id, icv: 2 },
    });
  });

  it('reports a forged signature and a broken link, and only the first break', async () => {
    const { session, c, invoices } = await companyWithInvoices(4);
    const seals = await sealsOf(session.companyId);
    // The third record signed as the fourth: a well-formed signature, but not over this record.
    await t.database.db.execute(
      sql`UPDATE invoice_seals SET signature = ${seals[3]?.signature} WHERE invoice_id = ${invoices[2]?.id}`,
    );
    expect(await verify(c)).toMatchObject({
      ok: false,
      count: 2,
      break: { chain: 'seal', kind: 'signature', invoice_id: invoices[2]?.id, icv: 3 },
    });

    // A break earlier in the chain is the one reported.
    await t.database.db.execute(
      sql`UPDATE invoice_seals SET previous_hash = ${seals[0]?.previousHash} WHERE invoice_id = ${invoices[1]?.id}`,
    );
    expect(await verify(c)).toMatchObject({
      ok: false,
      count: 1,
      break: {
        chain: 'seal',
        kind: 'previous_hash',
        invoice_id: invoices[1]?.id,
        expected: seals[0]?.hash,
        icv: 2,
      },
    });
  });

  it('reports a removed record (the positions no longer follow)', async () => {
    const { c, invoices } = await companyWithInvoices(3);
    await t.database.db.execute(sql`DELETE FROM invoice_seals WHERE invoice_id = ${invoices[1]?.id}`);
    expect(await verify(c)).toMatchObject({
      ok: false,
      count: 1,
      break: { chain: 'seal', kind: 'counter', expected: '2', actual: '3', invoice_id: invoices[2]?.id },
    });
  });

  it('signs with RSA-PSS 2048 when the company chose it before its first finalize; the choice is then fixed', async () => {
    const { session, c } = await companyWithInvoices(2, async (c) => {
      const chosen = await c({
        method: 'PATCH',
        url: '/api/v1/companies/current',
        payload: { seal_algorithm: 'rsa-pss-2048' },
      });
      expect(chosen.json().seal_algorithm).toBe('rsa-pss-2048');
    });
    const [key] = await t.database.db
      .select()
      .from(schema.sealKeys)
      .where(eq(schema.sealKeys.companyId, session.companyId));
    expect(key?.algorithm).toBe('rsa-pss-2048');
    expect(createPublicKey(key?.publicKeyPem ?? '').asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(await verify(c)).toEqual({ ok: true, count: 2, egs_units: 0 });

    const change = await c({
      method: 'PATCH',
      url: '/api/v1/companies/current',
      payload: { seal_algorithm: 'ecdsa-p256' },
    });
    expect(change.statusCode).toBe(409);
    expect(change.json().code).toBe('SEAL_ALGORITHM_FIXED');
  });

  it('does not seal Saudi invoices (they carry ZATCA’s chain)', async () => {
    const session = await registerUser(t.app);
    const c = as(t.app, session);
    const issued = await c({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: {
        customer_name: 'Walk-in',
        line_items: [{ description: 'Tea', quantity: 1, unit_price: 10, vat_rate: 15 }],
      },
    });
    expect(issued.statusCode).toBe(201);
    expect(await sealsOf(session.companyId)).toEqual([]);
    expect(await verify(c)).toEqual({ ok: true, count: 1, egs_units: 1 });
  });
});
