// Walks a company's issued ZATCA documents per EGS unit in counter order and reports the first break: a counter
// that does not follow, a stored hash that is not the hash of the stored XML, a previous-invoice hash that is not
// the previous invoice's hash, or a signature that does not verify. The chain is read a page at a time, so a
// company with a million invoices is verified in the memory of a few hundred (the API process has a budget).
import type { Db } from '@invoiceflow/db';
import { computeInvoiceHash, FIRST_PIH, verifyInvoiceSignature } from '@invoiceflow/zatca';
import { type ChainRow, listChainPage, listChainUnits } from './queries';

/** Documents read per query: ~20 KB of XML each. */
const PAGE_SIZE = 200;

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

/** KSA-16 and KSA-13 as written in the XML itself (the columns could be edited apart from it). */
function chainFieldsOfXml(xml: string): { icv: string | null; pih: string | null } {
  const icv = /<cbc:ID>ICV<\/cbc:ID>\s*<cbc:UUID>([^<]*)<\/cbc:UUID>/.exec(xml)?.[1] ?? null;
  const pih =
    /<cbc:ID>PIH<\/cbc:ID>\s*<cac:Attachment>\s*<cbc:EmbeddedDocumentBinaryObject[^>]*>([^<]*)</.exec(
      xml,
    )?.[1] ?? null;
  return { icv, pih };
}

/** Every document of the company, unit after unit, each unit's in counter order. */
async function* chainOf(
  db: Db,
  companyId: string,
  units: readonly string[],
  pageSize: number,
): AsyncGenerator<ChainRow> {
  for (const egsId of units) {
    let afterIcv = 0;
    for (;;) {
      const page = await listChainPage(db, { companyId, egsId, afterIcv, limit: pageSize });
      yield* page;
      if (page.length < pageSize) break;
      afterIcv = page.at(-1)?.icv ?? afterIcv;
    }
  }
}

export async function verifyChain(
  db: Db,
  { companyId }: { companyId: string },
  { pageSize = PAGE_SIZE }: { pageSize?: number } = {},
): Promise<ChainVerification> {
  const unitIds = await listChainUnits(db, { companyId });
  const units = unitIds.length;
  let previous: { egsId: string; icv: number; hash: string } | undefined;
  let count = 0;
  for await (const row of chainOf(db, companyId, unitIds, pageSize)) {
    const isFirstOfUnit = previous?.egsId !== row.egsId;
    const expectedIcv = isFirstOfUnit ? 1 : (previous?.icv ?? 0) + 1;
    const expectedPih = isFirstOfUnit ? FIRST_PIH : (previous?.hash ?? FIRST_PIH);
    const at = {
      egs_id: row.egsId,
      invoice_id: row.invoiceId,
      invoice_number: row.invoiceNumber,
      icv: row.icv,
    };
    const broken = (
      kind: ChainBreakKind,
      expected: string,
      actual: string,
      message: string,
    ): ChainVerification => ({
      ok: false,
      count,
      egs_units: units,
      break: { kind, ...at, expected, actual, message },
    });
    const inXml = chainFieldsOfXml(row.xml);
    if (row.icv !== expectedIcv || inXml.icv !== String(row.icv)) {
      return broken(
        'counter',
        String(expectedIcv),
        inXml.icv ?? String(row.icv),
        'The invoice counter (ICV) does not follow the previous one.',
      );
    }
    const hash = computeInvoiceHash(row.xml);
    if (hash !== row.invoiceHash) {
      return broken(
        'hash',
        row.invoiceHash,
        hash,
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
    const signature = verifyInvoiceSignature(row.xml);
    if (!signature.valid) return broken('signature', 'valid', 'invalid', signature.reason);
    previous = { egsId: row.egsId, icv: row.icv, hash };
    count++;
  }
  return { ok: true, count, egs_units: units };
}
