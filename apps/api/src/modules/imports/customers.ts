import { schema } from '@invoiceflow/db';
import { ZATCA_COUNTRY } from '@invoiceflow/jurisdictions';
import { getCompany } from '../companies/queries';
import { customerCreateSchema } from '../customers/schemas';
import { type CustomerValues, customerValues } from '../customers/service';
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

/** Flat columns for the customer API's nested fields (address, Peppol address). */
const fieldOf = (path: string) => {
  if (path.startsWith('address.')) return path.slice('address.'.length);
  if (path === 'address') return 'country';
  if (path.startsWith('peppol_endpoint.')) return `peppol_${path.slice('peppol_endpoint.'.length)}`;
  return path.split('.')[0] ?? path;
};

export const customersAdapter: ImportAdapter = {
  type: 'customers',
  fields: [
    {
      name: 'name_en',
      aliases: ['name', 'customer_name', 'client_name', 'company_name', 'legal_name'],
      isRequired: true,
      example: 'Advanced Trading Co.',
    },
    {
      name: 'name_ar',
      aliases: ['arabic_name', 'customer_name_ar', 'الاسم'],
      example: 'شركة التجارة المتقدمة',
    },
    { name: 'kind', aliases: ['type', 'customer_type'], example: 'company' },
    {
      name: 'vat_number',
      aliases: ['vat', 'vat_no', 'trn', 'tax_number', 'tax_id', 'vat_id', 'customer_vat_number'],
      example: '311111111111113',
    },
    {
      name: 'registration_number',
      aliases: ['crn', 'cr_number', 'commercial_registration', 'company_registration'],
      example: '1010010000',
    },
    { name: 'id_scheme', aliases: ['buyer_id_scheme'], example: '' },
    { name: 'id_number', aliases: ['buyer_id'], example: '' },
    { name: 'registration_authority', aliases: ['licensing_authority'], example: '' },
    { name: 'email', aliases: ['e_mail', 'email_address', 'contact_email'], example: 'ap@example.com' },
    {
      name: 'phone',
      aliases: ['telephone', 'mobile', 'phone_number', 'contact_phone'],
      example: '+966500000000',
    },
    {
      name: 'street',
      aliases: ['address', 'address_line1', 'address_line_1', 'street_name'],
      example: 'King Fahd Road',
    },
    { name: 'building_number', aliases: ['building', 'building_no'], example: '1234' },
    { name: 'additional_number', aliases: ['additional_no', 'plot_identification'], example: '5678' },
    { name: 'district', aliases: ['neighbourhood', 'neighborhood', 'area'], example: 'Al Olaya' },
    { name: 'city', aliases: ['town'], example: 'Riyadh' },
    { name: 'postal_code', aliases: ['zip', 'zip_code', 'postcode', 'post_code'], example: '12345' },
    { name: 'country', aliases: ['country_code', 'customer_country'], example: ZATCA_COUNTRY },
    { name: 'emirate', aliases: ['state', 'province'], example: '' },
    { name: 'peppol_scheme', aliases: ['peppol_endpoint_scheme', 'eas'], example: '' },
    { name: 'peppol_id', aliases: ['peppol_endpoint_id', 'peppol_address'], example: '' },
    {
      name: 'payment_terms_days',
      aliases: ['payment_terms', 'terms', 'terms_days', 'net_days'],
      example: '30',
    },
    { name: 'currency', aliases: ['currency_code'], example: 'SAR' },
    { name: 'notes', aliases: ['note', 'comments', 'remarks'], example: '' },
  ],

  async begin(_ctx, db, { companyId, write }) {
    const company = await getCompany(db, { companyId });
    // A row without a country is a customer in the company's own country.
    const homeCountry = company?.country ?? '';
    let pending: CustomerValues[] = [];
    let made = 0;
    return {
      accept(values) {
        const textIssues = checkCellTexts(values);
        if (textIssues.length > 0) return textIssues;
        const address: Record<string, string> = {};
        for (const field of ADDRESS_FIELDS) if (values[field] !== undefined) address[field] = values[field];
        address.country = (address.country ?? homeCountry).toUpperCase();
        const input = {
          kind: values.kind?.toLowerCase(),
          name_en: values.name_en,
          name_ar: values.name_ar,
          vat_number: values.vat_number,
          registration_number: values.registration_number,
          id_scheme: values.id_scheme?.toUpperCase(),
          id_number: values.id_number,
          registration_authority: values.registration_authority,
          peppol_endpoint:
            values.peppol_scheme || values.peppol_id
              ? { scheme: values.peppol_scheme, id: values.peppol_id }
              : undefined,
          email: values.email,
          phone: values.phone,
          address,
          payment_terms_days: wholeNumber(values.payment_terms_days),
          currency: values.currency?.toUpperCase(),
          notes: values.notes,
        };
        const parsed = customerCreateSchema.safeParse(input);
        if (!parsed.success) return zodRowErrors(parsed.error, fieldOf);
        if (write) pending.push(customerValues(parsed.data));
        return [];
      },
      finish: () => [],
      async flush(tx) {
        if (pending.length === 0) return;
        const batch = pending;
        pending = [];
        // One statement per batch: ~23 columns × 500 rows stays far below PostgreSQL's 65,535 parameters.
        await tx.insert(schema.customers).values(batch.map((values) => ({ ...values, companyId })));
        made += batch.length;
      },
      counts: () => ({ customers: made }),
    };
  },
};
