// The invoice PDF through the API, read back with poppler-utils as a person or a phone would: text, QR, attached
// XML, pages; and the download as a mobile browser receives it.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InvoiceSnapshot } from '@invoiceflow/db/schema';
import { planInvoice } from '@invoiceflow/pdf';
import { decodeQr, detachAll, extractText, hasPoppler, pageCount } from '@invoiceflow/pdf/test-support';
import { parseQrPayload } from '@invoiceflow/zatca';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AE_COMPANY,
  as,
  createTestApp,
  registerUser,
  SA_COMPANY,
  type Session,
  type TestApp,
} from '../../../test/support/app';
import { pdfInputOf } from './invoice-pdf-input';
import { getPdfSource } from './queries';
import { pdfThreadStats, startPdfThreads, stopPdfThreads } from './render-pool';

if (!hasPoppler) {
  if (process.env.CI === 'true')
    throw new Error('poppler-utils (pdftotext, pdftoppm, pdfdetach) is required in CI');
  console.warn('SKIPPED: PDF checks need poppler-utils (apt-get install poppler-utils)');
}

let t: TestApp;
let owner: Session;
let call: ReturnType<typeof as>;
let dir = '';
beforeAll(async () => {
  t = await createTestApp();
  owner = await registerUser(t.app);
  call = as(t.app, owner);
  dir = mkdtempSync(join(tmpdir(), 'invoiceflow-api-pdf-'));
});
afterAll(async () => {
  await t.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const BUYER_NAME_AR = 'مؤسسة التجارة المتقدمة';
const BILINGUAL = {
  customer_name: 'Advanced Trading Est.',
  customer_name_ar: BUYER_NAME_AR,
  customer_vat_number: '310122393500003',
  customer_address: {
    street: 'King Fahd Road',
    building_number: '1234',
    district: 'Al Olaya',
    city: 'Riyadh',
    postal_code: '12345',
    country: 'SA',
  },
  lines: [
    { description: 'Consulting hours', description_ar: 'ساعات استشارية', quantity: '10', unit_price: '500' },
    { description: 'Laptop stand', description_ar: 'حامل حاسوب محمول', quantity: '2', unit_price: '120' },
  ],
  allowances_charges: [
    { is_charge: false, amount: '40.00', reason: 'Loyalty discount', vat_category: 'S', vat_rate: '15' },
  ],
  payment_terms_days: 30,
  notes: 'Thank you for your business',
};

const issue = (caller: ReturnType<typeof as>, payload: object) =>
  caller({ method: 'POST', url: '/api/v1/invoices/generate', payload });

/** "5980.00" → "5,980.00", as the PDF prints amounts. */
const printed = (amount: string) => {
  const [whole = '', fraction] = amount.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction === undefined ? '' : `.${fraction}`}`;
};

async function download(caller: ReturnType<typeof as>, id: string, query = '', headers = {}) {
  return caller({ method: 'GET', url: `/api/v1/invoices/${id}/pdf${query}`, headers });
}

function save(name: string, pdf: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, pdf);
  return path;
}

describe.skipIf(!hasPoppler)('the invoice PDF read back (poppler)', () => {
  it('shows the type, number, parties in Arabic and English, lines, allowance, VAT and totals in its text', async () => {
    const issued = await issue(call, BILINGUAL);
    expect(issued.statusCode).toBe(201);
    const invoice = issued.json();
    const response = await download(call, invoice.id);
    expect(response.statusCode).toBe(200);
    const path = save('bilingual.pdf', response.rawPayload);

    for (const mode of ['-layout', '-raw'] as const) {
      const text = extractText(path, mode);
      expect(text).toContain(invoice.invoice_number);
      expect(text).toContain('Tax Invoice');
      expect(text).toContain('فاتورة ضريبية');
      expect(text).toContain(SA_COMPANY.legal_name_en);
      expect(text).toContain(BILINGUAL.customer_name);
      // Arabic in logical (reading) order, letters joined: searchable and copyable as typed.
      expect(text).toContain(SA_COMPANY.legal_name_ar);
      expect(text).toContain(BUYER_NAME_AR);
      expect(text).toContain('ساعات استشارية');
      expect(text).toContain('Loyalty discount');
      expect(text).toContain('Net 30 days');
      expect(text).toContain(BILINGUAL.notes);
      const { totals } = invoice;
      for (const amount of [
        totals.line_extension_amount,
        totals.tax_exclusive_amount,
        totals.tax_amount,
        totals.payable_amount,
      ]) {
        expect(text).toContain(printed(amount));
      }
    }
    expect(invoice.totals).toMatchObject({ tax_exclusive_amount: '5200.00', payable_amount: '5980.00' });
  });

  it('carries a QR that scans to exactly the invoice QR payload (ZATCA phase 2, tags 1–9)', async () => {
    const invoice = (await issue(call, { ...BILINGUAL, customer_vat_number: undefined })).json();
    const read = (await call({ method: 'GET', url: `/api/v1/invoices/${invoice.id}` })).json();
    expect([...parseQrPayload(read.qr_code_data).tags.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const path = save('qr.pdf', (await download(call, invoice.id)).rawPayload);
    expect(extractText(path)).toContain('فاتورة ضريبية مبسطة');
    expect(decodeQr(path)).toBe(read.qr_code_data);
  });

  it('is PDF/A-3 with the invoice XML attached byte for byte as GET /xml serves it, named like the invoice', async () => {
    const invoice = (await issue(call, BILINGUAL)).json();
    const pdf = (await download(call, invoice.id)).rawPayload;
    const files = detachAll(save('pdfa.pdf', pdf), join(dir, 'detached'));
    const xml = await call({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/xml` });
    expect(xml.statusCode).toBe(200);
    expect([...files.keys()]).toEqual([`${invoice.invoice_number}.xml`]);
    expect(files.get(`${invoice.invoice_number}.xml`)?.equals(xml.rawPayload)).toBe(true);
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/<pdfaid:part>3<\/pdfaid:part>/);
    expect(raw).toContain('/AFRelationship /Data');
  });

  it('paginates a 200-line invoice issued through the API and prints every line once, in order', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => {
      const n = String(i + 1).padStart(3, '0');
      return { description: `Part ${n}`, description_ar: `قطعة رقم ${n}`, quantity: '1', unit_price: '10' };
    });
    const invoice = (await issue(call, { ...BILINGUAL, lines, allowances_charges: [] })).json();
    expect(invoice.lines).toHaveLength(200);
    const path = save('long.pdf', (await download(call, invoice.id)).rawPayload);

    const source = await getPdfSource(t.database.db, { companyId: owner.companyId, invoiceId: invoice.id });
    const plan = planInvoice(pdfInputOf(source?.snapshot as unknown as InvoiceSnapshot));
    const pages = pageCount(path);
    expect(pages).toBe(plan.pages.length);
    expect(pages).toBeGreaterThanOrEqual(7);

    let next = 1;
    for (let page = 1; page <= pages; page++) {
      const text = extractText(path, '-layout', page);
      const raw = extractText(path, '-raw', page);
      expect(text).toContain(`Page ${page} of ${pages}`);
      expect(text).toContain(invoice.invoice_number);
      for (const match of text.matchAll(/Part (\d{3})/g)) {
        expect(Number(match[1])).toBe(next);
        expect(raw).toContain(`قطعة رقم ${match[1]}`);
        next++;
      }
    }
    expect(next - 1).toBe(200);
    expect(extractText(path, '-layout', pages)).toContain(printed(invoice.totals.payable_amount));
  });

  it('prints a credit note with its title, the original invoice and the reason', async () => {
    const original = (await issue(call, BILINGUAL)).json();
    const note = await issue(call, {
      type: 'credit_note',
      original_invoice_id: original.id,
      reason: 'Returned goods',
      lines: [
        { description: 'Laptop stand', description_ar: 'حامل حاسوب محمول', quantity: '1', unit_price: '120' },
      ],
    });
    expect(note.statusCode).toBe(201);
    const path = save('note.pdf', (await download(call, note.json().id)).rawPayload);
    const text = extractText(path, '-layout');
    expect(text).toContain('Credit Note');
    expect(text).toContain('إشعار دائن');
    expect(text).toContain(original.invoice_number);
    expect(text).toContain('Returned goods');
  });
});

