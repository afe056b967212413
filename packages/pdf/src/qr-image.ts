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

/** The format modules as qrcode's setupFormatInfo places them, both copies: [row, col, bit of the format]. */
function formatCells(size: number): Array<[number, number, number]> {
  const cells: Array<[number, number, number]> = [];
  for (let i = 0; i < 15; i++) {
    cells.push([i < 6 ? i : i < 8 ? i + 1 : size - 15 + i, 8, i]);
    cells.push([8, i < 8 ? size - i - 1 : i < 9 ? 15 - i : 15 - i - 1, i]);
  }
  return cells;
}

// ---------------------------------------------------------------------------------------------------------------
// Mask choice. qrcode evaluates the eight masks module by module (~90% of QRCode.create for a ~600-character
// Phase 2 payload); the same rules are evaluated here on rows and columns packed 32 modules to a word.
// Module j of a line is bit (j & 31) of word (j >> 5); bits past the end of the line are 0.

/** A symbol size's masks, packed by rows and by columns, and as one byte per module. Per size: at most 40. */
interface SymbolMasks {
  words: number;
  bytes: Uint8Array[];
  rows: Uint32Array[];
  cols: Uint32Array[];
  format: Array<[number, number, number]>;
}

const symbolMasks = new Map<number, SymbolMasks>();

function masksFor(size: number, reserved: Uint8Array): SymbolMasks {
  let masks = symbolMasks.get(size);
  if (masks === undefined) {
    const bytes = MASKS.map((pattern) => {
      const out = new Uint8Array(size * size);
      for (let row = 0; row < size; row++) {
        for (let col = 0; col < size; col++) {
          const index = row * size + col;
          // Function patterns (finders, timing, alignment, format and version areas) are never masked.
          out[index] = !reserved[index] && pattern(row, col) ? 1 : 0;
        }
      }
      return out;
    });
    masks = {
      words: (size + 31) >>> 5,
      bytes,
      rows: bytes.map((m) => pack(m, size, false)),
      cols: bytes.map((m) => pack(m, size, true)),
      format: formatCells(size),
    };
    symbolMasks.set(size, masks);
  }
  return masks;
}

/** Lines of a module matrix as words: rows, or columns when `transpose`. */
function pack(modules: Uint8Array, size: number, transpose: boolean): Uint32Array {
  const words = (size + 31) >>> 5;
  const out = new Uint32Array(size * words);
  for (let line = 0; line < size; line++) {
    for (let at = 0; at < size; at++) {
      const module = modules[transpose ? at * size + line : line * size + at] as number;
      const word = line * words + (at >>> 5);
      out[word] = (out[word] as number) | (module << (at & 31));
    }
  }
  return out;
}

function popcount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Bits set among the first `limit` positions of word w (positions 32w … 32w + 31). */
function countBelow(value: number, w: number, limit: number): number {
  const free = limit - 32 * w;
  if (free >= 32) return popcount(value);
  if (free <= 0) return 0;
  return popcount(value & ((1 << free) - 1));
}

/**
 * The penalty score of §7.8.3 exactly as the qrcode package computes it (lib/core/mask-pattern.js):
 * N1, per row and column, a run of five or more modules of one colour scores 3 + its length beyond five;
 * N2, 3 for every 2×2 block of one colour; N3, 40 for every 1:1:3:1:1 pattern with four light modules on one
 * side; N4, 10 per 5% the dark modules stray from half. A run of length L ≥ 5 starts L − 4 windows of five alike
 * and L − 5 of six alike, and 3(L − 4) − 2(L − 5) = L − 2 = 3 + (L − 5).
 */
function penalty(rows: Uint32Array, cols: Uint32Array, size: number, words: number): number {
  let score = 0;
  for (let line = 0; line < size; line++) {
    score += linePenalty(rows, line * words, size, words);
    score += linePenalty(cols, line * words, size, words);
  }
  let blocks = 0;
  let dark = 0;
  for (let row = 0; row < size; row++) {
    const a = row * words;
    for (let w = 0; w < words; w++) dark += popcount(rows[a + w] as number);
    if (row === size - 1) break;
    const b = a + words;
    for (let w = 0; w < words; w++) {
      const upper = rows[a + w] as number;
      const lower = rows[b + w] as number;
      const nextUpper = w + 1 < words ? (rows[a + w + 1] as number) : 0;
      const nextLower = w + 1 < words ? (rows[b + w + 1] as number) : 0;
      const same = ~(upper ^ lower); // module j equal to the one below it
      const sameNext = ~(((upper >>> 1) | (nextUpper << 31)) ^ ((lower >>> 1) | (nextLower << 31)));
      const across = ~(upper ^ ((upper >>> 1) | (nextUpper << 31))); // module j equal to module j + 1
      blocks += countBelow(same & sameNext & across, w, size - 1);
    }
  }
  const k = Math.abs(Math.ceil((dark * 100) / (size * size) / 5) - 10);
  return score + blocks * 3 + k * 10;
}

