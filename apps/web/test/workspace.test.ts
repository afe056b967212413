import { describe, expect, it } from 'vitest';
import { createApiClient } from '../src/api/client';
import { createTokenStore, type KeyValueStorage } from '../src/api/token-store';
import { uploadReceipt } from '../src/api/workspace';
import { hoursBetween } from '../src/lib/hours';

function memoryStorage(): KeyValueStorage {
  const data = new Map<string, string>();
  return {
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

describe('the running timer', () => {
  const start = Date.UTC(2026, 0, 5, 9, 0, 0);
  it('turns the time it ran into decimal hours, rounding a started hundredth up', () => {
    expect(hoursBetween(start, start + 90 * 60_000)).toBe('1.50');
    expect(hoursBetween(start, start + 36_001)).toBe('0.02');
    // A start and stop within the same second still records the smallest amount, never zero hours.
    expect(hoursBetween(start, start)).toBe('0.01');
  });
  it('never proposes more than a day, the most one entry may hold', () => {
    expect(hoursBetween(start, start + 30 * 3_600_000)).toBe('24.00');
  });
});

describe('receipt upload', () => {
  it('sends the file itself under its own type, its name in the query, not a JSON body', async () => {
    const sent: { url: string; type: string | null; body: unknown }[] = [];
    const api = createApiClient({
      tokens: createTokenStore(memoryStorage()),
      fetch: async (input, init) => {
        sent.push({
          url: String(input),
          type: new Headers(init?.headers).get('content-type'),
          body: init?.body,
        });
        return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    const file = new File([new Uint8Array([0x25, 0x50, 0x44, 0x46])], 'bon 12.pdf', {
      type: 'application/pdf',
    });
    await uploadReceipt(api, '9b2f4f7e-2d1e-4c59-9b0a-1d6b8c1f0a11', file);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe(
      '/api/v1/expenses/9b2f4f7e-2d1e-4c59-9b0a-1d6b8c1f0a11/receipt?file_name=bon+12.pdf',
    );
    expect(sent[0]?.type).toBe('application/pdf');
    expect(sent[0]?.body).toBe(file);
  });
});
