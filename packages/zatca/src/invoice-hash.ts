// Invoice hash (Security Features Implementation Standard §2.3 / XML Implementation Standard, KSA-13):
// remove ext:UBLExtensions, cac:Signature and the cac:AdditionalDocumentReference with cbc:ID = QR,
// canonicalize, SHA-256, base64 of the 32 raw bytes.
// Trap (STACK-FINDINGS): ZATCA names C14N 1.1; xml-crypto's inclusive C14N 1.0 gives the same bytes on UBL invoices
// (no xml:* attributes), exclusive C14N does not.
import { createHash } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { C14nCanonicalization } from 'xml-crypto';

export const UBL_NS = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
  ext: 'urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2',
} as const;

/** KSA-13 of the first invoice of an EGS: base64 of the hex text of SHA-256("0") (sdk/Data/PIH/pih.txt). */
export const FIRST_PIH = Buffer.from(createHash('sha256').update('0').digest('hex'), 'utf8').toString(
  'base64',
);

const canonicalizer = new C14nCanonicalization();

export function parseXml(xml: string): Document {
  const errors: string[] = [];
  const doc = new DOMParser({
    errorHandler: {
      warning: () => {},
      error: (msg: string) => errors.push(msg),
      fatalError: (msg: string) => errors.push(msg),
    },
  }).parseFromString(xml, 'text/xml') as unknown as Document;
  if (errors.length > 0 || !doc.documentElement) {
    throw new Error(`XML is not well-formed: ${errors[0] ?? 'no document element'}`);
  }
  return doc;
}

function childElements(parent: Element): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

function isQrReference(el: Element): boolean {
  if (el.namespaceURI !== UBL_NS.cac || el.localName !== 'AdditionalDocumentReference') return false;
  return childElements(el).some(
    (c) => c.namespaceURI === UBL_NS.cbc && c.localName === 'ID' && (c.textContent ?? '').trim() === 'QR',
  );
}

/** The canonical bytes ZATCA hashes: the document with the three exclusions removed, C14N. */
export function canonicalizeForHash(xml: string): string {
  const doc = parseXml(xml);
  const root = doc.documentElement;
  // The same three exclusions as the ds:Transforms of the invoiceSignedData reference.
  const toRemove: Element[] = [];
  for (const el of Array.from(root.getElementsByTagNameNS(UBL_NS.ext, 'UBLExtensions'))) toRemove.push(el);
  for (const el of childElements(root)) {
    if (el.namespaceURI === UBL_NS.cac && el.localName === 'Signature') toRemove.push(el);
  }
  for (const el of Array.from(root.getElementsByTagNameNS(UBL_NS.cac, 'AdditionalDocumentReference'))) {
    if (isQrReference(el)) toRemove.push(el);
  }
  for (const el of toRemove) el.parentNode?.removeChild(el);
  return canonicalizer.process(root, {});
}

export function sha256Base64(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('base64');
}

/** KSA-13 / invoiceSignedData DigestValue of an invoice XML. */
export function computeInvoiceHash(xml: string): string {
  return sha256Base64(canonicalizeForHash(xml));
}
