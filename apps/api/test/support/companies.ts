/** Companies valid under the SA and UAE rules, shared by the API tests and the reliability suite. */
export const SA_COMPANY = {
  legal_name_en: 'Maximum Speed Tech Supply LTD',
  legal_name_ar: 'شركة توريد التكنولوجيا بأقصى سرعة المحدودة',
  country: 'SA',
  vat_number: '399999999900003',
  registration_number: '1010010000',
  address: {
    street: 'Prince Sultan',
    building_number: '2322',
    district: 'Al-Murabba',
    city: 'Riyadh',
    postal_code: '23333',
    country: 'SA',
  },
} as const;

export const AE_COMPANY = {
  legal_name_en: 'Gulf Trading LLC',
  legal_name_ar: 'الخليج للتجارة ذ.م.م',
  country: 'AE',
  vat_number: '100000000000003',
  address: { street: 'Sheikh Zayed Road', city: 'Dubai', country: 'AE', emirate: 'DXB' },
} as const;

/** A Saudi business buyer: a standard (B2B) invoice's, with its VAT number and a full national address. */
export const SA_BUYER = {
  name_en: 'Advanced Trading Est.',
  name_ar: 'مؤسسة التجارة المتقدمة',
  vat_number: '310122393500003',
  address: {
    street: 'King Fahd Road',
    building_number: '1234',
    district: 'Al Olaya',
    city: 'Riyadh',
    postal_code: '12345',
    country: 'SA',
  },
} as const;
