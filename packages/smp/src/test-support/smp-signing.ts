// Tests only: a local SMP CA, SMP certificates it issues, and SignedServiceMetadata signed with them the way an SMP
// signs (enveloped XMLDSig over the whole document, exclusive C14N, RSA-SHA256). Keys are made per run; nothing
// here is a Peppol certificate.
import { createPublicKey, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  BasicConstraints,
  Certificate,
  Extension,
  Extensions,
  id_ce_basicConstraints,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
} from '@peculiar/asn1-x509';
import { SignedXml } from 'xml-crypto';

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const COMMON_NAME = '2.5.4.3';
const DER_NULL = new Uint8Array([5, 0]).buffer;

export interface TestKeyPair {
  privateKeyPem: string;
  certificatePem: string;
}

function nameOf(commonName: string): Name {
  return new Name([
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({ type: COMMON_NAME, value: new AttributeValue({ utf8String: commonName }) }),
    ]),
  ]);
}

function issue(params: {
  subject: string;
  issuer: string;
  subjectPublicKeyDer: Buffer;
  issuerPrivateKeyPem: string;
  isCa: boolean;
  notBefore: Date;
  notAfter: Date;
}): string {
  const algorithm = new AlgorithmIdentifier({ algorithm: SHA256_WITH_RSA, parameters: DER_NULL });
  const tbs = new TBSCertificate({
    version: 2,
    serialNumber: new Uint8Array([1, ...randomBytes(8)]).buffer,
    signature: algorithm,
    issuer: nameOf(params.issuer),
    validity: new Validity({ notBefore: params.notBefore, notAfter: params.notAfter }),
    subject: nameOf(params.subject),
    subjectPublicKeyInfo: AsnConvert.parse(params.subjectPublicKeyDer, SubjectPublicKeyInfo),
    extensions: new Extensions([
      new Extension({
        extnID: id_ce_basicConstraints,
        critical: true,
        extnValue: new OctetString(AsnConvert.serialize(new BasicConstraints({ cA: params.isCa }))),
      }),
    ]),
  });
  const signature = sign('sha256', Buffer.from(AsnConvert.serialize(tbs)), params.issuerPrivateKeyPem);
  const der = AsnConvert.serialize(
    new Certificate({
      tbsCertificate: tbs,
      signatureAlgorithm: algorithm,
      signatureValue: new Uint8Array(signature).buffer,
    }),
  );
  const base64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${base64.trim()}\n-----END CERTIFICATE-----\n`;
}

function rsaKeys(): { privateKeyPem: string; publicKeyDer: Buffer } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyDer: createPublicKey(privateKey).export({ type: 'spki', format: 'der' }),
  };
}

/** A self-signed CA standing in for the Peppol SMP CA. */
export function createTestSmpCa(
  name = 'InvoiceFlow TEST SMP CA - NOT PEPPOL',
  now = new Date(),
): TestKeyPair {
  const keys = rsaKeys();
  const certificatePem = issue({
    subject: name,
    issuer: name,
    subjectPublicKeyDer: keys.publicKeyDer,
    issuerPrivateKeyPem: keys.privateKeyPem,
    isCa: true,
    notBefore: new Date(now.getTime() - 86_400_000),
    notAfter: new Date(now.getTime() + 365 * 86_400_000),
  });
  return { privateKeyPem: keys.privateKeyPem, certificatePem };
}

/** An SMP certificate issued by the CA. */
export function issueTestSmpCertificate(ca: TestKeyPair, name = 'TEST SMP', now = new Date()): TestKeyPair {
  const keys = rsaKeys();
  // X509Certificate.subject is "CN=…" lines.
  const caName = /CN=([^\n]+)/.exec(new X509Certificate(ca.certificatePem).subject)?.[1] ?? '';
  const certificatePem = issue({
    subject: name,
    issuer: caName,
    subjectPublicKeyDer: keys.publicKeyDer,
    issuerPrivateKeyPem: ca.privateKeyPem,
    isCa: false,
    notBefore: new Date(now.getTime() - 86_400_000),
    notAfter: new Date(now.getTime() + 365 * 86_400_000),
  });
  return { privateKeyPem: keys.privateKeyPem, certificatePem };
}

/** Signs a SignedServiceMetadata document (its Signature appended as the root's last child). */
export function signSmpDocument(xml: string, signer: TestKeyPair): string {
  const signed = new SignedXml({
    privateKey: signer.privateKeyPem,
    publicCert: signer.certificatePem,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  signed.addReference({
    xpath: '/*',
    uri: '',
    isEmptyUri: true,
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: [
      'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
      'http://www.w3.org/2001/10/xml-exc-c14n#',
    ],
  });
  signed.computeSignature(xml, { location: { reference: '/*', action: 'append' } });
  return signed.getSignedXml();
}

export interface TestServiceMetadata {
  participant: string;
  documentType: string;
  processes: { id: string; endpoint: string }[];
}

const esc = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** The unsigned SignedServiceMetadata an SMP publishes for one document type. */
export function serviceMetadataXml(input: TestServiceMetadata): string {
  const processes = input.processes
    .map(
      (p) =>
        `<smp:Process><id:ProcessIdentifier scheme="cenbii-procid-ubl">${esc(p.id)}</id:ProcessIdentifier>` +
        '<smp:ServiceEndpointList><smp:Endpoint transportProfile="peppol-transport-as4-v2_0">' +
        `<wsa:EndpointReference><wsa:Address>${esc(p.endpoint)}</wsa:Address></wsa:EndpointReference>` +
        '<smp:RequireBusinessLevelSignature>false</smp:RequireBusinessLevelSignature>' +
        '<smp:ServiceActivationDate>2025-01-01T00:00:00Z</smp:ServiceActivationDate>' +
        '<smp:Certificate>MIIB</smp:Certificate><smp:ServiceDescription>AP</smp:ServiceDescription>' +
        '<smp:TechnicalContactUrl>https://ap.example/contact</smp:TechnicalContactUrl>' +
        '</smp:Endpoint></smp:ServiceEndpointList></smp:Process>',
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<smp:SignedServiceMetadata xmlns:smp="http://busdox.org/serviceMetadata/publishing/1.0/"' +
    ' xmlns:id="http://busdox.org/transport/identifiers/1.0/" xmlns:wsa="http://www.w3.org/2005/08/addressing">' +
    '<smp:ServiceMetadata><smp:ServiceInformation>' +
    `<id:ParticipantIdentifier scheme="iso6523-actorid-upis">${esc(input.participant)}</id:ParticipantIdentifier>` +
    `<id:DocumentIdentifier scheme="busdox-docid-qns">${esc(input.documentType)}</id:DocumentIdentifier>` +
    `<smp:ProcessList>${processes}</smp:ProcessList>` +
    '</smp:ServiceInformation></smp:ServiceMetadata></smp:SignedServiceMetadata>'
  );
}

/** The ServiceGroup listing the references. */
export function serviceGroupXml(participant: string, hrefs: readonly string[]): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<smp:ServiceGroup xmlns:smp="http://busdox.org/serviceMetadata/publishing/1.0/"' +
    ' xmlns:id="http://busdox.org/transport/identifiers/1.0/">' +
    `<id:ParticipantIdentifier scheme="iso6523-actorid-upis">${esc(participant)}</id:ParticipantIdentifier>` +
    '<smp:ServiceMetadataReferenceCollection>' +
    hrefs.map((href) => `<smp:ServiceMetadataReference href="${esc(href)}"/>`).join('') +
    '</smp:ServiceMetadataReferenceCollection></smp:ServiceGroup>'
  );
}
