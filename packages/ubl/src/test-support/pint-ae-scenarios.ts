// The business cases of the official PINT AE examples, rebuilt from our own inputs: the party records, the
// transaction flags and item texts, and the totals engine's input (computed here under the pint-ae rule set).
import { computeTotals, type DocumentInput, type LineInput } from '@invoiceflow/totals';
import { PINT_AE_RESERVED_ENDPOINTS, UAE_ENDPOINT_SCHEME, uaeTinOf } from '../pint-ae';
import type { UblDocumentInput, UblLineText, UblParty } from '../types';

function uaeParty(name: string, trn: string, emirate: string, city: string, licence: string): UblParty {
  return {
    name,
    address: { street: 'Sheikh Zayed Road 12', city, subdivision: emirate, country: 'AE' },
    vat_number: trn,
    endpoint: { scheme: UAE_ENDPOINT_SCHEME, id: uaeTinOf(trn) },
    legal_registration: { id: licence, type: 'TL', authority: 'Department of Economy and Tourism' },
  };
}

export const SELLER = uaeParty('Falcon Trading LLC', '100123456700003', 'DXB', 'Dubai', 'TL-778899');
export const BUYER = uaeParty('Noor Electronics LLC', '100987654300003', 'AUH', 'Abu Dhabi', 'CN-1002003');
export const PRINCIPAL_TRN = '100555666700003';

const EXPORT_BUYER: UblParty = {
  name: 'Perth Imports Pty Ltd',
  address: { street: '10 Hay Street', city: 'Perth', postal_code: '6000', subdivision: 'WA', country: 'AU' },
  endpoint: { scheme: UAE_ENDPOINT_SCHEME, id: PINT_AE_RESERVED_ENDPOINTS.export_off_network },
  legal_registration: { id: 'AU-ACN-123456', type: 'CD', authority: 'ASIC' },
};

const goods = (name: string, hs = '85171300'): UblLineText => ({
  name,
  description: `${name} (boxed)`,
  item_type: 'goods',
  hs_code: hs,
});
const service = (name: string, sac = '998314'): UblLineText => ({
  name,
  item_type: 'services',
  service_code: sac,
});

export interface PintAeScenario {
  name: string;
  /** The official example this case rebuilds. */
  example: string;
  doc: Partial<UblDocumentInput>;
  totals: Omit<DocumentInput, 'jurisdiction'>;
  lines?: UblLineText[];
}

const line = (quantity: string, unit_price: string, extra: Partial<LineInput> = {}): LineInput => ({
  quantity,
  unit_price,
  unit_code: 'H87',
  ...extra,
});

const transfer = {
  code: '30',
  account_id: 'AE070331234567890123456',
  account_name: 'Falcon Trading current',
};
const card = { code: '55' };
const creditOf = (code: string): Partial<UblDocumentInput> => ({
  kind: 'credit_note',
  credit_reason: { code },
  billing_references: code === 'VD' ? [] : [{ number: 'INV-2025-000101', issue_date: '2025-02-01' }],
  payment_means: undefined,
  due_date: undefined,
});

