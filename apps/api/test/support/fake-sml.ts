// A DNS server on 127.0.0.1 answering NAPTR queries as the Peppol SML does (RFC 1035 wire format, RFC 3403
// NAPTR records): a registered name answers its U-NAPTR records, any other name NXDOMAIN. For tests only.
import { createSocket } from 'node:dgram';

export interface FakeNaptr {
  order?: number;
  preference?: number;
  flags?: string;
  service?: string;
  regexp: string;
}

export interface FakeSml {
  /** host:port for PEPPOL_DNS_SERVER. */
  server: string;
  /** Publishes NAPTR records for a name (lowercase, no trailing dot). */
  publish(name: string, records: FakeNaptr[]): void;
  /** The names asked, in order. */
  queries: string[];
  close(): Promise<void>;
}

const NAPTR = 35;

function readName(message: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  for (;;) {
    const length = message[at] ?? 0;
    if (length === 0) return { name: labels.join('.'), end: at + 1 };
    labels.push(message.subarray(at + 1, at + 1 + length).toString('latin1'));
    at += 1 + length;
  }
}

const characterString = (text: string) => {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from([bytes.length]), bytes]);
};

function naptrRecord(record: FakeNaptr, ttl: number): Buffer {
  const rdata = Buffer.concat([
    Buffer.from([0, 0, 0, 0]),
    characterString(record.flags ?? 'U'),
    characterString(record.service ?? 'Meta:SMP'),
    characterString(record.regexp),
    Buffer.from([0]), // replacement "."
  ]);
  rdata.writeUInt16BE(record.order ?? 100, 0);
  rdata.writeUInt16BE(record.preference ?? 10, 2);
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0); // the question's name
  head.writeUInt16BE(NAPTR, 2);
  head.writeUInt16BE(1, 4); // IN
  head.writeUInt32BE(ttl, 6);
  head.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([head, rdata]);
}

export async function startFakeSml(options: { ttl?: number } = {}): Promise<FakeSml> {
  const socket = createSocket('udp4');
  const zone = new Map<string, FakeNaptr[]>();
  const queries: string[] = [];
  socket.on('message', (message, remote) => {
    if (message.length < 12) return;
    const { name, end } = readName(message, 12);
    const qtype = message.readUInt16BE(end);
    queries.push(name.toLowerCase());
    const records = zone.get(name.toLowerCase());
    const answers = records && qtype === NAPTR ? records.map((r) => naptrRecord(r, options.ttl ?? 300)) : [];
    const header = Buffer.alloc(12);
    header.writeUInt16BE(message.readUInt16BE(0), 0);
    // QR, the query's opcode and RD, AA, RA; RCODE 3 (NXDOMAIN) for a name not published.
    const flags = 0x8000 | (message.readUInt16BE(2) & 0x7900) | 0x0400 | 0x0080 | (records ? 0 : 3);
    header.writeUInt16BE(flags, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    const question = message.subarray(12, end + 4);
    socket.send(Buffer.concat([header, question, ...answers]), remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    server: `127.0.0.1:${socket.address().port}`,
    publish: (name, records) => zone.set(name.toLowerCase(), records),
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
