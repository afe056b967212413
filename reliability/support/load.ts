// Clients issuing invoices concurrently, each with its own Idempotency-Key, spread over the API processes. A client
// whose process dies under it (connection refused, reset, or closed before the answer) retries the SAME key on the
// next process; the first 2xx it receives is its acknowledgement.
import { sleep } from './api-process';
import { type Session, simplifiedInvoice } from './client';

export interface Ack {
  key: string;
  id: string;
  number: string;
  totalAmount: string;
  qr: string | null;
  attempts: number;
  latencyMs: number;
}

export interface Failure {
  key: string;
  target: string;
  status: number | 'network';
  detail: string;
}

export interface LoadResult {
  acks: Ack[];
  failures: Failure[];
  /** Network errors retried (expected only while processes are killed). */
  networkRetries: number;
  inProgressRetries: number;
  replays: number;
  elapsedMs: number;
  latencies: number[];
}

export interface LoadOptions {
  targets: () => string[];
  session: Pick<Session, 'accessToken' | 'companyId'>;
  invoices: number;
  clients: number;
  /** Retry on a dropped connection (processes are being killed); otherwise it is a failure. */
  retryNetworkErrors: boolean;
  keyPrefix: string;
  onAck?: (ack: Ack) => void;
}

const NETWORK_GIVE_UP_MS = 120_000;

export async function issueWithRetries(
  options: Pick<LoadOptions, 'targets' | 'session' | 'retryNetworkErrors'>,
  key: string,
  body: unknown,
  start: number,
  stats: { networkRetries: number; inProgressRetries: number; replays: number },
): Promise<Ack | Failure> {
  const began = performance.now();
  let lastError = '';
  for (let attempt = 0; ; attempt++) {
    const targets = options.targets();
    const target = targets[(start + attempt) % targets.length] as string;
    const sent = performance.now();
    try {
      const response = await fetch(`${target}/api/v1/invoices/generate`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.session.accessToken}`,
          'x-company-id': options.session.companyId,
          'idempotency-key': key,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await response.text();
      if (response.status === 201) {
        if (response.headers.get('idempotent-replayed') === 'true') stats.replays++;
        const invoice = JSON.parse(text);
        return {
          key,
          id: invoice.id,
          number: invoice.invoice_number,
          totalAmount: invoice.total_amount,
          qr: invoice.qr_code_data,
          attempts: attempt + 1,
          latencyMs: performance.now() - sent,
        };
      }
      const code = safeCode(text);
      if (response.status === 409 && code === 'IDEMPOTENCY_KEY_IN_PROGRESS') {
        stats.inProgressRetries++;
        await sleep(25 + Math.random() * 50);
        continue;
      }
      if (response.status === 429) {
        await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000);
        continue;
      }
      return { key, target, status: response.status, detail: text.slice(0, 2_000) };
    } catch (error) {
      lastError = `${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? '')}`;
      // A timeout too: the request may still be running somewhere, and the same key makes the retry safe.
      if (!options.retryNetworkErrors || performance.now() - began > NETWORK_GIVE_UP_MS) {
        return { key, target, status: 'network', detail: lastError };
      }
      stats.networkRetries++;
      await sleep(20 + Math.random() * 80);
    }
  }
}

function safeCode(text: string): string | undefined {
  try {
    return JSON.parse(text).code;
  } catch {
    return undefined;
  }
}

/** Issues `invoices` invoices with `clients` concurrent clients; keys are `${keyPrefix}-${i}`. */
export async function runIssuingLoad(options: LoadOptions): Promise<LoadResult> {
  const stats = { networkRetries: 0, inProgressRetries: 0, replays: 0 };
  const acks: Ack[] = [];
  const failures: Failure[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      for (let i = next++; i < options.invoices; i = next++) {
        const outcome = await issueWithRetries(
          options,
          `${options.keyPrefix}-${i}`,
          simplifiedInvoice(i),
          client,
          stats,
        );
        if ('id' in outcome) {
          acks.push(outcome);
          options.onAck?.(outcome);
        } else failures.push(outcome);
      }
    }),
  );
  return {
    acks,
    failures,
    ...stats,
    elapsedMs: performance.now() - started,
    latencies: acks.map((ack) => ack.latencyMs),
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}
