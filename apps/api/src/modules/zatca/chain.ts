// Walks a company's issued ZATCA documents per EGS unit in counter order and reports the first break: a counter
// that does not follow, a stored hash that is not the hash of the stored XML, a previous-invoice hash that is not
// the previous invoice's hash, or a signature that does not verify.
import type { Db } from '@invoiceflow/db';
import { computeInvoiceHash, FIRST_PIH, verifyInvoiceSignature } from '@invoiceflow/zatca';
import { listChain } from './queries';

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

export async function verifyChain(db: Db, { companyId }: { companyId: string }): Promise<ChainVerification> {
  const rows = await listChain(db, { companyId });
  const units = new Set(rows.map((row) => row.egsId)).size;
  let previous: { egsId: string; icv: number; hash: string } | undefined;
  let count = 0;
  for (const row of rows) {
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
