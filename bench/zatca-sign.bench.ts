// In-process cost of the ZATCA part of issuing a 10-line simplified invoice: build the UBL XML from the frozen
// snapshot, hash, ECDSA secp256k1 XAdES signature and QR TLV, as a ratio to one crypto.sign measured in the same
// run. Two paths:
// - "package": buildSignedInvoice on a ready ZatcaInvoiceInput (packages/zatca/bench-sign.ts measures the same);
// - "issue path": what the issuing transaction does per invoice besides SQL — snapshot → ZATCA input
//   (modules/zatca/document.ts), decrypt the EGS private key (AES-256-GCM), build + hash + sign + QR.
import { createHash, createPrivateKey, randomBytes, randomUUID, sign } from 'node:crypto';
import { computeTotals, type LineInput } from '@invoiceflow/totals';
import { buildSignedInvoice, FIRST_PIH } from '@invoiceflow/zatca';
import { decrypt, encrypt } from '../apps/api/src/lib/crypto';
import { type ZatcaSourceDocument, zatcaInput } from '../apps/api/src/modules/zatca/document';
import { certificatePem, keys } from './support/invoice-parts';
import { machine, percentile } from './support/machine';

const dataKey = randomBytes(32);
const privateKeyEnc = encrypt(dataKey, keys.privateKeyPem);

const lines: LineInput[] = Array.from({ length: 10 }, (_, i) => ({
  description: `Item ${i + 1}`,
  description_ar: `صنف ${i + 1}`,
  quantity: String(i + 1),
  unit_price: `${i + 3}.25`,
}));
const totals = computeTotals({ jurisdiction: 'zatca', currency: 'SAR', lines });
const snapshot: ZatcaSourceDocument = {
  number: 'INV-2026-000001',
  type: 'invoice',
  subtype: 'simplified',
  issue_date: '2026-01-15',
  issued_at: '2026-01-15T07:00:00.000Z',
  notes: null,
  original_invoice: null,
  reason: null,
  seller: {
    legal_name_en: 'Maximum Speed Tech Supply LTD',
    legal_name_ar: 'شركة توريد التكنولوجيا بأقصى سرعة المحدودة',
    vat_number: '399999999900003',
    registration_number: '1010010000',
    address: {
      street: 'Prince Sultan',
      building_number: '2322',
      district: 'Al-Murabba',
      city: 'Riyadh',
      postal_code: '23333',
      country: 'SA',
    },
  },
  buyer: {
    customer_id: null,
    name_en: 'Walk-in customer',
    name_ar: null,
    vat_number: null,
    registration_number: null,
    address: null,
  },
  lines,
  totals,
};
const uuid = randomUUID();
const input = zatcaInput(snapshot, { uuid, counter: 1, previousHash: FIRST_PIH });

const paths: Record<string, () => void> = {
  package: () => buildSignedInvoice(input, { privateKeyPem: keys.privateKeyPem, certificatePem }),
  'issue path': () => {
    const privateKeyPem = decrypt(dataKey, privateKeyEnc);
    buildSignedInvoice(zatcaInput(snapshot, { uuid, counter: 2, previousHash: FIRST_PIH }), {
      privateKeyPem,
      certificatePem,
    });
  },
};

// The baseline, measured in the same run: node:crypto's ECDSA signature alone of one SHA-256 digest with the same
// key (parsed once, as the signer caches it), the floor under any signing path.
const signingKey = createPrivateKey(keys.privateKeyPem);
const digest = createHash('sha256').update('bench').digest();
const baseline = () => {
  sign(null, digest, signingKey);
};

console.log(machine());
const timed = (run: () => void) => {
  for (let i = 0; i < 500; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples.sort((a, b) => a - b);
};
const base = percentile(timed(baseline), 50);
console.log(`baseline, one crypto.sign (ECDSA secp256k1) of a SHA-256 digest: median ${base.toFixed(3)} ms`);
for (const [name, run] of Object.entries(paths)) {
  // The first 500 runs warm up the JIT and the signer cache (parsed key and certificate).
  const samples = timed(run);
  console.log(
    `zatca ${name}, build+hash+sign+QR, 10-line simplified invoice: median ${percentile(samples, 50).toFixed(3)} ms, ` +
      `p90 ${percentile(samples, 90).toFixed(3)} ms, p99 ${percentile(samples, 99).toFixed(3)} ms ` +
      `(n=${samples.length}); ${(percentile(samples, 50) / base).toFixed(2)}× the baseline`,
  );
}
