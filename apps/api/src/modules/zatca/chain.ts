// Walks a company's issued ZATCA documents per EGS unit in counter order and reports the first break: a counter
// that does not follow, a stored hash that is not the hash of the stored XML, a previous-invoice hash that is not
// the previous invoice's hash, or a signature that does not verify.
//
// Memory is bounded by bytes, not rows: a 1,000-line invoice is ~1.5 MB of XML, so "200 documents a page" was
// 300 MB for a company of large invoices (the API process has a 160 MB heap). The sizes of the next documents are
// read first (from the TOAST headers, not the XML), then as many documents as fit in `pageBytes` (at least one),
// and each is checked on a ZATCA thread (threads.ts), one at a time: the request thread holds one page.
import type { Db } from '@invoiceflow/db';
import type { ChainRunCursor } from '@invoiceflow/db/schema';
import { FIRST_PIH } from '@invoiceflow/zatca';
import type { ChainDocumentCheck } from './chain-document';
import { listChainPage, listChainSizes, listChainUnits } from './queries';
import { checkChainDocumentOffThread } from './threads';

/** XML bytes read per query. */
export const PAGE_BYTES = 4 * 1024 * 1024;
/** Document sizes read per query (a few bytes each). */
const SIZES_PER_QUERY = 1000;

export type ChainBreakKind = 'counter' | 'hash' | 'previous_hash' | 'signature';

export interface ChainBreak {
  kind: ChainBreakKind;
  egs_id: string;
  invoice_id: string;
  invoice_number: string;
  icv: number;
  expected: string;
  actual: string;
  message: string;
}

export type ChainVerification =
  | { ok: true; count: number; egs_units: number }
  | { ok: false; count: number; egs_units: number; break: ChainBreak };

export interface ChainProgress {
  /** Documents verified so far. */
  checked: number;
  /** The last one verified: where a later run resumes. */
  cursor: ChainRunCursor;
}

export interface VerifyChainOptions {
  pageBytes?: number;
  /** Resume after this document (it and every one before it verified, `checked` of them). */
  from?: ChainProgress;
  /** Called after each page; a run records it as its progress. */
  onProgress?: (progress: ChainProgress) => Promise<void>;
  check?: (xml: string) => Promise<ChainDocumentCheck>;
}

/**
 * The pages of a unit's chain after counter `afterIcv`: each at most `pageBytes` of XML, or one document if a
 * single document is larger.
 */
export async function* chainPages(
  db: Db,
  {
    companyId,
    egsId,
    afterIcv,
    pageBytes,
  }: { companyId: string; egsId: string; afterIcv: number; pageBytes: number },
) {
  let after = afterIcv;
  for (;;) {
    const sizes = await listChainSizes(db, { companyId, egsId, afterIcv: after, limit: SIZES_PER_QUERY });
    let at = 0;
    while (at < sizes.length) {
      let bytes = sizes[at]?.bytes ?? 0;
      let end = at + 1;
      while (end < sizes.length && bytes + (sizes[end]?.bytes ?? 0) <= pageBytes) {
        bytes += sizes[end]?.bytes ?? 0;
        end++;
      }
      const throughIcv = sizes[end - 1]?.icv ?? after;
      yield await listChainPage(db, { companyId, egsId, afterIcv: after, throughIcv });
      after = throughIcv;
      at = end;
    }
    if (sizes.length < SIZES_PER_QUERY) return;
  }
}

export async function verifyChain(
  db: Db,
  { companyId }: { companyId: string },
  { pageBytes = PAGE_BYTES, from, onProgress, check = checkChainDocumentOffThread }: VerifyChainOptions = {},
): Promise<ChainVerification> {
  const unitIds = await listChainUnits(db, { companyId });
  const units = unitIds.length;
  const resumeAt = from ? unitIds.indexOf(from.cursor.egsId) : 0;
  let previous: ChainRunCursor | undefined = from?.cursor;
  let count = from?.checked ?? 0;
  for (const egsId of unitIds.slice(Math.max(0, resumeAt))) {
    const afterIcv = previous?.egsId === egsId ? previous.icv : 0;
    for await (const page of chainPages(db, { companyId, egsId, afterIcv, pageBytes })) {
      for (const row of page) {
        const isFirstOfUnit = previous?.egsId !== row.egsId;
        const expectedIcv = isFirstOfUnit ? 1 : (previous?.icv ?? 0) + 1;
        const expectedPih = isFirstOfUnit ? FIRST_PIH : (previous?.hash ?? FIRST_PIH);
        const broken = (
          kind: ChainBreakKind,
          expected: string,
          actual: string,
          message: string,
        ): ChainVerification => ({
          ok: false,
          count,
          egs_units: units,
          break: {
            kind,
            egs_id: row.egsId,
            invoice_id: row.invoiceId,
            invoice_number: row.invoiceNumber,
            icv: row.icv,
            expected,
            actual,
            message,
          },
        });
        const inXml = await check(row.xml);
        if (row.icv !== expectedIcv || inXml.icv !== String(row.icv)) {
          return broken(
            'counter',
            String(expectedIcv),
            inXml.icv ?? String(row.icv),
            'The invoice counter (ICV) does not follow the previous one.',
          );
        }
        if (inXml.hash !== row.invoiceHash) {
          return broken(
            'hash',
            row.invoiceHash,
            inXml.hash,
            'The stored XML does not hash to the stored invoice hash.',
          );
        }
        if (row.previousHash !== expectedPih || inXml.pih !== expectedPih) {
          return broken(
            'previous_hash',
            expectedPih,
            inXml.pih ?? row.previousHash,
            "The previous invoice hash (PIH) is not the previous invoice's hash.",
          );
        }
        if (!inXml.signature.valid) return broken('signature', 'valid', 'invalid', inXml.signature.reason);
        previous = { egsId: row.egsId, icv: row.icv, hash: inXml.hash };
        count++;
      }
      if (previous && onProgress) await onProgress({ checked: count, cursor: previous });
    }
  }
  return { ok: true, count, egs_units: units };
}
