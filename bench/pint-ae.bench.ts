// In-process cost of the PINT AE document of a 10-line UAE invoice: the checks a user can fix (ublIssues) and the
// XML (buildPintAeXml) from the totals engine's result. Reported as a ratio to the totals engine on the same
// invoice in the same run (the machine is shared, so absolute figures drift; the ratio much less).
import { computeTotals, type DocumentInput } from '@invoiceflow/totals';
import {
  buildPintAeXml,
  UAE_ENDPOINT_SCHEME,
  type UblDocumentInput,
  uaeTinOf,
  ublIssues,
} from '@invoiceflow/ubl';
import { machine } from './support/machine';

const totalsInput: DocumentInput = {
  jurisdiction: 'pint-ae',
  currency: 'AED',
  lines: Array.from({ length: 10 }, (_, i) => ({
    quantity: String(1 + (i % 4)),
    unit_price: `${(i + 1) * 37}.${String(i * 7).padStart(2, '0')}`,
    unit_code: 'H87',
    vat_category: i === 9 ? 'Z' : 'S',
    ...(i === 3 ? { allowances_charges: [{ is_charge: false, percent: '10', reason: 'Discount' }] } : {}),
  })),
  allowances_charges: [{ is_charge: true, amount: '25.00', reason: 'Delivery', vat_category: 'S' }],
};
const party = (name: string, trn: string, emirate: string) => ({
  name,
  address: { street: 'Sheikh Zayed Road 1', city: 'Dubai', subdivision: emirate, country: 'AE' },
  vat_number: trn,
  endpoint: { scheme: UAE_ENDPOINT_SCHEME, id: uaeTinOf(trn) },
  legal_registration: { id: 'TL-1', type: 'TL' as const, authority: 'Department of Economy and Tourism' },
});
const totals = computeTotals(totalsInput);
const input: UblDocumentInput = {
  kind: 'invoice',
  number: 'INV-2025-000001',
  uuid: '7d3c1a52-0b6e-4c1f-9a3e-000000000001',
  issue_date: '2025-02-07',
  due_date: '2025-03-09',
  payment_means: { code: '30', account_id: 'AE070331234567890123456' },
  seller: party('Falcon Trading LLC', '100123456700003', 'DXB'),
  buyer: party('Noor Electronics LLC', '100987654300003', 'AUH'),
  lines: totals.lines.map((_, i) => ({ name: `Item ${i + 1}`, item_type: 'goods', hs_code: '85171300' })),
  totals,
};
if (totals.errors.length > 0 || ublIssues('pint-ae', input).length > 0) {
  throw new Error('bench invoice is invalid');
}

const time = (fn: () => void, perBatch: number): number[] => {
  for (let i = 0; i < perBatch; i++) fn();
  const batches: number[] = [];
  for (let batch = 0; batch < 15; batch++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < perBatch; i++) fn();
    batches.push(Number(process.hrtime.bigint() - start) / 1000 / perBatch);
  }
  return batches.sort((a, b) => a - b);
};

const baseline = time(() => computeTotals(totalsInput), 10_000);
const document = time(() => {
  ublIssues('pint-ae', input);
  buildPintAeXml(input);
}, 10_000);
const median = (sorted: number[]) => sorted[7] ?? Number.NaN;
console.log(machine());
console.log(
  `PINT AE, 10 lines, ublIssues + XML: median ${median(document).toFixed(2)} µs/call, best ${document[0]?.toFixed(2)} µs; ` +
    `totals engine on the same invoice: median ${median(baseline).toFixed(2)} µs; ` +
    `ratio ${(median(document) / median(baseline)).toFixed(2)}× the totals engine`,
);
