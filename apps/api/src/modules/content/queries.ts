import { type Db, schema } from '@invoiceflow/db';
import { and, asc, desc, eq } from '@invoiceflow/db/orm';
import type { ContentLanguage } from '@invoiceflow/db/schema';

const { contentBlocks, contentBlockVersions } = schema;

// Platform content, not tenant data: no company filter (public reads, super-admin writes).

export async function listBlocks(db: Db, { lang }: { lang?: ContentLanguage }) {
  return db
    .select()
    .from(contentBlocks)
    .where(lang ? eq(contentBlocks.lang, lang) : undefined)
    .orderBy(asc(contentBlocks.key), asc(contentBlocks.lang));
}

/** The block's row locked (edits of one block queue, so versions are consecutive). */
export async function lockBlock(db: Db, { key, lang }: { key: string; lang: ContentLanguage }) {
  const [row] = await db
    .select()
    .from(contentBlocks)
    .where(and(eq(contentBlocks.key, key), eq(contentBlocks.lang, lang)))
    .for('update');
  return row;
}

export async function upsertBlock(
  db: Db,
  values: { key: string; lang: ContentLanguage; body: string; version: number; updatedBy: string },
) {
  const [row] = await db
    .insert(contentBlocks)
    .values(values)
    .onConflictDoUpdate({
      target: [contentBlocks.key, contentBlocks.lang],
      set: { body: values.body, version: values.version, updatedBy: values.updatedBy, updatedAt: new Date() },
    })
    .returning();
  if (!row) throw new Error('content upsert returned nothing');
  return row;
}

export async function insertVersion(db: Db, values: typeof contentBlockVersions.$inferInsert) {
  await db.insert(contentBlockVersions).values(values);
}

export async function listVersions(db: Db, { key, lang }: { key: string; lang: ContentLanguage }) {
  return db
    .select()
    .from(contentBlockVersions)
    .where(and(eq(contentBlockVersions.key, key), eq(contentBlockVersions.lang, lang)))
    .orderBy(desc(contentBlockVersions.version));
}

export async function getVersion(
  db: Db,
  { key, lang, version }: { key: string; lang: ContentLanguage; version: number },
) {
  const [row] = await db
    .select()
    .from(contentBlockVersions)
    .where(
      and(
        eq(contentBlockVersions.key, key),
        eq(contentBlockVersions.lang, lang),
        eq(contentBlockVersions.version, version),
      ),
    );
  return row;
}
