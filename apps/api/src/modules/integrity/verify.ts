// Verification of a company's seal chain, in position order, reporting the first break: a position that does
// not follow, invoice data (the snapshot) or XML that no longer hashes to what was sealed, a previous hash that
// is not the previous record's hash, a record hash that is not the hash of its fields, or a signature that does
// not verify with the company's public key. Pages are bounded by bytes of snapshot and XML, as ZATCA's are.
import type { Db } from '@invoiceflow/db';
import * as q from './queries';
import {
  dataHashOf,
  FIRST_SEAL_HASH,
  recordHashOf,
  type SealFields,
  verifySeal,
  xmlHashOf,
} from './seal-crypto';

const SIZES_PER_QUERY = 1000;

export type SealBreakKind = 'counter' | 'data_hash' | 'xml_hash' | 'previous_hash' | 'hash' | 'signature';

export interface SealBreak {
  kind: SealBreakKind;
  invoice_id: string;
  invoice_number: string;
  position: number;
  expected: string;
  actual: string;
  message: string;
}

export type SealVerification = { ok: true; count: number } | { ok: false; count: number; break: SealBreak };

export interface SealCursor {
  position: number;
  hash: string;
}

export async function verifySealChain(
  db: Db,
  key: { id: string; algorithm: 'ecdsa-p256' | 'rsa-pss-2048'; publicKeyPem: string },
  { companyId }: { companyId: string },
  {
    pageBytes,
    from,
    onProgress,
  }: {
    pageBytes: number;
    from?: SealCursor;
    onProgress?: (cursor: SealCursor, checked: number) => Promise<void>;
  },
): Promise<SealVerification> {
  let previous: SealCursor = from ?? { position: 0, hash: FIRST_SEAL_HASH };
  let count = 0;
  for (;;) {
    const sizes = await q.listSealSizes(db, { companyId, after: previous.position, limit: SIZES_PER_QUERY });
    let at = 0;
    while (at < sizes.length) {
      let bytes = sizes[at]?.bytes ?? 0;
      let end = at + 1;
      while (end < sizes.length && bytes + (sizes[end]?.bytes ?? 0) <= pageBytes) {
        bytes += sizes[end]?.bytes ?? 0;
        end++;
      }
      const through = sizes[end - 1]?.position ?? previous.position;
      const page = await q.listSealPage(db, { companyId, after: previous.position, through });
      for (const row of page) {
        const broken = (kind: SealBreakKind, expected: string, actual: string, message: string) => ({
          ok: false as const,
          count,
          break: {
            kind,
            invoice_id: row.invoiceId,
            invoice_number: row.invoiceNumber,
            position: row.position,
            expected,
            actual,
            message,
          },
        });
        if (row.position !== previous.position + 1) {
          return broken(
            'counter',
            String(previous.position + 1),
            String(row.position),
            'The seal position does not follow the previous one.',
          );
        }
        const dataHash = dataHashOf(row.snapshot);
        if (dataHash !== row.dataHash) {
          return broken(
            'data_hash',
            row.dataHash,
            dataHash,
            'The invoice data no longer hashes to its seal.',
          );
        }
        if (row.xmlFormat !== null) {
          const xmlHash = row.xml === null ? 'missing' : xmlHashOf(row.xml);
          if (xmlHash !== row.xmlHash) {
            return broken(
              'xml_hash',
              row.xmlHash ?? '',
              xmlHash,
              'The e-invoice XML no longer hashes to its seal.',
            );
          }
        }
        if (row.previousHash !== previous.hash) {
          return broken(
            'previous_hash',
            previous.hash,
            row.previousHash,
            "The seal's previous hash is not the previous seal's hash.",
          );
        }
        const fields: SealFields = {
          position: row.position,
          dataHash: row.dataHash,
          xmlHash: row.xmlHash,
          previousHash: row.previousHash,
        };
        const hash = recordHashOf(fields);
        if (hash !== row.hash) {
          return broken('hash', hash, row.hash, 'The stored seal hash is not the hash of its fields.');
        }
        if (!verifySeal(key.algorithm, key.publicKeyPem, fields, row.signature)) {
          return broken(
            'signature',
            'valid',
            'invalid',
            "The seal's signature does not verify with the company's key.",
          );
        }
        previous = { position: row.position, hash };
        count++;
      }
      if (onProgress) await onProgress(previous, count);
      at = end;
    }
    if (sizes.length < SIZES_PER_QUERY) return { ok: true, count };
  }
}
