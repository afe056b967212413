// The official SDK samples as fixtures: our hash, our signature verifier and our QR parser agree with them, and
// re-signing a sample with the SDK test key passes the official validator.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeInvoiceHash, FIRST_PIH, parseXml } from './invoice-hash';
import { parseQrPayload } from './qr';
import { qrFieldsFromDocument, signInvoice, verifyInvoiceSignature } from './signature';
import {
  describeFailures,
  sdkSamples,
  sdkSigningKeys,
  validateZatcaFiles,
  ZATCA_SDK_DIR,
  zatcaValidatorAvailability,
} from './test-support/validator';

const samples = sdkSamples();
const hasSamples = samples.length > 0;
if (!hasSamples) zatcaValidatorAvailability();

function digestOf(xml: string): string | undefined {
  return /Id="invoiceSignedData"[\s\S]*?<ds:DigestValue>([^<]+)<\/ds:DigestValue>/.exec(xml)?.[1];
}

function qrOf(xml: string): string {
  const m = /<cbc:ID>QR<\/cbc:ID>\s*<cac:Attachment>\s*<cbc:EmbeddedDocumentBinaryObject[^>]*>([^<]+)</.exec(
    xml,
  );
  if (!m?.[1]) throw new Error('no QR');
  return m[1];
}

describe.skipIf(!hasSamples)('official ZATCA samples', () => {
  it('has the 19 samples', () => {
    expect(samples).toHaveLength(19);
  });

  it('FIRST_PIH is the SDK pih.txt', () => {
    expect(FIRST_PIH).toBe(readFileSync(path.join(ZATCA_SDK_DIR, 'PIH/pih.txt'), 'utf8').trim());
  });

  it.each(samples)('hash of $name equals its invoiceSignedData digest', ({ file }) => {
    const xml = readFileSync(file, 'utf8');
    expect(computeInvoiceHash(xml)).toBe(digestOf(xml));
  });

  it.each(samples)('signature of $name verifies', ({ file }) => {
    expect(verifyInvoiceSignature(readFileSync(file, 'utf8'))).toEqual({
      valid: true,
      reason: 'signature verifies',
    });
  });

  it.each(samples)('QR of $name parses: tag 6 is the hash, tags 4/5 the totals', ({ file }) => {
    const xml = readFileSync(file, 'utf8');
    const qr = parseQrPayload(qrOf(xml));
    const fields = qrFieldsFromDocument(parseXml(xml));
    expect(qr.sellerName).toBe(fields.sellerName);
    expect(qr.vatNumber).toBe(fields.vatNumber);
    expect(qr.invoiceHash).toBe(digestOf(xml));
    // ZATCA's own prepayment/rounding samples put PayableAmount in tag 4; the others TaxInclusiveAmount.
    const payable = /<cbc:PayableAmount[^>]*>([^<]+)</.exec(xml)?.[1];
    expect([fields.totalWithVat, payable]).toContain(qr.totalWithVat);
    const firstTaxAmount = /<cac:TaxTotal>\s*<cbc:TaxAmount[^>]*>([^<]+)</.exec(xml)?.[1];
    expect([fields.vatTotal, firstTaxAmount]).toContain(qr.vatTotal);
    expect(qr.signature).toBe(/<ds:SignatureValue>([^<]+)</.exec(xml)?.[1]);
  });

  it('a tampered sample is rejected', () => {
    const first = samples.find((s) => s.name.endsWith('Simplified_Invoice.xml'));
    if (!first) throw new Error('sample missing');
    const xml = readFileSync(first.file, 'utf8').replace(
      '<cbc:PayableAmount currencyID="SAR">231.15',
      '<cbc:PayableAmount currencyID="SAR">131.15',
    );
    const result = verifyInvoiceSignature(xml);
    expect(result.valid).toBe(false);
    expect(result.reason).toMatch(/invoice digest/);
    const badSig = readFileSync(first.file, 'utf8').replace(
      '<ds:SignatureValue>MEYCIQCY',
      '<ds:SignatureValue>MEYCIQCZ',
    );
    expect(verifyInvoiceSignature(badSig).valid).toBe(false);
  });
});

describe.skipIf(!hasSamples || !zatcaValidatorAvailability().available)(
  'samples re-signed with the SDK test key',
  () => {
    it('pass the official validator', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'zatca-resign-'));
      const keys = sdkSigningKeys();
      const entries = samples.map(({ name, file }, i) => {
        const signed = signInvoice(readFileSync(file, 'utf8'), keys, { signingTime: '2025-01-15T10:00:00' });
        expect(verifyInvoiceSignature(signed.xml).valid).toBe(true);
        const out = path.join(dir, `${i}.xml`);
        writeFileSync(out, signed.xml);
        return { file: out, name };
      });
      const results = await validateZatcaFiles(entries.map((e) => ({ file: e.file })));
      for (const e of entries) {
        const r = results.get(e.file);
        expect(r?.global, `${e.name}\n${r ? describeFailures(r) : 'no result'}`).toBe('PASSED');
      }
    }, 120_000);
  },
);
