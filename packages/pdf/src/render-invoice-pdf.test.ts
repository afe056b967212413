// End-to-end checks of the rendered PDF through poppler-utils (pdftotext, pdftoppm, pdfdetach, pdfinfo).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planInvoice, renderInvoicePdf } from './index';
import {
  BUYER_NAME_AR,
  longInvoice,
  SAMPLE_XML,
  SELLER_NAME_AR,
  sampleInvoice,
  zatcaQrPayload,
} from './test-support/sample-invoice';

const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0;
if (!hasPoppler) {
  if (process.env.CI === 'true')
    throw new Error('poppler-utils (pdftotext, pdftoppm, pdfdetach) is required in CI');
  console.warn('SKIPPED: PDF checks need poppler-utils (apt-get install poppler-utils)');
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'invoiceflow-pdf-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function save(name: string, pdf: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, pdf);
  return path;
}

/** pdftotext output with poppler's bidi marks (U+202A–U+202E) removed and whitespace collapsed. */
function extractText(path: string, mode: '-layout' | '-raw', page?: number): string {
  const range = page ? ['-f', String(page), '-l', String(page)] : [];
  const out = execFileSync('pdftotext', [mode, ...range, path, '-'], { encoding: 'utf8' });
  return out.replace(/[\u202a-\u202e]/g, '').replace(/\s+/g, ' ');
}

