// The ZATCA XML must not change by a byte when the shared UBL writer changes. Every scenario's unsigned XML is
// hashed, and its invoice hash once signed (the SDK's test key; the signature is randomized, its input is not),
// against the values the builder produced before it moved onto the shared writer. A new scenario adds its line
// (test-support/golden-hashes.ts); a changed value is a changed document.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FIRST_PIH } from './invoice-hash';
import { buildSignedInvoice } from './signed-invoice';
import { GOLDEN_HASHES } from './test-support/golden-hashes';
import { SCENARIOS, scenarioInput } from './test-support/scenarios';
import { sdkSamples, sdkSigningKeys } from './test-support/validator';
import { buildInvoiceXml } from './xml-builder';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function currentHashes(withSigned: boolean): Record<string, { xml: string; invoiceHash?: string }> {
  const out: Record<string, { xml: string; invoiceHash?: string }> = {};
  const keys = withSigned ? sdkSigningKeys() : undefined;
  SCENARIOS.forEach((s, i) => {
    const input = scenarioInput(s, i, FIRST_PIH);
    const entry: { xml: string; invoiceHash?: string } = { xml: sha256(buildInvoiceXml(input)) };
    if (keys)
      entry.invoiceHash = buildSignedInvoice(input, keys, { signingTime: '2025-01-15T10:00:00' }).hash;
    out[s.name] = entry;
  });
  return out;
}

describe('ZATCA XML bytes', () => {
  it('every scenario builds the same unsigned XML as before', () => {
    const now = currentHashes(false);
    expect(Object.keys(now).length).toBeGreaterThanOrEqual(30);
    expect(Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v.xml]))).toEqual(
      Object.fromEntries(Object.entries(GOLDEN_HASHES).map(([k, v]) => [k, v.xml])),
    );
  });

  it.skipIf(sdkSamples().length === 0)('every scenario signs with the same invoice hash as before', () => {
    const now = currentHashes(true);
    expect(Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v.invoiceHash]))).toEqual(
      Object.fromEntries(Object.entries(GOLDEN_HASHES).map(([k, v]) => [k, v.invoiceHash])),
    );
  });
});
