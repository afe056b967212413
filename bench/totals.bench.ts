// In-process cost of the totals engine for a 10-line invoice (issue 3: ≤ 20 µs per call).
import { computeTotals } from '@invoiceflow/totals';
import { machine, tenLineInvoice } from './support/machine';

const input = tenLineInvoice();
const check = computeTotals(input);
if (check.errors.length > 0) throw new Error(`bench invoice is invalid: ${JSON.stringify(check.errors)}`);

// Warm up the JIT, then time batches and keep the best and the median batch.
for (let i = 0; i < 20_000; i++) computeTotals(input);
const batches: number[] = [];
const perBatch = 20_000;
for (let batch = 0; batch < 15; batch++) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < perBatch; i++) computeTotals(input);
  batches.push(Number(process.hrtime.bigint() - start) / 1000 / perBatch);
}
batches.sort((a, b) => a - b);
console.log(machine());
console.log(
  `totals, 10 lines: median ${batches[7]?.toFixed(2)} µs/call, best ${batches[0]?.toFixed(2)} µs/call ` +
    `(${perBatch * batches.length} calls; target ≤ 20 µs)`,
);
