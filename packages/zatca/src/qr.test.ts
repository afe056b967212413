import { describe, expect, it } from 'vitest';
import { buildQrPayload, buildQrTlv, parseQrPayload, renderQrPng, renderQrSvg } from './qr';

describe('QR TLV', () => {
  const fields = {
    sellerName: 'شركة توريد التكنولوجيا | Maximum Speed Tech',
    vatNumber: '399999999900003',
    timestamp: '2025-01-15T10:00:00',
    totalWithVat: '231.15',
    vatTotal: '30.15',
  };

  it('Phase 1 payload has tags 1–5 and round-trips', () => {
    const qr = parseQrPayload(buildQrPayload(fields));
    expect([...qr.tags.keys()]).toEqual([1, 2, 3, 4, 5]);
    expect(qr).toMatchObject(fields);
  });

  it('Phase 2 tags 6–9: base64 text for hash and signature, raw bytes for key and certificate signature', () => {
    const publicKey = Buffer.from([0x30, 0x56, 1, 2, 3]);
    const certificateSignature = Buffer.from([0x30, 0x45, 9, 9]);
    const qr = parseQrPayload(
      buildQrPayload({ ...fields, invoiceHash: 'abc=', signature: 'MEUC', publicKey, certificateSignature }),
    );
    expect(qr.invoiceHash).toBe('abc=');
    expect(qr.signature).toBe('MEUC');
    expect(qr.publicKey).toEqual(publicKey);
    expect(qr.certificateSignature).toEqual(certificateSignature);
  });

  it('encodes the UTF-8 byte length in one byte and refuses more than 255 bytes', () => {
    expect([...buildQrTlv([[1, 'قلم']])]).toEqual([1, 6, ...Buffer.from('قلم')]);
    expect(() => buildQrTlv([[1, 'x'.repeat(256)]])).toThrow(/one-byte/);
  });

  it('renders SVG and PNG', async () => {
    const payload = buildQrPayload(fields);
    expect(await renderQrSvg(payload)).toMatch(/^<svg/);
    const png = await renderQrPng(payload);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });
});
