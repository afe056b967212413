// Invoice PDF generation in process, beside a baseline measured in the same run (pdfkit writing one page of the
// same text with the same fonts preloaded). Two parts:
// - the renderer alone: packages/pdf/bench-pdf.ts (one page PDF/A-3 + XML, one page plain, a new one-page invoice
//   each time, two pages, 200 lines);
// - "issue path": what the API does per invoice after the issuing commit besides SQL (modules/pdf/service.ts) —
//   frozen snapshot → renderer input (modules/pdf/invoice-pdf-input.ts) with the Phase 2 QR and the signed XML,
//   render the PDF/A-3, SHA-256 of the bytes. Once for one invoice rendered over and over, once for a new invoice
//   each time (number, quantities and amounts, QR and signature; signed before timing): the renderer caches
//   shaped and laid-out text by content, so only the second sees what sustained issuing renders.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { InvoiceSnapshot } from '@invoiceflow/db/schema';
import PDFDocument from 'pdfkit';
import { issuePath, nextInvoices, signed, snapshot } from './support/invoice-parts';
import { machine, percentile } from './support/machine';

console.log(machine());
await import('../packages/pdf/bench-pdf');

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
