// The SMP's answers (Peppol SMP specification 1.x, the busdox namespaces): the ServiceGroup naming the document
// types, and each SignedServiceMetadata, signed by the SMP with an enveloped XMLDSig signature over the whole
// document. What is read of a signed answer is the XML the signature covers (the verified reference), never the
// nodes of the received text, so content wrapped around or inside the signature is never read.
import { X509Certificate } from 'node:crypto';
import {
  attr,
  child,
  childrenOf,
  parseUntrustedXml,
  text,
  UntrustedXmlError,
  type XmlNode,
} from '@invoiceflow/safe-xml';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';

export type SmpProblemCode = 'SMP_ANSWER_INVALID' | 'SMP_SIGNATURE_INVALID' | 'SMP_CERTIFICATE_UNTRUSTED';

export class SmpProblem extends Error {
  constructor(
    readonly code: SmpProblemCode,
    message: string,
  ) {
    super(message);
    this.name = 'SmpProblem';
  }
}

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
// Peppol SMPs sign with RSA-SHA256 (SMP specification 1.x §3.4.1 as the Peppol PKI uses it); SHA-1 is refused.
const SIGNATURE_ALGORITHMS = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
]);
const DIGEST_ALGORITHMS = new Set([
  'http://www.w3.org/2001/04/xmlenc#sha256',
  'http://www.w3.org/2001/04/xmlenc#sha512',
]);

/** An SMP answer is a few kilobytes per document type; anything near this is not an SMP answer. */
export const SMP_MAX_BYTES = 256 * 1024;
const MAX_DEPTH = 16;
const REPEATED = new Set(['ServiceMetadataReference', 'Process', 'Endpoint']);

function read(xml: string, expectedRoot: string): XmlNode {
  let parsed: ReturnType<typeof parseUntrustedXml>;
  try {
    parsed = parseUntrustedXml(xml, { maxBytes: SMP_MAX_BYTES, maxDepth: MAX_DEPTH, repeated: REPEATED });
  } catch (error) {
    if (error instanceof UntrustedXmlError) throw new SmpProblem('SMP_ANSWER_INVALID', error.message);
    throw error;
  }
  if (parsed.rootName !== expectedRoot || !parsed.root)
    throw new SmpProblem(
      'SMP_ANSWER_INVALID',
      `The SMP answered ${parsed.rootName ?? 'nothing'}, not ${expectedRoot}.`,
    );
  return parsed.root;
}

export interface ServiceGroup {
  participant: string | null;
  /** The ServiceMetadataReference hrefs, as written. */
  references: string[];
}

export function readServiceGroup(xml: string): ServiceGroup {
  const root = read(xml, 'ServiceGroup');
  const collection = child(root, 'ServiceMetadataReferenceCollection');
  const references = childrenOf(collection, 'ServiceMetadataReference')
    .map((ref) => (typeof ref['@href'] === 'string' ? ref['@href'] : null))
    .filter((href): href is string => !!href);
  return { participant: text(root, 'ParticipantIdentifier'), references };
}

export interface SmpEndpoint {
  transport_profile: string | null;
  address: string | null;
  activation_date: string | null;
  expiration_date: string | null;
}

export interface SmpProcess {
  scheme: string | null;
  id: string;
  endpoints: SmpEndpoint[];
}

export interface ServiceMetadata {
  participant: string | null;
  document_type: { scheme: string | null; id: string };
  processes: SmpProcess[];
  /** The SMP certificate that signed the answer: its subject and SHA-256 fingerprint. */
  signer: { subject: string; fingerprint_sha256: string };
}

export interface VerifyOptions {
  /** Certificates (PEM) trusted to sign SMP answers: the SMP CA, or an SMP's own certificate. */
  trusted: readonly X509Certificate[];
  now: Date;
}

/** The PEM blocks of a text (a config value holding one or more certificates). */
export function certificatesOf(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}

function isValidAt(certificate: X509Certificate, now: Date): boolean {
  return new Date(certificate.validFrom) <= now && now <= new Date(certificate.validTo);
}

/** The signer is trusted when it is a trusted certificate, or issued and signed by one, and valid now. */
function checkTrust(signer: X509Certificate, options: VerifyOptions): void {
  if (!isValidAt(signer, options.now))
    throw new SmpProblem('SMP_CERTIFICATE_UNTRUSTED', 'The SMP certificate is expired or not yet valid.');
  const isTrusted = options.trusted.some(
    (anchor) =>
      anchor.fingerprint256 === signer.fingerprint256 ||
      (isValidAt(anchor, options.now) && signer.checkIssued(anchor) && signer.verify(anchor.publicKey)),
  );
  if (!isTrusted)
    throw new SmpProblem(
      'SMP_CERTIFICATE_UNTRUSTED',
      'The SMP answer is signed by a certificate that is not trusted for SMPs.',
    );
}

