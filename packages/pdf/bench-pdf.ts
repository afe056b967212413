// Render speed of renderInvoicePdf (not a test): npx tsx packages/pdf/bench-pdf.ts
// Reports the median and p95 per document after warm-up, for a one-page bilingual invoice (the sample without
// notes), the full two-page sample, a 200-line invoice, and one-page invoices that are each new as in sustained
// issuing (the renderer caches shaped and laid-out text, so rendering one invoice over and over hits for all of it).
import { randomBytes } from 'node:crypto';
import { computeTotals, type LineInput } from '@invoiceflow/totals';
import { renderInvoicePdf } from './src/index';
import { longInvoice, SAMPLE_XML, sampleInvoice, zatcaQrPayload } from './src/test-support/sample-invoice';
import type { InvoicePdfInput } from './src/types';

async function measure(name: string, inputs: InvoicePdfInput[], runs: number, warmup: number) {
  const input = (i: number) => inputs[i % inputs.length] as InvoicePdfInput;
  for (let i = 0; i < warmup; i++) await renderInvoicePdf(input(i));
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const pdf = await renderInvoicePdf(input(warmup + i));
    times.push(performance.now() - start);
    bytes = pdf.length;
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(2);
  console.log(`${name.padEnd(36)} median ${at(0.5)} ms  p95 ${at(0.95)} ms  (${runs} runs, ${bytes} bytes)`);
}

/**
 * One-page invoices of one seller as it issues them: customers and products recur, while the number, date,
 * quantities (so every amount), the Phase 2 QR (~600 characters) and the signed XML (~11 kB) are new each time.
 */
function issuedInvoices(count: number): InvoicePdfInput[] {
  const customers = ['Al Amal Trading Est.', 'Gulf Supplies Co.', 'Najd Contracting', 'Red Sea Logistics'];
  const customersAr = [
    'مؤسسة الأمل التجارية',
    'شركة توريدات الخليج',
    'مقاولات نجد',
    'الخدمات اللوجستية للبحر الأحمر',
  ];
  const products = [
    ['Laptop stand, aluminium', 'حامل حاسوب محمول من الألمنيوم', '150.00'],
    ['Wireless keyboard and mouse set', 'طقم لوحة مفاتيح وفأرة لاسلكية', '120.00'],
    ['Consulting hours', 'ساعات استشارية', '500.00'],
    ['Printer toner', 'حبر طابعة', '95.50'],
    ['Delivery', 'توصيل', '25.00'],
  ] as const;
  return Array.from({ length: count }, (_, n) => {
    const lines: LineInput[] = Array.from({ length: 3 + (n % 3) }, (_, k) => {
      const [description, description_ar, unit_price] = products[(n + k) % products.length] ?? products[0];
      return { description, description_ar, unit_price, quantity: String(1 + ((n * 7 + k) % 13)) };
    });
    const number = `INV-2026-${String(n + 1).padStart(6, '0')}`;
    const base = sampleInvoice();
    return sampleInvoice({
      number,
      issue_date: `2026-02-${String(1 + (n % 28)).padStart(2, '0')}`,
      issue_time: `${String(8 + (n % 10)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}:00`,
      supply_date: undefined,
      buyer: base.buyer && {
        ...base.buyer,
        name_en: customers[n % customers.length],
        name_ar: customersAr[n % customersAr.length],
      },
      lines: lines.map(({ description, description_ar }) => ({ description, description_ar })),
      totals: computeTotals({ jurisdiction: 'zatca', currency: 'SAR', lines }),
      notes: undefined,
      notes_ar: undefined,
      payment_terms: undefined,
      payment_terms_ar: undefined,
      qr_payload: zatcaQrPayload(
        ['Namathij Invoice Company Ltd', '399999999900003', '2026-02-01T10:30:00Z', '1000.00', '150.00'],
        [randomBytes(32), randomBytes(71), randomBytes(88), randomBytes(72)].map((b) => new Uint8Array(b)),
      ),
      attachments: [
        {
          name: `${number}.xml`,
          mime: 'application/xml',
          content: Buffer.from(
            SAMPLE_XML.replaceAll('SME00010', number).replace(
              '</Invoice>',
              `<Signature>${randomBytes(7500).toString('base64')}</Signature>\n</Invoice>`,
            ),
            'utf8',
          ),
        },
      ],
    });
  });
}

const coldStart = performance.now();
await renderInvoicePdf(sampleInvoice({ notes: undefined, notes_ar: undefined }));
console.log(`first render (fonts parsed at import)   ${(performance.now() - coldStart).toFixed(1)} ms`);

const onePage = sampleInvoice({
  notes: undefined,
  notes_ar: undefined,
  payment_terms: undefined,
  payment_terms_ar: undefined,
});
await measure('one page, bilingual, PDF/A-3 + XML', [onePage], 200, 30);
await measure('one page, bilingual, plain PDF', [{ ...onePage, pdfa3: false, attachments: [] }], 200, 30);
await measure('one page, a new invoice each time', issuedInvoices(230), 200, 30);
await measure('two pages (sample with notes)', [sampleInvoice()], 100, 10);
await measure('200 lines (11 pages)', [longInvoice(200)], 20, 3);
