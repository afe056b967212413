// Reading a rendered PDF back as a person (or a scanner) would, through poppler-utils: for tests only.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

export const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0;

/** pdftotext output with poppler's bidi marks (U+202A–U+202E) removed and whitespace collapsed. */
export function extractText(path: string, mode: '-layout' | '-raw' = '-raw', page?: number): string {
  const range = page ? ['-f', String(page), '-l', String(page)] : [];
  const out = execFileSync('pdftotext', [mode, ...range, path, '-'], { encoding: 'utf8' });
  return out.replace(/[\u202a-\u202e]/g, '').replace(/\s+/g, ' ');
}

export function pageCount(path: string): number {
  const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

/** Renders one page at 200 dpi and scans it for a QR code, as a phone would: the decoded text, if any. */
export function decodeQr(path: string, page = 1): string | undefined {
  const prefix = `${path.replace(/\.pdf$/, '')}-qr-${page}`;
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

/** Every embedded file (pdfdetach -saveall), by its name inside the PDF. */
export function detachAll(path: string, into: string): Map<string, Buffer> {
  mkdirSync(into, { recursive: true });
  execFileSync('pdfdetach', ['-saveall', '-o', into, path]);
  return new Map(readdirSync(into).map((name) => [name, readFileSync(join(into, name))]));
}
