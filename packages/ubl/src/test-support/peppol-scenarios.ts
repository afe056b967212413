// Generic-profile (EN 16931) invoices and credit notes for Peppol BIS Billing 3.0, from our own inputs.
import { computeTotals, type DocumentInput, type LineInput } from '@invoiceflow/totals';
import type { UblDocumentInput, UblLineText, UblParty } from '../types';

export const DUTCH_SELLER: UblParty = {
  name: 'Tulip Supplies B.V.',
  address: { street: 'Keizersgracht 100', city: 'Amsterdam', postal_code: '1015 AA', country: 'NL' },
  vat_number: 'NL123456789B01',
  endpoint: { scheme: '0106', id: '12345678' },
  legal_registration: { id: '12345678', scheme: '0106' },
};

const DUTCH_BUYER: UblParty = {
  name: 'Grachten Retail B.V.',
  address: { street: 'Damrak 1', city: 'Amsterdam', postal_code: '1012 LG', country: 'NL' },
  vat_number: 'NL987654321B01',
  endpoint: { scheme: '0106', id: '87654321' },
  legal_registration: { id: '87654321', scheme: '0106' },
};

const BELGIAN_BUYER: UblParty = {
  name: 'Brussels Trade SA',
  address: { street: 'Rue de la Loi 16', city: 'Bruxelles', postal_code: '1000', country: 'BE' },
  vat_number: 'BE0123456749',
  endpoint: { scheme: '9925', id: 'BE0123456749' },
};

const GERMAN_SELLER: UblParty = {
  name: 'Rheinbau GmbH',
  address: { street: 'Hauptstraße 5', city: 'Köln', postal_code: '50667', country: 'DE' },
  vat_number: 'DE123456789',
  endpoint: { scheme: '9930', id: 'DE123456789' },
  // DE-R-002: between two German parties the seller names a contact.
  contact: { name: 'Anna Schmidt', phone: '+49 221 123456', email: 'rechnung@rheinbau.example' },
};

const GERMAN_BUYER: UblParty = {
  name: 'Bauträger Müller GmbH',
  address: { street: 'Königsallee 20', city: 'Düsseldorf', postal_code: '40212', country: 'DE' },
  vat_number: 'DE987654321',
  endpoint: { scheme: '9930', id: 'DE987654321' },
};

const US_BUYER: UblParty = {
  name: 'Boston Importers Inc.',
  address: { street: '1 Congress Street', city: 'Boston', postal_code: '02114', country: 'US' },
  endpoint: { scheme: '0060', id: '123456789' },
};

export interface PeppolScenario {
  name: string;
  doc: Partial<UblDocumentInput>;
  totals: Omit<DocumentInput, 'jurisdiction'>;
  lines?: UblLineText[];
}

const line = (quantity: string, unit_price: string, extra: Partial<LineInput> = {}): LineInput => ({
  quantity,
  unit_price,
  unit_code: 'C62',
  ...extra,
});
const iban = { code: '30', account_id: 'NL91ABNA0417164300', account_name: 'Tulip Supplies' };

