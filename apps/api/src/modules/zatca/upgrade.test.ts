// An upgrade, as a Saudi company lives it: a database written by the release before e-invoice documents and
// chains had tables of their own (migrations up to 0014; the data in test/fixtures/release-0014.json was made by
// that release, issuing through its API: five signed invoices over two EGS units), migrated by this one. Every
// old invoice keeps its XML, hash, QR and counter byte for byte, both chains verify, and new invoices continue the
// chain of the company's default unit.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Database, MIGRATIONS_FOLDER, openDb } from '@invoiceflow/db';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../../../test/global-setup';
import { as, login, type Session } from '../../../test/support/app';
import { buildApp } from '../../app';
import { loadConfig } from '../../config';

interface Fixture {
  data_key: string;
  email: string;
  password: string;
  company_id: string;
  tables: Record<string, Record<string, unknown>[]>;
}

type OldDocument = {
  invoice_id: string;
  egs_id: string;
  icv: number;
  invoice_hash: string;
  previous_hash: string;
  xml: string;
  qr_payload: string;
};

const fixture = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '../../../test/fixtures/release-0014.json'), 'utf8'),
) as Fixture;
const oldDocuments = fixture.tables.zatca_documents as OldDocument[];
const oldUnits = fixture.tables.egs_units as {
  id: string;
  last_icv: number;
  last_invoice_hash: string;
  is_current: boolean;
}[];

/** Parents before children. */
const TABLE_ORDER = [
  'users',
  'companies',
  'memberships',
  'refresh_tokens',
  'email_verification_tokens',
  'egs_units',
  'invoices',
  'invoice_number_counters',
  'zatca_documents',
  'audit_log',
  'mail_outbox',
];

const dir = mkdtempSync(path.join(tmpdir(), 'invoiceflow-upgrade-'));

