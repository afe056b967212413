import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { CertificationRequest } from '@peculiar/asn1-csr';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Extensions, GeneralNames, type Name } from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import {
  buildCsr,
  type CsrInput,
  certificateSerial,
  generateEgsKeyPair,
  issueSelfSignedTestCertificate,
  OID,
} from './csr';
import { FIRST_PIH } from './invoice-hash';
import { signInvoice, verifyInvoiceSignature } from './signature';
import { SCENARIOS, scenarioInput } from './test-support/scenarios';
import { buildInvoiceXml } from './xml-builder';

// csr-config-example-EN.properties
const config: CsrInput = {
  commonName: 'TST-886431145-399999999900003',
  serialNumber: '1-TST|2-TST|3-ed22f1d8-e6a2-1118-9b58-d9a8f11e445f',
  organizationIdentifier: '399999999900003',
  organizationUnitName: 'Riyadh Branch',
  organizationName: 'Maximum Speed Tech Supply LTD',
  countryName: 'SA',
  invoiceType: '1100',
  location: 'RRRD2929',
  industry: 'Supply activities',
  environment: 'simulation',
};

function nameMap(name: Name): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rdn of name) for (const atv of rdn) out[atv.type] = atv.value.toString();
  return out;
}

describe('CSR', () => {
  const keys = generateEgsKeyPair();
  const csr = buildCsr(config, keys.privateKeyPem);
  const der = Buffer.from(csr.pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const parsed = AsnConvert.parse(der, CertificationRequest);

  it('generates secp256k1 keys', () => {
    const key = createPublicKey(keys.publicKeyPem);
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('secp256k1');
  });

  it('returns PEM and the base64 of the PEM the API expects', () => {
    expect(csr.pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
    expect(Buffer.from(csr.base64, 'base64').toString()).toBe(csr.pem);
  });

  it('has the ZATCA subject', () => {
    const subject = nameMap(parsed.certificationRequestInfo.subject);
    expect(subject[OID.commonName]).toBe(config.commonName);
    expect(subject[OID.organizationName]).toBe(config.organizationName);
    expect(subject[OID.organizationalUnitName]).toBe(config.organizationUnitName);
    expect(subject[OID.countryName]).toBe('SA');
  });

  it('has the template name and the subjectAltName dirName', () => {
    const attr = parsed.certificationRequestInfo.attributes.find((a) => a.type === OID.extensionRequest);
    if (!attr?.values[0]) throw new Error('no extensionRequest');
    const exts = AsnConvert.parse(attr.values[0], Extensions);
    const template = exts.find((e) => e.extnID === OID.certificateTemplateName);
    expect(
      Buffer.from(template?.extnValue.buffer ?? new ArrayBuffer(0))
        .subarray(2)
        .toString(),
    ).toBe('PREZATCA-Code-Signing');
    const san = exts.find((e) => e.extnID === OID.subjectAltName);
    if (!san) throw new Error('no SAN');
    const names = AsnConvert.parse(san.extnValue.buffer, GeneralNames);
    const dir = names[0]?.directoryName;
    if (!dir) throw new Error('no dirName');
    expect(nameMap(dir)).toEqual({
      [OID.surname]: config.serialNumber,
      [OID.uid]: config.organizationIdentifier,
      [OID.title]: '1100',
      [OID.registeredAddress]: 'RRRD2929',
      [OID.businessCategory]: 'Supply activities',
    });
  });

  it('is signed by the key (proof of possession)', () => {
    const info = AsnConvert.serialize(parsed.certificationRequestInfo);
    expect(
      verify('sha256', Buffer.from(info), createPublicKey(keys.publicKeyPem), Buffer.from(parsed.signature)),
    ).toBe(true);
  });

  it.each([
    ['sandbox', 'TSTZATCA-Code-Signing'],
    ['production', 'ZATCA-Code-Signing'],
  ] as const)('%s template name', (environment, expected) => {
    expect(
      Buffer.from(
        buildCsr({ ...config, environment }, keys.privateKeyPem).pem.replace(/-----[^-]+-----|\s/g, ''),
        'base64',
      ).includes(expected),
    ).toBe(true);
  });
});

describe('self-issued test certificate (local sandbox, NOT ZATCA)', () => {
  it('chains to the test CA and signs invoices our verifier accepts', () => {
    const keys = generateEgsKeyPair();
    const chain = issueSelfSignedTestCertificate(config, keys.privateKeyPem);
    const ca = new X509Certificate(chain.caCertificatePem);
    const cert = new X509Certificate(chain.certificatePem);
    expect(ca.subject).toContain('NOT ZATCA');
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIssued(ca)).toBe(true);
    const s = SCENARIOS[1];
    if (!s) throw new Error('scenario');
    const signed = signInvoice(buildInvoiceXml(scenarioInput(s, 1, FIRST_PIH)), {
      privateKeyPem: keys.privateKeyPem,
      certificatePem: chain.certificatePem,
    });
    expect(verifyInvoiceSignature(signed.xml).valid).toBe(true);
  });

  it('names the country of the CSR data in the test CA, as in the certificate it issues', () => {
    const chain = issueSelfSignedTestCertificate(
      { ...config, countryName: 'BH' },
      generateEgsKeyPair().privateKeyPem,
    );
    expect(new X509Certificate(chain.caCertificatePem).subject).toContain('C=BH');
    expect(new X509Certificate(chain.certificatePem).issuer).toContain('C=BH');
  });

  it('refuses a key that does not match the certificate', () => {
    const chain = issueSelfSignedTestCertificate(config, generateEgsKeyPair().privateKeyPem);
    const s = SCENARIOS[1];
    if (!s) throw new Error('scenario');
    expect(() =>
      signInvoice(buildInvoiceXml(scenarioInput(s, 1, FIRST_PIH)), {
        privateKeyPem: generateEgsKeyPair().privateKeyPem,
        certificatePem: chain.certificatePem,
      }),
    ).toThrow(/does not match/);
  });
});

describe('certificate serial numbers', () => {
  it('are always minimal positive DER integers: never a leading 0x00, never the sign bit', () => {
    // 20,000 draws: with the old top-bit-only rule ~78 of them started with 0x00 (a padded INTEGER OpenSSL refuses).
    for (let i = 0; i < 20_000; i++) {
      const first = new Uint8Array(certificateSerial())[0] ?? 0;
      expect(first >= 0x01 && first <= 0x7f, `first byte 0x${first.toString(16)}`).toBe(true);
    }
  });

  it('give certificates that OpenSSL reads, every time', () => {
    const { privateKeyPem } = generateEgsKeyPair();
    const input = {
      commonName: 'TST-886431145-399999999900003',
      serialNumber: '1-TST|2-TST|3-ed22f1d8-e6a2-1118-9b58-d9a8f11e445f',
      organizationIdentifier: '399999999900003',
      organizationUnitName: 'Riyadh Branch',
      organizationName: 'Maximum Speed Tech Supply LTD',
      countryName: 'SA',
      invoiceType: '1100',
      location: 'RRRD2929',
      industry: 'Supply activities',
      environment: 'sandbox',
    } satisfies CsrInput;
    for (let i = 0; i < 50; i++) {
      const { certificatePem } = issueSelfSignedTestCertificate(input, privateKeyPem);
      expect(() => new X509Certificate(certificatePem)).not.toThrow();
    }
  });
});
