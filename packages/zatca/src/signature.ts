// XAdES enveloped signature as ZATCA applies it (Security Features Implementation Standard §2.3–2.4 and the
// SDK samples). Traps, all checked against the samples:
// - SignatureValue is ECDSA (SHA-256, secp256k1) over the 32 raw bytes of the invoice hash, not over SignedInfo.
// - CertDigest is base64(hex(SHA-256(certificate base64 text))).
// - The SignedProperties digest is base64(hex(SHA-256(x))) where x is the exclusive C14N of the element with the
//   ds:DigestMethod written self-closed.
import { createHash, sign, verify, X509Certificate } from 'node:crypto';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { computeInvoiceHash, parseXml, UBL_NS } from './invoice-hash';
import { type PreparedSigner, prepareSigner, type SigningKeys } from './keys';
import { buildQrPayload, parseQrPayload } from './qr';
import { escapeText } from './xml-writer';

export type { SigningKeys } from './keys';

export const NS = {
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xades: 'http://uri.etsi.org/01903/v1.3.2#',
  sig: 'urn:oasis:names:specification:ubl:schema:xsd:CommonSignatureComponents-2',
  sac: 'urn:oasis:names:specification:ubl:schema:xsd:SignatureAggregateComponents-2',
  sbc: 'urn:oasis:names:specification:ubl:schema:xsd:SignatureBasicComponents-2',
} as const;

const SHA256_URI = 'http://www.w3.org/2001/04/xmlenc#sha256';
const C14N11_URI = 'http://www.w3.org/2006/12/xml-c14n11';

export interface SignOptions {
  /** xades:SigningTime; default now. Pass it for reproducible output. */
  signingTime?: Date | string;
}

export interface SignedInvoice {
  xml: string;
  /** Invoice hash (KSA-13 of the next invoice), base64. */
  hash: string;
  /** ds:SignatureValue, base64 DER ECDSA. */
  signatureValue: string;
  /** KSA-14 QR payload, base64. */
  qr: string;
}

/** SigningTime as in the samples: YYYY-MM-DDThh:mm:ss (UTC, no zone designator). */
export function formatSigningTime(time: Date | string | undefined): string {
  if (typeof time === 'string') return time;
  return (time ?? new Date()).toISOString().slice(0, 19);
}

/** ECDSA-SHA256 over the raw hash bytes; DER signature, base64. */
export function signInvoiceHash(hash: string, signer: PreparedSigner): string {
  return sign('sha256', Buffer.from(hash, 'base64'), signer.privateKey).toString('base64');
}

function signedPropertiesInner(signingTime: string, signer: PreparedSigner, dsNs: string): string {
  return (
    `<xades:SignedSignatureProperties><xades:SigningTime>${escapeText(signingTime)}</xades:SigningTime>` +
    '<xades:SigningCertificate><xades:Cert><xades:CertDigest>' +
    `<ds:DigestMethod${dsNs} Algorithm="${SHA256_URI}"/>` +
    `<ds:DigestValue${dsNs}>${signer.certificateDigest}</ds:DigestValue></xades:CertDigest>` +
    `<xades:IssuerSerial><ds:X509IssuerName${dsNs}>${escapeText(signer.issuerName)}</ds:X509IssuerName>` +
    `<ds:X509SerialNumber${dsNs}>${signer.serialNumber}</ds:X509SerialNumber></xades:IssuerSerial>` +
    '</xades:Cert></xades:SigningCertificate></xades:SignedSignatureProperties>'
  );
}

/**
 * The SignedProperties digest. The element is written compactly in the document, so its exclusive C14N is this
 * template (namespace declarations pushed down to where each prefix is used), with the self-closed DigestMethod
 * ZATCA hashes. verifyInvoiceSignature recomputes it from the DOM.
 */
export function signedPropertiesDigest(signingTime: string, signer: PreparedSigner): string {
  const ds = ` xmlns:ds="${NS.ds}"`;
  const text =
    `<xades:SignedProperties xmlns:xades="${NS.xades}" Id="xadesSignedProperties">` +
    signedPropertiesInner(signingTime, signer, ds) +
    '</xades:SignedProperties>';
  return hexSha256Base64(text);
}

