import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { loggerOptions, maskValue } from './logger';

describe('logs mask personal data and secrets', () => {
  it('masks emails, VAT numbers and phones, and removes passwords and tokens', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const options = loggerOptions('info') as object;
    const app = Fastify({ logger: { ...options, stream } });
    app.log.info(
      {
        email: 'ahmed.ali@example.com',
        customer: { vat_number: '399999999900003', phone: '+966501234567' },
        body: { password: 'hunter2hunter2', refresh_token: 'abc.def' },
      },
      'event',
    );
    await app.close();
    const text = lines.join('');
    expect(text).not.toContain('ahmed.ali@example.com');
    expect(text).toContain('a***@example.com');
    expect(text).not.toContain('399999999900003');
    expect(text).not.toContain('+966501234567');
    expect(text).not.toContain('hunter2hunter2');
    expect(text).not.toContain('abc.def');
  });

  it('keeps enough to recognise a value', () => {
    expect(maskValue('399999999900003')).toBe('3**********0003');
    expect(maskValue('x@y.z')).toBe('x***@y.z');
  });
});
