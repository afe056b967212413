// Where invoice PDFs are rendered: on worker threads when the process has started some, else on the caller's.
//
// A one-page render is ~10 ms of CPU that nothing else in the request needs: in the request thread it makes every
// other request wait behind it, among them issues holding their company's EGS row lock (ZATCA's chain is strictly
// sequential), so a burst of issues turned into a queue of locks held across renders. On a render thread the event
// loop stays free for the issuing transactions, and the renders use the machine's other core(s).
//
// The pool is a per-process resource, like the database pool: the entry point (main.ts) starts it with
// `startPdfThreads`; without it (tests, scripts) renders run in the caller's thread. The worker runs the same
// renderer, so the bytes are the same either way (pdf.test.ts checks both).
import { availableParallelism } from 'node:os';
import { type InvoicePdfInput, renderInvoicePdf } from '@invoiceflow/pdf';
import Piscina from 'piscina';

let pool: Piscina | undefined;

export function renderPdf(input: InvoicePdfInput): Promise<Buffer> {
  if (!pool) return renderInvoicePdf(input);
  // Structured clone turns the worker's Buffer into a plain Uint8Array: view the same bytes as a Buffer again.
  return pool
    .run(input)
    .then((bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
}

/** Render threads the process gets by default: every core but one (the request thread's), at least one. */
export function defaultPdfThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/**
 * Starts `threads` render threads for this process (0: render in the request thread). Each holds the fonts and
 * the renderer (~40 MB); its heap is capped so a pathological invoice cannot grow it without bound.
 */
export function startPdfThreads(threads: number): void {
  if (pool || threads === 0) return;
  pool = new Piscina({
    filename: new URL('./render-worker.ts', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    resourceLimits: { maxOldGenerationSizeMb: 96 },
    // The worker is TypeScript, loaded with tsx as the entry point is. Only that: a worker refuses the process's
    // V8 flags (--max-old-space-size, --cpu-prof), which a plain inherited execArgv would pass on.
    execArgv: ['--import', 'tsx'],
  });
}

export async function stopPdfThreads(): Promise<void> {
  const stopping = pool;
  pool = undefined;
  await stopping?.destroy();
}

/** Render threads running, and the renders they have finished (for /ready-style checks and the tests). */
export function pdfThreadStats(): { threads: number; renders: number } {
  return { threads: pool?.threads.length ?? 0, renders: pool?.completed ?? 0 };
}