function hexSha256Base64(text: string | Buffer): string {
  return Buffer.from(sha256Hex(text), 'utf8').toString('base64');
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** ext:UBLExtensions carrying the XAdES signature (structure of the SDK samples, written compactly). */
export function buildUblExtensions(
  invoiceHash: string,
  signatureValue: string,
  signingTime: string,
  signer: PreparedSigner,
): string {
  const transform = (xpath: string) =>
    `<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><ds:XPath>${escapeText(xpath)}</ds:XPath></ds:Transform>`;
  return (
    '<ext:UBLExtensions><ext:UBLExtension>' +
    '<ext:ExtensionURI>urn:oasis:names:specification:ubl:dsig:enveloped:xades</ext:ExtensionURI>' +
    `<ext:ExtensionContent><sig:UBLDocumentSignatures xmlns:sac="${NS.sac}" xmlns:sbc="${NS.sbc}" xmlns:sig="${NS.sig}">` +
    '<sac:SignatureInformation>' +
    // BR-KSA-28, BR-KSA-29
    '<cbc:ID>urn:oasis:names:specification:ubl:signature:1</cbc:ID>' +
    '<sbc:ReferencedSignatureID>urn:oasis:names:specification:ubl:signature:Invoice</sbc:ReferencedSignatureID>' +
    `<ds:Signature xmlns:ds="${NS.ds}" Id="signature"><ds:SignedInfo>` +
    `<ds:CanonicalizationMethod Algorithm="${C14N11_URI}"/>` +
    '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/>' +
    '<ds:Reference Id="invoiceSignedData" URI=""><ds:Transforms>' +
    transform('not(//ancestor-or-self::ext:UBLExtensions)') +
    transform('not(//ancestor-or-self::cac:Signature)') +
    transform("not(//ancestor-or-self::cac:AdditionalDocumentReference[cbc:ID='QR'])") +
    `<ds:Transform Algorithm="${C14N11_URI}"/></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${SHA256_URI}"/><ds:DigestValue>${invoiceHash}</ds:DigestValue></ds:Reference>` +
    '<ds:Reference Type="http://www.w3.org/2000/09/xmldsig#SignatureProperties" URI="#xadesSignedProperties">' +
    `<ds:DigestMethod Algorithm="${SHA256_URI}"/><ds:DigestValue>${signedPropertiesDigest(signingTime, signer)}</ds:DigestValue>` +
    '</ds:Reference></ds:SignedInfo>' +
    `<ds:SignatureValue>${signatureValue}</ds:SignatureValue>` +
    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${signer.certificateBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>` +
    `<ds:Object><xades:QualifyingProperties xmlns:xades="${NS.xades}" Target="signature">` +
    `<xades:SignedProperties Id="xadesSignedProperties">${signedPropertiesInner(signingTime, signer, '')}</xades:SignedProperties>` +
    '</xades:QualifyingProperties></ds:Object></ds:Signature>' +
    '</sac:SignatureInformation></sig:UBLDocumentSignatures></ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>'
  );
}

export function qrReferenceXml(payload: string): string {
  return (
    '<cac:AdditionalDocumentReference><cbc:ID>QR</cbc:ID><cac:Attachment>' +
    `<cbc:EmbeddedDocumentBinaryObject mimeCode="text/plain">${payload}</cbc:EmbeddedDocumentBinaryObject>` +
    '</cac:Attachment></cac:AdditionalDocumentReference>'
  );
}

function firstChild(parent: Element | Document, ns: string, localName: string): Element | undefined {
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === localName) {
      return n as Element;
    }
  }
  return undefined;
}

function childText(parent: Element | undefined, path: ReadonlyArray<readonly [string, string]>): string {
  let el: Element | undefined = parent;
  for (const [ns, name] of path) {
    if (!el) return '';
    el = firstChild(el, ns, name);
  }
  return (el?.textContent ?? '').trim();
}

/** The QR fields an invoice document states (tags 1–5). */
export function qrFieldsFromDocument(doc: Document): {
  sellerName: string;
  vatNumber: string;
  timestamp: string;
  totalWithVat: string;
  vatTotal: string;
  isSimplified: boolean;
} {
  const root = doc.documentElement;
  const { cac, cbc } = UBL_NS;
  const party: [string, string][] = [
    [cac, 'AccountingSupplierParty'],
    [cac, 'Party'],
  ];
  const currency = childText(root, [[cbc, 'DocumentCurrencyCode']]);
  let vatTotal = '';
  for (let n = root.firstChild; n; n = n.nextSibling) {
    const el = n as Element;
    if (n.nodeType !== 1 || el.namespaceURI !== cac || el.localName !== 'TaxTotal') continue;
    const amount = firstChild(el, cbc, 'TaxAmount');
    if (amount && amount.getAttribute('currencyID') === currency) {
      vatTotal = (amount.textContent ?? '').trim();
      break;
    }
  }
  const typeCode = firstChild(root, cbc, 'InvoiceTypeCode');
  return {
    sellerName: childText(root, [...party, [cac, 'PartyLegalEntity'], [cbc, 'RegistrationName']]),
    vatNumber: childText(root, [...party, [cac, 'PartyTaxScheme'], [cbc, 'CompanyID']]),
    timestamp: `${childText(root, [[cbc, 'IssueDate']])}T${childText(root, [[cbc, 'IssueTime']])}`,
    totalWithVat: childText(root, [
      [cac, 'LegalMonetaryTotal'],
      [cbc, 'TaxInclusiveAmount'],
    ]),
    vatTotal,
    isSimplified: (typeCode?.getAttribute('name') ?? '').startsWith('02'),
  };
}

const UBL_EXTENSIONS_RE = /<ext:UBLExtensions\b[^>]*>[\s\S]*?<\/ext:UBLExtensions>/;
const QR_REFERENCE_RE =
  /<cac:AdditionalDocumentReference>\s*<cbc:ID>\s*QR\s*<\/cbc:ID>[\s\S]*?<\/cac:AdditionalDocumentReference>/;
const PIH_REFERENCE_RE =
  /<cac:AdditionalDocumentReference>\s*<cbc:ID>\s*PIH\s*<\/cbc:ID>[\s\S]*?<\/cac:AdditionalDocumentReference>/;
const SIGNATURE_RE = /<cac:Signature>[\s\S]*?<\/cac:Signature>/;
const ROOT_OPEN_RE = /<Invoice\b[^>]*>/;

/**
 * Signs any ZATCA invoice XML that uses the usual prefixes (ext, cac, cbc): computes the hash through a DOM and
 * C14N, signs it, and writes UBLExtensions, the QR reference and the cac:Signature placeholder by string edits
 * (so the hashed content keeps its bytes). For invoices built here, buildSignedInvoice is the fast path.
 */
export function signInvoice(xml: string, keys: SigningKeys, options: SignOptions = {}): SignedInvoice {
  const signer = prepareSigner(keys);
  const doc = parseXml(xml);
  const root = doc.documentElement;
  if (root.namespaceURI !== UBL_NS.invoice || root.lookupNamespaceURI('cac') !== UBL_NS.cac) {
    throw new Error('signInvoice expects a UBL Invoice using the cac/cbc/ext prefixes');
  }
  const hash = computeInvoiceHash(xml);
  const signatureValue = signInvoiceHash(hash, signer);
  const fields = qrFieldsFromDocument(doc);
  const qr = buildQrPayload({
    ...fields,
    invoiceHash: hash,
    signature: signatureValue,
    publicKey: signer.publicKeyDer,
    certificateSignature: fields.isSimplified ? signer.certificateSignature : undefined,
  });
  const extensions = buildUblExtensions(hash, signatureValue, formatSigningTime(options.signingTime), signer);

  let out = xml.replace(UBL_EXTENSIONS_RE, '');
  const qrXml = qrReferenceXml(qr);
  if (QR_REFERENCE_RE.test(out)) out = out.replace(QR_REFERENCE_RE, qrXml);
  else {
    const pih = PIH_REFERENCE_RE.exec(out);
    if (!pih) throw new Error('the invoice has no PIH AdditionalDocumentReference (BR-KSA-61)');
    out = out.slice(0, pih.index + pih[0].length) + qrXml + out.slice(pih.index + pih[0].length);
  }
  if (!SIGNATURE_RE.test(out)) {
    const qrAt = QR_REFERENCE_RE.exec(out);
    if (!qrAt) throw new Error('QR reference not written');
    const at = qrAt.index + qrAt[0].length;
    out =
      `${out.slice(0, at)}<cac:Signature><cbc:ID>urn:oasis:names:specification:ubl:signature:Invoice</cbc:ID>` +
      `<cbc:SignatureMethod>urn:oasis:names:specification:ubl:dsig:enveloped:xades</cbc:SignatureMethod></cac:Signature>${out.slice(at)}`;
  }
  const open = ROOT_OPEN_RE.exec(out);
  if (!open) throw new Error('no Invoice root element');
  const at = open.index + open[0].length;
  out = out.slice(0, at) + extensions + out.slice(at);
  // The edits must not touch hashed content.
  if (computeInvoiceHash(out) !== hash) throw new Error('signing changed the hashed content of the invoice');
  return { xml: out, hash, signatureValue, qr };
}

export interface SignatureVerification {
  valid: boolean;
  reason: string;
}

function findFirst(doc: Document, ns: string, name: string): Element | undefined {
  return (doc.getElementsByTagNameNS(ns, name)[0] as Element | undefined) ?? undefined;
}

const exclusiveC14n = new ExclusiveCanonicalization();

/** Checks the invoice digest, the certificate digest and serial, the SignedProperties digest and the ECDSA value. */
export function verifyInvoiceSignature(xml: string): SignatureVerification {
  const { valid, reason } = verifyInvoiceSignatureAndHash(xml);
  return { valid, reason };
}

/**
 * verifyInvoiceSignature, and the invoice hash it computed on the way (null when the XML did not get that far):
 * a chain check needs both, and the hash is a parse and a canonicalisation of the whole document.
 */
export function verifyInvoiceSignatureAndHash(xml: string): SignatureVerification & { hash: string | null } {
  let doc: Document;
  try {
    doc = parseXml(xml);
  } catch (e) {
    return { valid: false, reason: (e as Error).message, hash: null };
  }
  const signature = findFirst(doc, NS.ds, 'Signature');
  if (!signature) return { valid: false, reason: 'no ds:Signature', hash: null };
  const references = Array.from(signature.getElementsByTagNameNS(NS.ds, 'Reference'));
  const invoiceRef = references.find((r) => r.getAttribute('Id') === 'invoiceSignedData');
  const propsRef = references.find((r) => r.getAttribute('URI') === '#xadesSignedProperties');
  const digestOf = (el: Element | undefined) =>
    (el?.getElementsByTagNameNS(NS.ds, 'DigestValue')[0]?.textContent ?? '').trim();
  const hash = computeInvoiceHash(xml);
  if (digestOf(invoiceRef) !== hash) {
    return {
      valid: false,
      reason: `invoice digest ${digestOf(invoiceRef)} != computed invoice hash ${hash}`,
      hash,
    };
  }
  const certB64 = (findFirst(doc, NS.ds, 'X509Certificate')?.textContent ?? '').replace(/\s+/g, '');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(certB64, 'base64'));
  } catch {
    return { valid: false, reason: 'ds:X509Certificate is not a certificate', hash };
  }
  const props = findFirst(doc, NS.xades, 'SignedProperties');
  if (!props) return { valid: false, reason: 'no xades:SignedProperties', hash };
  const certDigest = (
    props.getElementsByTagNameNS(NS.xades, 'CertDigest')[0]?.getElementsByTagNameNS(NS.ds, 'DigestValue')[0]
      ?.textContent ?? ''
  ).trim();
  if (certDigest !== hexSha256Base64(certB64))
    return { valid: false, reason: 'CertDigest does not match the certificate', hash };
  const serial = (props.getElementsByTagNameNS(NS.ds, 'X509SerialNumber')[0]?.textContent ?? '').trim();
  if (serial && serial !== BigInt(`0x${cert.serialNumber}`).toString(10)) {
    return { valid: false, reason: 'X509SerialNumber does not match the certificate', hash };
  }
  const canonical = exclusiveC14n.process(props, {});
  const zatcaText = canonical.replace(/><\/ds:DigestMethod>/g, '/>');
  const propsDigest = digestOf(propsRef);
  if (propsDigest !== hexSha256Base64(zatcaText) && propsDigest !== hexSha256Base64(canonical)) {
    return { valid: false, reason: 'SignedProperties digest does not match', hash };
  }
  const value = (findFirst(doc, NS.ds, 'SignatureValue')?.textContent ?? '').replace(/\s+/g, '');
  const ok = verify('sha256', Buffer.from(hash, 'base64'), cert.publicKey, Buffer.from(value, 'base64'));
  if (!ok) return { valid: false, reason: 'SignatureValue does not verify with the certificate key', hash };
  // The QR, when present, must carry this hash and signature (tags 6 and 7).
  const qrText = findQrText(doc);
  if (qrText) {
    const qr = parseQrPayload(qrText);
    if (qr.invoiceHash !== undefined && qr.invoiceHash !== hash)
      return { valid: false, reason: 'QR tag 6 != invoice hash', hash };
    if (qr.signature !== undefined && qr.signature !== value)
      return { valid: false, reason: 'QR tag 7 != SignatureValue', hash };
  }
  return { valid: true, reason: 'signature verifies', hash };
}

function findQrText(doc: Document): string | undefined {
  for (const ref of Array.from(doc.getElementsByTagNameNS(UBL_NS.cac, 'AdditionalDocumentReference'))) {
    const id = ref.getElementsByTagNameNS(UBL_NS.cbc, 'ID')[0];
    if ((id?.textContent ?? '').trim() === 'QR') {
      return (
        ref.getElementsByTagNameNS(UBL_NS.cbc, 'EmbeddedDocumentBinaryObject')[0]?.textContent ?? ''
      ).trim();
    }
  }
  return undefined;
}
