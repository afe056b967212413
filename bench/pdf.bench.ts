// Invoice PDF generation in process, beside a baseline measured in the same run (pdfkit writing one page of the
// same text with the same fonts preloaded). Two parts:
// - the renderer alone: packages/pdf/bench-pdf.ts (one page PDF/A-3 + XML, one page plain, a new one-page invoice
//   each time, two pages, 200 lines);
// - "issue path": what the API does per invoice after the issuing commit besides SQL (modules/pdf/service.ts) —
//   frozen snapshot → renderer input (modules/pdf/invoice-pdf-input.ts) with the Phase 2 QR and the signed XML,
//   render the PDF/A-3, SHA-256 of the bytes. Once for one invoice rendered over and over, once for a new invoice
//   each time (number, quantities and amounts, QR and signature; signed before timing): the renderer caches
//   shaped and laid-out text by content, so only the second sees what sustained issuing renders.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { InvoiceSnapshot } from '@invoiceflow/db/schema';
import { renderInvoicePdf } from '@invoiceflow/pdf';
import { computeTotals, type LineInput } from '@invoiceflow/totals';
import {
  buildSignedInvoice,
  type CsrInput,
  FIRST_PIH,
  generateEgsKeyPair,
  issueSelfSignedTestCertificate,
} from '@invoiceflow/zatca';
import PDFDocument from 'pdfkit';
import { pdfInputOf } from '../apps/api/src/modules/pdf/invoice-pdf-input';
import { zatcaInput } from '../apps/api/src/modules/zatca/document';
import { machine, percentile } from './support/machine';

console.log(machine());
await import('../packages/pdf/bench-pdf');

const csr: CsrInput = {
  commonName: 'bench-egs',
  serialNumber: '1-InvoiceFlow|2-API|3-bench',
  organizationIdentifier: '399999999900003',
  organizationUnitName: 'Main Branch',
  organizationName: 'Maximum Speed Tech Supply LTD',
  countryName: 'SA',
  invoiceType: '1100',
  location: 'Riyadh',
  industry: 'Retail',
  environment: 'sandbox',
};
const keys = generateEgsKeyPair();
const certificatePem = issueSelfSignedTestCertificate(csr, keys.privateKeyPem).certificatePem;

const lines: LineInput[] = [
  { description: 'Consulting hours', description_ar: 'ساعات استشارية', quantity: '10', unit_price: '500' },
  { description: 'Laptop stand', description_ar: 'حامل حاسوب محمول', quantity: '2', unit_price: '120' },
  {
    description: 'Wireless keyboard',
    description_ar: 'لوحة مفاتيح لاسلكية',
    quantity: '3',
    unit_price: '95.50',
  },
  { description: 'Delivery', description_ar: 'توصيل', quantity: '1', unit_price: '25' },
];
const snapshot: InvoiceSnapshot = {
  version: 1,
  number: 'INV-2026-000001',
  type: 'invoice',
  subtype: 'standard',
  issue_date: '2026-01-15',
  issued_at: '2026-01-15T07:00:00.000Z',
  due_date: '2026-02-14',
  payment_terms_days: 30,
  currency: 'SAR',
  notes: null,
  original_invoice: null,
  reason: null,
  seller: {
    company_id: '00000000-0000-4000-8000-000000000001',
    legal_name_en: 'Maximum Speed Tech Supply LTD',
    legal_name_ar: 'شركة توريد التكنولوجيا بأقصى سرعة المحدودة',
    country: 'SA',
    vat_number: '399999999900003',
    registration_number: '1010010000',
    address: {
      street: 'Prince Sultan',
      building_number: '2322',
      district: 'Al-Murabba',
      city: 'Riyadh',
      postal_code: '23333',
      country: 'SA',
    },
  },
  buyer: {
    customer_id: null,
    kind: 'company',
    name_en: 'Advanced Trading Est.',
    name_ar: 'مؤسسة التجارة المتقدمة',
    vat_number: '310122393500003',
    registration_number: null,
    address: {
      street: 'King Fahd Road',
      building_number: '1234',
      district: 'Al Olaya',
      city: 'Riyadh',
      postal_code: '12345',
      country: 'SA',
    },
  },
  lines,
  totals: computeTotals({ jurisdiction: 'zatca', currency: 'SAR', lines }),
};
const signed = buildSignedInvoice(
  zatcaInput(snapshot, { uuid: '8d487816-70b8-4ade-a618-9d620b73814a', counter: 1, previousHash: FIRST_PIH }),
  { privateKeyPem: keys.privateKeyPem, certificatePem },
);

async function issuePath(invoice: InvoiceSnapshot, artifacts: { qr: string; xml: string }): Promise<number> {
  const pdf = await renderInvoicePdf(pdfInputOf(invoice, artifacts));
  createHash('sha256').update(pdf).digest('hex');
  return pdf.length;
}

