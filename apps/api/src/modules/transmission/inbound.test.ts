// Documents the access point received over Peppol and forwards to us: a Peppol BIS 3 example as it is and a PINT AE
// example wrapped in its Standard Business Document become supplier invoices; a second forward is acknowledged as
// a duplicate; a wrong token and a DOCTYPE are refused and store nothing.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, createTestApp, registerUser, type TestApp } from '../../../test/support/app';
import { type FakeAccessPoint, startFakeAccessPoint } from '../../../test/support/fake-phoss-ap';

const VALIDATORS =
  process.env.INVOICE_VALIDATORS_DIR ?? path.resolve(__dirname, '../../../../../../shared/validators');
const PEPPOL = path.join(VALIDATORS, 'ubl/peppol/examples-3.0.21/base-example.xml');
const PINT_AE = path.join(VALIDATORS, 'ubl/pint-ae/billing/trn-invoice/example/Commercial invoice.xml');
const haveExamples = existsSync(PEPPOL) && existsSync(PINT_AE);
if (!haveExamples && process.env.CI === 'true') throw new Error(`validators missing under ${VALIDATORS}`);

const sbd = (payload: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<sh:StandardBusinessDocument xmlns:sh="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader">
  <sh:StandardBusinessDocumentHeader>
    <sh:HeaderVersion>1.0</sh:HeaderVersion>
    <sh:Sender><sh:Identifier Authority="iso6523-actorid-upis">0235:1234567890123</sh:Identifier></sh:Sender>
    <sh:Receiver><sh:Identifier Authority="iso6523-actorid-upis">0235:1000000000003</sh:Identifier></sh:Receiver>
    <sh:DocumentIdentification>
      <sh:Standard>urn:oasis:names:specification:ubl:schema:xsd:Invoice-2</sh:Standard>
      <sh:TypeVersion>2.1</sh:TypeVersion>
      <sh:InstanceIdentifier>6f0c4c5e-2b1a-4a57-9d6e-0c1f1f0a9b11</sh:InstanceIdentifier>
      <sh:Type>Invoice</sh:Type>
      <sh:CreationDateAndTime>2026-12-01T10:00:00Z</sh:CreationDateAndTime>
    </sh:DocumentIdentification>
  </sh:StandardBusinessDocumentHeader>
  ${payload.replace(/^<\?xml[^>]*\?>\s*/, '')}
</sh:StandardBusinessDocument>`;

let t: TestApp;
let ap: FakeAccessPoint;
let c: Call;
let companyId: string;
beforeAll(async () => {
  t = await createTestApp();
  ap = await startFakeAccessPoint();
  const session = await registerUser(t.app);
  companyId = session.companyId;
  c = as(t.app, session);
});
afterAll(async () => {
  await t?.close();
  await ap?.close();
});

const url = () => `/api/v1/public/transmission/phoss-ap/${companyId}/inbound`;
const forward = (body: string | Buffer, token = 'inbound-secret-1') =>
  t.app.inject({
    method: 'POST',
    url: url(),
    payload: body,
    headers: { 'content-type': 'application/xml', 'x-token': token },
  });
async function supplierInvoices() {
  const response = await c({ method: 'GET', url: '/api/v1/supplier-invoices' });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { total: number; supplier_invoices?: { number: string; source: string }[] };
}

describe.skipIf(!haveExamples)('documents received over Peppol', () => {
  it('refuses while the company has no inbound token, and with a wrong one, storing nothing', async () => {
    const settings = (credentials: Record<string, string>) =>
      c({
        method: 'PUT',
        url: '/api/v1/transmission/settings',
        payload: { provider: 'phoss-ap', base_url: ap.url, credentials },
      });
    expect((await settings({ api_token: ap.token })).statusCode).toBe(200);
    const disabled = await forward(readFileSync(PEPPOL));
    expect(disabled.statusCode).toBe(404);
    expect(disabled.json().code).toBe('INBOUND_NOT_ENABLED');
    expect((await settings({ api_token: ap.token, inbound_token: 'inbound-secret-1' })).statusCode).toBe(200);
    const wrong = await forward(readFileSync(PEPPOL), 'inbound-secret-2');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('INBOUND_TOKEN_INVALID');
    expect((await supplierInvoices()).total).toBe(0);
  });

  it('turns a Peppol invoice and a PINT AE invoice in its envelope into supplier invoices, once each', async () => {
    const peppol = await forward(readFileSync(PEPPOL));
    expect(peppol.statusCode, peppol.body).toBe(200);
    expect(peppol.json()).toMatchObject({ received: true, duplicate: false });
    const pint = readFileSync(PINT_AE, 'utf8');
    const wrapped = await forward(sbd(pint));
    expect(wrapped.statusCode, wrapped.body).toBe(200);
    const again = await forward(sbd(pint));
    expect(again.json()).toMatchObject({ received: true, duplicate: true, supplier_invoice_id: null });

    const read = await c({
      method: 'GET',
      url: `/api/v1/supplier-invoices/${wrapped.json().supplier_invoice_id}`,
    });
    expect(read.statusCode, read.body).toBe(200);
    const number = /<cbc:ID>([^<]+)<\/cbc:ID>/.exec(pint)?.[1];
    expect(read.json()).toMatchObject({ number, source: 'peppol', format: expect.stringContaining('pint') });
    expect((await supplierInvoices()).total).toBe(2);
  });

  it('refuses an envelope with a DOCTYPE and external entity without reading the entity', async () => {
    const hostile = sbd(readFileSync(PEPPOL, 'utf8')).replace(
      '<sh:StandardBusinessDocument ',
      '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><sh:StandardBusinessDocument ',
    );
    const refused = await forward(hostile);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('XML_DOCTYPE_REFUSED');
    expect(refused.body).not.toContain('root:');
    expect((await supplierInvoices()).total).toBe(2);
  });
});