function pageCount(path: string): number {
  const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

function decodeQr(path: string, page = 1): string | undefined {
  const prefix = join(dir, `qr-${page}`);
  execFileSync('pdftoppm', [
    '-r',
    '200',
    '-png',
    '-f',
    String(page),
    '-l',
    String(page),
    '-singlefile',
    path,
    prefix,
  ]);
  const png = PNG.sync.read(readFileSync(`${prefix}.png`));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

describe.skipIf(!hasPoppler)('renderInvoicePdf (poppler)', () => {
  it('puts the number, the totals and the Arabic names as typed into the text layer', async () => {
    const path = save('sample.pdf', await renderInvoicePdf(sampleInvoice()));
    for (const mode of ['-layout', '-raw'] as const) {
      const text = extractText(path, mode);
      expect(text).toContain('SME00010');
      expect(text).toContain('Tax Invoice');
      expect(text).toContain('فاتورة ضريبية');
      for (const amount of ['2,890.00', '2,850.00', '390.00', '3,240.00', '-90.00', '1,380.00']) {
        expect(text).toContain(amount);
      }
      expect(text).toContain(SELLER_NAME_AR);
      expect(text).toContain(BUYER_NAME_AR);
      // Dotted letters share one skeleton glyph in Noto Sans Arabic; each must still read as itself.
      expect(text).toContain('حامل حاسوب محمول من الألمنيوم');
      expect(text).toContain('Page 1 of');
    }
  });

  it('draws a QR code that scans back to exactly the payload given', async () => {
    const short = sampleInvoice();
    expect(decodeQr(save('qr-short.pdf', await renderInvoicePdf(short)))).toBe(short.qr_payload);

    // Phase-2 size: hash, signature, public key and certificate signature make the payload ~600 characters.
    const bytes = (n: number, seed: number) =>
      Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 17) % 256);
    const long = sampleInvoice({
      qr_payload: zatcaQrPayload(
        ['Namathij Invoice Company Ltd', '399999999900003', '2024-03-15T10:30:00Z', '3240.00', '390.00'],
        [bytes(44, 1), bytes(96, 2), bytes(88, 3), bytes(72, 4)],
      ),
    });
    expect(long.qr_payload?.length).toBeGreaterThan(500);
    expect(decodeQr(save('qr-long.pdf', await renderInvoicePdf(long)))).toBe(long.qr_payload);
  });

  it('embeds the invoice XML byte for byte as a PDF/A-3 associated file', async () => {
    const pdf = await renderInvoicePdf(sampleInvoice());
    const path = save('pdfa.pdf', pdf);
    const out = join(dir, 'detached');
    execFileSync('mkdir', ['-p', out]);
    execFileSync('pdfdetach', ['-saveall', '-o', out, path]);
    expect(readFileSync(join(out, 'SME00010.xml')).equals(Buffer.from(SAMPLE_XML, 'utf8'))).toBe(true);

    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/<pdfaid:part>3<\/pdfaid:part>/);
    expect(raw).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>/);
    expect(raw).toContain('/AFRelationship /Data');
    expect(raw).toContain('/Subtype /application#2Fxml');
    expect(raw).toMatch(/\/OutputIntents/);
    // Every font is embedded (PDF/A): pdffonts lists "emb yes" for all of them.
    const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) expect(font).toMatch(/CID TrueType\s+Identity-H\s+yes/);
  });

  it('draws text in the order it was written, whatever bidi overrides or embeddings the data holds', async () => {
    const doc = sampleInvoice({
      lines: [
        { description: 'Service \u202e0001\u202c units', description_ar: 'خدمة \u202d0001\u202c' },
        ...sampleInvoice().lines.slice(1),
      ],
      notes: 'IBAN \u202e1234 5678 AS\u202c',
      payment_terms: 'Ref \u2067ABC-123\u2069 \u200fdue',
    });
    const path = save('bidi.pdf', await renderInvoicePdf(doc));
    for (const mode of ['-layout', '-raw'] as const) {
      const text = extractText(path, mode);
      expect(text).toContain('Service 0001 units');
      expect(text).toContain('IBAN 1234 5678 AS');
      expect(text).not.toContain('Service 1000');
      expect(text).not.toContain('SA 8765 4321');
      expect(text).toContain('Ref ABC-123 due');
    }
  });

  it('paginates a 200-line invoice, repeating the header and printing every line', async () => {
    const input = longInvoice(200);
    const plan = planInvoice(input);
    const path = save('long.pdf', await renderInvoicePdf(input));

    // Rows per page follow from the geometry: every page after the first holds the same number of one-line
    // rows, the first fewer (document facts and parties above the table).
    const perPage = plan.pages.map((p) => p.lineIndexes.length);
    const firstPage = perPage[0] ?? 0;
    const fullPage = perPage[1] ?? 0;
    expect(firstPage).toBeGreaterThan(5);
    expect(fullPage).toBeGreaterThan(firstPage);
    const pagesForLines = 1 + Math.ceil((200 - firstPage) / fullPage);
    const lastRows = perPage[pagesForLines - 1] ?? 0;
    // The totals block is never split: it either follows the last rows or opens a page of its own.
    const expectedPages = pagesForLines + (plan.pages.length > pagesForLines ? 1 : 0);
    expect(perPage.slice(1, pagesForLines - 1).every((n) => n === fullPage)).toBe(true);
    expect(lastRows).toBe(200 - firstPage - fullPage * (pagesForLines - 2));
    expect(pageCount(path)).toBe(expectedPages);

    const lastPage = extractText(path, '-layout', expectedPages);
    expect(lastPage).toContain('Amount due');
    expect(lastPage).toContain('2,300.00');

    let line = 0;
    for (let page = 1; page <= expectedPages; page++) {
      const text = extractText(path, '-layout', page);
      // Raw mode follows the content stream, which we keep in logical order: poppler's layout mode puts the
      // number of "قطعة غيار رقم 14" first because it orders mixed lines left to right.
      const raw = extractText(path, '-raw', page);
      expect(text).toContain('Tax Invoice');
      expect(text).toContain('فاتورة ضريبية');
      if ((plan.pages[page - 1]?.lineIndexes.length ?? 0) > 0) {
        // The table header is repeated on every page the table continues on.
        expect(text).toContain('Description');
        expect(text).toContain('Total incl. VAT');
        expect(raw).toContain('الوصف');
      }
      expect(text).toContain(`Page ${page} of ${expectedPages}`);
      for (const _ of plan.pages[page - 1]?.lineIndexes ?? []) {
        line++;
        expect(text).toContain(`Spare part item ${line} EN`);
        expect(raw).toContain(`قطعة غيار رقم ${line}`);
      }
    }
    expect(line).toBe(200);
  });
});

/** The content streams of a rendered PDF that draw text, inflated, in file order (one per page). */
function pageContents(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const contents: string[] = [];
  const stream = /<<\n([^<>]*)>>\nstream\n/g;
  for (let m = stream.exec(raw); m !== null; m = stream.exec(raw)) {
    const dictionary = m[1] ?? '';
    const length = /\/Length (\d+)/.exec(dictionary)?.[1];
    if (!dictionary.includes('/Filter /FlateDecode') || length === undefined) continue;
    const start = m.index + m[0].length;
    const text = inflateSync(pdf.subarray(start, start + Number(length))).toString('latin1');
    if (text.includes('\nBT\n')) contents.push(text);
  }
  return contents;
}

