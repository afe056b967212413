// The Peppol participant lookup over real DNS and HTTP: an SML (a DNS server on 127.0.0.1 answering U-NAPTR
// records) names an SMP (an HTTP server on 127.0.0.1) whose answers are signed by a test SMP certificate from a
// test CA the configuration trusts.
import { parseParticipantId, smlName } from '@invoiceflow/smp';
import { PEPPOL_BIS3_IDS } from '@invoiceflow/ubl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestSmpCa,
  issueTestSmpCertificate,
} from '../../../../../packages/smp/src/test-support/smp-signing';
import { type Call, openAppWithOwner, type TestApp } from '../../../test/support/app';
import { type FakeSml, startFakeSml } from '../../../test/support/fake-sml';
import { type FakeSmp, startFakeSmp } from '../../../test/support/fake-smp';

const ZONE = 'test-sml.invoiceflow.test';
const INVOICE = `urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##${PEPPOL_BIS3_IDS.customization}::2.1`;
const CREDIT_NOTE = `urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote##${PEPPOL_BIS3_IDS.customization}::2.1`;
const ORDER =
  'urn:oasis:names:specification:ubl:schema:xsd:Order-2::Order##urn:fdc:peppol.eu:poacc:trns:order:3::2.1';
const BILLING = PEPPOL_BIS3_IDS.profile;

const ca = createTestSmpCa();
const smpCertificate = issueTestSmpCertificate(ca);

let t: TestApp;
let call: Call;
let sml: FakeSml;
let smp: FakeSmp;

function register(participant: string, smpUrl = smp.url) {
  const parsed = parseParticipantId(participant);
  if ('problem' in parsed) throw new Error(participant);
  sml.publish(smlName(parsed, ZONE), [{ regexp: `!^.*$!${smpUrl}!` }]);
}

const lookup = (participant: string) =>
  call({ method: 'GET', url: `/api/v1/peppol/participants/${participant}` });

beforeAll(async () => {
  sml = await startFakeSml();
  smp = await startFakeSmp();
  ({ t, call } = await openAppWithOwner({
    PEPPOL_SML_ZONE: ZONE,
    PEPPOL_DNS_SERVER: sml.server,
    PEPPOL_SMP_TRUST_PEM: ca.certificatePem,
    PEPPOL_SMP_ALLOW_PRIVATE: true,
    PEPPOL_LOOKUP_TIMEOUT_MS: 2000,
  }));
});
afterAll(async () => {
  await t.close();
  await sml.close();
  await smp.close();
});

describe('GET /api/v1/peppol/participants/{participant}', () => {
  it('answers a registered participant with its SMP and the document types and processes it receives', async () => {
    register('0088:5790000435975');
    smp.publish(
      {
        participant: '0088:5790000435975',
        documents: [
          { documentType: INVOICE, processes: [{ id: BILLING, endpoint: 'https://ap.example/as4' }] },
          { documentType: CREDIT_NOTE, processes: [{ id: BILLING, endpoint: 'https://ap.example/as4' }] },
        ],
      },
      smpCertificate,
    );
    const response = await lookup('0088:5790000435975');
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.smp_url).toBe(smp.url);
    expect(body.participant).toEqual({ scheme: 'iso6523-actorid-upis', value: '0088:5790000435975' });
    expect(body.document_types.map((d: { id: string }) => d.id).sort()).toEqual(
      [CREDIT_NOTE, INVOICE].sort(),
    );
    expect(body.document_types[0].processes[0]).toMatchObject({
      id: BILLING,
      endpoints: [{ transport_profile: 'peppol-transport-as4-v2_0', address: 'https://ap.example/as4' }],
    });
    expect(body.receives).toEqual({ invoice: true, credit_note: true });
    // The SML was asked the name the participant is published under, the SMP for that participant.
    expect(sml.queries).toContain(body.sml_name);
    expect(smp.requests[0]).toBe('/iso6523-actorid-upis::0088:5790000435975');
  });

  it('reads the prefixed and percent-encoded spellings, and answers again from its cache', async () => {
    const asked = sml.queries.length;
    const fetched = smp.requests.length;
    for (const spelling of [
      'iso6523-actorid-upis::0088:5790000435975',
      encodeURIComponent('iso6523-actorid-upis::0088:5790000435975'),
      encodeURIComponent(encodeURIComponent('0088:5790000435975')),
    ]) {
      const response = await lookup(spelling);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().receives.invoice).toBe(true);
    }
    expect(sml.queries.length).toBe(asked);
    expect(smp.requests.length).toBe(fetched);
  });

  it('says when a registered buyer cannot receive invoices', async () => {
    register('0235:100000000000003');
    smp.publish(
      {
        participant: '0235:100000000000003',
        documents: [
          {
            documentType: ORDER,
            processes: [{ id: 'urn:fdc:peppol.eu:poacc:bis:ordering:3', endpoint: 'https://ap.example/as4' }],
          },
        ],
      },
      smpCertificate,
    );
    const response = await lookup('0235:100000000000003');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().document_types).toHaveLength(1);
    expect(response.json().receives).toEqual({ invoice: false, credit_note: false });
  });

  it('answers 404 PARTICIPANT_NOT_FOUND for a name the SML does not know (NXDOMAIN)', async () => {
    const response = await lookup('0088:0000000000000');
    expect(response.statusCode, response.body).toBe(404);
    expect(response.json().code).toBe('PARTICIPANT_NOT_FOUND');
  });

  it('refuses an SMP answer changed after it was signed, and one signed by a certificate not trusted', async () => {
    register('0088:1111111111111');
    smp.publish(
      {
        participant: '0088:1111111111111',
        documents: [
          { documentType: INVOICE, processes: [{ id: BILLING, endpoint: 'https://ap.example/as4' }] },
        ],
      },
      smpCertificate,
      { tamper: (xml) => xml.replace('https://ap.example/as4', 'https://attacker.example/as4') },
    );
    const tampered = await lookup('0088:1111111111111');
    expect(tampered.statusCode, tampered.body).toBe(502);
    expect(tampered.json().code).toBe('SMP_SIGNATURE_INVALID');
    expect(tampered.body).not.toContain('attacker.example');

    register('0088:2222222222222');
    smp.publish(
      {
        participant: '0088:2222222222222',
        documents: [
          { documentType: INVOICE, processes: [{ id: BILLING, endpoint: 'https://ap.example/as4' }] },
        ],
      },
      issueTestSmpCertificate(createTestSmpCa('Someone else CA')),
    );
    const untrusted = await lookup('0088:2222222222222');
    expect(untrusted.statusCode, untrusted.body).toBe(502);
    expect(untrusted.json().code).toBe('SMP_CERTIFICATE_UNTRUSTED');
  });

  it('answers 400 with the field for an identifier that is not a Peppol participant', async () => {
    for (const bad of ['5790000435975', 'busdox-docid-qns::0088:1', `0088:${'1'.repeat(60)}`]) {
      const response = await lookup(encodeURIComponent(bad));
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().errors[0].path).toBe('participant');
    }
  });

  it('does not call an SMP the SML names on a private address unless allowed', async () => {
    register('0088:3333333333333', 'http://169.254.169.254');
    t.app.ctx.config.PEPPOL_SMP_ALLOW_PRIVATE = false;
    try {
      const response = await lookup('0088:3333333333333');
      expect(response.statusCode, response.body).toBe(502);
      expect(response.json().code).toBe('SMP_ADDRESS_REFUSED');
    } finally {
      t.app.ctx.config.PEPPOL_SMP_ALLOW_PRIVATE = true;
    }
  });
});
