// A database written before companies had a time zone: the migration gives every existing company the zone its
// country used (Riyadh, Dubai), so their invoice dates, mail limits and reminders keep the same calendar day.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER } from './open-db';

const dir = mkdtempSync(path.join(tmpdir(), 'invoiceflow-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

it('gives existing Saudi and UAE companies their country’s time zone', async () => {
  const client = await PGlite.create({ extensions: { pg_trgm, btree_gin } });
  const db = drizzle({ client });
  await migrate(db, { migrationsFolder: migrationsBefore('0014_company_profiles') });
  await client.query(`INSERT INTO companies (legal_name_en, country, address, currency) VALUES
    ('Riyadh Co', 'SA', '{"country":"SA"}', 'SAR'), ('Dubai Co', 'AE', '{"country":"AE"}', 'AED')`);

  await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  const { rows } = await client.query<{ legal_name_en: string; time_zone: string }>(
    'SELECT legal_name_en, time_zone FROM companies ORDER BY legal_name_en',
  );
  expect(rows).toEqual([
    { legal_name_en: 'Dubai Co', time_zone: 'Asia/Dubai' },
    { legal_name_en: 'Riyadh Co', time_zone: 'Asia/Riyadh' },
  ]);
  await client.close();
});
