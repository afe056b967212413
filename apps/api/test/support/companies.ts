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
  // What PINT AE asks of a seller on the network (ibr-150-ae, ibr-172-ae) and how it is paid (ibr-191/192-ae).
  registration_number: 'TL556677',
  registration_scheme: 'TL',
  registration_authority: 'Department of Economy and Tourism',
  bank_account: { iban: 'AE070331234567890123456', account_name: 'Gulf Trading LLC', bic: 'EBILAEAD' },
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

/**
 * A one-off UAE business buyer as an invoice request names it, with what PINT AE asks of the buyer and the
 * invoice (address with its emirate, ibr-144-ae; TRN; a due date, ibr-127-ae).
 */
export const AE_INVOICE_BUYER = {
  customer_name: 'Emirates Buyer LLC',
  customer_vat_number: '100987654300003',
  customer_address: { street: 'Corniche Road 4', city: 'Abu Dhabi', country: 'AE', emirate: 'AUH' },
  due_date: '2099-12-31',
} as const;

/** A Belgian seller on Peppol (its VAT number as its endpoint), shared by the Peppol and transmission tests. */
export const BE_COMPANY = {
  legal_name_en: 'Atelier Bruxellois SRL',
  country: 'BE',
  vat_number: 'BE0123456749',
  address: { street: 'Rue de la Loi 16', city: 'Bruxelles', postal_code: '1000', country: 'BE' },
  peppol_endpoint: { scheme: '9925', id: 'BE0123456749' },
} as const;

/** A German business buyer, without a Peppol address: the tests add one where they send over Peppol. */
export const DE_BUYER = {
  name_en: 'Kölner Handel GmbH',
  vat_number: 'DE123456789',
  address: { street: 'Hauptstraße 5', city: 'Köln', postal_code: '50667', country: 'DE' },
} as const;

/** The same buyer reachable on Peppol. */
export const DE_PEPPOL_BUYER = {
  ...DE_BUYER,
  peppol_endpoint: { scheme: '9930', id: 'DE123456789' },
} as const;

/** One line at Belgium's standard rate. */
export const OAK_TABLE_LINE = {
  description: 'Oak table',
  quantity: '2',
  unit_price: '450.00',
  vat_rate: '21',
} as const;