/** N1 and N3 along one packed line starting at `start`. */
function linePenalty(lines: Uint32Array, start: number, size: number, words: number): number {
  let score = 0;
  for (let w = 0; w < words; w++) {
    const word = lines[start + w] as number;
    const next = w + 1 < words ? (lines[start + w + 1] as number) : 0;
    // mk: bit j is module j + k of this word's stretch.
    const m0 = word;
    const m1 = (word >>> 1) | (next << 31);
    const m2 = (word >>> 2) | (next << 30);
    const m3 = (word >>> 3) | (next << 29);
    const m4 = (word >>> 4) | (next << 28);
    const m5 = (word >>> 5) | (next << 27);
    const m6 = (word >>> 6) | (next << 26);
    const m7 = (word >>> 7) | (next << 25);
    const m8 = (word >>> 8) | (next << 24);
    const m9 = (word >>> 9) | (next << 23);
    const m10 = (word >>> 10) | (next << 22);
    // Bit j: modules j … j + 4 alike, and j … j + 5 alike.
    const five = ~(m0 ^ m1) & ~(m1 ^ m2) & ~(m2 ^ m3) & ~(m3 ^ m4);
    const six = five & ~(m4 ^ m5);
    score += 3 * countBelow(five, w, size - 4) - 2 * countBelow(six, w, size - 5);
    // Bit j: modules j … j + 10 read 1 0 1 1 1 0 1 0 0 0 0, or 0 0 0 0 1 0 1 1 1 0 1 (qrcode's 0x5D0 and 0x05D).
    const light = ~m1 & ~m5;
    const before = m0 & light & m2 & m3 & m4 & m6 & ~m7 & ~m8 & ~m9 & ~m10;
    const after = ~m0 & light & ~m2 & ~m3 & m4 & m6 & m7 & m8 & ~m9 & m10;
    score += 40 * (countBelow(before, w, size - 10) + countBelow(after, w, size - 10));
  }
  return score;
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
  const masks = masksFor(size, reservedBit);
  const unmasked = data.slice();
  const mask0 = masks.bytes[0] as Uint8Array;
  for (let i = 0; i < unmasked.length; i++) unmasked[i] = (unmasked[i] as number) ^ (mask0[i] as number);

  const { words } = masks;
  const unmaskedRows = pack(unmasked, size, false);
  const unmaskedCols = pack(unmasked, size, true);
  const rows = new Uint32Array(unmaskedRows.length);
  const cols = new Uint32Array(unmaskedCols.length);
  let best = 0;
  let lowest = Number.POSITIVE_INFINITY;
  for (let mask = 0; mask < MASKS.length; mask++) {
    const rowMask = masks.rows[mask] as Uint32Array;
    const colMask = masks.cols[mask] as Uint32Array;
    for (let i = 0; i < rows.length; i++) {
      rows[i] = (unmaskedRows[i] as number) ^ (rowMask[i] as number);
      cols[i] = (unmaskedCols[i] as number) ^ (colMask[i] as number);
    }
    const format = formatBits(levelBit, mask);
    for (const [row, col, bit] of masks.format) {
      const on = (format >> bit) & 1;
      const r = row * words + (col >>> 5);
      const c = col * words + (row >>> 5);
      rows[r] = ((rows[r] as number) & ~(1 << (col & 31))) | (on << (col & 31));
      cols[c] = ((cols[c] as number) & ~(1 << (row & 31))) | (on << (row & 31));
    }
    const score = penalty(rows, cols, size, words);
    if (score < lowest) {
      lowest = score;
      best = mask;
    }
  }

  const modules = unmasked;
  const chosen = masks.bytes[best] as Uint8Array;
  for (let i = 0; i < modules.length; i++) modules[i] = (modules[i] as number) ^ (chosen[i] as number);
  const format = formatBits(levelBit, best);
  for (const [row, col, bit] of masks.format) modules[row * size + col] = (format >> bit) & 1;
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
