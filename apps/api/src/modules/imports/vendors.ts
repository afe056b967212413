import { schema } from '@invoiceflow/db';
import { ZATCA_COUNTRY } from '@invoiceflow/jurisdictions';
import { getCompany } from '../companies/queries';
import { vendorCreateSchema } from '../vendors/schemas';
import { vendorValues } from '../vendors/service';
import { checkCellTexts, type ImportAdapter, wholeNumber, zodRowErrors } from './adapter';

const ADDRESS_FIELDS = [
  'street',
  'building_number',
  'additional_number',
  'district',
  'city',
  'postal_code',
  'country',
  'emirate',
] as const;

/** Flat columns for the vendor API's nested fields (address, Peppol address, the one contact a row holds). */
const fieldOf = (path: string) => {
  if (path.startsWith('address.')) return path.slice('address.'.length);
  if (path === 'address') return 'country';
  if (path.startsWith('peppol_endpoint.')) return `peppol_${path.slice('peppol_endpoint.'.length)}`;
  if (path.startsWith('contacts.0.')) return `contact_${path.slice('contacts.0.'.length)}`;
  return path.split('.')[0] ?? path;
};

type VendorValues = ReturnType<typeof vendorValues>;

export const vendorsAdapter: ImportAdapter = {
  type: 'vendors',
  fields: [
    {
      name: 'name_en',
      aliases: ['name', 'vendor_name', 'supplier_name', 'supplier', 'company_name', 'legal_name'],
      isRequired: true,
      example: 'Gulf Office Supplies LLC',
    },
    {
      name: 'name_ar',
      aliases: ['arabic_name', 'vendor_name_ar', 'الاسم'],
      example: 'الخليج للوازم المكتبية',
    },
    {
      name: 'vat_number',
      aliases: ['vat', 'vat_no', 'trn', 'tax_number', 'tax_id', 'vat_id', 'supplier_vat_number'],
      example: '311111111111113',
    },
    {
      name: 'registration_number',
      aliases: ['crn', 'cr_number', 'commercial_registration', 'company_registration'],
      example: '1010010000',
    },
    { name: 'email', aliases: ['e_mail', 'email_address'], example: 'billing@example.com' },
    { name: 'phone', aliases: ['telephone', 'mobile', 'phone_number'], example: '+966500000000' },
    {
      name: 'street',
      aliases: ['address', 'address_line1', 'address_line_1', 'street_name'],
      example: 'Olaya Street',
    },
    { name: 'building_number', aliases: ['building', 'building_no'], example: '1234' },
    { name: 'additional_number', aliases: ['additional_no', 'plot_identification'], example: '' },
    { name: 'district', aliases: ['neighbourhood', 'neighborhood', 'area'], example: 'Al Olaya' },
    { name: 'city', aliases: ['town'], example: 'Riyadh' },
    { name: 'postal_code', aliases: ['zip', 'zip_code', 'postcode', 'post_code'], example: '12345' },
    { name: 'country', aliases: ['country_code', 'vendor_country'], example: ZATCA_COUNTRY },
    { name: 'emirate', aliases: ['state', 'province'], example: '' },
    { name: 'peppol_scheme', aliases: ['peppol_endpoint_scheme', 'eas'], example: '' },
    { name: 'peppol_id', aliases: ['peppol_endpoint_id', 'peppol_address'], example: '' },
    { name: 'contact_name', aliases: ['contact', 'contact_person'], example: '' },
    { name: 'contact_email', aliases: ['contact_e_mail'], example: '' },
    { name: 'contact_phone', aliases: ['contact_telephone', 'contact_mobile'], example: '' },
    {
      name: 'payment_terms_days',
      aliases: ['payment_terms', 'terms', 'terms_days', 'net_days'],
      example: '30',
    },
    { name: 'currency', aliases: ['currency_code'], example: 'SAR' },
    { name: 'iban', aliases: ['bank_account', 'account_iban'], example: '' },
    { name: 'bank_name', aliases: ['bank'], example: '' },
    { name: 'notes', aliases: ['note', 'comments', 'remarks'], example: '' },
  ],

  async begin(_ctx, db, { companyId, write }) {
    const company = await getCompany(db, { companyId });
    // A row without a country is a vendor in the company's own country.
    const homeCountry = company?.country ?? '';
    let pending: VendorValues[] = [];
    let made = 0;
    return {
      accept(values) {
        const textIssues = checkCellTexts(values);
        if (textIssues.length > 0) return textIssues;
        const address: Record<string, string> = {};
        for (const field of ADDRESS_FIELDS) if (values[field] !== undefined) address[field] = values[field];
        address.country = (address.country ?? homeCountry).toUpperCase();
        const contact =
          values.contact_name || values.contact_email || values.contact_phone
            ? { name: values.contact_name, email: values.contact_email, phone: values.contact_phone }
            : undefined;
        const parsed = vendorCreateSchema.safeParse({
          name_en: values.name_en,
          name_ar: values.name_ar,
          vat_number: values.vat_number,
          registration_number: values.registration_number,
          peppol_endpoint:
            values.peppol_scheme || values.peppol_id
              ? { scheme: values.peppol_scheme, id: values.peppol_id }
              : undefined,
          email: values.email,
          phone: values.phone,
          address,
          contacts: contact ? [contact] : [],
          payment_terms_days: wholeNumber(values.payment_terms_days),
          currency: values.currency?.toUpperCase(),
          iban: values.iban,
          bank_name: values.bank_name,
          notes: values.notes,
        });
        if (!parsed.success) return zodRowErrors(parsed.error, fieldOf);
        if (write) pending.push(vendorValues(parsed.data));
        return [];
      },
      finish: () => [],
      async flush(tx) {
        if (pending.length === 0) return;
        const batch = pending;
        pending = [];
        // One statement per batch: ~17 columns × 500 rows stays far below PostgreSQL's 65,535 parameters.
        await tx.insert(schema.vendors).values(batch.map((values) => ({ ...values, companyId })));
        made += batch.length;
      },
      counts: () => ({ vendors: made }),
    };
  },
};
