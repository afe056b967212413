import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, createTestApp, registerUser, type TestApp } from '../../../test/support/app';
import { startTestS3Server, type TestS3Server } from '../../../test/support/s3-server';

const NL_COMPANY = {
  legal_name_en: 'Jansen Design',
  country: 'NL',
  vat_number: 'NL123456789B01',
  address: { street: 'Keizersgracht 1', city: 'Amsterdam', postal_code: '1015 CJ', country: 'NL' },
};
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(3000)]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2000)]);

const s3Config = (s3: TestS3Server, secret = s3.secretAccessKey) => ({
  FILE_STORAGE: 's3' as const,
  S3_ENDPOINT: s3.endpoint,
  S3_REGION: s3.region,
  S3_BUCKET: s3.bucket,
  S3_ACCESS_KEY_ID: s3.accessKeyId,
  S3_SECRET_ACCESS_KEY: secret,
  S3_FORCE_PATH_STYLE: true,
});

const anExpense = async (call: Call) => {
  const response = await call({
    method: 'POST',
    url: '/api/v1/expenses',
    payload: {
      expense_date: '2026-02-10',
      vendor: 'Coolblue',
      category: 'equipment',
      amount: '121.00',
      vat_rate: '21',
    },
  });
  if (response.statusCode !== 201) throw new Error(`expense: ${response.statusCode} ${response.body}`);
  return response.json() as { id: string };
};

const upload = (call: Call, id: string, bytes: Buffer, type: string, fileName: string) =>
  call({
    method: 'PUT',
    url: `/api/v1/expenses/${id}/receipt?file_name=${encodeURIComponent(fileName)}`,
    headers: { 'content-type': type },
    payload: bytes,
  });

let s3: TestS3Server;
let t: TestApp;
let call: Call;
let companyId: string;
const logs: string[] = [];
beforeAll(async () => {
  s3 = await startTestS3Server();
  const logStream = new PassThrough();
  logStream.on('data', (chunk) => logs.push(String(chunk)));
  t = await createTestApp(s3Config(s3), { logStream });
  const owner = await registerUser(t.app, NL_COMPANY);
  companyId = owner.companyId;
  call = as(t.app, owner);
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
});

describe('expense receipts in an S3-compatible bucket (SigV4 checked by the server)', () => {
  it('stores the receipt under a key of its own, downloads it byte-identical, replaces it and deletes it with the expense', async () => {
    const expense = await anExpense(call);
    const stored = await upload(call, expense.id, PNG, 'image/png', 'bon albert heijn.png');
    expect(stored.statusCode).toBe(200);
    expect(s3.objects.size).toBe(1);
    const [key] = [...s3.objects.keys()];
    expect(key).toMatch(new RegExp(`^${companyId}/[0-9a-f-]{36}$`));
    expect(s3.objects.get(key as string)?.equals(PNG)).toBe(true);

    const download = await call({ method: 'GET', url: `/api/v1/expenses/${expense.id}/receipt` });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.rawPayload.equals(PNG)).toBe(true);

    // Replacing the receipt stores the new object and removes the old one.
    expect((await upload(call, expense.id, PDF, 'application/pdf', 'bon.pdf')).statusCode).toBe(200);
    expect(s3.objects.size).toBe(1);
    expect(s3.objects.has(key as string)).toBe(false);
    const again = await call({ method: 'GET', url: `/api/v1/expenses/${expense.id}/receipt` });
    expect(again.rawPayload.equals(PDF)).toBe(true);

    expect((await call({ method: 'DELETE', url: `/api/v1/expenses/${expense.id}` })).statusCode).toBe(204);
    expect(s3.objects.size).toBe(0);
    // Every call the API made was signed, and the server's recomputed signature matched.
    expect(s3.requests.map((r) => r.method)).toEqual(['PUT', 'GET', 'PUT', 'DELETE', 'GET', 'DELETE']);
    expect(s3.requests.every((r) => r.verified)).toBe(true);
  });

  it('a wrong secret is refused by the store: 503 problem, no receipt recorded, the secret in no body or log', async () => {
    const wrongSecret = 'not-the-secret-0123456789abcdefghijkl';
    const logStream = new PassThrough();
    const wrongLogs: string[] = [];
    logStream.on('data', (chunk) => wrongLogs.push(String(chunk)));
    const w = await createTestApp(s3Config(s3, wrongSecret), { logStream });
    try {
      const wcall = as(w.app, await registerUser(w.app, NL_COMPANY));
      const expense = await anExpense(wcall);
      const before = s3.requests.length;
      const response = await upload(wcall, expense.id, PNG, 'image/png', 'bon.png');
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().code).toBe('FILE_STORAGE_UNAVAILABLE');
      const seen = s3.requests.slice(before);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((r) => !r.verified && r.reason === 'signature does not match')).toBe(true);
      expect(s3.objects.size).toBe(0);
      const after = await wcall({ method: 'GET', url: `/api/v1/expenses/${expense.id}` });
      expect(after.json().receipt).toBeNull();
      expect(response.body).not.toContain(wrongSecret);
      expect(wrongLogs.join('')).not.toContain(wrongSecret);
    } finally {
      await w.close();
    }
  });

  it('a store that is down answers 503 and leaves the expense and its receipt as they were', async () => {
    const expense = await anExpense(call);
    expect((await upload(call, expense.id, PNG, 'image/png', 'bon.png')).statusCode).toBe(200);
    s3.failing = true;
    try {
      const replace = await upload(call, expense.id, PDF, 'application/pdf', 'bon.pdf');
      expect(replace.statusCode).toBe(503);
      expect(replace.json().code).toBe('FILE_STORAGE_UNAVAILABLE');
      const remove = await call({ method: 'DELETE', url: `/api/v1/expenses/${expense.id}` });
      expect(remove.statusCode).toBe(503);
      const download = await call({ method: 'GET', url: `/api/v1/expenses/${expense.id}/receipt` });
      expect(download.statusCode).toBe(503);
    } finally {
      s3.failing = false;
    }
    const kept = await call({ method: 'GET', url: `/api/v1/expenses/${expense.id}` });
    expect(kept.statusCode).toBe(200);
    expect(kept.json().receipt).toMatchObject({ file_name: 'bon.png', content_type: 'image/png' });
    const download = await call({ method: 'GET', url: `/api/v1/expenses/${expense.id}/receipt` });
    expect(download.rawPayload.equals(PNG)).toBe(true);
    expect(logs.join('')).not.toContain(s3.secretAccessKey);
  });

  it('refuses FILE_STORAGE=s3 without a bucket and keys at start-up', async () => {
    const { loadConfig } = await import('../../config');
    expect(() => loadConfig({ FILE_STORAGE: 's3' })).toThrow(/S3_BUCKET.*\n.*S3_ACCESS_KEY_ID/s);
  });
});
