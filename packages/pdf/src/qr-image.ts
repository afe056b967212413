// The ZATCA QR code, drawn as vector squares rather than an embedded PNG: sharper when printed, smaller, and
// about ten times cheaper than encoding and re-decoding a bitmap (qrcode PNG ≈ 8 ms).
import QRCode from 'qrcode';

export interface QrMatrix {
  /** Modules per side, without the quiet zone. */
  size: number;
  isDark(row: number, col: number): boolean;
}

// ISO/IEC 18004 §7.8.2, as the qrcode package writes them (lib/core/mask-pattern.js): i is the row, j the column.
const MASKS: Array<(i: number, j: number) => boolean> = [
  (i, j) => (i + j) % 2 === 0,
  (i) => i % 2 === 0,
  (_, j) => j % 3 === 0,
  (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
  (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
  (i, j) => (((i * j) % 3) + ((i + j) % 2)) % 2 === 0,
];

/** Format information (§7.9): error correction level and mask, BCH(15,5)-protected, XOR 101010000010010. */
function formatBits(levelBit: number, mask: number): number {
  const G15 = 0b10100110111;
  const data = (levelBit << 3) | mask;
  let d = data << 10;
  for (let shift = bitLength(d) - 11; shift >= 0; shift = bitLength(d) - 11) d ^= G15 << shift;
  return ((data << 10) | d) ^ 0b101010000010010;
}

function bitLength(value: number): number {
  return 32 - Math.clz32(value);
}

/** Writes the format information where qrcode's setupFormatInfo puts it (both copies and the dark module). */
function writeFormat(modules: Uint8Array, size: number, bits: number): void {
  for (let i = 0; i < 15; i++) {
    const bit = (bits >> i) & 1;
    const row = i < 6 ? i : i < 8 ? i + 1 : size - 15 + i;
    modules[row * size + 8] = bit;
    const col = i < 8 ? size - i - 1 : i < 9 ? 15 - i : 15 - i - 1;
    modules[8 * size + col] = bit;
  }
  modules[(size - 8) * size + 8] = 1;
}

// Penalties read off a sliding window of the last modules along a row or column (newest in bit 0), so the loops
// have no data-dependent branches: mask candidates differ exactly where a branch predictor would guess wrong.
// N1: a run of five or more modules of one colour scores 3 + its length beyond five, i.e. 3 at its fifth module
// and 1 at every further one (6-bit window: one differing module, then five alike; or six alike).
const RUN_SCORE = new Uint8Array(64);
RUN_SCORE[0b100000] = 3;
RUN_SCORE[0b011111] = 3;
RUN_SCORE[0b000000] = 1;
RUN_SCORE[0b111111] = 1;
// N3: 1:1:3:1:1 with four light modules before or after it, 40 each (11-bit window).
const FINDER_SCORE = new Uint8Array(2048);
FINDER_SCORE[0b10111010000] = 40;
FINDER_SCORE[0b00001011101] = 40;
// N2: a 2×2 block of one colour, 3 each: two stacked pairs summing to 0 or 4.
const BLOCK_SCORE = Uint8Array.of(3, 0, 0, 0, 3);

/**
 * The penalty score of §7.8.3 exactly as the qrcode package computes it (N1 runs, N2 blocks, N3 finder-like
 * patterns, N4 dark proportion), over a plain array: qrcode's own evaluation of the eight masks takes ~90% of
 * QRCode.create for a Phase 2 payload (1.7 ms of 1.9 ms for ~600 characters).
 */
function penalty(m: Uint8Array, size: number): number {
  let score = 0;
  for (let a = 0; a < size; a++) {
    score += linePenalty(m, a * size, 1, size);
    score += linePenalty(m, a, size, size);
  }
  for (let row = 0; row < size - 1; row++) {
    const top = row * size;
    const below = top + size;
    let left = (m[top] as number) + (m[below] as number);
    for (let col = 1; col < size; col++) {
      const right = (m[top + col] as number) + (m[below + col] as number);
      score += BLOCK_SCORE[left + right] as number;
      left = right;
    }
  }
  let dark = 0;
  for (let i = 0; i < m.length; i++) dark += m[i] as number;
  const k = Math.abs(Math.ceil((dark * 100) / (size * size) / 5) - 10);
  return score + k * 10;
}

/** N1 and N3 along one row (step 1) or column (step size); a symbol is at least 21 modules wide. */
function linePenalty(m: Uint8Array, start: number, step: number, size: number): number {
  let window = 0;
  let at = start;
  let i = 0;
  for (; i < 5; i++, at += step) window = (window << 1) | (m[at] as number);
  // A run that starts the line has no differing module before it.
  let score = window === 0 || window === 0b11111 ? 3 : 0;
  for (; i < 10; i++, at += step) {
    window = (window << 1) | (m[at] as number);
    score += RUN_SCORE[window & 63] as number;
  }
  for (; i < size; i++, at += step) {
    window = ((window << 1) & 0x7ff) | (m[at] as number);
    score += (RUN_SCORE[window & 63] as number) + (FINDER_SCORE[window] as number);
  }
  return score;
}

// The eight masks over the data area of one symbol size (function patterns are never masked); one entry per QR
// version seen, at most 40.
const maskCache = new Map<number, Uint8Array[]>();
function maskPatterns(size: number, reserved: Uint8Array): Uint8Array[] {
  let masks = maskCache.get(size);
  if (masks === undefined) {
    masks = MASKS.map((pattern) => {
      const out = new Uint8Array(size * size);
      for (let row = 0; row < size; row++) {
        for (let col = 0; col < size; col++) {
          const index = row * size + col;
          out[index] = !reserved[index] && pattern(row, col) ? 1 : 0;
        }
      }
      return out;
    });
    maskCache.set(size, masks);
  }
  return masks;
}

export function qrMatrix(payload: string): QrMatrix {
  // Byte mode on the base64 text: scanners (and ZATCA's app) decode exactly the characters we were given.
  // Encoded with mask 0, unmasked, and given the mask qrcode itself would choose (lowest penalty, first on a tie):
  // the same modules as QRCode.create without a mask, in a fraction of the time.
  const code = QRCode.create([{ data: Buffer.from(payload, 'utf8'), mode: 'byte' }], {
    errorCorrectionLevel: 'M',
    maskPattern: 0,
  });
  const { size, data, reservedBit } = code.modules;
  const levelBit = code.errorCorrectionLevel.bit;
  const masks = maskPatterns(size, reservedBit);
  const unmasked = data.slice();
  const mask0 = masks[0] as Uint8Array;
  for (let i = 0; i < unmasked.length; i++) unmasked[i] = (unmasked[i] as number) ^ (mask0[i] as number);

  let best: Uint8Array = data;
  let lowest = Number.POSITIVE_INFINITY;
  for (const [mask, pattern] of masks.entries()) {
    const bits = new Uint8Array(unmasked.length);
    for (let i = 0; i < bits.length; i++) bits[i] = (pattern[i] as number) ^ (unmasked[i] as number);
    writeFormat(bits, size, formatBits(levelBit, mask));
    const score = penalty(bits, size);
    if (score < lowest) {
      lowest = score;
      best = bits;
    }
  }
  const modules = best;
  return { size, isDark: (row, col) => modules[row * size + col] === 1 };
}

/** Side of the drawn code in points: about 0.65 mm per module (phones read 0.4 mm), never below 26 mm. */
export function qrSide(matrix: QrMatrix, minimum = 74): number {
  return Math.max(minimum, Math.min(150, (matrix.size + 8) * 1.85));
}

/** Draws the code with its 4-module quiet zone inside the square (x, y, side). */
export function drawQr(doc: PDFKit.PDFDocument, matrix: QrMatrix, x: number, y: number, side: number): void {
  const module = side / (matrix.size + 8);
  doc.save();
  doc.rect(x, y, side, side).fill('#ffffff');
  // In module units (one unit per module, origin inside the quiet zone): the path reads "12 5 3 1 re" rather than
  // six-decimal page coordinates, a third of the bytes to write and to deflate.
  doc.translate(x + 4 * module, y + 4 * module).scale(module);
  // One path of horizontal runs, filled once: a few hundred rectangles instead of thousands.
  for (let row = 0; row < matrix.size; row++) {
    let col = 0;
    while (col < matrix.size) {
      if (!matrix.isDark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < matrix.size && matrix.isDark(row, col)) col++;
      doc.rect(start, row, col - start, 1);
    }
  }
  doc.fill('#000000');
  doc.restore();
}
