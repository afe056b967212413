// How a document hands its output to pdfkit (0.20): what pdfkit does per operator line and per stream, done once
// per page and per stream. Each wraps methods of one PDFDocument instance; the drawing code is unaware of them.
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

/**
 * Collects a page's content-stream operators and hands them to the page as one chunk when the page is done:
 * pdfkit otherwise makes a Uint8Array of every operator line (thousands per page) and concatenates them. The
 * bytes are the same: the lines joined by the newline pdfkit appends to each. endPage() before the next
 * addPage(), finish() when the drawing is done.
 */
export function collectPageContent(pdf: PDFKit.PDFDocument): { endPage(): void; finish(): void } {
  const original = pdf.addContent;
  let lines: string[] = [];
  const endPage = () => {
    if (lines.length === 0) return;
    const bytes = Buffer.from(`${lines.join('\n')}\n`, 'latin1');
    lines = [];
    pdf.page.content.write(bytes);
  };
  pdf.addContent = (data: unknown) => {
    // pdfkit passes strings; bytes (never seen) are kept in order as the same characters.
    lines.push(typeof data === 'string' ? data : Buffer.from(data as Uint8Array).toString('latin1'));
    return pdf;
  };
  return {
    endPage,
    finish() {
      endPage();
      pdf.addContent = original;
    },
  };
}

/**
 * Sets the fill colour only when it changes. Text blocks set their colour before every block, and pdfkit writes it
 * out each time (colour space and three 18-digit fractions); a page repeated the same few colours ~180 times. The
 * colour last set is tracked like the PDF graphics state: save() (q) keeps it, restore() (Q) brings it back, and
 * a new page starts from the default.
 */
export function skipRepeatedFillColors(pdf: PDFKit.PDFDocument): void {
  const fillColor = pdf.fillColor.bind(pdf);
  const save = pdf.save.bind(pdf);
  const restore = pdf.restore.bind(pdf);
  let current: unknown;
  const saved: unknown[] = [];
  pdf.fillColor = (color: PDFKit.Mixins.ColorValue, opacity?: number) => {
    if (opacity !== undefined || typeof color !== 'string') current = undefined;
    else if (color === current) return pdf;
    else current = color;
    return fillColor(color, opacity);
  };
  pdf.save = () => {
    saved.push(current);
    return save();
  };
  pdf.restore = () => {
    current = saved.pop();
    return restore();
  };
  pdf.on('pageAdded', () => {
    current = undefined;
    saved.length = 0;
  });
}

/**
 * Zlib level of every stream pdfkit would deflate (page contents, font programs, ToUnicode maps, the ICC profile,
 * attachments). pdfkit uses zlib's default, 6. A one-page invoice with a Phase 2 QR has ~60 kB of page operators
 * (a third of them the QR's module runs) and two ~13 kB font programs: level 1 deflates them in about a third of
 * the time, for ~3.5 kB more in a ~40 kB file.
 */
export const DEFLATE_LEVEL = 1;

/** The part of pdfkit's PDFReference that finalize() reads: chunks written so far, and whether to deflate them. */
interface StreamReference {
  buffer: Uint8Array[];
  compress: boolean;
  finalize(): void;
}

// Streams that are the same in every document (the sRGB output intent's ICC profile) are deflated once: by
// content, small ones only, bounded.
const SMALL_STREAM = 8 * 1024;
const deflatedCache = new Map<string, Buffer>();

function deflate(bytes: Buffer): Buffer {
  if (bytes.length > SMALL_STREAM) return deflateSync(bytes, { level: DEFLATE_LEVEL });
  const key = `${bytes.length}:${createHash('sha1').update(bytes).digest('base64')}`;
  let deflated = deflatedCache.get(key);
  if (deflated === undefined) {
    deflated = deflateSync(bytes, { level: DEFLATE_LEVEL });
    if (deflatedCache.size >= 256) deflatedCache.clear();
    deflatedCache.set(key, deflated);
  }
  return deflated;
}

// Streams whose bytes are kept and handed out again as the same object (a font program cached by its glyph list,
// fonts.ts): deflated once, for as long as the bytes are kept.
const keptBytes = new WeakSet<Uint8Array>();
const deflatedKept = new WeakMap<Uint8Array, Buffer>();

/** Marks bytes that will be written again, unchanged, as a whole stream: their deflated form is kept with them. */
export function keepDeflated(bytes: Uint8Array): void {
  keptBytes.add(bytes);
}

function deflateChunks(chunks: Uint8Array[]): Buffer {
  const only = chunks.length === 1 ? chunks[0] : undefined;
  if (only === undefined || !keptBytes.has(only)) return deflate(Buffer.concat(chunks));
  let deflated = deflatedKept.get(only);
  if (deflated === undefined) {
    deflated = deflateSync(only, { level: DEFLATE_LEVEL });
    deflatedKept.set(only, deflated);
  }
  return deflated;
}

/**
 * Deflates each stream at DEFLATE_LEVEL when pdfkit finalizes it, in place of pdfkit's own deflate: the stream
 * keeps its /Filter /FlateDecode (set when its data was written) and pdfkit writes our bytes and their length.
 * Streams pdfkit keeps uncompressed (the XMP metadata) stay so.
 */
export function deflateStreams(pdf: PDFKit.PDFDocument): void {
  const ref = pdf.ref.bind(pdf);
  pdf.ref = (data: object) => {
    const reference = ref(data) as unknown as StreamReference;
    const finalize = reference.finalize.bind(reference);
    reference.finalize = () => {
      if (reference.compress && reference.buffer.length > 0) {
        reference.buffer = [deflateChunks(reference.buffer)];
        reference.compress = false;
      }
      finalize();
    };
    return reference as unknown as PDFKit.PDFKitReference;
  };
}