/** The same seller's next invoices: number, time, quantities (so every amount) and customer change; signed. */
function nextInvoices(count: number): Array<{ invoice: InvoiceSnapshot; qr: string; xml: string }> {
  const customers = ['Advanced Trading Est.', 'Gulf Supplies Co.', 'Najd Contracting', 'Red Sea Logistics'];
  let previousHash = FIRST_PIH;
  return Array.from({ length: count }, (_, n) => {
    const invoiceLines = lines.map((line, k) => ({ ...line, quantity: String(1 + ((n * 7 + k * 3) % 19)) }));
    const invoice: InvoiceSnapshot = {
      ...snapshot,
      number: `INV-2026-${String(n + 2).padStart(6, '0')}`,
      issued_at: new Date(Date.parse(snapshot.issued_at) + n * 61_000).toISOString(),
      buyer: snapshot.buyer && { ...snapshot.buyer, name_en: customers[n % customers.length] ?? '' },
      lines: invoiceLines,
      totals: computeTotals({ jurisdiction: 'zatca', currency: 'SAR', lines: invoiceLines }),
    };
    const uuid = `8d487816-70b8-4ade-a618-${String(n).padStart(12, '0')}`;
    const result = buildSignedInvoice(zatcaInput(invoice, { uuid, counter: n + 2, previousHash }), {
      privateKeyPem: keys.privateKeyPem,
      certificatePem,
    });
    previousHash = result.hash;
    return { invoice, qr: result.qr, xml: result.xml };
  });
}

// The baseline, measured in the same run: pdfkit writing one A4 page of the same invoice's text (seller, buyer,
// lines, totals) with the same two fonts, read once beforehand, and nothing else (no layout, shaping, QR or PDF/A).
const fontFile = (name: string) =>
  readFileSync(createRequire(import.meta.url).resolve(`@expo-google-fonts/noto-sans-arabic/${name}`));
const baselineFonts = {
  regular: fontFile('400Regular/NotoSansArabic_400Regular.ttf'),
  bold: fontFile('700Bold/NotoSansArabic_700Bold.ttf'),
};
function pdfkitPage(invoice: InvoiceSnapshot): Promise<number> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({ size: 'A4', margin: 40 });
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks).length));
    pdf.on('error', reject);
    pdf.registerFont('regular', baselineFonts.regular);
    pdf.registerFont('bold', baselineFonts.bold);
    pdf.font('bold').fontSize(16).text('Simplified Tax Invoice', 40, 40);
    pdf.font('regular').fontSize(9);
    pdf.text(`${invoice.number}  ${invoice.issue_date}`, 40, 70);
    pdf.text(invoice.seller.legal_name_en, 40, 90);
    pdf.text(invoice.seller.legal_name_ar ?? '', 300, 90, { features: ['rlig', 'calt'] });
    pdf.text(invoice.buyer?.name_en ?? '', 40, 110);
    invoice.totals.lines.forEach((line, i) => {
      const y = 150 + i * 16;
      pdf.text(invoice.lines[i]?.description ?? '', 40, y);
      pdf.text(invoice.lines[i]?.description_ar ?? '', 200, y, { features: ['rlig', 'calt'] });
      pdf.text(line.quantity, 330, y);
      pdf.text(line.net_amount, 400, y);
      pdf.text(line.amount_with_vat, 480, y);
    });
    pdf
      .font('bold')
      .text(invoice.totals.totals.payable_amount, 480, 150 + invoice.totals.lines.length * 16 + 10);
    pdf.end();
  });
}
let baselineMedian = Number.NaN;
{
  for (let i = 0; i < 50; i++) await pdfkitPage(snapshot);
  const samples: number[] = [];
  for (let i = 0; i < 300; i++) {
    const start = process.hrtime.bigint();
    await pdfkitPage(snapshot);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  baselineMedian = percentile(samples, 50);
  console.log(
    `baseline, pdfkit writing one page of the same text with the same fonts preloaded: median ` +
      `${baselineMedian.toFixed(2)} ms, p99 ${percentile(samples, 99).toFixed(2)} ms`,
  );
}

async function measureIssuePath(
  name: string,
  next: (i: number) => Parameters<typeof issuePath>,
): Promise<void> {
  let bytes = 0;
  for (let i = 0; i < 50; i++) bytes = await issuePath(...next(i)); // JIT, font subsets' glyph caches
  const samples: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < 300; i++) {
    const args = next(50 + i);
    const start = process.hrtime.bigint();
    await issuePath(...args);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const cpu = process.cpuUsage(cpuBefore);
  samples.sort((a, b) => a - b);
  console.log(
    `pdf issue path, ${name}, snapshot → PDF/A-3 + signed XML + QR + SHA-256: median ` +
      `${percentile(samples, 50).toFixed(2)} ms, p90 ${percentile(samples, 90).toFixed(2)} ms, p99 ` +
      `${percentile(samples, 99).toFixed(2)} ms (n=${samples.length}, ${bytes} bytes), ` +
      `${(percentile(samples, 50) / baselineMedian).toFixed(2)}× the pdfkit baseline; process CPU ` +
      `${((cpu.user + cpu.system) / 1000 / samples.length).toFixed(2)} ms per PDF (contention-independent)`,
  );
}

const artifacts = { qr: signed.qr, xml: signed.xml };
await measureIssuePath('one page bilingual', () => [snapshot, artifacts]);
const issued = nextInvoices(350);
await measureIssuePath('a new one-page invoice each time', (i) => {
  const { invoice, qr, xml } = issued[i % issued.length] as (typeof issued)[number];
  return [invoice, { qr, xml }];
});
