import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { as, createTestApp, registerUser, SA_COMPANY } from '../../test/support/app';
import { loggerOptions, maskValue, safeError, safeRequestUrl } from './logger';

function logSink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => lines.join('') };
}

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

  it('keeps only the names of query parameters in the access log: a search text is personal data', async () => {
    const sink = logSink();
    const t = await createTestApp({}, { logStream: sink.stream });
    try {
      const c = as(t.app, await registerUser(t.app));
      const response = await c({ method: 'GET', url: '/api/v1/customers?q=Ahmed%20Al-Harbi&page_size=5' });
      expect(response.statusCode).toBe(200);
    } finally {
      await t.close();
    }
    const text = sink.text();
    expect(text).toContain('/api/v1/customers?q=…&page_size=…');
    expect(text).not.toContain('Ahmed');
    expect(safeRequestUrl('/a?x=1&x=2&y')).toBe('/a?x=…&y=…');
    expect(safeRequestUrl('/a/b')).toBe('/a/b');
  });

  it('keeps enough to recognise a value', () => {
    expect(maskValue('399999999900003')).toBe('3**********0003');
    expect(maskValue('x@y.z')).toBe('x***@y.z');
  });
});

describe('logged errors carry no values', () => {
  it('a failed query: its SQL and what it broke, never its parameters or the row', async () => {
    const sink = logSink();
    const t = await createTestApp({}, { logStream: sink.stream });
    try {
      // Any database error will do: a constraint this sign-up breaks, with the e-mail, the new password's hash
      // and the name in the failed INSERT's parameters and in PostgreSQL's "Failing row contains (…)".
      await t.database.execute(
        "ALTER TABLE users ADD CONSTRAINT no_probe_accounts CHECK (email NOT LIKE '%@probe.example')",
      );
      const answer = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: {
          email: 'ahmed.secret@probe.example',
          password: 'correct horse battery staple',
          full_name: 'Ahmed Confidential',
          company: { ...SA_COMPANY, vat_number: '300000000000003' },
        },
      });
      expect(answer.statusCode).toBe(500);
      expect(answer.body).not.toContain('probe.example');
      const logs = sink.text();
      for (const secret of ['ahmed.secret', 'probe.example', '$argon2', 'argon2id', 'Confidential', 'horse'])
        expect(logs).not.toContain(secret);
      expect(logs).not.toContain('Failing row');
      expect(logs).not.toContain('params');
      const errorLines = logs.split('\n').filter((line) => line.includes('"level":50'));
      // Logged once, with the request id and enough to find the cause.
      expect(errorLines).toHaveLength(1);
      const line = JSON.parse(errorLines[0] as string);
      expect(line.reqId).toBe(answer.json().request_id);
      expect(line.err).toMatchObject({ type: 'DrizzleQueryError', message: 'Failed query' });
      expect(line.err.query).toContain('insert into "users"');
      expect(line.err.cause).toMatchObject({
        code: '23514',
        constraint: 'no_probe_accounts',
        table: 'users',
      });
    } finally {
      await t.close();
    }
  });

  it('any error, however it is logged: no values in the message, no properties beyond the safe ones', async () => {
    const sink = logSink();
    const app = Fastify({ logger: { ...(loggerOptions('info') as object), stream: sink.stream } });
    const smtp = Object.assign(
      new Error("Can't send mail - all recipients were rejected: 550 <sara@example.com>"),
      {
        code: 'EENVELOPE',
        rejected: ['sara@example.com'],
        response: '550 <sara@example.com> unknown',
      },
    );
    const pg = Object.assign(new Error('invalid input syntax for type uuid: "sara@example.com"'), {
      code: '22P02',
      detail: 'Key (email)=(sara@example.com) already exists.',
      where: 'SQL statement "SELECT \'sara@example.com\'"',
    });
    const wrapped = new Error('job failed', { cause: pg });
    app.log.error(smtp);
    app.log.error({ err: pg });
    app.log.warn({ error: wrapped, job: 'mail.drain' }, 'job failed');
    app.log.error(
      Object.assign(new Error('Failed query: select 1\nparams: sara@example.com'), {
        query: 'select 1',
        params: ['sara@example.com'],
      }),
    );
    await app.close();
    const logs = sink.text();
    expect(logs).not.toContain('sara');
    expect(logs).toContain('"code":"EENVELOPE"');
    expect(logs).toContain('"code":"22P02"');
    expect(safeError(pg)).toEqual({
      type: 'Error',
      message: 'invalid input syntax for type uuid: "[value]"',
      code: '22P02',
      stack: expect.stringMatching(/^Error: invalid input syntax for type uuid: "\[value\]"\n\s+at /),
    });
    expect(
      safeError(new Error('duplicate key value violates unique constraint "users_email_key"')).message,
    ).toBe('duplicate key value violates unique constraint "users_email_key"');
  });
});
