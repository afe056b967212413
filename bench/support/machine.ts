import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { DocumentInput } from '@invoiceflow/totals';

/** The machine line every bench prints, for docs/benchmarks.md. */
export function machine(): string {
  const cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  return `${new Date().toISOString().slice(0, 10)} · nproc ${cpus().length} · node ${process.version} · ${cpu}`;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

/** A 10-line invoice as the editor sends it: mixed categories, a line discount, a document charge. */
export function tenLineInvoice(): DocumentInput {
  return {
    currency: 'SAR',
    lines: Array.from({ length: 10 }, (_, i) => ({
      description: `Item ${i + 1}`,
      quantity: String(1 + (i % 4)),
      unit_price: `${(i + 1) * 37}.${String(i * 7).padStart(2, '0')}`,
      vat_category: i === 9 ? 'Z' : 'S',
      vat_rate: i === 9 ? '0' : '15',
      ...(i === 9 ? { exemption_reason_code: 'VATEX-SA-32', exemption_reason: 'Export of goods' } : {}),
      ...(i === 3 ? { allowances_charges: [{ is_charge: false, percent: '10', reason: 'Discount' }] } : {}),
    })),
    allowances_charges: [
      { is_charge: true, amount: '25.00', reason: 'Delivery', vat_category: 'S', vat_rate: '15' },
    ],
  };
}

/** utime + stime of a process in seconds (clock ticks of 1/100 s); with `children`, its reaped children's too. */
export function cpuSeconds(pid: number, children = false): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const own = Number(fields[11]) + Number(fields[12]);
    return (children ? own + Number(fields[13]) + Number(fields[14]) : own) / 100;
  } catch {
    return 0; // the process has exited
  }
}

/** The postmaster of a local PostgreSQL server, from any backend's `pg_backend_pid()`; undefined when remote. */
export function postmasterOf(backendPid: number): number | undefined {
  try {
    return parentOf(backendPid);
  } catch {
    return undefined;
  }
}

/** The CPU a local PostgreSQL server has used, in seconds: its postmaster, the backends it reaped, those alive. */
export function postgresCpuSeconds(postmaster: number): number {
  let total = cpuSeconds(postmaster, true);
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === postmaster) continue;
    try {
      if (parentOf(pid) === postmaster) total += cpuSeconds(pid);
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

const parentOf = (pid: number) =>
  Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
