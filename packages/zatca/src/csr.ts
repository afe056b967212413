// EGS keys and the onboarding CSR (Security Features Implementation Standard §2.2.2, Table 1, and the SDK's
// csr-config-*.properties), plus a local self-issued test certificate chain that is NOT from ZATCA.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import { ZATCA_COUNTRY } from '@invoiceflow/jurisdictions';
import { Attributes, CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  Attribute,
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
} from '@peculiar/asn1-x509';
import { toPem } from './keys';

export const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  extensionRequest: '1.2.840.113549.1.9.14',
  certificateTemplateName: '1.3.6.1.4.1.311.20.2',
  subjectAltName: '2.5.29.17',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  commonName: '2.5.4.3',
  surname: '2.5.4.4', // "SN" in OpenSSL: carries the EGS serial number
  countryName: '2.5.4.6',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  title: '2.5.4.12', // invoice type "1100"
  businessCategory: '2.5.4.15',
  registeredAddress: '2.5.4.26',
  uid: '0.9.2342.19200300.100.1.1', // VAT number
  codeSigning: '1.3.6.1.5.5.7.3.3',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

export type ZatcaEnvironment = 'sandbox' | 'simulation' | 'production';

/** Value of extension 1.3.6.1.4.1.311.20.2 per environment (developer portal, simulation, core). */
export const CERTIFICATE_TEMPLATE_NAMES: Record<ZatcaEnvironment, string> = {
  sandbox: 'TSTZATCA-Code-Signing',
  simulation: 'PREZATCA-Code-Signing',
  production: 'ZATCA-Code-Signing',
};

export interface EgsKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** secp256k1 key pair (Security Features standard §2.2.1), PEM: PKCS#8 private, SPKI public. */
export function generateEgsKeyPair(): EgsKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export interface CsrInput {
  /** csr.common.name: unique name or asset tracking number of the EGS unit. */
  commonName: string;
  /** csr.serial.number: "1-Solution|2-Model|3-serial". */
  serialNumber: string;
  /** csr.organization.identifier: VAT or group VAT number (15 digits, 3…3). */
  organizationIdentifier: string;
  /** csr.organization.unit.name: branch name, or the 10-digit TIN of a VAT group member. */
  organizationUnitName: string;
  /** csr.organization.name */
  organizationName: string;
  /** csr.country.name, ISO 3166 alpha-2 */
  countryName: string;
  /** csr.invoice.type: TSCZ flags, e.g. "1100" standard + simplified. */
  invoiceType: string;
  /** csr.location.address */
  location: string;
  /** csr.industry.business.category */
  industry: string;
  environment: ZatcaEnvironment;
}

export interface CsrResult {
  pem: string;
  /** What the compliance CSID API takes as `csr`: base64 of the PEM text. */
  base64: string;
}

function utf8Atv(type: string, value: string): RelativeDistinguishedName {
  return new RelativeDistinguishedName([
    new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String: value }) }),
  ]);
}

function printableAtv(type: string, value: string): RelativeDistinguishedName {
  return new RelativeDistinguishedName([
    new AttributeTypeAndValue({ type, value: new AttributeValue({ printableString: value }) }),
  ]);
}

function subjectName(
  input: Pick<CsrInput, 'countryName' | 'organizationUnitName' | 'organizationName' | 'commonName'>,
): Name {
  return new Name([
    printableAtv(OID.countryName, input.countryName),
    utf8Atv(OID.organizationalUnitName, input.organizationUnitName),
    utf8Atv(OID.organizationName, input.organizationName),
    utf8Atv(OID.commonName, input.commonName),
  ]);
}

/** subjectAltName dirName: SN (EGS serial), UID (VAT), title (invoice type), registeredAddress, businessCategory. */
function egsAltName(input: CsrInput): SubjectAlternativeName {
  const dirName = new Name([
    utf8Atv(OID.surname, input.serialNumber),
    utf8Atv(OID.uid, input.organizationIdentifier),
    utf8Atv(OID.title, input.invoiceType),
    utf8Atv(OID.registeredAddress, input.location),
    utf8Atv(OID.businessCategory, input.industry),
  ]);
  return new SubjectAlternativeName([new GeneralName({ directoryName: dirName })]);
}

/** DER PrintableString, as the SDK writes the template name (ASN1:PRINTABLESTRING). */
function derPrintableString(value: string): ArrayBuffer {
  const bytes = Buffer.from(value, 'latin1');
  if (bytes.length > 127) throw new Error('template name too long');
  const out = Buffer.concat([Buffer.from([0x13, bytes.length]), bytes]);
  return out.buffer.slice(out.byteOffset, out.byteOffset + out.length) as ArrayBuffer;
}

function extension(extnID: string, value: ArrayBuffer, critical = false): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(value) });
}

