// The integrity seal's cryptography, with no I/O: hashes, the record's signing input, keys and signatures.
// Every hash is SHA-256, base64. The signing input names the record's version, position and the three hashes,
// so the signature covers the invoice data, its XML and its place in the chain at once.
import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import type { SealAlgorithm } from '@invoiceflow/db/schema';
import { canonicalJson } from './canonical';

/** The previous hash of a chain's first record (as ZATCA's first PIH: the hash of "0"). */
export const FIRST_SEAL_HASH = sha256('0');

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('base64');
}

/** SHA-256 of the invoice data: the snapshot as issued, RFC 8785-canonical. */
export function dataHashOf(snapshot: unknown): string {
  return sha256(canonicalJson(snapshot));
}

/** SHA-256 of the XML's UTF-8 bytes (the same as the e-invoice's stored hash). */
export function xmlHashOf(xml: string): string {
  return sha256(Buffer.from(xml, 'utf8'));
}

export interface SealFields {
  position: number;
  dataHash: string;
  xmlHash: string | null;
  previousHash: string;
}

export function signingInputOf(fields: SealFields): string {
  return [
    'invoiceflow-seal-v1',
    fields.position,
    fields.dataHash,
    fields.xmlHash ?? '',
    fields.previousHash,
  ].join('|');
}

/** The record's own hash: what the next record carries as its previous hash. */
export function recordHashOf(fields: SealFields): string {
  return sha256(signingInputOf(fields));
}

/** RSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 8017 §8.1, the usual PS256 parameters). */
function options(algorithm: SealAlgorithm, key: KeyObject) {
  return algorithm === 'rsa-pss-2048'
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
    : { key, dsaEncoding: 'der' as const };
}

export async function generateSealKey(
  algorithm: SealAlgorithm,
): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  const encoding = {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  } as const;
  // Asynchronous: an RSA key takes tens of milliseconds, which must not stall the event loop.
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, publicKeyPem: string, privateKeyPem: string) =>
      error ? reject(error) : resolve({ privateKeyPem, publicKeyPem });
    if (algorithm === 'rsa-pss-2048') generateKeyPair('rsa', { modulusLength: 2048, ...encoding }, done);
    else generateKeyPair('ec', { namedCurve: 'prime256v1', ...encoding }, done);
  });
}

export function signSeal(algorithm: SealAlgorithm, privateKeyPem: string, fields: SealFields): string {
  const key = createPrivateKey(privateKeyPem);
  return sign('sha256', Buffer.from(signingInputOf(fields)), options(algorithm, key)).toString('base64');
}

export function verifySeal(
  algorithm: SealAlgorithm,
  publicKeyPem: string,
  fields: SealFields,
  signature: string,
): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    return verify(
      'sha256',
      Buffer.from(signingInputOf(fields)),
      options(algorithm, key),
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
}
