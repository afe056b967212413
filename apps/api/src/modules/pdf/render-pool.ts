// Where invoice PDFs are rendered: on worker threads when the process has started some, else on the caller's.
//
// A one-page render is ~4 ms of CPU (~12 ms before the renderer's own work) that nothing else in the request needs: in the request thread it makes every
// other request wait behind it, among them issues holding their company's EGS row lock (ZATCA's chain is strictly
// sequential), so a burst of issues turned into a queue of locks held across renders. On a render thread the event
// loop stays free for the issuing transactions, and the renders use the machine's other core(s).
//
// The pool is a per-process resource, like the database pool: the entry point (main.ts) starts it with
// `startPdfThreads`; without it (tests, scripts) renders run in the caller's thread. The worker runs the same
// renderer, so the bytes are the same either way (pdf.test.ts checks both).
//
// The worker does not run under tsx: a TypeScript loader in a thread costs ~25 MB (its own hooks thread and
// transpile caches), and the API process has 300 MB for everything. The built server (`npm start`, apps/api/dist)
// has the worker modules beside its own code, made by the build (apps/api/scripts/build.mjs). Run from the sources
// (tests, tsx), the worker and our workspace packages are bundled by esbuild at start into one plain module (npm
// packages stay imports), written once under node_modules/.cache/invoiceflow with its content hash in the name, so
// a changed renderer is never served stale and processes starting together share the file.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import Piscina from 'piscina';
import type { RenderTask } from './render-worker';

let pool: Piscina | undefined;

/**
 * The PDF of an issued invoice from its snapshot and stored ZATCA artifacts. On a render thread the mapping to the
 * renderer's input runs there too: for a 1,000-line invoice it is tens of milliseconds the request thread would
 * otherwise stand still for.
 */
export async function renderPdf(task: RenderTask): Promise<Buffer> {
  if (!pool) {
    // Loaded on first use: with render threads the request thread never needs pdfkit, fontkit and the fonts (~30 MB).
    const { default: render } = await import('./render-worker');
    return render(task);
  }
  // Structured clone turns the worker's Buffer into a plain Uint8Array: view the same bytes as a Buffer again.
  const bytes: Uint8Array = await pool.run(task);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Render threads the process gets by default: every core but one (the request thread's), at least one. */
export function defaultPdfThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/**
 * Starts `threads` render threads for this process (0: render in the request thread). Each holds the fonts and
 * the renderer; its heap is capped so a pathological invoice cannot grow it without bound.
 */
export async function startPdfThreads(threads: number): Promise<void> {
  if (pool || threads === 0) return;
  // Plain JavaScript needs none of the process's flags (tsx; --max-old-space-size, which a worker refuses). Where
  // the bundle cannot be written (a read-only node_modules), the TypeScript worker runs under tsx instead.
  const worker = await threadWorker(new URL('./render-worker.ts', import.meta.url), 'PDF render');
  pool ??= new Piscina({
    ...worker,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    resourceLimits: { maxOldGenerationSizeMb: 96 },
  });
}

/**
 * How a pool of `purpose` threads loads the worker module `entry` (a TypeScript file): the built module beside the
 * running code, the esbuild bundle (see the top of this file), or under tsx where the bundle cannot be written.
 * Other modules' thread pools use it too.
 */
export async function threadWorker(
  entry: URL,
  purpose: string,
): Promise<{ filename: string; execArgv: string[] }> {
  // Plain JavaScript needs none of the process's flags (tsx; --max-old-space-size, which a worker refuses).
  const built = new URL(`./${path.basename(entry.pathname).replace(/\.ts$/, '.js')}`, import.meta.url);
  if (built.href !== entry.href && existsSync(built)) return { filename: built.href, execArgv: [] };
  return bundledWorker(entry).then(
    (filename) => ({ filename, execArgv: [] }),
    (error: Error) => {
      process.emitWarning(`${purpose} threads run under tsx: the worker bundle failed (${error.message})`);
      return { filename: entry.href, execArgv: ['--import', 'tsx'] };
    },
  );
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');

/** A worker with the workspace packages in it, as a file URL (see the top of this file). */
async function bundledWorker(entry: URL): Promise<string> {
  // A development dependency, loaded only here: the built server never needs it.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    plugins: [npmPackagesAsImports],
  });
  const code = result.outputFiles[0]?.text;
  if (!code) throw new Error(`esbuild produced no worker for ${entry.pathname}`);
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const name = path.basename(entry.pathname).replace(/\.ts$/, '');
  // Inside the repository's node_modules, so the worker's imports resolve to the same packages.
  const directory = path.join(repoRoot, 'node_modules/.cache/invoiceflow');
  const file = path.join(directory, `${name}-${hash}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(directory, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  return pathToFileURL(file).href;
}

/** Bundles our own packages (@invoiceflow/*, TypeScript sources); every npm package stays an import. */
const npmPackagesAsImports: Plugin = {
  name: 'npm-packages-as-imports',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@invoiceflow/') ? undefined : { path: args.path, external: true },
    );
  },
};

/** Whether this process runs work on threads (main.ts started them); other modules' pools start only then. */
export function areWorkerThreadsStarted(): boolean {
  return pool !== undefined;
}

export async function stopPdfThreads(): Promise<void> {
  const stopping = pool;
  pool = undefined;
  await stopping?.destroy();
}

/** Render threads running, and the renders they have finished. */
export function pdfThreadStats(): { threads: number; renders: number } {
  return { threads: pool?.threads.length ?? 0, renders: pool?.completed ?? 0 };
}