function elementsNS(
  parent: { getElementsByTagNameNS(ns: string, name: string): ArrayLike<unknown> },
  name: string,
) {
  return Array.from(parent.getElementsByTagNameNS(DSIG, name)) as Element[];
}

/**
 * Reads a SignedServiceMetadata after verifying it: one enveloped signature, child of the root, over the whole
 * document (Reference URI=""), RSA-SHA256/512 with SHA-256/512 digests, by a trusted certificate carried in KeyInfo.
 * Throws SmpProblem: SMP_SIGNATURE_INVALID for a signature that does not verify (a changed answer),
 * SMP_CERTIFICATE_UNTRUSTED for a signer outside the trust list, SMP_ANSWER_INVALID for anything unreadable.
 */
export function readSignedServiceMetadata(xml: string, options: VerifyOptions): ServiceMetadata {
  // The hardened reader first: no DTD, entities, size or depth beyond the limits reach the DOM parser.
  read(xml, 'SignedServiceMetadata');
  const doc = new DOMParser({
    errorHandler: {
      error: (message) => {
        throw new SmpProblem(
          'SMP_ANSWER_INVALID',
          `The SMP answer is not well-formed: ${String(message).slice(0, 80)}`,
        );
      },
      fatalError: (message) => {
        throw new SmpProblem(
          'SMP_ANSWER_INVALID',
          `The SMP answer is not well-formed: ${String(message).slice(0, 80)}`,
        );
      },
    },
  }).parseFromString(xml, 'application/xml');
  const root = doc.documentElement;
  const signatures = elementsNS(doc, 'Signature');
  if (!root || signatures.length !== 1 || signatures[0]?.parentNode !== root)
    throw new SmpProblem(
      'SMP_SIGNATURE_INVALID',
      'The SMP answer does not carry exactly one enveloped signature.',
    );
  const signature = signatures[0] as Element;
  const certificates = elementsNS(signature, 'X509Certificate');
  if (certificates.length !== 1)
    throw new SmpProblem('SMP_SIGNATURE_INVALID', 'The signature does not name its SMP certificate.');
  let signer: X509Certificate;
  try {
    signer = new X509Certificate(
      Buffer.from((certificates[0]?.textContent ?? '').replace(/\s+/g, ''), 'base64'),
    );
  } catch {
    throw new SmpProblem('SMP_SIGNATURE_INVALID', 'The SMP certificate in the signature cannot be read.');
  }
  checkTrust(signer, options);

  // The key is the certificate just checked, never one xml-crypto would take from KeyInfo by itself.
  const verifier = new SignedXml({ publicCert: signer.toString(), getCertFromKeyInfo: () => null });
  let signed: string | undefined;
  try {
    verifier.loadSignature(signature);
    if (!SIGNATURE_ALGORITHMS.has(verifier.signatureAlgorithm ?? '')) throw new Error('signature algorithm');
    const isValid = verifier.checkSignature(xml);
    const references = verifier.getReferences();
    const reference = references[0];
    if (
      isValid &&
      references.length === 1 &&
      reference &&
      (reference.uri === '' || reference.isEmptyUri) &&
      reference.transforms.includes(ENVELOPED) &&
      DIGEST_ALGORITHMS.has(reference.digestAlgorithm)
    )
      signed = verifier.getSignedReferences()[0];
  } catch {
    signed = undefined;
  }
  if (!signed)
    throw new SmpProblem(
      'SMP_SIGNATURE_INVALID',
      'The signature of the SMP answer does not verify: it was changed or not signed by the SMP.',
    );

  const information = child(read(signed, 'SignedServiceMetadata'), 'ServiceMetadata', 'ServiceInformation');
  const documentId = text(information, 'DocumentIdentifier');
  if (!information || !documentId)
    throw new SmpProblem(
      'SMP_ANSWER_INVALID',
      'The SMP answer names no document type (a redirect is not followed).',
    );
  const processes = childrenOf(child(information, 'ProcessList'), 'Process').flatMap((process) => {
    const id = text(process, 'ProcessIdentifier');
    if (!id) return [];
    const endpoints = childrenOf(child(process, 'ServiceEndpointList'), 'Endpoint').map((endpoint) => ({
      transport_profile:
        typeof endpoint['@transportProfile'] === 'string' ? endpoint['@transportProfile'] : null,
      address: text(endpoint, 'EndpointReference', 'Address'),
      activation_date: text(endpoint, 'ServiceActivationDate'),
      expiration_date: text(endpoint, 'ServiceExpirationDate'),
    }));
    return [{ scheme: attr(process, 'ProcessIdentifier', 'scheme'), id, endpoints }];
  });
  return {
    participant: text(information, 'ParticipantIdentifier'),
    document_type: { scheme: attr(information, 'DocumentIdentifier', 'scheme'), id: documentId },
    processes,
    signer: { subject: signer.subject, fingerprint_sha256: signer.fingerprint256 },
  };
}
