// Runs the official UBL validators (../shared/validators/ubl/validate.sh: UBL 2.1 XSD and the PINT AE / Peppol
// schematrons) from tests. They live outside the repository: found through INVOICE_VALIDATORS_DIR, default
// <repo>/../shared/validators. Absent → the tests skip with a message, except under CI=true where absence fails.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export function validatorsDir(): string {
  return path.resolve(repoRoot, process.env.INVOICE_VALIDATORS_DIR ?? '../shared/validators');
}

export interface UblFileResult {
  file: string;
  fatal: string[];
  warnings: string[];
}

let availability: { available: boolean; reason: string } | undefined;

/** Whether validate.sh, Java and Saxon are there. Under CI=true, absence throws. */
export function ublValidatorAvailable(): boolean {
  if (!availability) {
    const script = path.join(validatorsDir(), 'ubl/validate.sh');
    if (!existsSync(script)) availability = { available: false, reason: `no validator at ${script}` };
    else if (spawnSync('java', ['-version']).status !== 0)
      availability = { available: false, reason: 'java is not installed' };
    else if (!existsSync(process.env.SAXON_JAR ?? '/usr/share/java/Saxon-HE.jar'))
      availability = {
        available: false,
        reason: 'Saxon-HE is not installed (apt-get install libsaxonhe-java)',
      };
    else availability = { available: true, reason: 'ok' };
  }
  if (!availability.available && process.env.CI === 'true') {
    throw new Error(`UBL validator required under CI: ${availability.reason}`);
  }
  if (!availability.available) {
    console.warn(
      `[ubl] SKIPPING official-validator tests: ${availability.reason} (set INVOICE_VALIDATORS_DIR)`,
    );
  }
  return availability.available;
}

/** One JVM for all the files (each start costs seconds). */
export function validateUblFiles(
  profile: 'pint-ae' | 'peppol' | 'en16931',
  files: string[],
): Promise<Map<string, UblFileResult>> {
  const script = path.join(validatorsDir(), 'ubl/validate.sh');
  return new Promise((resolve, reject) => {
    const child = spawn(script, [profile, ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 && code !== 1) {
        reject(new Error(`validate.sh exited with ${code}: ${err.slice(0, 2000)}`));
        return;
      }
      const results = new Map<string, UblFileResult>();
      // validate.sh names each file with a "== file" line only when it was given several.
      let current: UblFileResult | undefined;
      if (files.length === 1 && files[0]) {
        current = { file: files[0], fatal: [], warnings: [] };
        results.set(current.file, current);
      }
      for (const line of out.split('\n')) {
        if (line.startsWith('== ')) {
          current = { file: line.slice(3).trim(), fatal: [], warnings: [] };
          results.set(current.file, current);
        } else if (current && line.startsWith('[fatal]')) current.fatal.push(line.slice(8, 400));
        else if (current && line.startsWith('[warning]')) current.warnings.push(line.slice(10, 400));
      }
      resolve(results);
    });
  });
}