/** The fill colour in force at each text object, following q/Q as a PDF reader does (undefined: never set). */
function textFillColors(content: string): Array<string | undefined> {
  let fill: string | undefined;
  const saved: Array<string | undefined> = [];
  const colors: Array<string | undefined> = [];
  for (const line of content.split('\n')) {
    if (line === 'q') saved.push(fill);
    else if (line === 'Q') fill = saved.pop();
    else if (line.endsWith(' scn')) fill = line.slice(0, -4);
    else if (line === 'BT') colors.push(fill);
  }
  return colors;
}

describe('renderInvoicePdf', () => {
  it('draws every text in its colour on every page, the title in the accent colour', async () => {
    const pages = pageContents(await renderInvoicePdf(longInvoice(60)));
    expect(pages.length).toBeGreaterThan(2);
    const rgb = (hex: string) =>
      [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255).join(' ');
    const palette = ['#0f4c81', '#1f2933', '#5f6b7a', '#ffffff'].map(rgb);
    for (const content of pages) {
      const colors = textFillColors(content);
      expect(colors[0]).toBe(rgb('#0f4c81'));
      for (const color of colors) expect(palette).toContain(color);
      // Body text (ink) and labels (muted) appear on every page.
      expect(colors).toContain(rgb('#1f2933'));
      expect(colors).toContain(rgb('#5f6b7a'));
    }
  });

  it('renders the same input to the same bytes, whatever was rendered before', async () => {
    const first = await renderInvoicePdf(sampleInvoice());
    await renderInvoicePdf(longInvoice(30));
    await renderInvoicePdf(
      sampleInvoice({ type: 'credit_note', number: 'CN-1', original_invoice_number: 'SME00010' }),
    );
    const second = await renderInvoicePdf(sampleInvoice());
    expect(second.equals(first)).toBe(true);
    // Dated by the invoice, not by the clock.
    expect(first.toString('latin1')).toContain('/CreationDate (D:20240315103000Z)');
  });

  it('dates the metadata by the issue instant in UTC, not the seller’s wall clock labelled UTC', async () => {
    // 10:30 in Riyadh (UTC+3) is 07:30 UTC.
    const pdf = (
      await renderInvoicePdf(sampleInvoice({ issue_time: '10:30:00', issued_at: '2024-03-15T07:30:00.250Z' }))
    ).toString('latin1');
    expect(pdf).toContain('/CreationDate (D:20240315073000Z)');
    expect(pdf).toContain('/ModDate (D:20240315073000Z)');
    expect(pdf).not.toContain('D:20240315103000Z');
  });

  it('prints the title of each document type in both languages', async () => {
    const note = sampleInvoice({
      type: 'credit_note',
      number: 'CN-0007',
      original_invoice_number: 'SME00010',
      original_invoice_date: '2024-03-15',
      note_reason: 'Returned goods',
      note_reason_ar: 'بضاعة مرتجعة',
      pdfa3: false,
      attachments: [],
    });
    const pdf = await renderInvoicePdf(note);
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    expect(pdf.toString('latin1')).not.toContain('pdfaid');
    if (hasPoppler) {
      const text = extractText(save('note.pdf', pdf), '-layout');
      expect(text).toContain('Credit Note');
      expect(text).toContain('إشعار دائن');
      expect(text).toContain('SME00010 (2024-03-15)');
      expect(text).toContain('بضاعة مرتجعة');
    }
  });

  it('prints an English-only invoice when told so: no Arabic label, title or footer, the values given', async () => {
    const english = sampleInvoice({
      type: 'invoice',
      bilingual: false,
      seller: { ...sampleInvoice().seller, name_ar: undefined },
      buyer: { ...sampleInvoice().buyer, name_ar: undefined },
      lines: sampleInvoice().lines.map((line) => ({ description: line.description })),
      payment_terms_ar: undefined,
      notes_ar: undefined,
      qr_payload: undefined,
      pdfa3: false,
      attachments: [],
    });
    const pdf = await renderInvoicePdf(english);
    if (hasPoppler) {
      const path = save('english.pdf', pdf);
      const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
      expect(info).toMatch(/^Subject:\s+Invoice SME00010$/m);
      const text = extractText(path, '-layout');
      expect(text.trimStart().startsWith('Invoice ')).toBe(true);
      expect(text).toContain('Page 1 of 1');
      expect(text).toContain('Namathij Invoice Company Ltd');
      expect(text).not.toMatch(/[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]/);
      expect(text).not.toContain('Tax Invoice');
    }
  });
});
