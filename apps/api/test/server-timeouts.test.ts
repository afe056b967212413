// A client that opens a request and never finishes it (a slow-loris) is answered 408 and its connection closed;
// an idle keep-alive connection is closed too. Short timeouts are configured for the test; the defaults are
// REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS and KEEP_ALIVE_TIMEOUT_MS in apps/api/src/config.ts.
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app';

let t: TestApp;
let port: number;
beforeAll(async () => {
  t = await createTestApp({ REQUEST_TIMEOUT_MS: 400, HEADERS_TIMEOUT_MS: 300, KEEP_ALIVE_TIMEOUT_MS: 300 });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
});
afterAll(() => t.close());

/** Writes `text` on a fresh connection and resolves with everything the server sent once it closes it. */
function sendAndWaitForClose(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.write(text);
  });
}

describe('server timeouts', () => {
  it('answer a body that never completes with a 408 problem and close the connection', async () => {
    const answer = await sendAndWaitForClose(
      'POST /api/v1/auth/login HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n' +
        'content-length: 200\r\n\r\n{"email":"slow@example.com","pass',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('application/problem+json');
    expect(answer).toContain('"code":"REQUEST_TIMEOUT"');
  });

  it('close a connection whose headers never complete', async () => {
    const answer = await sendAndWaitForClose('GET /health HTTP/1.1\r\nhost: localhost\r\nx-slow: 1');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('close an idle keep-alive connection after answering', async () => {
    const answer = await sendAndWaitForClose('GET /health HTTP/1.1\r\nhost: localhost\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer.match(/HTTP\/1\.1 /g)).toHaveLength(1);
  });
});
