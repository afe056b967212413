// Render speed of renderInvoicePdf (not a test): npx tsx packages/pdf/bench-pdf.ts
// Reports the median and p95 per document after warm-up, for a one-page bilingual invoice (the sample without
// notes), the full two-page sample, and a 200-line invoice.
import { renderInvoicePdf } from './src/index';
import { longInvoice, sampleInvoice } from './src/sample-invoice';
import type { InvoicePdfInput } from './src/types';

async function measure(name: string, input: InvoicePdfInput, runs: number, warmup: number) {
  for (let i = 0; i < warmup; i++) await renderInvoicePdf(input);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const pdf = await renderInvoicePdf(input);
    times.push(performance.now() - start);
    bytes = pdf.length;
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(2);
  console.log(`${name.padEnd(36)} median ${at(0.5)} ms  p95 ${at(0.95)} ms  (${runs} runs, ${bytes} bytes)`);
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
await measure('one page, bilingual, PDF/A-3 + XML', onePage, 200, 30);
await measure('one page, bilingual, plain PDF', { ...onePage, pdfa3: false, attachments: [] }, 200, 30);
await measure('two pages (sample with notes)', sampleInvoice(), 100, 10);
await measure('200 lines (11 pages)', longInvoice(200), 20, 3);
