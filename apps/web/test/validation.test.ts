import { describe, expect, it } from 'vitest';
import { safeNextPath } from '../src/lib/safe-next';
import {
  checkBuildingNumber,
  checkPostalCode,
  checkVatNumber,
  isValidVatNumber,
} from '../src/lib/validation';
import { emptyRegisterValues, firstInvalidField, toRegisterInput } from '../src/pages/register-form';

describe('VAT number as the user types', () => {
  it('accepts a Saudi number of 15 digits starting and ending with 3 (BR-KSA-40)', () => {
    expect(isValidVatNumber('SA', '310122393500003')).toBe(true);
    expect(checkVatNumber('SA', '310122393500003')).toEqual({ kind: 'ok', key: 'validation.vatOk' });
  });

  it('shows progress while a plausible number is incomplete, and an error once final', () => {
    expect(checkVatNumber('SA', '3101')).toEqual({
      kind: 'hint',
      key: 'validation.vatProgress',
      params: { count: 4 },
    });
    expect(checkVatNumber('SA', '3101', { final: true })).toMatchObject({
      kind: 'error',
      key: 'validation.vatLength',
    });
  });

  it('flags what can no longer become valid at once', () => {
    expect(checkVatNumber('SA', '2')).toMatchObject({ kind: 'error', key: 'validation.vatSaStart' });
    expect(checkVatNumber('SA', '31a')).toMatchObject({ kind: 'error', key: 'validation.vatDigits' });
    expect(checkVatNumber('SA', '310122393500004')).toMatchObject({
      kind: 'error',
      key: 'validation.vatSaEnd',
    });
    expect(checkVatNumber('SA', '3101223935000033')).toMatchObject({
      kind: 'error',
      key: 'validation.vatLength',
    });
  });

  it('asks only for 15 digits in the UAE', () => {
    expect(isValidVatNumber('AE', '100123456700003')).toBe(true);
    expect(isValidVatNumber('AE', '10012345670000')).toBe(false);
  });
});

describe('Saudi national address', () => {
  it('building number 4 digits (BR-KSA-37), postal code 5 digits (BR-KSA-66)', () => {
    expect(checkBuildingNumber('SA', '1234').kind).toBe('ok');
    expect(checkBuildingNumber('SA', '123').kind).toBe('error');
    expect(checkBuildingNumber('AE', '12').kind).toBe('ok');
    expect(checkPostalCode('SA', '12345').kind).toBe('ok');
    expect(checkPostalCode('SA', '1234').kind).toBe('error');
  });
});

describe('register form', () => {
  const filled = () => ({
    ...emptyRegisterValues('SA'),
    full_name: 'Sara Al-Harbi',
    email: 'sara@example.sa',
    password: 'correct horse battery',
    'company.legal_name_en': 'Maximum Speed Tech Supply LTD',
    'company.vat_number': '310122393500003',
    'company.registration_number': '1010010000',
    'company.address.street': 'Prince Sultan',
    'company.address.building_number': '2322',
    'company.address.district': 'Al-Murabba',
    'company.address.city': 'Riyadh',
    'company.address.postal_code': '23333',
  });

  it('finds the first invalid field in form order', () => {
    expect(firstInvalidField(emptyRegisterValues())).toBe('full_name');
    expect(firstInvalidField({ ...filled(), 'company.vat_number': '31012239350000' })).toBe(
      'company.vat_number',
    );
    expect(firstInvalidField(filled())).toBeNull();
  });

  it('asks a Saudi company for its commercial registration (BR-KSA-08), not a UAE one', () => {
    expect(firstInvalidField({ ...filled(), 'company.registration_number': '' })).toBe(
      'company.registration_number',
    );
    const ae = {
      ...filled(),
      'company.country': 'AE',
      'company.vat_number': '100123456700003',
      'company.registration_number': '',
      'company.address.emirate': 'DXB',
    };
    expect(firstInvalidField(ae)).toBeNull();
  });

  it('requires the emirate in the UAE but not the Saudi-only address parts', () => {
    const ae = {
      ...filled(),
      'company.country': 'AE',
      'company.vat_number': '100123456700003',
      'company.address.building_number': '',
      'company.address.district': '',
      'company.address.postal_code': '',
    };
    expect(firstInvalidField(ae)).toBe('company.address.emirate');
    expect(firstInvalidField({ ...ae, 'company.address.emirate': 'DXB' })).toBeNull();
  });

  it('builds the request body the API expects, leaving out empty optional fields', () => {
    const body = toRegisterInput(filled());
    expect(body.company).toMatchObject({
      country: 'SA',
      currency: 'SAR',
      vat_number: '310122393500003',
      address: { country: 'SA', building_number: '2322', postal_code: '23333' },
    });
    expect('legal_name_ar' in body.company && body.company.legal_name_ar !== undefined).toBe(false);
    expect(body.company.address.emirate).toBeUndefined();
  });
});

describe('post-login destination', () => {
  it('only allows same-origin paths', () => {
    expect(safeNextPath('/invoices?status=draft')).toBe('/invoices?status=draft');
    expect(safeNextPath('//evil.example')).toBe('/');
    expect(safeNextPath('https://evil.example')).toBe('/');
    expect(safeNextPath(null)).toBe('/');
  });
});
