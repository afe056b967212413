import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrMatrix } from './qr-image';

/** Base64 text of `length` characters from a fixed sequence, like the TLV payloads ZATCA QR codes carry. */
function payload(length: number, seed: number): string {
  let state = seed;
  const bytes = Buffer.alloc(Math.ceil((length * 3) / 4) + 3);
  for (let i = 0; i < bytes.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes.toString('base64').slice(0, length);
}

describe('qrMatrix', () => {
  it('draws the same modules as the qrcode package, mask choice included, from short to Phase 2 payloads', () => {
    const masks = new Set<number>();
    for (let length = 1; length <= 1400; length += 23) {
      const text = payload(length, length);
      const expected = QRCode.create([{ data: Buffer.from(text, 'utf8'), mode: 'byte' }], {
        errorCorrectionLevel: 'M',
      });
      masks.add(expected.maskPattern ?? -1);
      const matrix = qrMatrix(text);
      expect(matrix.size).toBe(expected.modules.size);
      const drawn = Array.from({ length: matrix.size * matrix.size }, (_, i) =>
        matrix.isDark(Math.floor(i / matrix.size), i % matrix.size) ? 1 : 0,
      );
      expect(drawn.join('')).toBe(Array.from(expected.modules.data).join(''));
    }
    // The sample covers several of the eight masks, so the penalty rules are all exercised.
    expect(masks.size).toBeGreaterThanOrEqual(4);
  });
});
