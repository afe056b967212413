import { isApiError } from '../../api/client';

/**
 * A random UUID (v4) for an Idempotency-Key. crypto.randomUUID exists only in secure contexts; a till on a
 * shop's LAN over plain HTTP still has getRandomValues.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** No answer came (the network, a gateway): the request may or may not have been recorded. */
export function isUnanswered(error: unknown): boolean {
  return (
    isApiError(error) &&
    (error.status === 0 || error.status === 502 || error.status === 503 || error.status === 504)
  );
}

/**
 * Sends with the same key until an answer arrives: a few quick retries on a dropped connection, then the error
 * (the caller keeps the key, so the cashier's "retry" is the same sale, never a second one).
 */
export async function sendWithRetries<T>(
  send: () => Promise<T>,
  delaysMs: readonly number[] = [400, 1200],
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const delay = delaysMs[attempt];
      if (!isUnanswered(error) || delay === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