describe('downloading the PDF', () => {
  it('answers the same bytes every time, with the headers a mobile browser needs', async () => {
    const issued = (await issue(call, BILINGUAL)).json();
    const first = await download(call, issued.id);
    const second = await download(call, issued.id);
    expect(first.statusCode).toBe(200);
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    // The generate answer carried the same document (seed 000).
    expect(Buffer.from(issued.pdf_base64, 'base64').equals(first.rawPayload)).toBe(true);

    const sha256 = createHash('sha256').update(first.rawPayload).digest('hex');
    expect(first.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-length': String(first.rawPayload.length),
      'content-disposition': `attachment; filename="${issued.invoice_number}.pdf"`,
      etag: `"${sha256}"`,
      'x-content-type-options': 'nosniff',
      pragma: 'no-cache',
    });
    expect(first.headers['cache-control']).toContain('no-store');
    expect(first.headers['cache-control']).toContain('private');
    expect(first.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const inline = await download(call, issued.id, '?disposition=inline');
    expect(inline.headers['content-disposition']).toBe(`inline; filename="${issued.invoice_number}.pdf"`);
    expect(inline.rawPayload.equals(first.rawPayload)).toBe(true);
    expect((await download(call, issued.id, '?disposition=open')).statusCode).toBe(400);

    const unchanged = await download(call, issued.id, '', { 'if-none-match': `"${sha256}"` });
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.rawPayload.length).toBe(0);
    expect((await download(call, issued.id, '', { 'if-none-match': '"other"' })).statusCode).toBe(200);
  });

  it('names a non-ASCII invoice number with an RFC 5987 filename* beside an ASCII fallback', async () => {
    const invoice = (await issue(call, { ...BILINGUAL, invoice_number: 'فاتورة-7' })).json();
    const response = await download(call, invoice.id);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="______-7.pdf"; filename*=UTF-8''${encodeURIComponent('فاتورة-7.pdf')}`,
    );
  });

  it('serves the stored bytes, and renders the same bytes again if the stored copy is missing', async () => {
    const invoice = (await issue(call, BILINGUAL)).json();
    const stored = (await download(call, invoice.id)).rawPayload;
    // A crash between the issuing commit and the store leaves no row: the first download renders it.
    await t.database.execute('DELETE FROM invoice_pdfs WHERE invoice_id = $1', [invoice.id]);
    const rendered = await download(call, invoice.id);
    expect(rendered.statusCode).toBe(200);
    expect(rendered.rawPayload.equals(stored)).toBe(true);
    const rows = await t.database.execute('SELECT sha256 FROM invoice_pdfs WHERE invoice_id = $1', [
      invoice.id,
    ]);
    expect(rows.rows).toHaveLength(1);
  });

  it('renders on a render thread, as the product does, the very bytes the request thread renders', async () => {
    await startPdfThreads(1);
    try {
      const invoice = (await issue(call, BILINGUAL)).json();
      expect(pdfThreadStats()).toEqual({ threads: 1, renders: 1 });
      const threaded = (await download(call, invoice.id)).rawPayload;
      expect(Buffer.from(invoice.pdf_base64, 'base64').equals(threaded)).toBe(true);
      await stopPdfThreads();
      expect(pdfThreadStats().threads).toBe(0);
      await t.database.execute('DELETE FROM invoice_pdfs WHERE invoice_id = $1', [invoice.id]);
      const inline = await download(call, invoice.id);
      expect(inline.rawPayload.equals(threaded)).toBe(true);
      const path = join(dir, 'threaded.pdf');
      writeFileSync(path, threaded);
      expect(extractText(path)).toContain(invoice.invoice_number);
    } finally {
      await stopPdfThreads();
    }
  });

  it('waits for ZATCA clearance of a standard invoice, then embeds the cleared XML', async () => {
    const invoice = (await issue(call, BILINGUAL)).json();
    // As if issued on an onboarded unit: clearance pending, nothing stored yet.
    await t.database.execute(
      `UPDATE einvoice_documents SET environment = 'simulation', is_simulated = false, submission_status = 'pending'
        WHERE invoice_id = $1`,
      [invoice.id],
    );
    await t.database.execute('DELETE FROM invoice_pdfs WHERE invoice_id = $1', [invoice.id]);
    const pending = await download(call, invoice.id);
    expect(pending.statusCode).toBe(409);
    expect(pending.json().code).toBe('INVOICE_AWAITING_CLEARANCE');
    const read = await call({ method: 'GET', url: `/api/v1/invoices/${invoice.id}?include=pdf` });
    expect(read.json().pdf_base64).toBeNull();

    const cleared = '<?xml version="1.0" encoding="UTF-8"?><Invoice><!-- cleared by ZATCA --></Invoice>';
    await t.database.execute(
      `UPDATE einvoice_documents SET submission_status = 'cleared', returned_xml = $2 WHERE invoice_id = $1`,
      [invoice.id, cleared],
    );
    const ready = await download(call, invoice.id);
    expect(ready.statusCode).toBe(200);
    if (hasPoppler) {
      const files = detachAll(save('cleared.pdf', ready.rawPayload), join(dir, 'cleared'));
      expect(files.get(`${invoice.invoice_number}.xml`)?.toString('utf8')).toBe(cleared);
    }
  });

  it('prints a UAE invoice as a plain PDF without a ZATCA QR or XML', async () => {
    const uae = await registerUser(t.app, AE_COMPANY);
    const c = as(t.app, uae);
    const invoice = await issue(c, {
      customer_name: 'Desert Rose Trading',
      customer_name_ar: 'وردة الصحراء للتجارة',
      lines: [{ description: 'Design work', quantity: '1', unit_price: '1000' }],
    });
    expect(invoice.statusCode).toBe(201);
    const pdf = (await download(c, invoice.json().id)).rawPayload;
    expect(pdf.toString('latin1')).not.toContain('pdfaid');
    expect(pdf.toString('latin1')).not.toContain('/EmbeddedFiles');
    if (hasPoppler) expect(extractText(save('uae.pdf', pdf))).toContain('وردة الصحراء للتجارة');
  });

  it('prints a Dutch invoice and credit note in Dutch only, titled as EN 16931 names them, without ZATCA elements', async () => {
    const dutch = as(
      t.app,
      await registerUser(t.app, {
        legal_name_en: 'Jansen Design',
        country: 'NL',
        vat_number: 'NL123456789B01',
        address: { street: 'Keizersgracht 1', city: 'Amsterdam', postal_code: '1015 CJ', country: 'NL' },
      }),
    );
    const invoice = await issue(dutch, {
      customer_name: 'Acme Buyer',
      customer_address: { street: 'Main Street 5', city: 'Utrecht', country: 'NL' },
      lines: [
        { description: 'Design work', quantity: '10', unit_price: '100', vat_category: 'S', vat_rate: '21' },
      ],
      payment_terms_days: 30,
    });
    expect(invoice.statusCode, invoice.body).toBe(201);
    const note = await issue(dutch, {
      type: 'credit_note',
      original_invoice_id: invoice.json().id,
      reason: 'Returned goods',
      lines: [
        { description: 'Design work', quantity: '1', unit_price: '100', vat_category: 'S', vat_rate: '21' },
      ],
    });
    expect(note.statusCode, note.body).toBe(201);
    for (const [document, title, terms] of [
      [invoice.json(), 'Factuur', 'Betaling binnen 30 dagen'],
      [note.json(), 'Creditnota', undefined],
    ] as const) {
      const pdf = (await download(dutch, document.id)).rawPayload;
      const text = extractText(save(`nl-${document.id}.pdf`, pdf), '-layout');
      expect(text.trimStart().startsWith(title), text.slice(0, 80)).toBe(true);
      expect(text).toContain(document.invoice_number);
      if (terms) expect(text).toContain(terms);
      // No Arabic letter anywhere: labels, title, footer and payment terms are English only.
      expect(text).not.toMatch(/[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]/);
      expect(text).not.toContain('Simplified');
      expect(text).not.toContain('Tax Invoice');
      expect(text).not.toContain('ZATCA');
      expect(text).toContain('Te betalen');
      expect(text).not.toContain('Amount due');
      expect(decodeQr(save(`nl-${document.id}-qr.pdf`, pdf))).toBeUndefined();
    }
  });

  it("prints a generic-profile invoice in its country's language, English where we carry none", async () => {
    for (const [company, title, tax, labels] of [
      [
        { legal_name_en: 'Müller GmbH', country: 'DE', vat_number: 'DE123456789' },
        'Rechnung',
        { vat_category: 'S', vat_rate: '19' },
        ['Rechnungsdatum', 'Summe netto', 'Zahlbar innerhalb von 14 Tagen', 'Seite 1 von 1'],
      ],
      [
        { legal_name_en: 'Dupont SARL', country: 'FR', vat_number: 'FR12345678901' },
        'Facture',
        { vat_category: 'S', vat_rate: '20' },
        ['Total HT', 'Net à payer', 'Paiement à 14 jours', 'Page 1 sur 1'],
      ],
      [
        { legal_name_en: 'Acme Inc.', country: 'US', vat_number: '12-3456789' },
        'Invoice',
        { vat_category: 'Z', vat_rate: '0' },
        ['Total excl. VAT', 'Amount due', 'Net 14 days', 'Page 1 of 1'],
      ],
    ] as const) {
      const caller = as(
        t.app,
        await registerUser(t.app, {
          ...company,
          address: { street: 'Main 1', city: 'City', country: company.country },
        }),
      );
      const invoice = await issue(caller, {
        customer_name: 'Buyer Ltd',
        lines: [{ description: 'Design work', quantity: '1', unit_price: '100', ...tax }],
        payment_terms_days: 14,
      });
      expect(invoice.statusCode, invoice.body).toBe(201);
      const text = extractText(
        save(`${company.country}.pdf`, (await download(caller, invoice.json().id)).rawPayload),
        '-layout',
      );
      expect(text.trimStart().startsWith(title), text.slice(0, 80)).toBe(true);
      for (const label of labels) expect(text, company.country).toContain(label);
    }
  });

  it('prints a UAE invoice bilingual, titled Tax Invoice as the FTA names it', async () => {
    const uae = as(t.app, await registerUser(t.app, AE_COMPANY));
    const invoice = await issue(uae, {
      customer_name: 'Desert Rose Trading',
      customer_vat_number: '100234567890003',
      customer_address: { street: 'Sheikh Zayed Road 1', city: 'Dubai', emirate: 'DXB', country: 'AE' },
      due_date: '2099-12-31',
      lines: [{ description: 'Design work', quantity: '1', unit_price: '1000' }],
    });
    expect(invoice.statusCode, invoice.body).toBe(201);
    const text = extractText(save('uae-title.pdf', (await download(uae, invoice.json().id)).rawPayload));
    expect(text).toContain('Tax Invoice');
    expect(text).toContain('فاتورة ضريبية');
    expect(text).toContain('TRN');
  });

  it("answers 404 for another company's invoice and for an unknown id", async () => {
    const invoice = (await issue(call, BILINGUAL)).json();
    const stranger = as(t.app, await registerUser(t.app));
    const response = await download(stranger, invoice.id);
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('INVOICE_NOT_FOUND');
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect((await download(call, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});