function spkiFromPrivate(privateKeyPem: string): { spki: SubjectPublicKeyInfo; der: Buffer } {
  const der = createPublicKey(createPrivateKey(toPem(privateKeyPem, 'EC PRIVATE KEY'))).export({
    type: 'spki',
    format: 'der',
  });
  return { spki: AsnConvert.parse(der, SubjectPublicKeyInfo), der };
}

function ecdsaSha256(data: ArrayBuffer, privateKeyPem: string): ArrayBuffer {
  const sig = sign('sha256', Buffer.from(data), createPrivateKey(toPem(privateKeyPem, 'EC PRIVATE KEY')));
  return sig.buffer.slice(sig.byteOffset, sig.byteOffset + sig.length) as ArrayBuffer;
}

function derToPem(der: ArrayBuffer, label: string): string {
  return toPem(Buffer.from(der).toString('base64'), label);
}

export function buildCsr(input: CsrInput, privateKeyPem: string): CsrResult {
  const { spki } = spkiFromPrivate(privateKeyPem);
  const extensions = new Extensions([
    extension(OID.certificateTemplateName, derPrintableString(CERTIFICATE_TEMPLATE_NAMES[input.environment])),
    extension(OID.subjectAltName, AsnConvert.serialize(egsAltName(input))),
  ]);
  const info = new CertificationRequestInfo({
    version: 0,
    subject: subjectName(input),
    subjectPKInfo: spki,
    attributes: new Attributes([
      new Attribute({ type: OID.extensionRequest, values: [AsnConvert.serialize(extensions)] }),
    ]),
  });
  const infoDer = AsnConvert.serialize(info);
  const csr = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: OID.ecdsaWithSha256 }),
    signature: ecdsaSha256(infoDer, privateKeyPem),
  });
  const pem = derToPem(AsnConvert.serialize(csr), 'CERTIFICATE REQUEST');
  return { pem, base64: Buffer.from(pem, 'utf8').toString('base64') };
}

export interface TestCertificateChain {
  /** Marked in its subject: "InvoiceFlow LOCAL TEST CA - NOT ZATCA". */
  caCertificatePem: string;
  caPrivateKeyPem: string;
  /** The EGS certificate, usable with signInvoice in a local sandbox mode. NEVER valid for ZATCA. */
  certificatePem: string;
}

function keyId(spkiDer: Buffer): KeyIdentifier {
  const id = createHash('sha1').update(spkiDer).digest();
  return new KeyIdentifier(id.buffer.slice(id.byteOffset, id.byteOffset + id.length) as ArrayBuffer);
}

/**
 * A random certificate serial, encodable as a minimal positive DER INTEGER (RFC 5280 4.1.2.2): the first byte is in
 * 0x40–0x7f. Clearing only the top bit left a leading 0x00 in 1 of 128 serials, a padded INTEGER that OpenSSL refuses
 * ("illegal padding"), so 1 in ~256 local EGS units got a certificate nothing could read.
 */
export function certificateSerial(): ArrayBuffer {
  const b = randomBytes(16);
  b[0] = 0x40 | ((b[0] ?? 0) & 0x3f);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
}

function issueCertificate(params: {
  subject: Name;
  issuer: Name;
  /** The subject's key: its private key (PEM), or its SubjectPublicKeyInfo DER. */
  subjectKeyPem: string | { spkiDer: Buffer };
  issuerKeyPem: string;
  extensions: Extension[];
  notBefore: Date;
  notAfter: Date;
}): string {
  const { spki, der } =
    typeof params.subjectKeyPem === 'string'
      ? spkiFromPrivate(params.subjectKeyPem)
      : {
          spki: AsnConvert.parse(params.subjectKeyPem.spkiDer, SubjectPublicKeyInfo),
          der: params.subjectKeyPem.spkiDer,
        };
  const issuerSpki = spkiFromPrivate(params.issuerKeyPem).der;
  const tbs = new TBSCertificate({
    version: 2,
    serialNumber: certificateSerial(),
    signature: new AlgorithmIdentifier({ algorithm: OID.ecdsaWithSha256 }),
    issuer: params.issuer,
    validity: new Validity({ notBefore: params.notBefore, notAfter: params.notAfter }),
    subject: params.subject,
    subjectPublicKeyInfo: spki,
    extensions: new Extensions([
      ...params.extensions,
      extension(OID.subjectKeyIdentifier, AsnConvert.serialize(new SubjectKeyIdentifier(keyId(der)))),
      extension(
        OID.authorityKeyIdentifier,
        AsnConvert.serialize(new AuthorityKeyIdentifier({ keyIdentifier: keyId(issuerSpki) })),
      ),
    ]),
  });
  const tbsDer = AsnConvert.serialize(tbs);
  const cert = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: OID.ecdsaWithSha256 }),
    signatureValue: ecdsaSha256(tbsDer, params.issuerKeyPem),
  });
  return derToPem(AsnConvert.serialize(cert), 'CERTIFICATE');
}

