// What the chain verification needs to know of one stored document, computed from its XML alone (no I/O), so it
// can run on a ZATCA thread (threads.ts) as well as in the caller's: the counter and previous hash written in the
// XML, the invoice hash of the XML, and whether its signature verifies.
import {
  computeInvoiceHash,
  type SignatureVerification,
  verifyInvoiceSignatureAndHash,
} from '@invoiceflow/zatca';

export interface ChainDocumentCheck {
  /** KSA-16 as written in the XML (the column could be edited apart from it). */
  icv: string | null;
  /** KSA-13 as written in the XML. */
  pih: string | null;
  hash: string;
  signature: SignatureVerification;
}

export function checkChainDocument(xml: string): ChainDocumentCheck {
  const icv = /<cbc:ID>ICV<\/cbc:ID>\s*<cbc:UUID>([^<]*)<\/cbc:UUID>/.exec(xml)?.[1] ?? null;
  const pih =
    /<cbc:ID>PIH<\/cbc:ID>\s*<cac:Attachment>\s*<cbc:EmbeddedDocumentBinaryObject[^>]*>([^<]*)</.exec(
      xml,
    )?.[1] ?? null;
  // The verification computes the invoice hash (a parse and a canonicalisation of ~1.5 MB for a large invoice):
  // taken from it rather than computed twice.
  const { valid, reason, hash } = verifyInvoiceSignatureAndHash(xml);
  return { icv, pih, hash: hash ?? computeInvoiceHash(xml), signature: { valid, reason } };
}