export const PEPPOL_SCENARIOS: PeppolScenario[] = [
  {
    name: 'Dutch domestic invoice, 21 % and 9 %',
    doc: {},
    totals: {
      currency: 'EUR',
      lines: [
        line('10', '45.50', { vat_category: 'S', vat_rate: '21' }),
        line('3', '12.99', { vat_category: 'S', vat_rate: '9' }),
      ],
    },
  },
  {
    name: 'Dutch invoice with document and line allowances and charges',
    doc: {},
    totals: {
      currency: 'EUR',
      lines: [
        line('100', '2.35', {
          vat_category: 'S',
          vat_rate: '21',
          allowances_charges: [{ is_charge: false, percent: '10', reason_code: '95', reason: 'Discount' }],
        }),
        line('1', '250', {
          vat_category: 'S',
          vat_rate: '21',
          allowances_charges: [
            { is_charge: true, amount: '15', reason_code: 'AAC', reason: 'Customisation' },
          ],
        }),
      ],
      allowances_charges: [
        {
          is_charge: false,
          amount: '20',
          reason_code: '100',
          reason: 'Loyalty rebate',
          vat_category: 'S',
          vat_rate: '21',
        },
        {
          is_charge: true,
          amount: '12.50',
          reason_code: 'FC',
          reason: 'Freight',
          vat_category: 'S',
          vat_rate: '21',
        },
      ],
    },
  },
  {
    name: 'intra-community supply to Belgium',
    doc: {
      buyer: BELGIAN_BUYER,
      delivery: {
        date: '2025-02-05',
        address: { street: 'Rue de la Loi 16', city: 'Bruxelles', postal_code: '1000', country: 'BE' },
      },
    },
    totals: {
      currency: 'EUR',
      lines: [
        line('40', '18', {
          vat_category: 'K',
          vat_rate: '0',
          exemption_reason_code: 'VATEX-EU-IC',
          exemption_reason: 'Intra-community supply',
        }),
      ],
    },
  },
  {
    name: 'German B2B construction services, domestic reverse charge',
    doc: {
      seller: GERMAN_SELLER,
      buyer: GERMAN_BUYER,
      payment_means: { code: '58', account_id: 'DE89370400440532013000' },
    },
    totals: {
      currency: 'EUR',
      lines: [
        line('1', '18500', {
          vat_category: 'AE',
          vat_rate: '0',
          exemption_reason_code: 'VATEX-EU-AE',
          exemption_reason: 'Reverse charge',
        }),
      ],
    },
    lines: [{ name: 'Dachsanierung', description: 'Roof renovation, §13b UStG' }],
  },
  {
    name: 'export to the United States',
    doc: { buyer: US_BUYER },
    totals: {
      currency: 'EUR',
      lines: [
        line('5', '1200', {
          vat_category: 'G',
          vat_rate: '0',
          exemption_reason_code: 'VATEX-EU-G',
          exemption_reason: 'Export outside the EU',
        }),
      ],
    },
  },
  {
    name: 'exempt medical services',
    doc: {},
    totals: {
      currency: 'EUR',
      lines: [
        line('2', '95', {
          vat_category: 'E',
          vat_rate: '0',
          exemption_reason: 'Exempt medical care (art. 11 Wet OB)',
        }),
      ],
    },
    lines: [{ name: 'Physiotherapy session' }],
  },
  {
    name: 'invoice in USD with VAT in EUR',
    doc: {},
    totals: {
      currency: 'USD',
      tax_currency: 'EUR',
      exchange_rate: '0.9213',
      lines: [line('4', '310.25', { vat_category: 'S', vat_rate: '21' })],
    },
  },
  {
    name: 'Dutch credit note',
    doc: {
      kind: 'credit_note',
      billing_references: [{ number: 'NL-2025-0042', issue_date: '2025-01-20' }],
      credit_reason: { text: 'Returned goods' },
      due_date: undefined,
    },
    totals: { currency: 'EUR', lines: [line('2', '45.50', { vat_category: 'S', vat_rate: '21' })] },
  },
];

const BASE_DOC: Omit<UblDocumentInput, 'totals' | 'lines'> = {
  kind: 'invoice',
  number: 'NL-2025-0001',
  uuid: '00000000-0000-4000-8000-000000000000',
  issue_date: '2025-02-07',
  due_date: '2025-03-09',
  buyer_reference: 'PO-4711',
  payment_means: iban,
  payment_terms: '30 days net',
  seller: DUTCH_SELLER,
  buyer: DUTCH_BUYER,
};

export function peppolScenarioInput(s: PeppolScenario, index: number): UblDocumentInput {
  const totals = computeTotals({ jurisdiction: 'en16931', ...s.totals });
  return {
    ...BASE_DOC,
    number: `${s.doc.kind === 'credit_note' ? 'CN' : 'INV'}-2025-${String(index + 1).padStart(4, '0')}`,
    ...s.doc,
    lines: s.lines ?? s.totals.lines.map((_, i) => ({ name: `Article ${i + 1}` })),
    totals,
  };
}