/** The migrations folder as the previous release shipped it: the journal up to (not including) `tag`. */
function migrationsBefore(tag: string): string {
  const folder = path.join(dir, 'before');
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = path.join(folder, 'meta/_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((entry) => entry.tag === tag);
  expect(at).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

/** An empty database (PGlite in memory, or a new PostgreSQL database), migrated as the previous release left it. */
async function openPreviousRelease(): Promise<{ database: Database; drop(): Promise<void> }> {
  const folder = migrationsBefore('0015_einvoice_documents');
  const template = inject('databaseTemplate');
  if (template.kind === 'pglite') {
    const database = await openDb({ dataDir: 'memory://' });
    if (!database.pglite) throw new Error('no PGlite');
    await migratePglite(drizzlePglite({ client: database.pglite }), { migrationsFolder: folder });
    return { database, drop: () => database.close() };
  }
  const name = `${template.prefix}_upgrade_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: template.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = withDatabase(template.url, name);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await migratePg(drizzlePg({ client }), { migrationsFolder: folder });
  await client.end();
  const database = await openDb({ databaseUrl: url, maxConnections: 5 });
  return {
    database,
    async drop() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: template.url });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

async function loadFixture(database: Database): Promise<void> {
  expect(Object.keys(fixture.tables).sort()).toEqual([...TABLE_ORDER].sort());
  for (const table of TABLE_ORDER) {
    const rows = fixture.tables[table] ?? [];
    const columns = Object.keys(rows[0] ?? {})
      .map((column) => `"${column}"`)
      .join(', ');
    await database.execute(
      `INSERT INTO "${table}" (${columns}) OVERRIDING SYSTEM VALUE SELECT ${columns} FROM json_populate_recordset(null::"${table}", $1::json)`,
      [JSON.stringify(rows)],
    );
  }
  // Identity columns given explicit values: their sequences move past them, as the release's own inserts did.
  const identities = await database.execute(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES'`,
  );
  for (const { table_name: table, column_name: column } of identities.rows) {
    await database.execute(
      `SELECT setval(pg_get_serial_sequence('"${table}"', '${column}'), (SELECT coalesce(max("${column}"), 0) + 1 FROM "${table}"), false)`,
    );
  }
}

let upgraded: { database: Database; drop(): Promise<void> };
let app: Awaited<ReturnType<typeof buildApp>>;
let session: Session;
beforeAll(async () => {
  upgraded = await openPreviousRelease();
  await loadFixture(upgraded.database);
  await upgraded.database.migrate();
  const config = loadConfig(
    {},
    { DATA_KEY: fixture.data_key, JWT_SECRET: randomBytes(32).toString('hex'), WEB_DIST: '/nonexistent' },
  );
  app = await buildApp({ config, database: upgraded.database, logger: process.env.TEST_LOG === '1' });
  await app.ready();
  session = await login(app, fixture.email, fixture.password, fixture.company_id);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await upgraded?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('an upgrade from the release before einvoice_documents', () => {
  it('keeps every issued invoice’s XML, hash, previous hash, counter and QR byte for byte', async () => {
    const call = as(app, session);
    expect(oldDocuments).toHaveLength(5);
    for (const old of oldDocuments) {
      const xml = await call({ method: 'GET', url: `/api/v1/invoices/${old.invoice_id}/xml?variant=issued` });
      expect(xml.statusCode).toBe(200);
      expect(xml.body).toBe(old.xml);
      const status = (await call({ method: 'GET', url: `/api/v1/invoices/${old.invoice_id}/zatca` })).json();
      expect(status).toMatchObject({
        egs_id: old.egs_id,
        icv: Number(old.icv),
        invoice_hash: old.invoice_hash,
        previous_hash: old.previous_hash,
        qr_payload: old.qr_payload,
      });
      const invoice = (await call({ method: 'GET', url: `/api/v1/invoices/${old.invoice_id}` })).json();
      expect(invoice.qr_code_data).toBe(old.qr_payload);
    }
  });

  it('carries each unit’s counter and last hash into its chain, and the current unit is the default', async () => {
    const call = as(app, session);
    const units = (await call({ method: 'GET', url: '/api/v1/egs' })).json().egs_units as {
      id: string;
      last_icv: number;
      last_invoice_hash: string;
      is_default: boolean;
    }[];
    expect(units).toHaveLength(2);
    for (const old of oldUnits) {
      expect(units.find((unit) => unit.id === old.id)).toMatchObject({
        last_icv: Number(old.last_icv),
        last_invoice_hash: old.last_invoice_hash,
        is_default: old.is_current,
      });
    }
  });

  it('verifies both chains, and a new invoice continues the default unit’s chain', async () => {
    const call = as(app, session);
    const before = (await call({ method: 'GET', url: '/api/v1/compliance/chain/verify' })).json();
    expect(before).toMatchObject({ ok: true, count: 5, egs_units: 2 });

    const current = oldUnits.find((unit) => unit.is_current);
    if (!current) throw new Error('no current unit in the fixture');
    const issued = await call({
      method: 'POST',
      url: '/api/v1/invoices/generate',
      payload: { customer_name: 'Walk-in', lines: [{ description: 'Pen', quantity: '2', unit_price: '34' }] },
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const status = (await call({ method: 'GET', url: `/api/v1/invoices/${issued.json().id}/zatca` })).json();
    expect(status).toMatchObject({
      egs_id: current.id,
      icv: Number(current.last_icv) + 1,
      previous_hash: current.last_invoice_hash,
    });
    const after = (await call({ method: 'GET', url: '/api/v1/compliance/chain/verify' })).json();
    expect(after).toMatchObject({ ok: true, count: 6, egs_units: 2 });
  });

  it('renders the PDF of an invoice issued before the upgrade', async () => {
    const call = as(app, session);
    const old = oldDocuments.find((doc) => doc.previous_hash !== doc.invoice_hash);
    const pdf = await call({ method: 'GET', url: `/api/v1/invoices/${old?.invoice_id}/pdf` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
