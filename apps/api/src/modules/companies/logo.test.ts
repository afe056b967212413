// The company logo: what an upload accepts, and that a new logo reaches the next invoice's PDF but never one
// already issued (neither its stored bytes nor a re-render after the stored copy is lost).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schema } from '@invoiceflow/db';
import { eq } from '@invoiceflow/db/orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, registerUser, type Session, type TestApp } from '../../../test/support/app';
import { pngImage } from '../../../test/support/images';

let t: TestApp;
let owner: Session;
let call: ReturnType<typeof as>;
let dir = '';
beforeAll(async () => {
  t = await createTestApp();
  owner = await registerUser(t.app);
  call = as(t.app, owner);
  dir = mkdtempSync(join(tmpdir(), 'invoiceflow-logo-'));
});
afterAll(async () => {
  await t.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const upload = (body: Buffer, contentType = 'image/png') =>
  call({
    method: 'PUT',
    url: '/api/v1/companies/current/logo',
    headers: { 'content-type': contentType },
    payload: body,
  });

const INVOICE = {
  customer_name: 'Walk-in customer',
  lines: [{ description: 'Consulting hours', quantity: '2', unit_price: '100' }],
};

/** The images a PDF draws, as poppler's pdfimages lists them: width × height of each. */
function imagesOf(pdf: Buffer): string[] {
  const file = join(dir, `${randomBytes(6).toString('hex')}.pdf`);
  writeFileSync(file, pdf);
  const listing = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' });
  return listing
    .split('\n')
    .slice(2)
    .filter((line) => line.trim())
    .map((line) => {
      const [, , type, width, height] = line.trim().split(/\s+/);
      return `${type} ${width}x${height}`;
    });
}

async function issuedPdf(): Promise<{ id: string; pdf: Buffer }> {
  const issued = await call({ method: 'POST', url: '/api/v1/invoices/generate', payload: INVOICE });
  expect(issued.statusCode).toBe(201);
  const id = issued.json().id as string;
  const download = await call({ method: 'GET', url: `/api/v1/invoices/${id}/pdf` });
  expect(download.statusCode).toBe(200);
  return { id, pdf: download.rawPayload };
}

describe('company logo', () => {
  it('refuses what is not a PNG or JPEG, whatever it is sent as, and what is too big or too small', async () => {
    const pdf = Buffer.from('%PDF-1.7\n%…');
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
    for (const [body, type] of [
      [pdf, 'image/png'],
      [gif, 'application/octet-stream'],
      [pngImage(40, 40), 'image/jpeg'],
    ] as const) {
      const refused = await upload(body, type);
      expect(refused.statusCode).toBe(415);
      expect(refused.headers['content-type']).toContain('application/problem+json');
    }
    expect((await upload(Buffer.from('<svg/>'), 'image/svg+xml')).statusCode).toBe(415);

    const huge = Buffer.concat([pngImage(40, 40), randomBytes(1024 * 1024)]);
    const tooBig = await upload(huge);
    expect(tooBig.statusCode).toBe(413);

    const truncated = pngImage(120, 40).subarray(0, 30);
    expect((await upload(truncated)).json()).toMatchObject({ status: 422, code: 'LOGO_UNREADABLE' });
    expect((await upload(pngImage(8, 8))).json()).toMatchObject({ status: 422, code: 'LOGO_DIMENSIONS' });

    const company = (await call({ method: 'GET', url: '/api/v1/companies/current' })).json();
    expect(company.logo_id).toBeNull();
  });

  it('stores a logo and serves it back; a viewer may not change it', async () => {
    const image = pngImage(120, 40);
    const stored = await upload(image, 'application/octet-stream');
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toMatchObject({ content_type: 'image/png', width: 120, height: 40 });
    const company = (await call({ method: 'GET', url: '/api/v1/companies/current' })).json();
    expect(company.logo_id).toBe(stored.json().id);
    const served = await call({ method: 'GET', url: '/api/v1/companies/current/logo' });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.rawPayload.equals(image)).toBe(true);
  });

  it('prints the logo on the next invoice; an issued PDF keeps its logo, even re-rendered', async () => {
    expect((await upload(pngImage(120, 40))).statusCode).toBe(200);
    const first = await issuedPdf();
    expect(imagesOf(first.pdf)).toContain('image 120x40');

    expect((await upload(pngImage(200, 50, [200, 30, 30]))).statusCode).toBe(200);
    const again = await call({ method: 'GET', url: `/api/v1/invoices/${first.id}/pdf` });
    expect(again.rawPayload.equals(first.pdf)).toBe(true);

    // The stored PDF lost: the re-render reads the logo the invoice was issued with, so the bytes are the same.
    await t.app.ctx.db.delete(schema.invoicePdfs).where(eq(schema.invoicePdfs.invoiceId, first.id));
    const rerendered = await call({ method: 'GET', url: `/api/v1/invoices/${first.id}/pdf` });
    expect(rerendered.rawPayload.equals(first.pdf)).toBe(true);

    const next = await issuedPdf();
    const images = imagesOf(next.pdf);
    expect(images).toContain('image 200x50');
    expect(images).not.toContain('image 120x40');

    // Without a logo the next invoice prints none; the issued ones keep theirs.
    expect((await call({ method: 'DELETE', url: '/api/v1/companies/current/logo' })).statusCode).toBe(204);
    const plain = await issuedPdf();
    expect(imagesOf(plain.pdf).filter((image) => image.endsWith('200x50'))).toEqual([]);
    const kept = await call({ method: 'GET', url: `/api/v1/invoices/${next.id}/pdf` });
    expect(kept.rawPayload.equals(next.pdf)).toBe(true);
  });

  it('lists the number series with the last number each gave', async () => {
    const series = (await call({ method: 'GET', url: '/api/v1/companies/current/number-series' })).json();
    expect(series.prefixes).toMatchObject({ invoice: 'INV', credit_note: 'CRN', quote: 'Q' });
    const invoices = series.series.find((s: { series: string }) => s.series.startsWith('INV-'));
    expect(invoices.last_number).toBeGreaterThanOrEqual(3);
  });

  it('keeps the default language', async () => {
    const changed = await call({
      method: 'PATCH',
      url: '/api/v1/companies/current',
      payload: { default_language: 'ar' },
    });
    expect(changed.json().default_language).toBe('ar');
    const wrong = await call({
      method: 'PATCH',
      url: '/api/v1/companies/current',
      payload: { default_language: 'fr' },
    });
    expect(wrong.statusCode).toBe(400);
  });
});