/**
 * A self-issued test CA and an EGS certificate for the given CSR data and EGS key, so a company can sign invoices
 * locally without ZATCA. These certificates are NOT issued by ZATCA and are rejected by its APIs.
 */
export function issueSelfSignedTestCertificate(
  input: CsrInput,
  egsPrivateKeyPem: string,
  options: { validDays?: number; now?: Date } = {},
): TestCertificateChain {
  const now = options.now ?? new Date();
  const notAfter = new Date(now.getTime() + (options.validDays ?? 365) * 86_400_000);
  const ca = generateEgsKeyPair();
  // The company's own local CA: of the company's country, like the certificate it issues.
  const caName = new Name([
    printableAtv(OID.countryName, input.countryName),
    utf8Atv(OID.organizationName, 'InvoiceFlow'),
    utf8Atv(OID.commonName, 'InvoiceFlow LOCAL TEST CA - NOT ZATCA'),
  ]);
  const caCertificatePem = issueCertificate({
    subject: caName,
    issuer: caName,
    subjectKeyPem: ca.privateKeyPem,
    issuerKeyPem: ca.privateKeyPem,
    extensions: [
      extension(OID.basicConstraints, AsnConvert.serialize(new BasicConstraints({ cA: true })), true),
      extension(
        OID.keyUsage,
        AsnConvert.serialize(new KeyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign)),
        true,
      ),
    ],
    notBefore: now,
    notAfter,
  });
  const certificatePem = issueCertificate({
    subject: subjectName(input),
    issuer: caName,
    subjectKeyPem: egsPrivateKeyPem,
    issuerKeyPem: ca.privateKeyPem,
    extensions: [
      extension(OID.subjectAltName, AsnConvert.serialize(egsAltName(input))),
      extension(OID.keyUsage, AsnConvert.serialize(new KeyUsage(KeyUsageFlags.digitalSignature)), true),
      extension(
        OID.extKeyUsage,
        AsnConvert.serialize(new ExtendedKeyUsage([OID.codeSigning, OID.clientAuth])),
      ),
      extension(OID.certificateTemplateName, derPrintableString('InvoiceFlow-LOCAL-TEST-NOT-ZATCA')),
    ],
    notBefore: now,
    notAfter,
  });
  return { caCertificatePem, caPrivateKeyPem: ca.privateKeyPem, certificatePem };
}

/**
 * A certificate from a local test CA for the key and subject of a CSR, as ZATCA's compliance and production CSID
 * APIs answer — for a fake ZATCA server in tests. Checks the CSR's own signature first. NOT a ZATCA certificate.
 */
export function issueTestCertificateForCsr(
  csrPem: string,
  caPrivateKeyPem: string,
  options: { validDays?: number; now?: Date; issuerName?: string } = {},
): string {
  const der = Buffer.from(csrPem.replace(/-----(BEGIN|END)[^-]+-----|\s+/g, ''), 'base64');
  const csr = AsnConvert.parse(der, CertificationRequest);
  const info = csr.certificationRequestInfo;
  const spkiDer = Buffer.from(AsnConvert.serialize(info.subjectPKInfo));
  const publicKey = createPublicKey({ key: spkiDer, format: 'der', type: 'spki' });
  const isSigned = verify(
    'sha256',
    Buffer.from(AsnConvert.serialize(info)),
    publicKey,
    Buffer.from(csr.signature),
  );
  if (!isSigned) throw new Error('the CSR signature does not verify');
  // The requested extensions (subjectAltName with the EGS data) go into the certificate.
  const requested = info.attributes.find((a) => a.type === OID.extensionRequest)?.values[0];
  const extensions = requested ? [...AsnConvert.parse(requested, Extensions)] : [];
  const now = options.now ?? new Date();
  // Stands in for ZATCA's CA, whose country is ZATCA's.
  const issuer = new Name([
    printableAtv(OID.countryName, ZATCA_COUNTRY),
    utf8Atv(OID.organizationName, 'InvoiceFlow'),
    utf8Atv(OID.commonName, options.issuerName ?? 'InvoiceFlow FAKE ZATCA CA - NOT ZATCA'),
  ]);
  return issueCertificate({
    subject: info.subject,
    issuer,
    subjectKeyPem: { spkiDer },
    issuerKeyPem: caPrivateKeyPem,
    extensions: [
      ...extensions.filter((e) => e.extnID === OID.subjectAltName),
      extension(OID.keyUsage, AsnConvert.serialize(new KeyUsage(KeyUsageFlags.digitalSignature)), true),
    ],
    notBefore: now,
    notAfter: new Date(now.getTime() + (options.validDays ?? 365) * 86_400_000),
  });
}
