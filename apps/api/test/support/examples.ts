// The official example documents the API tests receive as if from the network. They live with the validators,
// outside the repository (../shared/validators/README.md): found through INVOICE_VALIDATORS_DIR. Absent, the tests
// that read them skip, except under CI=true, where their absence fails the run.
import { existsSync } from 'node:fs';
import path from 'node:path';

export const VALIDATORS_DIR =
  process.env.INVOICE_VALIDATORS_DIR ?? path.resolve(__dirname, '../../../../../shared/validators');
export const PEPPOL_EXAMPLE = path.join(VALIDATORS_DIR, 'ubl/peppol/examples-3.0.21/base-example.xml');
export const PINT_AE_EXAMPLE = path.join(
  VALIDATORS_DIR,
  'ubl/pint-ae/billing/trn-invoice/example/Commercial invoice.xml',
);

/** Whether the example files are there; under CI=true a missing one throws. */
export function haveExamples(...files: string[]): boolean {
  const present = files.every((file) => existsSync(file));
  if (!present && process.env.CI === 'true') throw new Error(`validators missing under ${VALIDATORS_DIR}`);
  return present;
}
