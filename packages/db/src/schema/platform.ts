import { sql } from 'drizzle-orm';
import { bigint, check, integer, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { createdAt, updatedAt } from './columns';
import { companies } from './companies';

/**
 * Documents a company issued in one month of its calendar (`2026-03`), counted by the issue that numbers them and
 * under the same transaction: a rolled-back issue is not counted, and concurrent issues queue on the row, so a
 * plan's monthly limit cannot be overshot.
 */
export const planUsage = pgTable(
  'plan_usage',
  {
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    month: text('month').notNull(),
    invoicesIssued: integer('invoices_issued').notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.month] })],
);

export const CONTENT_LANGUAGES = ['en', 'ar'] as const;
export type ContentLanguage = (typeof CONTENT_LANGUAGES)[number];
/** A block's key: dotted lower-case words, the page first (`home.title`), at most 64 characters. */
export const CONTENT_KEY_FORM = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/;

/** The platform's public text (the home page), one block per key and language; platform-wide, no company. */
export const contentBlocks = pgTable(
  'content_blocks',
  {
    key: text('key').notNull(),
    lang: text('lang', { enum: CONTENT_LANGUAGES }).notNull(),
    body: text('body').notNull(),
    version: integer('version').notNull(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.key, t.lang] }),
    check(
      'content_blocks_key_form',
      sql`${t.key} ~ '^[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)+$' AND length(${t.key}) <= 64`,
    ),
  ],
);

/** Every edit of a block, kept: the history lists them and a restore writes an old body as a new version. */
export const contentBlockVersions = pgTable(
  'content_block_versions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    key: text('key').notNull(),
    lang: text('lang', { enum: CONTENT_LANGUAGES }).notNull(),
    version: integer('version').notNull(),
    body: text('body').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    restoredFrom: integer('restored_from'),
    createdAt: createdAt(),
  },
  (t) => [unique('content_block_versions_key').on(t.key, t.lang, t.version)],
);
