import { describe, expect, it } from 'vitest';
import { FIRST_PIH } from './invoice-hash';
import { validateZatcaInvoice } from './rules';
import { SCENARIOS, scenarioInput } from './test-support/scenarios';
import type { ZatcaInvoiceInput } from './types';

const now = { now: new Date('2025-02-01T00:00:00Z') };
const base = (name: string): ZatcaInvoiceInput => {
  const i = SCENARIOS.findIndex((s) => s.name === name);
  const s = SCENARIOS[i];
  if (!s) throw new Error(name);
  return scenarioInput(s, i, FIRST_PIH);
};
const codes = (input: ZatcaInvoiceInput) =>
  validateZatcaInvoice(input, now).map((i) => `${i.code} ${i.path}`);

describe('validateZatcaInvoice', () => {
  it('accepts every scenario', () => {
    for (const [i, s] of SCENARIOS.entries())
      expect(validateZatcaInvoice(scenarioInput(s, i, FIRST_PIH), now), s.name).toEqual([]);
  });

  it('seller VAT number: 15 digits starting and ending with 3', () => {
    const input = base('standard invoice S');
    expect(codes({ ...input, seller: { ...input.seller, vat_number: '123' } })).toContain(
      'BR-KSA-40 seller.vat_number',
    );
    expect(codes({ ...input, seller: { ...input.seller, vat_number: '' } })).toContain(
      'BR-KSA-39 seller.vat_number',
    );
  });

  it('buyer VAT number format, and not the seller’s', () => {
    const input = base('standard invoice S');
    expect(codes({ ...input, buyer: { ...input.buyer, vat_number: '399999999800004' } })).toContain(
      'BR-KSA-44 buyer.vat_number',
    );
    expect(codes({ ...input, buyer: { ...input.buyer, vat_number: input.seller.vat_number } })).toContain(
      'BR-CUSTOM-VALIDATION-01 buyer.vat_number',
    );
  });

  it('building number 4 digits and postal code 5 digits', () => {
    const input = base('standard invoice S');
    const buyer = input.buyer;
    if (!buyer?.address) throw new Error('buyer');
    const issues = codes({
      ...input,
      buyer: { ...buyer, address: { ...buyer.address, building_number: '12', postal_code: '1234' } },
    });
    expect(issues).toContain('BR-KSA-37 buyer.address.building_number');
    expect(issues).toContain('BR-KSA-67 buyer.address.postal_code');
    expect(
      codes({
        ...input,
        seller: { ...input.seller, address: { ...input.seller.address, postal_code: 'ABCDE' } },
      }),
    ).toContain('BR-KSA-66 seller.address.postal_code');
  });

  it('standard invoices need the buyer name and address', () => {
    const input = base('standard invoice S');
    const issues = codes({ ...input, buyer: { vat_number: '399999999800003' } });
    expect(issues).toContain('BR-KSA-42 buyer.name');
    expect(issues).toContain('BR-KSA-63 buyer.address');
    expect(codes(base('simplified invoice S anonymous'))).toEqual([]);
  });

  it('credit and debit notes need a reason and a billing reference', () => {
    const input = base('standard credit note');
    const issues = codes({ ...input, note_reason: undefined, billing_references: [] });
    expect(issues).toContain('BR-KSA-17 note_reason');
    expect(issues).toContain('BR-KSA-56 billing_references');
  });

  it('Z, E and O lines need an exemption reason code and text', () => {
    const input = base('standard S, Z, E, O together');
    const lines = input.totals.lines.map((l) => ({
      ...l,
      exemption_reason_code: undefined,
      exemption_reason: undefined,
    }));
    const issues = codes({ ...input, totals: { ...input.totals, lines } });
    expect(issues).toEqual(
      expect.arrayContaining([
        'BR-KSA-69 lines.1.exemption_reason_code',
        'BR-KSA-23 lines.2.exemption_reason_code',
        'BR-KSA-24 lines.3.exemption_reason_code',
      ]),
    );
    // One root cause, one error: the missing code, not also the text that follows from it.
    expect(issues).not.toContain('BR-KSA-83 lines.1.exemption_reason');
    const ownText = input.totals.lines.map((l, i) => (i === 1 ? { ...l, exemption_reason: 'Exported' } : l));
    expect(codes({ ...input, totals: { ...input.totals, lines: ownText } })).toContain(
      'BR-KSA-83 lines.1.exemption_reason',
    );
    const wrong = input.totals.lines.map((l, i) =>
      i === 1 ? { ...l, exemption_reason_code: 'VATEX-SA-29' } : l,
    );
    expect(codes({ ...input, totals: { ...input.totals, lines: wrong } })).toContain(
      'BR-KSA-CL-04 lines.1.exemption_reason_code',
    );
  });

  it('export and self-billing flags', () => {
    const input = base('standard export');
    expect(codes({ ...input, flags: { export: true, self_billed: true } })).toContain(
      'BR-KSA-07 flags.self_billed',
    );
    expect(codes({ ...input, buyer: { ...input.buyer, vat_number: '399999999800003' } })).toContain(
      'BR-KSA-46 buyer.vat_number',
    );
    expect(codes({ ...base('simplified invoice S anonymous'), flags: { self_billed: true } })).toContain(
      'BR-KSA-31 flags.self_billed',
    );
  });

  it('dates, time, UUID and counter', () => {
    const input = base('standard invoice S');
    expect(codes({ ...input, issue_date: '2025-13-01' })).toContain('BR-KSA-F-01 issue_date');
    expect(codes({ ...input, issue_date: '2030-01-01' })).toContain('BR-KSA-04 issue_date');
    expect(codes({ ...input, issue_time: '10:00' })).toContain('BR-KSA-70 issue_time');
    expect(codes({ ...input, uuid: 'not a uuid!' })).toContain('BR-KSA-03 uuid');
    expect(codes({ ...input, counter: -1 })).toContain('BR-KSA-34 counter');
    expect(codes({ ...input, supply_date: '2025-01-10', supply_end_date: '2025-01-01' })).toContain(
      'BR-KSA-36 supply_end_date',
    );
  });

  it('simplified summary needs supply dates and buyer name', () => {
    const issues = codes({ ...base('simplified invoice S anonymous'), flags: { summary: true } });
    expect(issues).toContain('BR-KSA-72 supply_date');
    expect(issues).toContain('BR-KSA-71 buyer.name');
  });

  it('S rate must be 15 or 5', () => {
    const input = base('standard invoice S');
    const lines = input.totals.lines.map((l) => ({ ...l, vat_rate: '10' }));
    expect(codes({ ...input, totals: { ...input.totals, lines } })).toContain('BR-KSA-84 lines.0.vat_rate');
  });
});
