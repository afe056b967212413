import { computeTotals } from '@invoiceflow/totals';
import { describe, expect, it } from 'vitest';
import { computeInvoiceHash, FIRST_PIH, parseXml } from './invoice-hash';
import { signInvoice } from './signature';
import { buildSignedInvoice } from './signed-invoice';
import { SCENARIOS, scenarioInput } from './test-support/scenarios';
import { sdkSamples, sdkSigningKeys } from './test-support/validator';
import { buildInvoiceXml, formatPercent, formatQuantity, transactionCode } from './xml-builder';

const scenario = (name: string) => {
  const i = SCENARIOS.findIndex((s) => s.name === name);
  const s = SCENARIOS[i];
  if (!s) throw new Error(name);
  return scenarioInput(s, i, FIRST_PIH);
};

describe('buildInvoiceXml', () => {
  it('is deterministic', () => {
    const input = scenario('standard S, Z, E, O together');
    expect(buildInvoiceXml(input)).toBe(buildInvoiceXml(structuredClone(input)));
  });

  it('writes the amounts of the totals engine verbatim', () => {
    const input = scenario('standard USD with SAR VAT');
    const xml = buildInvoiceXml(input);
    const t = input.totals.totals;
    expect(xml).toContain(`<cbc:TaxAmount currencyID="SAR">${t.tax_amount_in_tax_currency}</cbc:TaxAmount>`);
    expect(xml).toContain(`<cbc:PayableAmount currencyID="USD">${t.payable_amount}</cbc:PayableAmount>`);
    expect(xml).toContain(
      '<cbc:DocumentCurrencyCode>USD</cbc:DocumentCurrencyCode><cbc:TaxCurrencyCode>SAR</cbc:TaxCurrencyCode>',
    );
    expect(xml).not.toMatch(/currencyID="(?!USD|SAR)/);
  });

  it('writes type codes, KSA-2 flags, note reason and billing reference', () => {
    const xml = buildInvoiceXml(scenario('standard credit note'));
    expect(xml).toContain('<cbc:InvoiceTypeCode name="0100000">381</cbc:InvoiceTypeCode>');
    expect(xml).toContain('<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>INV-0001</cbc:ID>');
    expect(xml).toContain('<cbc:InstructionNote>Goods returned | إرجاع البضاعة</cbc:InstructionNote>');
    expect(transactionCode({ subtype: 'simplified', flags: { nominal: true } })).toBe('0201000');
    expect(transactionCode({ subtype: 'standard', flags: { export: true } })).toBe('0100100');
    expect(
      transactionCode({
        subtype: 'standard',
        flags: { third_party: true, summary: true, self_billed: true },
      }),
    ).toBe('0110011');
  });

  it('escapes text and is well-formed', () => {
    const xml = buildInvoiceXml(scenario('standard Arabic only'));
    expect(xml).toContain('تركيب &amp; صيانة &lt;سنوية&gt;');
    expect(parseXml(xml).documentElement.localName).toBe('Invoice');
  });

  it('formats percent and zero quantity without arithmetic', () => {
    expect(formatPercent('15')).toBe('15.00');
    expect(formatPercent('5.5')).toBe('5.50');
    expect(formatQuantity('0')).toBe('0.00');
    expect(formatQuantity('2.125')).toBe('2.125');
  });

  it('rejects a line count mismatch', () => {
    const input = scenario('standard invoice S');
    expect(() => buildInvoiceXml({ ...input, lines: input.lines.slice(1) })).toThrow(/line texts/);
  });

  it('prepayment line carries the 386 reference and the prepaid subtotal', () => {
    const xml = buildInvoiceXml(scenario('standard prepayment adjustment'));
    expect(xml).toContain('<cbc:DocumentTypeCode>386</cbc:DocumentTypeCode>');
    expect(xml).toContain('<cbc:PrepaidAmount currencyID="SAR">1150.00</cbc:PrepaidAmount>');
  });

  it('uses computeTotals output as is', () => {
    const totals = computeTotals({ jurisdiction: 'zatca', lines: [{ quantity: '1', unit_price: '0.10' }] });
    const input = { ...scenario('standard invoice S'), totals, lines: [{ name: 'x' }] };
    expect(buildInvoiceXml(input)).toContain(
      `<cbc:TaxAmount currencyID="SAR">${totals.lines[0]?.vat_amount}</cbc:TaxAmount>`,
    );
  });
});

describe.skipIf(sdkSamples().length === 0)('fast path and generic signer agree', () => {
  it.each(['simplified invoice S anonymous', 'standard prepayment adjustment', 'standard Arabic only'])(
    '%s',
    (name) => {
      const input = scenario(name);
      const keys = sdkSigningKeys();
      const fast = buildSignedInvoice(input, keys, { signingTime: '2025-01-15T10:00:00' });
      const generic = signInvoice(buildInvoiceXml(input), keys, { signingTime: '2025-01-15T10:00:00' });
      expect(fast.hash).toBe(generic.hash);
      expect(computeInvoiceHash(fast.xml)).toBe(fast.hash);
      // ECDSA is randomized: compare with the signature values and QR masked.
      const mask = (x: string, s: string, q: string) => x.replaceAll(s, 'SIG').replaceAll(q, 'QR');
      expect(mask(fast.xml, fast.signatureValue, fast.qr)).toBe(
        mask(generic.xml, generic.signatureValue, generic.qr),
      );
    },
  );
});
