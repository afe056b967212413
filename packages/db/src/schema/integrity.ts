import { bigint, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns';
import { companies } from './companies';
import { invoices } from './invoicing';

export const SEAL_ALGORITHMS = ['ecdsa-p256', 'rsa-pss-2048'] as const;
export type SealAlgorithm = (typeof SEAL_ALGORITHMS)[number];

/**
 * A company's integrity seal: its signing key and the head of its chain (the position and hash of the last sealed
 * invoice). One per company, made at its first sealed issue; moved forward only in the issuing transaction, under
 * this row's lock, so the chain stays gapless whatever document kinds are issued at once.
 */
export const sealKeys = pgTable(
  'seal_keys',
  {
    id: id(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    algorithm: text('algorithm', { enum: SEAL_ALGORITHMS }).notNull(),
    /** PKCS#8 PEM, AES-256-GCM with the data key: never stored in clear. */
    privateKeyEnc: text('private_key_enc').notNull(),
    publicKeyPem: text('public_key_pem').notNull(),
    lastPosition: bigint('last_position', { mode: 'number' }).notNull().default(0),
    lastHash: text('last_hash').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('seal_keys_company_key').on(t.companyId)],
);

/**
 * The integrity record of an issued invoice: SHA-256 of its canonical data (the snapshot, RFC 8785) and of its
 * e-invoice XML, the previous record's hash, this record's hash (over all of them) and the signature over the same
 * bytes. All hashes are base64.
 */
export const invoiceSeals = pgTable(
  'invoice_seals',
  {
    invoiceId: uuid('invoice_id')
      .primaryKey()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    keyId: uuid('key_id')
      .notNull()
      .references(() => sealKeys.id),
    position: bigint('position', { mode: 'number' }).notNull(),
    dataHash: text('data_hash').notNull(),
    /** The e-invoice whose XML is sealed (its format), or null when the invoice has none. */
    xmlFormat: text('xml_format'),
    xmlHash: text('xml_hash'),
    previousHash: text('previous_hash').notNull(),
    hash: text('hash').notNull(),
    signature: text('signature').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('invoice_seals_company_position_key').on(t.companyId, t.position),
    index('invoice_seals_key_idx').on(t.keyId),
  ],
);
