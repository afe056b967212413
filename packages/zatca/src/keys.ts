// Key and certificate material, parsed once and cached (parsing a PEM costs more than an ECDSA signature).
import { createHash, createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';

export interface SigningKeys {
  /** PEM (PKCS#8 or SEC1 "EC PRIVATE KEY"); bare base64 of SEC1 DER is accepted (the SDK's file format). */
  privateKeyPem: string;
  /** PEM; bare base64 of the DER is accepted (ZATCA's binarySecurityToken decoded, the SDK's cert.pem). */
  certificatePem: string;
}

export interface PreparedSigner {
  privateKey: KeyObject;
  certificate: X509Certificate;
  /** Base64 DER of the certificate without line breaks (ds:X509Certificate). */
  certificateBase64: string;
  /** XAdES CertDigest: base64(hex(SHA-256(certificate base64 text))) — ZATCA's variant, not the XAdES one. */
  certificateDigest: string;
  /** ds:X509IssuerName as in the samples: RDNs in reverse DER order, ", " separated. */
  issuerName: string;
  /** ds:X509SerialNumber in decimal. */
  serialNumber: string;
  /** QR tag 8: SubjectPublicKeyInfo DER. */
  publicKeyDer: Buffer;
  /** QR tag 9: the CA's signature over the certificate. */
  certificateSignature: Buffer;
}

function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END)[^-]+-----/g, '').replace(/\s+/g, '');
}

export function toPem(pemOrBase64: string, label: string): string {
  if (pemOrBase64.includes('-----BEGIN')) return pemOrBase64;
  const body = pemBody(pemOrBase64);
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

const cache = new Map<string, PreparedSigner>();
const CACHE_LIMIT = 64;

export function prepareSigner(keys: SigningKeys): PreparedSigner {
  const cacheKey = `${keys.privateKeyPem}\u0000${keys.certificatePem}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const privateKey = createPrivateKey(toPem(keys.privateKeyPem, 'EC PRIVATE KEY'));
  const certificateBase64 = pemBody(keys.certificatePem);
  const der = Buffer.from(certificateBase64, 'base64');
  const certificate = new X509Certificate(der);
  const parsed = AsnConvert.parse(der, Certificate);
  const prepared: PreparedSigner = {
    privateKey,
    certificate,
    certificateBase64,
    certificateDigest: Buffer.from(createHash('sha256').update(certificateBase64).digest('hex')).toString(
      'base64',
    ),
    issuerName: certificate.issuer.split('\n').reverse().join(', '),
    serialNumber: BigInt(`0x${certificate.serialNumber}`).toString(10),
    publicKeyDer: certificate.publicKey.export({ type: 'spki', format: 'der' }),
    certificateSignature: Buffer.from(parsed.signatureValue),
  };
  if (!certificate.publicKey.equals(createPublicKey(privateKey))) {
    throw new Error('the private key does not match the certificate');
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(cacheKey, prepared);
  return prepared;
}
