// Walks a company's issued ZATCA documents chain by chain (one per EGS unit) in counter order and reports the first break: a counter
// that does not follow, a stored hash that is not the hash of the stored XML, a previous-invoice hash that is not
// the previous invoice's hash, or a signature that does not verify. Then the company's seal chain (the UAE's
// integrity records, modules/integrity/verify.ts), whose breaks say `chain: 'seal'`.
//
// Memory is bounded by bytes, not rows: a 1,000-line invoice is ~1.5 MB of XML, so "200 documents a page" was
// 300 MB for a company of large invoices (the API process has a 160 MB heap). The sizes of the next documents are
// read first (from the TOAST headers, not the XML), then as many documents as fit in `pageBytes` (at least one),
// and each is checked on a ZATCA thread (threads.ts), one at a time: the request thread holds one page.
import type { Db } from '@invoiceflow/db';
import type { ChainRunCursor } from '@invoiceflow/db/schema';
import { FIRST_PIH } from '@invoiceflow/zatca';
import { getSealKey } from '../integrity/queries';
import { type SealBreakKind, verifySealChain } from '../integrity/verify';
import type { ChainDocumentCheck } from './chain-document';
import { listChainPage, listChainSizes, listChainUnits } from './queries';
import { checkChainDocumentOffThread } from './threads';

/** XML bytes read per query. */
export const PAGE_BYTES = 4 * 1024 * 1024;
/** Document sizes read per query (a few bytes each). */
const SIZES_PER_QUERY = 1000;

export type ChainBreakKind = 'counter' | 'hash' | 'previous_hash' | 'signature' | SealBreakKind;

export interface ChainBreak {
  kind: ChainBreakKind;
  /** Which chain broke: an EGS unit's ZATCA chain, or the company's seal chain. */
  chain: 'zatca' | 'seal';
  /** The EGS unit of a ZATCA chain. */
  egs_id?: string;
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
 * The pages of a chain after position `afterIcv`: each at most `pageBytes` of XML, or one document if a single
 * document is larger.
 */
export async function* chainPages(
  db: Db,
  {
    companyId,
    chainId,
    afterIcv,
    pageBytes,
  }: { companyId: string; chainId: string; afterIcv: number; pageBytes: number },
) {
  let after = afterIcv;
  for (;;) {
    const sizes = await listChainSizes(db, { companyId, chainId, after, limit: SIZES_PER_QUERY });
    let at = 0;
    while (at < sizes.length) {
      let bytes = sizes[at]?.bytes ?? 0;
      let end = at + 1;
      while (end < sizes.length && bytes + (sizes[end]?.bytes ?? 0) <= pageBytes) {
        bytes += sizes[end]?.bytes ?? 0;
        end++;
      }
      const throughIcv = sizes[end - 1]?.position ?? after;
      yield await listChainPage(db, { companyId, chainId, after, through: throughIcv });
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
  const chains = await listChainUnits(db, { companyId });
  const units = chains.length;
  const seal = await getSealKey(db, { companyId });
  // A cursor on the seal chain: every ZATCA chain was verified before it.
  const isResumingSeal = seal !== undefined && from?.cursor.chainId === seal.id;
  const resumeAt = isResumingSeal
    ? chains.length
    : from
      ? chains.findIndex((chain) => chain.chainId === from.cursor.chainId)
      : 0;
  let previous: ChainRunCursor | undefined = from?.cursor;
  let count = from?.checked ?? 0;
  for (const { chainId, egsId } of chains.slice(Math.max(0, resumeAt))) {
    const afterIcv = previous?.chainId === chainId ? previous.position : 0;
    for await (const page of chainPages(db, { companyId, chainId, afterIcv, pageBytes })) {
      for (const row of page) {
        const isFirstOfUnit = previous?.chainId !== row.chainId;
        const expectedIcv = isFirstOfUnit ? 1 : (previous?.position ?? 0) + 1;
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
            chain: 'zatca',
            egs_id: egsId,
            invoice_id: row.invoiceId,
            invoice_number: row.invoiceNumber,
            icv: row.position,
            expected,
            actual,
            message,
          },
        });
        const inXml = await check(row.xml);
        if (row.position !== expectedIcv || inXml.icv !== String(row.position)) {
          return broken(
            'counter',
            String(expectedIcv),
            inXml.icv ?? String(row.position),
            'The invoice counter (ICV) does not follow the previous one.',
          );
        }
        if (inXml.hash !== row.hash) {
          return broken(
            'hash',
            row.hash,
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
        previous = { chainId: row.chainId, position: row.position, hash: inXml.hash };
        count++;
      }
      if (previous && onProgress) await onProgress({ checked: count, cursor: previous });
    }
  }
  if (seal) {
    const before = count;
    const result = await verifySealChain(
      db,
      seal,
      { companyId },
      {
        pageBytes,
        from: isResumingSeal && from ? from.cursor : undefined,
        onProgress: async (cursor, checked) =>
          onProgress?.({ checked: before + checked, cursor: { chainId: seal.id, ...cursor } }),
      },
    );
    count += result.count;
    if (!result.ok) {
      const { position, ...rest } = result.break;
      return { ok: false, count, egs_units: units, break: { ...rest, chain: 'seal', icv: position } };
    }
  }
  return { ok: true, count, egs_units: units };
}
