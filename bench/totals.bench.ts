// In-process cost of the totals engine for a 10-line invoice, beside a baseline measured in the same run: a
// straightforward big.js engine computing the same figures (line nets with their allowance, VAT per line rounded
// half-up to the currency, the sums), without the engine's checks, rule sets and exact-integer fast path.
import { computeTotals, type DocumentInput } from '@invoiceflow/totals';
import Big from 'big.js';
import { machine, tenLineInvoice } from './support/machine';

const input = tenLineInvoice();
const check = computeTotals(input);
if (check.errors.length > 0) throw new Error(`bench invoice is invalid: ${JSON.stringify(check.errors)}`);

function bigJsTotals(document: DocumentInput) {
  let net = new Big(0);
  let vat = new Big(0);
  for (const line of document.lines) {
    let amount = new Big(line.quantity ?? '1').times(line.unit_price ?? '0');
    for (const change of line.allowances_charges ?? []) {
      const part = change.percent ? amount.times(change.percent).div(100) : new Big(change.amount ?? '0');
      amount = change.is_charge ? amount.plus(part) : amount.minus(part);
    }
    amount = amount.round(2, Big.roundHalfUp);
    net = net.plus(amount);
    vat = vat.plus(
      amount
        .times(line.vat_rate ?? '0')
        .div(100)
        .round(2, Big.roundHalfUp),
    );
  }
  for (const change of document.allowances_charges ?? []) {
    const amount = new Big(change.amount ?? '0');
    net = change.is_charge ? net.plus(amount) : net.minus(amount);
    vat = vat.plus(
      amount
        .times(change.vat_rate ?? '0')
        .div(100)
        .round(2, Big.roundHalfUp),
    );
  }
  return { net: net.toFixed(2), vat: vat.toFixed(2), total: net.plus(vat).toFixed(2) };
}

/** Warm up the JIT, then time batches: the median and the best batch, in µs per call. */
function timed(run: () => unknown) {
  for (let i = 0; i < 20_000; i++) run();
  const batches: number[] = [];
  const perBatch = 20_000;
  for (let batch = 0; batch < 15; batch++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < perBatch; i++) run();
    batches.push(Number(process.hrtime.bigint() - start) / 1000 / perBatch);
  }
  batches.sort((a, b) => a - b);
  return { median: batches[7] as number, best: batches[0] as number, calls: perBatch * batches.length };
}

const baseline = timed(() => bigJsTotals(input));
const engine = timed(() => computeTotals(input));
console.log(machine());
console.log(
  `baseline, straightforward big.js totals, 10 lines: median ${baseline.median.toFixed(2)} µs/call, ` +
    `best ${baseline.best.toFixed(2)} µs/call`,
);
console.log(
  `totals engine, 10 lines: median ${engine.median.toFixed(2)} µs/call, best ${engine.best.toFixed(2)} µs/call ` +
    `(${engine.calls} calls); ${(engine.median / baseline.median).toFixed(2)}× the baseline`,
);
