import { type Db, schema } from '@invoiceflow/db';
import { and, asc, desc, eq, sql } from '@invoiceflow/db/orm';
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

/**
 * Writes the block as its next version in one statement: the first edit inserts version 1, a later one raises it
 * under the row's lock, so concurrent edits of one block get consecutive versions and never the same one.
 */
export async function writeBlock(
  db: Db,
  values: { key: string; lang: ContentLanguage; body: string; updatedBy: string },
) {
  const [row] = await db
    .insert(contentBlocks)
    .values({ ...values, version: 1 })
    .onConflictDoUpdate({
      target: [contentBlocks.key, contentBlocks.lang],
      set: {
        body: values.body,
        version: sql`${contentBlocks.version} + 1`,
        updatedBy: values.updatedBy,
        updatedAt: sql`now()`,
      },
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
