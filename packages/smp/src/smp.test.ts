import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  base32NoPadding,
  certificatesOf,
  parseParticipantId,
  readServiceGroup,
  readSignedServiceMetadata,
  type SmpProblem,
  smlName,
  smpUrlFromNaptr,
} from './index';
import {
  createTestSmpCa,
  issueTestSmpCertificate,
  serviceGroupXml,
  serviceMetadataXml,
  signSmpDocument,
} from './test-support/smp-signing';

const BILLING = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';
const INVOICE =
  'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1';

describe('participant identifiers', () => {
  it('reads the plain, prefixed and percent-encoded spellings alike', () => {
    const plain = parseParticipantId('0088:5790000435975');
    expect(plain).toMatchObject({ icd: '0088', id: '5790000435975', value: '0088:5790000435975' });
    expect(parseParticipantId('iso6523-actorid-upis::0088:5790000435975')).toEqual(plain);
    expect(parseParticipantId('iso6523-actorid-upis%3A%3A0088%3A5790000435975')).toEqual(plain);
    expect(parseParticipantId('0235:100000000000003')).toMatchObject({ icd: '0235' });
  });

  it('refuses other schemes, malformed and over-long identifiers', () => {
    expect(parseParticipantId('busdox-docid-qns::0088:1')).toEqual({ problem: 'scheme' });
    expect(parseParticipantId('88:1')).toEqual({ problem: 'format' });
    expect(parseParticipantId('0088:has space')).toEqual({ problem: 'format' });
    expect(parseParticipantId(`0088:${'9'.repeat(60)}`)).toEqual({ problem: 'length' });
  });
});

describe('the SML name', () => {
  it('base32 follows RFC 4648 without padding', () => {
    // RFC 4648 §10 test vectors.
    for (const [input, output] of [
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ] as const)
      expect(base32NoPadding(Buffer.from(input))).toBe(output);
  });

  it('hashes the lowercased value with SHA-256, the scheme and the zone as labels', () => {
    const upper = parseParticipantId('9915:TEST');
    const lower = parseParticipantId('9915:test');
    if ('problem' in upper || 'problem' in lower) throw new Error('unexpected');
    const name = smlName(upper, 'edelivery.tech.ec.europa.eu');
    expect(name).toBe(smlName(lower, 'edelivery.tech.ec.europa.eu.'));
    const [hash, ...rest] = name.split('.');
    expect(rest.join('.')).toBe('iso6523-actorid-upis.edelivery.tech.ec.europa.eu');
    // 32 bytes of SHA-256 are 52 base32 characters once the padding is stripped.
    expect(hash).toMatch(/^[a-z2-7]{52}$/);
    expect(hash?.toUpperCase()).toBe(base32NoPadding(createHash('sha256').update('9915:test').digest()));
  });

  it('takes the Meta:SMP U-NAPTR of lowest order and refuses rewrites it would have to run', () => {
    const record = { flags: 'U', service: 'Meta:SMP', order: 100, preference: 10, replacement: '.' };
    expect(
      smpUrlFromNaptr([
        { ...record, order: 200, regexp: '!^.*$!https://second.example!' },
        { ...record, regexp: '!^.*$!https://smp.example/!' },
        { ...record, order: 1, service: 'Meta:SMS', regexp: '!^.*$!https://other.example!' },
      ]),
    ).toBe('https://smp.example');
    expect(smpUrlFromNaptr([{ ...record, regexp: '!^(a+)+$!https://x.example/\\1!' }])).toBeNull();
    expect(smpUrlFromNaptr([{ ...record, regexp: '!.*!ftp://x.example!' }])).toBeNull();
    expect(smpUrlFromNaptr([{ ...record, flags: 'S', regexp: '!.*!https://x.example!' }])).toBeNull();
  });
});

describe('SMP answers', () => {
  const ca = createTestSmpCa();
  const smp = issueTestSmpCertificate(ca);
  const trusted = certificatesOf(ca.certificatePem);
  const now = new Date();
  const unsigned = serviceMetadataXml({
    participant: '0088:5790000435975',
    documentType: INVOICE,
    processes: [{ id: BILLING, endpoint: 'https://ap.example/as4' }],
  });
  const problemOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return (error as SmpProblem).code;
    }
    return 'none';
  };

  it('reads the service group references', () => {
    const group = readServiceGroup(serviceGroupXml('0088:5790000435975', ['http://smp/a', 'http://smp/b']));
    expect(group.references).toEqual(['http://smp/a', 'http://smp/b']);
  });

  it('reads a signed answer from a trusted SMP', () => {
    const metadata = readSignedServiceMetadata(signSmpDocument(unsigned, smp), { trusted, now });
    expect(metadata.document_type.id).toBe(INVOICE);
    expect(metadata.processes).toEqual([
      expect.objectContaining({
        id: BILLING,
        endpoints: [expect.objectContaining({ address: 'https://ap.example/as4' })],
      }),
    ]);
  });

  it('refuses a changed answer, an untrusted signer and an unsigned one', () => {
    const signed = signSmpDocument(unsigned, smp);
    expect(
      problemOf(() =>
        readSignedServiceMetadata(signed.replace('ap.example', 'evil.example'), { trusted, now }),
      ),
    ).toBe('SMP_SIGNATURE_INVALID');
    const stranger = issueTestSmpCertificate(createTestSmpCa('Another CA'));
    expect(
      problemOf(() => readSignedServiceMetadata(signSmpDocument(unsigned, stranger), { trusted, now })),
    ).toBe('SMP_CERTIFICATE_UNTRUSTED');
    expect(problemOf(() => readSignedServiceMetadata(unsigned, { trusted, now }))).toBe(
      'SMP_SIGNATURE_INVALID',
    );
    const later = new Date(now.getTime() + 2 * 365 * 86_400_000);
    expect(problemOf(() => readSignedServiceMetadata(signed, { trusted, now: later }))).toBe(
      'SMP_CERTIFICATE_UNTRUSTED',
    );
  });

  it('never reads content wrapped outside what the signature covers', () => {
    const signed = signSmpDocument(unsigned, smp);
    // A second ServiceMetadata added beside the signed one changes the signed document: refused, not read.
    const wrapped = signed.replace(
      '<smp:ServiceMetadata>',
      '<smp:ServiceMetadata><smp:ServiceInformation><id:DocumentIdentifier>x</id:DocumentIdentifier></smp:ServiceInformation></smp:ServiceMetadata><smp:ServiceMetadata>',
    );
    expect(problemOf(() => readSignedServiceMetadata(wrapped, { trusted, now }))).toBe(
      'SMP_SIGNATURE_INVALID',
    );
  });

  it('refuses a DOCTYPE before any DOM parser sees it', () => {
    const hostile = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>${signSmpDocument(unsigned, smp).replace(/^<\?xml[^>]*\?>/, '')}`;
    expect(problemOf(() => readSignedServiceMetadata(hostile, { trusted, now }))).toBe('SMP_ANSWER_INVALID');
  });
});