export const PINT_AE_SCENARIOS: PintAeScenario[] = [
  {
    name: 'standard invoice, mandatory fields',
    example: 'Standard invoice Mandatory fields.xml',
    doc: { payment_means: card },
    totals: { lines: [line('100', '10')] },
  },
  {
    name: 'standard tax invoice with allowances, charges and rounding',
    example: 'Standard tax invoice.xml',
    doc: {
      buyer_reference: 'PO-AE-220',
      order_reference: 'PO-AE-220',
      tax_point_date: '2025-01-30',
      invoice_period: { start: '2025-01-25', end: '2025-01-30' },
      payment_means: transfer,
      payment_terms: 'Within a week',
    },
    totals: {
      lines: [
        line('2000', '4.9', {
          allowances_charges: [
            { is_charge: false, percent: '3', base_amount: '9800', reason_code: '95', reason: 'Discount' },
            {
              is_charge: true,
              percent: '10',
              base_amount: '9800',
              reason_code: 'AAC',
              reason: 'Technical modification',
            },
          ],
        }),
      ],
      allowances_charges: [
        {
          is_charge: false,
          percent: '2.5',
          base_amount: '10486',
          reason_code: '100',
          reason: 'Special rebate',
          vat_category: 'S',
        },
        {
          is_charge: true,
          percent: '4',
          base_amount: '10486',
          reason_code: 'AAT',
          reason: 'Rush delivery',
          vat_category: 'S',
        },
      ],
      rounding_amount: '0.05',
    },
    lines: [
      {
        ...goods('Cable kit'),
        gross_price: '5',
        price_discount: '0.1',
        seller_item_id: 'CK-1',
        origin_country: 'AE',
      },
    ],
  },
  {
    name: 'zero-rated domestic supply',
    example: 'Zero rated supplies.xml',
    doc: { payment_means: transfer },
    totals: { lines: [line('10', '250', { vat_category: 'Z' })] },
    lines: [goods('Medical device', '90189000')],
  },
  {
    name: 'export in USD with AED tax amounts, buyer off Peppol',
    example: 'Exports.-.predefined.endpoint.xml',
    doc: {
      transaction_flags: { export: true },
      buyer: EXPORT_BUYER,
      delivery: {
        address: { street: '1 Harbour Road', city: 'Fremantle', subdivision: 'WA', country: 'AU' },
        incoterms: 'CIF',
      },
      payment_means: { code: '1' },
    },
    totals: {
      currency: 'USD',
      exchange_rate: '3.6725',
      lines: [line('5000', '49.75', { vat_category: 'Z' })],
    },
  },
  {
    name: 'export to a buyer on Peppol (ABN endpoint)',
    example: 'Exports.xml',
    doc: {
      transaction_flags: { export: true },
      buyer: { ...EXPORT_BUYER, endpoint: { scheme: '0151', id: '51824753556' } },
      delivery: {
        address: { street: '1 Harbour Road', city: 'Fremantle', subdivision: 'WA', country: 'AU' },
        incoterms: 'FOB',
      },
      payment_means: { code: '1' },
    },
    totals: {
      currency: 'USD',
      exchange_rate: '3.6725',
      lines: [line('12', '1999.99', { vat_category: 'Z' })],
    },
  },
  {
    name: 'supply involving a free trade zone',
    example: 'Supply involving free trade zone.xml',
    doc: {
      transaction_flags: { free_zone: true },
      beneficiary_id: '100444555600003',
      payment_means: transfer,
    },
    totals: {
      lines: [
        line('500', '140', {
          allowances_charges: [
            {
              is_charge: true,
              percent: '1',
              base_amount: '70000',
              reason_code: 'AAC',
              reason: 'Technical modification',
            },
          ],
        }),
      ],
      allowances_charges: [
        {
          is_charge: false,
          percent: '5',
          base_amount: '70700',
          reason_code: '100',
          reason: 'Special rebate',
          vat_category: 'S',
        },
      ],
    },
  },
  {
    name: 'supply under the reverse charge mechanism',
    example: 'Supply under Reverse charge mechanism.xml',
    doc: { payment_means: transfer },
    totals: { lines: [line('30', '99', { vat_category: 'AE', unit_code: 'K6' })] },
    lines: [
      {
        ...goods('Gold bars 1kg', '71081300'),
        rcm_type: 'DL8.48.3.1',
        standard_id: { id: '04012345123456', scheme: '0160' },
      },
    ],
  },
  {
    name: 'margin scheme',
    example: 'Margin scheme.xml',
    doc: { transaction_flags: { margin_scheme: true }, payment_means: card },
    totals: { lines: [line('1', '1000', { vat_category: 'N' })] },
    lines: [goods('Used car', '87032310')],
  },
  {
    name: 'deemed supply, predefined endpoint',
    example: 'Deemed.supply.-.predefined.endpoint.xml',
    doc: {
      transaction_flags: { deemed_supply: true },
      buyer: {
        ...BUYER,
        endpoint: { scheme: UAE_ENDPOINT_SCHEME, id: PINT_AE_RESERVED_ENDPOINTS.deemed_supply },
      },
      due_date: undefined,
      payment_means: undefined,
    },
    totals: {
      lines: [line('2', '140')],
      allowances_charges: [
        {
          is_charge: false,
          percent: '5',
          base_amount: '280',
          reason_code: '100',
          reason: 'Special rebate',
          vat_category: 'S',
        },
      ],
    },
    lines: [{ name: 'Staff gift hampers', item_type: 'both', hs_code: '21069098', service_code: '998599' }],
  },
  {
    name: 'summary tax invoice',
    example: 'Summary tax invoice.xml',
    doc: {
      transaction_flags: { summary: true },
      invoice_period: { start: '2025-01-01', end: '2025-01-31' },
      payment_means: transfer,
    },
    totals: {
      lines: [
        line('100', '14.25'),
        line('150', '23.75'),
        line('30', '99', { vat_category: 'AE', unit_code: 'K6' }),
      ],
      rounding_amount: '0.25',
    },
    lines: [
      { ...goods('Phone cases'), period: { start: '2025-01-01', end: '2025-01-15' } },
      { ...goods('Chargers'), period: { start: '2025-01-16', end: '2025-01-31' } },
      {
        ...goods('Mobile phones', '85171300'),
        rcm_type: 'DL8.48.8.1',
        standard_id: { id: '04012345123456', scheme: '0160' },
      },
    ],
  },
  {
    name: 'continuous supplies',
    example: 'Continuous.supplies.xml',
    doc: {
      transaction_flags: { continuous_supply: true },
      invoice_period: { start: '2025-01-01', end: '2025-01-31', frequency: 'MTH' },
      contract_reference: { id: 'ZXC-CS-03', value: 'AED 1000000' },
      payment_means: transfer,
    },
    totals: {
      lines: [
        line('10', '500', { unit_code: 'TIP' }),
        line('1455', '0.5', {
          unit_code: 'LN',
          vat_category: 'E',
          exemption_reason_code: 'VATEX-AE-LOCAL-PT',
          exemption_reason: 'Local passenger transport',
        }),
      ],
      allowances_charges: [
        { is_charge: true, amount: '75', reason_code: 'FC', reason: 'Freight', vat_category: 'S' },
      ],
    },
    lines: [service('Cab services, monthly'), service('Passenger transport', '996412')],
  },
  {
    name: 'disclosed agent billing',
    example: 'Disclosed.agent.billing.xml',
    doc: {
      transaction_flags: { disclosed_agent: true },
      principal_id: PRINCIPAL_TRN,
      payment_means: transfer,
    },
    totals: { lines: [line('50', '19.5')] },
  },
  {
    name: 'supply through e-commerce',
    example: 'Supply through e-commerce.xml',
    doc: {
      transaction_flags: { ecommerce: true },
      delivery: {
        date: '2025-02-11',
        address: { street: 'Al Reem Island, Tower 3', city: 'Abu Dhabi', subdivision: 'AUH', country: 'AE' },
      },
      payment_means: card,
    },
    totals: {
      lines: [
        line('1', '100', {
          allowances_charges: [
            { is_charge: true, amount: '2.5', reason_code: 'SAA', reason: 'Shipping and handling' },
          ],
        }),
      ],
      allowances_charges: [
        { is_charge: false, amount: '2.5', reason_code: '95', reason: 'Discount', vat_category: 'S' },
      ],
    },
  },
  {
    name: 'out of scope of VAT (commercial invoice 480)',
    example: 'Commercial invoice.xml',
    doc: { out_of_scope: true, payment_means: { code: '10' } },
    totals: { lines: [line('1000', '150', { vat_category: 'O' })] },
  },
  {
    name: 'standard invoice in EUR with AED tax amounts',
    example: 'Standard.invoice.-.Extensive.xml',
    doc: { payment_means: transfer },
    totals: {
      currency: 'EUR',
      exchange_rate: '3.985214',
      lines: [line('3', '1234.56'), line('7', '99.99', { vat_category: 'Z' })],
    },
    lines: [goods('Server rack'), goods('Rack rails', '73269098')],
  },
  {
    name: 'buyer outside UAE e-invoicing, predefined endpoint',
    example: 'Standard.tax.invoice.-.predefined.endpoint.xml',
    doc: {
      buyer: {
        ...BUYER,
        endpoint: { scheme: UAE_ENDPOINT_SCHEME, id: PINT_AE_RESERVED_ENDPOINTS.outside_scheme },
      },
      payment_means: card,
    },
    totals: { lines: [line('4', '375')] },
  },
  {
    name: 'exempt and standard lines, exempt document allowance',
    example: 'Doc-level-allowance-E-category.xml',
    doc: { payment_means: transfer },
    totals: {
      lines: [
        line('1', '5000'),
        line('1', '20000', {
          vat_category: 'E',
          exemption_reason_code: 'VATEX-AE-FIN',
          exemption_reason: 'Financial services',
        }),
      ],
      allowances_charges: [
        {
          is_charge: false,
          amount: '100',
          reason_code: '95',
          reason: 'Discount',
          vat_category: 'E',
          exemption_reason_code: 'VATEX-AE-FIN',
          exemption_reason: 'Financial services',
        },
      ],
    },
    lines: [service('Advisory'), service('Loan arrangement', '997113')],
  },
  {
    name: 'zero-rated document charge',
    example: 'Doc-level-charge-Z-category.xml',
    doc: { payment_means: transfer },
    totals: {
      lines: [line('2', '800', { vat_category: 'Z' })],
      allowances_charges: [
        { is_charge: true, amount: '50', reason_code: 'FC', reason: 'Freight', vat_category: 'Z' },
      ],
    },
  },
  {
    name: 'reverse charge document allowance',
    example: 'Doc-level-allowance-AE-category.xml',
    doc: { payment_means: transfer },
    totals: {
      lines: [line('10', '100', { vat_category: 'AE' })],
      allowances_charges: [
        {
          is_charge: false,
          amount: '100',
          reason_code: '95',
          reason: 'Discount',
          vat_category: 'AE',
          vat_rate: '0',
        },
      ],
    },
    lines: [
      {
        ...goods('Copper cathodes', '74031100'),
        rcm_type: 'DL8.48.3.2',
        standard_id: { id: '04012345123456', scheme: '0160' },
      },
    ],
  },
  {
    name: 'buyer identified by passport',
    example: 'Buyer-PAS-identifier.xml',
    doc: {
      buyer: {
        ...BUYER,
        name: 'Ahmed Karim',
        legal_registration: { id: 'N1234567', type: 'PAS', passport_country: 'EG' },
      },
      payment_means: card,
    },
    totals: { lines: [line('1', '2500')] },
  },
  {
    name: 'self-billing invoice',
    example: 'Self Billing.xml',
    doc: { self_billing: true, payment_means: transfer },
    totals: { lines: [line('2000', '4.9')] },
  },
  {
    name: 'self-billing credit note',
    example: 'Self billing tax credit note.xml',
    doc: { self_billing: true, ...creditOf('DL8.61.1.B') },
    totals: { lines: [line('100', '4.9')] },
  },
  ...(['DL8.61.1.A', 'DL8.61.1.B', 'DL8.61.1.C', 'DL8.61.1.D', 'DL8.61.1.E', 'VD'] as const).map(
    (code): PintAeScenario => ({
      name: `credit note, reason ${code}`,
      example: code === 'VD' ? 'Volume-discount-credit-note.xml' : 'Standard tax credit Note.xml',
      doc: creditOf(code),
      totals: { lines: [line('10', '120.5')] },
    }),
  ),
  {
    name: 'credit note in USD with AED tax amounts',
    example: 'Disclosed agent billing tax credit note.xml',
    doc: creditOf('DL8.61.1.C'),
    totals: { currency: 'USD', exchange_rate: '3.6725', lines: [line('3', '410')] },
  },
  {
    name: 'credit note of an out-of-scope supply (81)',
    example: 'Standard tax credit Note.xml',
    doc: { ...creditOf('DL8.61.1.A'), out_of_scope: true },
    totals: { lines: [line('10', '150', { vat_category: 'O' })] },
  },
];

const BASE_DOC: Omit<UblDocumentInput, 'totals' | 'lines'> = {
  kind: 'invoice',
  number: 'INV-2025-000001',
  uuid: '00000000-0000-4000-8000-000000000000',
  issue_date: '2025-02-07',
  issue_time: '10:15:00+04:00',
  due_date: '2025-03-09',
  seller: SELLER,
  buyer: BUYER,
};

/** The scenario's full input: its totals computed under the pint-ae rule set, a number and UUID per position. */
export function pintAeScenarioInput(s: PintAeScenario, index: number): UblDocumentInput {
  const totals = computeTotals({ jurisdiction: 'pint-ae', ...s.totals });
  const position = String(index + 1).padStart(6, '0');
  const lines =
    s.lines ??
    s.totals.lines.map((l, i) => (l.vat_category === 'O' ? goods(`Item ${i + 1}`) : goods(`Item ${i + 1}`)));
  return {
    ...BASE_DOC,
    number: `${s.doc.kind === 'credit_note' ? 'CN' : 'INV'}-2025-${position}`,
    uuid: `7d3c1a52-0b6e-4c1f-9a3e-${position.padStart(12, '0')}`,
    ...s.doc,
    lines,
    totals,
  };
}
