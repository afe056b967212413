// In-process timing of build + hash + sign + QR for a 10-line simplified invoice (not a test).
// Run from the repo root: node --import tsx packages/zatca/bench-sign.ts
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { computeTotals } from '@invoiceflow/totals';
import { FIRST_PIH } from './src/invoice-hash';
import { buildSignedInvoice } from './src/signed-invoice';
import { SELLER } from './src/test-support/scenarios';
import { lineTextsFromDocument } from './src/types';

const certDir = path.resolve(
  process.env.INVOICE_VALIDATORS_DIR ?? path.resolve(import.meta.dirname, '../../../shared/validators'),
  'zatca/sdk/Data/Certificates',
);
const keys = {
  privateKeyPem: readFileSync(path.join(certDir, 'ec-secp256k1-priv-key.pem'), 'utf8'),
  certificatePem: readFileSync(path.join(certDir, 'cert.pem'), 'utf8'),
};
const document = {
  jurisdiction: 'zatca' as const,
  lines: Array.from({ length: 10 }, (_, i) => ({
    description: `Item ${i + 1}`,
    description_ar: `صنف ${i + 1}`,
    quantity: String(i + 1),
    unit_price: `${i + 3}.25`,
  })),
};
const totals = computeTotals(document);
const input = {
  type: 'invoice' as const,
  subtype: 'simplified' as const,
  number: 'SME-1',
  uuid: '8e6000cf-1a98-4174-b3e7-b5d5954bc10d',
  issue_date: '2025-01-15',
  issue_time: '10:00:00',
  counter: 1,
  previous_hash: FIRST_PIH,
  seller: SELLER,
  totals,
  lines: lineTextsFromDocument(document),
};

const run = () => buildSignedInvoice(input, keys, { signingTime: '2025-01-15T10:00:00' });
for (let i = 0; i < 500; i++) run(); // warm-up (JIT, key cache)
const samples: number[] = [];
for (let i = 0; i < 5000; i++) {
  const t0 = process.hrtime.bigint();
  run();
  samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
samples.sort((a, b) => a - b);
const pct = (p: number) => samples[Math.floor((samples.length - 1) * p)]?.toFixed(3);
console.log(
  `build+hash+sign+QR, 10-line simplified invoice: median ${pct(0.5)} ms, p90 ${pct(0.9)} ms, p99 ${pct(0.99)} ms (n=${samples.length})`,
);
