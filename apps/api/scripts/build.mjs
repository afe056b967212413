// Builds the API into plain JavaScript (apps/api/dist) so the server runs under `node` alone: no TypeScript loader and
// no bundler at run time. Our code and the workspace packages (@invoiceflow/*, TypeScript sources) are bundled; every
// npm package stays an import, resolved from node_modules as it is, so native and WebAssembly packages (argon2,
// PGlite) and packages that read their own data files (pdfkit's fonts and ICC profile) load from where npm put them.
//
// dist/main.js (API, and the worker with ROLE=worker), dist/worker.js (`npm run worker`), the CLIs, and the two
// worker-thread modules the PDF and ZATCA thread pools run (render-pool.ts finds them beside the server's code).
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const apiRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = (file) => path.join(apiRoot, 'src', file);

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
};

/**
 * Writes the server, the CLIs and the thread modules into `outdir` (default apps/api/dist). Files are overwritten,
 * not the folder removed first, and leftovers of an earlier build are removed after: a server running from `outdir`
 * meanwhile keeps finding the files it loads later (its thread modules).
 */
export async function buildApi(outdir = path.join(apiRoot, 'dist')) {
  mkdirSync(outdir, { recursive: true });
  const plugins = [npmPackagesAsImports, packageFileUrls(outdir)];
  const server = await build({
    ...common,
    entryPoints: {
      main: source('main.ts'),
      worker: source('worker.ts'),
      'chain-verify': source('cli/chain-verify.ts'),
      'super-admin': source('cli/super-admin.ts'),
    },
    // Shared code in chunks beside the entries (not in a folder): render-pool.ts looks for the thread modules
    // next to its own file, whichever chunk it lands in.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    outdir,
    plugins,
    metafile: true,
  });
  // A thread loads only its module: one file each, without the server's chunks.
  const threads = await build({
    ...common,
    entryPoints: {
      'render-worker': source('modules/pdf/render-worker.ts'),
      'thread-worker': source('modules/zatca/thread-worker.ts'),
    },
    outdir,
    plugins,
    metafile: true,
  });
  const written = new Set(
    [server, threads].flatMap((result) =>
      Object.keys(result.metafile.outputs).map((file) => path.resolve(file)),
    ),
  );
  for (const file of readdirSync(outdir)) {
    const full = path.join(outdir, file);
    if (!written.has(full)) rmSync(full, { recursive: true, force: true });
  }
  return outdir;
}

/** Bundles our own packages (@invoiceflow/*); every npm package stays an import. */
const npmPackagesAsImports = {
  name: 'npm-packages-as-imports',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@invoiceflow/') ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * A workspace package that finds its files from its own location (`import.meta.url`: the migrations folder of
 * packages/db, `createRequire` for the PDF fonts) keeps doing so once bundled: its `import.meta.url` becomes its
 * source file's address relative to the bundle, so the build still works where the checkout is moved.
 */
function packageFileUrls(outdir) {
  const packagesDir = path.resolve(apiRoot, '../../packages');
  return {
    name: 'package-file-urls',
    setup(builder) {
      builder.onLoad({ filter: /\.tsx?$/ }, async (args) => {
        if (!args.path.startsWith(packagesDir + path.sep)) return undefined;
        const { readFile } = await import('node:fs/promises');
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const relative = path.relative(outdir, args.path).split(path.sep).join('/');
        return {
          contents: text.replaceAll(
            'import.meta.url',
            `new URL(${JSON.stringify(relative)}, import.meta.url).href`,
          ),
          loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts',
        };
      });
    },
  };
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const outdir = await buildApi();
  console.log(`API built into ${path.relative(process.cwd(), outdir) || '.'}`);
}
