import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on the loopback interface that refuses the first `refuse` recipients with a 451. */
export async function startSmtpServer() {
  const received: Received[] = [];
  const arrivals = new EventEmitter();
  const state = { refuse: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (state.refuse > 0) {
        state.refuse--;
        const error = Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('latin1'),
        });
        arrivals.emit('mail');
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  /**
   * Resolves once a mail reached every one of these addresses: waits on the server's arrivals, not on a clock
   * (the test's own timeout is the only bound, so a loaded machine only makes it slower).
   */
  const delivered = (...addresses: string[]) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (addresses.every((to) => received.some((m) => m.to.includes(to)))) {
          arrivals.off('mail', check);
          resolve();
        }
      };
      arrivals.on('mail', check);
      check();
    });
  return {
    received,
    delivered,
    state,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The decoded body of the MIME part with this content type (base64 transfer encoding, as nodemailer writes it). */
export function mimePart(raw: string, contentType: string): { headers: string; body: Buffer } | undefined {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  if (!boundary) return undefined;
  for (const part of raw.split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    const headers = part.slice(0, split);
    if (!headers.toLowerCase().includes(`content-type: ${contentType}`)) continue;
    return { headers, body: Buffer.from(part.slice(split + 4).replaceAll(/\s+/g, ''), 'base64') };
  }
  return undefined;
}

export function header(raw: string, name: string): string | undefined {
  const match = new RegExp(`^${name}: (.*(?:\\r\\n[ \\t].*)*)`, 'im').exec(raw);
  return match?.[1]?.replaceAll(/\r\n[ \t]/g, ' ');
}
