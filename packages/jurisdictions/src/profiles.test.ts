import { describe, expect, it } from 'vitest';
import {
  buyerIssues,
  COUNTRY_CODES,
  findProfile,
  normaliseTaxRate,
  partyIssues,
  profileFor,
  taxRateProblem,
} from './index';

describe('jurisdiction profiles', () => {
  it('has a profile for every ISO 3166-1 country and none for other codes', () => {
    expect(COUNTRY_CODES).toHaveLength(249);
    for (const code of COUNTRY_CODES) expect(findProfile(code)?.country).toBe(code);
    for (const code of ['XX', 'EU', 'sa', '', 'toString', '__proto__'])
      expect(findProfile(code)).toBeUndefined();
  });

  it('gives the generic profile its country’s currency, time zone and usual rates', () => {
    expect(findProfile('NL')).toMatchObject({
      rules: 'en16931',
      currency: 'EUR',
      timeZone: 'Europe/Amsterdam',
      taxRates: { kind: 'company', rates: ['21', '9', '0'] },
      pdf: { hasZatcaQr: false },
    });
    expect(findProfile('IN')).toMatchObject({ currency: 'INR', timeZone: 'Asia/Kolkata' });
    expect(findProfile('IN')?.taxRates.rates).toEqual(expect.arrayContaining(['5', '12', '18', '28']));
    expect(findProfile('BR')).toMatchObject({ currency: undefined, timeZone: undefined });
  });

  it('names the Saudi postal code rule by the party’s role: BR-KSA-66 seller, BR-KSA-67 buyer', () => {
    const party = { country: 'SA', address: { country: 'SA', postal_code: '1234', building_number: '12' } };
    const codes = (role: 'seller' | 'buyer') =>
      partyIssues(party, role, { requireFullAddress: false }).map((issue) => `${issue.path} ${issue.code}`);
    expect(codes('seller')).toEqual(['address.building_number BR-KSA-37', 'address.postal_code BR-KSA-66']);
    expect(codes('buyer')).toEqual(['address.building_number BR-KSA-37', 'address.postal_code BR-KSA-67']);
  });

  it('asks a standard invoice of a Saudi seller for the buyer’s VAT number, not one of a Dutch seller', () => {
    const paths = { name: 'customer_name', vat_number: 'customer_vat_number', address: 'customer_address' };
    const buyer = { name_en: 'Acme', address: { country: 'NL', street: 'Dam 1', city: 'Amsterdam' } };
    const codes = (country: string) =>
      buyerIssues(buyer, { seller: profileFor(country), subtype: 'standard', paths }).map((i) => i.code);
    expect(codes('SA')).toEqual(['BUYER_VAT_NUMBER_REQUIRED']);
    expect(codes('NL')).toEqual([]);
  });

  it('keeps tax rates as canonical percentages from 0 to 100', () => {
    expect(['21', '5.5', '0', '100'].map(taxRateProblem)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(['101', '-1', '5.555', 'abc', '1e2'].every((rate) => taxRateProblem(rate))).toBe(true);
    expect(['21.00', '5.50', '007', '0.0'].map(normaliseTaxRate)).toEqual(['21', '5.5', '7', '0']);
  });
});
