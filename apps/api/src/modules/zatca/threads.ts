// Where the CPU-heavy ZATCA work runs: building and signing an invoice's XML, and checking a stored document of a
// chain. A 1,000-line invoice is ~1.5 MB of XML; building, canonicalising, hashing and signing it, or parsing it
// again to verify its signature, is tens to hundreds of milliseconds of CPU in which the request thread would
// answer nobody (not even /health) — and an issue waits there holding its company's counter and EGS row locks.
//
// The threads start with the first task in a process that runs worker threads at all (main.ts starts the PDF
// render threads: render-pool.ts); elsewhere (tests, the CLI) the work runs in the caller's thread. The worker
// calls the same functions, so the XML is byte-identical either way. One pool is enough: tasks are short, and a
// chain verification keeps one task in flight at a time, so an issue's signing waits behind at most one document.
import {
  buildSignedInvoice,
  type SignedInvoice,
  type SigningKeys,
  type SignOptions,
  type ZatcaInvoiceInput,
} from '@invoiceflow/zatca';
import Piscina from 'piscina';
import { areWorkerThreadsStarted, defaultPdfThreads, threadWorker } from '../pdf/render-pool';
import { type ChainDocumentCheck, checkChainDocument } from './chain-document';

export interface SignTask {
  input: ZatcaInvoiceInput;
  keys: SigningKeys;
  options: SignOptions;
}

let pool: Promise<Piscina> | undefined;

function zatcaPool(): Promise<Piscina> | undefined {
  if (!areWorkerThreadsStarted()) {
    // The process stopped its threads (shutdown, a test): these go too.
    void pool?.then((threads) => threads.destroy());
    pool = undefined;
    return undefined;
  }
  pool ??= threadWorker(new URL('./thread-worker.ts', import.meta.url), 'ZATCA').then(
    (worker) =>
      new Piscina({
        ...worker,
        minThreads: defaultPdfThreads(),
        maxThreads: defaultPdfThreads(),
        idleTimeout: Number.POSITIVE_INFINITY,
        // Parsing a 1.5 MB document to verify its signature builds a DOM of some tens of MB.
        resourceLimits: { maxOldGenerationSizeMb: 128 },
      }),
  );
  return pool;
}

/** buildSignedInvoice, on a ZATCA thread when the process has them. */
export async function signInvoiceOffThread(task: SignTask): Promise<SignedInvoice> {
  const threads = zatcaPool();
  if (threads) return (await threads).run(task, { name: 'sign' });
  return buildSignedInvoice(task.input, task.keys, task.options);
}

/** checkChainDocument, on a ZATCA thread when the process has them. */
export async function checkChainDocumentOffThread(xml: string): Promise<ChainDocumentCheck> {
  const threads = zatcaPool();
  if (threads) return (await threads).run(xml, { name: 'checkDocument' });
  return checkChainDocument(xml);
}
