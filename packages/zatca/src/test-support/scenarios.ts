// A table of invoices covering the ZATCA matrix: standard/simplified × invoice/credit/debit/prepayment,
// categories S/Z/E/O, line and document allowances and charges, Arabic texts, USD with SAR VAT, rounding stress.
import { computeTotals, type DocumentInput, type LineInput } from '@invoiceflow/totals';
import type { ZatcaBuyer, ZatcaInvoiceInput, ZatcaSeller } from '../types';
import { lineTextsFromDocument } from '../types';

export const SELLER: ZatcaSeller = {
  name: { ar: 'شركة توريد التكنولوجيا بأقصى سرعة المحدودة', en: 'Maximum Speed Tech Supply LTD' },
  vat_number: '399999999900003',
  other_id: { scheme: 'CRN', value: '1010010000' },
  address: {
    street: 'الامير سلطان | Prince Sultan',
    building_number: '2322',
    district: 'المربع | Al-Murabba',
    city: 'الرياض | Riyadh',
    postal_code: '23333',
    country: 'SA',
  },
};

export const BUYER_SA: ZatcaBuyer = {
  name: { ar: 'شركة نماذج فاتورة المحدودة', en: 'Fatoora Samples LTD' },
  vat_number: '399999999800003',
  address: {
    street: 'صلاح الدين | Salah Al-Din',
    building_number: '1111',
    district: 'المروج | Al-Murooj',
    city: 'الرياض | Riyadh',
    postal_code: '12222',
    country: 'SA',
  },
};

export const BUYER_ARABIC: ZatcaBuyer = {
  name: 'مؤسسة النخيل للتجارة',
  vat_number: '300000000000003',
  address: {
    street: 'طريق الملك فهد',
    building_number: '4321',
    district: 'العليا',
    city: 'الرياض',
    postal_code: '12211',
    country: 'SA',
  },
};

export const BUYER_EXPORT: ZatcaBuyer = {
  name: { ar: 'مصنع فلوريدا للحديد', en: 'Florida Steel Factory' },
  other_id: { scheme: 'OTH', value: 'US123456781' },
  address: { street: 'Canadian Street', city: 'Houston', postal_code: '77001', country: 'US' },
};

export interface Scenario {
  name: string;
  meta: Partial<
    Omit<ZatcaInvoiceInput, 'totals' | 'lines' | 'counter' | 'previous_hash' | 'uuid' | 'number'>
  > &
    Pick<ZatcaInvoiceInput, 'type' | 'subtype'>;
  document: DocumentInput;
}

const laptop: LineInput = {
  description: 'Laptop',
  description_ar: 'حاسوب محمول',
  quantity: '1',
  unit_price: '2000',
};
const pens: LineInput = { description: 'Pen', description_ar: 'قلم', quantity: '3', unit_price: '34' };
const book: LineInput = { description: 'Book', description_ar: 'كتاب', quantity: '33', unit_price: '3' };
const medicine: LineInput = {
  description: 'Medicine',
  description_ar: 'دواء',
  quantity: '2',
  unit_price: '45.50',
  vat_category: 'Z',
  exemption_reason_code: 'VATEX-SA-35',
  exemption_reason: 'Medicines and medical equipment',
};
const lifeInsurance: LineInput = {
  description: 'Life insurance premium',
  description_ar: 'قسط تأمين على الحياة',
  quantity: '1',
  unit_price: '1000',
  vat_category: 'E',
  exemption_reason_code: 'VATEX-SA-29-7',
  exemption_reason: 'Life insurance services mentioned in Article 29 of the VAT Regulations',
};
const outOfScope: LineInput = {
  description: 'Government fee',
  description_ar: 'رسوم حكومية',
  quantity: '1',
  unit_price: '250',
  vat_category: 'O',
  exemption_reason_code: 'VATEX-SA-OOS',
  exemption_reason: 'Not subject to VAT',
};

const NOTE = { billing_references: ['INV-0001'], note_reason: 'Goods returned | إرجاع البضاعة' };
const DEBIT = { billing_references: ['INV-0001'], note_reason: 'Price adjustment | تعديل السعر' };
const STD_SUPPLY = { supply_date: '2025-01-15' };

/** 10 lines whose VAT falls on half halalas (net x.x5 × 15 % ends in 5 in the third decimal) + odd precisions. */
function roundingLines(): LineInput[] {
  const out: LineInput[] = [];
  for (let i = 0; i < 10; i++) {
    out.push({
      description: `Item ${i + 1}`,
      description_ar: `صنف ${i + 1}`,
      quantity: ['1.125', '0.333', '2.005', '7.777', '1'][i % 5] as string,
      unit_price: ['0.1000', '1.2345', '3.3333', '0.0700', '0.9900'][i % 5] as string,
    });
  }
  // Exactly half a halala of VAT: 0.10 × 15 % = 0.015, 0.30 × 15 % = 0.045.
  out.push({ description: 'Half halala A', quantity: '1', unit_price: '0.10' });
  out.push({ description: 'Half halala B', quantity: '3', unit_price: '0.10' });
  out.push({ description: 'Half halala C', quantity: '1', unit_price: '0.70' });
  return out;
}

const SA = { jurisdiction: 'zatca' as const };

export const SCENARIOS: Scenario[] = [
  {
    name: 'standard invoice S',
    meta: { type: 'invoice', subtype: 'standard', buyer: BUYER_SA, ...STD_SUPPLY },
    document: { ...SA, lines: [laptop, pens] },
  },
  {
    name: 'simplified invoice S anonymous',
    meta: { type: 'invoice', subtype: 'simplified' },
    document: { ...SA, lines: [book, pens] },
  },
  {
    name: 'standard credit note',
    meta: { type: 'credit_note', subtype: 'standard', buyer: BUYER_SA, ...NOTE, ...STD_SUPPLY },
    document: { ...SA, lines: [pens] },
  },
  {
    name: 'standard debit note',
    meta: { type: 'debit_note', subtype: 'standard', buyer: BUYER_SA, ...DEBIT, ...STD_SUPPLY },
    document: { ...SA, lines: [laptop] },
  },
  {
    name: 'simplified credit note',
    meta: { type: 'credit_note', subtype: 'simplified', ...NOTE },
    document: { ...SA, lines: [book] },
  },
  {
    name: 'simplified debit note',
    meta: { type: 'debit_note', subtype: 'simplified', ...DEBIT },
    document: { ...SA, lines: [pens] },
  },
  {
    name: 'standard Z + S',
    meta: { type: 'invoice', subtype: 'standard', buyer: BUYER_SA, ...STD_SUPPLY },
    document: { ...SA, lines: [medicine, laptop] },
  },
  {
    name: 'standard E + S',
    meta: { type: 'invoice', subtype: 'standard', buyer: BUYER_SA, ...STD_SUPPLY },
    document: { ...SA, lines: [lifeInsurance, laptop] },
  },
  {
    name: 'standard O only',
    meta: { type: 'invoice', subtype: 'standard', buyer: BUYER_SA, ...STD_SUPPLY },
    document: { ...SA, lines: [outOfScope] },
  },
  {
    name: 'simplified Z',
    meta: { type: 'invoice', subtype: 'simplified' },
    document: { ...SA, lines: [medicine, book] },
  },
  {
    name: 'simplified E',
    meta: { type: 'invoice', subtype: 'simplified' },
    document: { ...SA, lines: [lifeInsurance] },
  },
  {
    name: 'simplified O + S',
    meta: { type: 'invoice', subtype: 'simplified' },
    document: { ...SA, lines: [outOfScope, pens] },
  },
  {
    name: 'standard S, Z, E, O together',
    meta: { type: 'invoice', subtype: 'standard', buyer: BUYER_SA, ...STD_SUPPLY },
    document: { ...SA, lines: [laptop, medicine, lifeInsurance, outOfScope] },
  },
  {
    name: 'standard line allowance (percent)',
    meta: { type: 'invoice', subtype: 'standard', buyer: BUYER_SA, ...STD_SUPPLY },
    document: {
      ...SA,
      lines: [
        {
          ...laptop,
          allowances_charges: [{ is_charge: false, percent: '10', reason: 'Discount', reason_code: '95' }],
        },
        pens,
      ],
    },
  },
  {
    name: 'standard line charge',
    meta: { type: 'invoice', subtype: 'standard', buyer: BUYER_SA, ...STD_SUPPLY },
    document: {
      ...SA,
      lines: [
        {
          ...pens,
          allowances_charges: [{ is_charge: true, amount: '5', reason: 'Packing', reason_code: 'ABL' }],
        },
      ],
    },
  },
  {
    name: 'standard document allowance',
    meta: { type: 'invoice', subtype: 'standard', buyer: BUYER_SA, ...STD_SUPPLY },
    document: {
      ...SA,
      lines: [laptop, pens],
      allowances_charges: [
        { is_charge: false, amount: '100', reason: 'Discount', reason_code: '95', vat_category: 'S' },
      ],
    },
  },
  {
    name: 'standard document charge',
    meta: { type: 'invoice', subtype: 'standard', buyer: BUYER_SA, ...STD_SUPPLY },
    document: {
      ...SA,
      lines: [laptop],
      allowances_charges: [
        { is_charge: true, amount: '60', reason: 'Legalisation fee', reason_code: 'LF', vat_category: 'S' },
      ],
    },
  },
  {
    name: 'simplified document allowance + line charge',
    meta: { type: 'invoice', subtype: 'simplified' },
    document: {
      ...SA,
      lines: [
        {
          ...book,
          allowances_charges: [{ is_charge: true, amount: '2.50', reason: 'Packing', reason_code: 'ABL' }],
        },
        pens,
      ],
      allowances_charges: [
        { is_charge: false, percent: '5', reason: 'Loyalty discount', reason_code: '95', vat_category: 'S' },
      ],
    },
  },
  {
    name: 'standard document allowance on Z',
    meta: { type: 'invoice', subtype: 'standard', buyer: BUYER_SA, ...STD_SUPPLY },
    document: {
      ...SA,
      lines: [medicine, laptop],
      allowances_charges: [
        {
          is_charge: false,
          amount: '10',
          reason: 'Discount',
          reason_code: '95',
          vat_category: 'Z',
          vat_rate: '0',
        },
      ],
    },
  },
  {
    name: 'standard Arabic only',
    meta: {
      type: 'invoice',
      subtype: 'standard',
      buyer: BUYER_ARABIC,
      ...STD_SUPPLY,
      notes: [{ text: 'شكراً لتعاملكم معنا', language: 'ar' }],
    },
    document: {
      ...SA,
      lines: [
        { description_ar: 'خدمات استشارية لمدة شهر', quantity: '1', unit_price: '5000' },
        { description_ar: 'تركيب & صيانة <سنوية>', quantity: '2', unit_price: '750.50' },
      ],
    },
  },
  {
    name: 'simplified Arabic only',
    meta: { type: 'invoice', subtype: 'simplified', buyer: { name: 'عميل نقدي' } },
    document: {
      ...SA,
      lines: [
        { description_ar: 'قهوة عربية', quantity: '4', unit_price: '12.50' },
        { description_ar: 'تمر سكري', quantity: '1.5', unit_price: '40' },
      ],
    },
  },
  {
    name: 'standard USD with SAR VAT',
    meta: { type: 'invoice', subtype: 'standard', buyer: BUYER_SA, ...STD_SUPPLY },
    document: { ...SA, currency: 'USD', tax_currency: 'SAR', exchange_rate: '3.75', lines: [laptop, pens] },
  },
  {
    name: 'standard rounding stress',
    meta: { type: 'invoice', subtype: 'standard', buyer: BUYER_SA, ...STD_SUPPLY },
    document: { ...SA, lines: roundingLines() },
  },
  {
    name: 'simplified rounding stress',
    meta: { type: 'invoice', subtype: 'simplified' },
    document: { ...SA, lines: roundingLines() },
  },
  {
    name: 'standard base quantity and 4-decimal price',
    meta: { type: 'invoice', subtype: 'standard', buyer: BUYER_SA, ...STD_SUPPLY },
    document: {
      ...SA,
      lines: [
        { description: 'Screws (per 100)', quantity: '1250', unit_price: '7.4999', base_quantity: '100' },
      ],
    },
  },
  {
    name: 'standard prepayment invoice (386)',
    meta: { type: 'prepayment', subtype: 'standard', buyer: BUYER_SA, ...STD_SUPPLY },
    document: {
      ...SA,
      lines: [
        {
          description: 'Advance for laptop',
          description_ar: 'دفعة مقدمة',
          quantity: '1',
          unit_price: '1000',
        },
      ],
    },
  },
  {
    name: 'standard prepayment adjustment',
    meta: { type: 'invoice', subtype: 'standard', buyer: BUYER_SA, ...STD_SUPPLY },
    document: {
      ...SA,
      lines: [
        laptop,
        {
          description: 'Advance received for laptop',
          description_ar: 'دفعة مقدمة لحاسوب محمول',
          quantity: '0',
          unit_price: '0',
          prepayment: {
            invoice_number: 'PRE-0001',
            uuid: 'a79760f7-2f48-4da9-85a5-40459a147c80',
            issue_date: '2025-01-10',
            issue_time: '12:28:17',
            taxable_amount: '1000',
            vat_amount: '150',
          },
        },
      ],
    },
  },
  {
    name: 'standard export',
    meta: {
      type: 'invoice',
      subtype: 'standard',
      flags: { export: true },
      buyer: BUYER_EXPORT,
      ...STD_SUPPLY,
    },
    document: {
      ...SA,
      lines: [
        {
          description: 'Steel beams',
          description_ar: 'عوارض فولاذية',
          quantity: '10',
          unit_price: '400',
          vat_category: 'Z',
          exemption_reason_code: 'VATEX-SA-32',
          exemption_reason: 'Export of goods',
        },
      ],
    },
  },
  {
    name: 'standard summary',
    meta: {
      type: 'invoice',
      subtype: 'standard',
      flags: { summary: true },
      buyer: BUYER_SA,
      supply_date: '2025-01-01',
      supply_end_date: '2025-01-31',
    },
    document: { ...SA, lines: [laptop, pens] },
  },
  {
    name: 'standard third party',
    meta: {
      type: 'invoice',
      subtype: 'standard',
      flags: { third_party: true },
      buyer: BUYER_SA,
      ...STD_SUPPLY,
    },
    document: { ...SA, lines: [pens] },
  },
  {
    name: 'simplified nominal supply',
    meta: { type: 'invoice', subtype: 'simplified', flags: { nominal: true } },
    document: { ...SA, lines: [book] },
  },
  {
    name: 'standard self-billed',
    meta: {
      type: 'invoice',
      subtype: 'standard',
      flags: { self_billed: true },
      buyer: BUYER_SA,
      ...STD_SUPPLY,
    },
    document: { ...SA, lines: [laptop] },
  },
  {
    name: 'standard credit note Z + E',
    meta: { type: 'credit_note', subtype: 'standard', buyer: BUYER_SA, ...NOTE, ...STD_SUPPLY },
    document: { ...SA, lines: [medicine, lifeInsurance] },
  },
  {
    name: 'simplified debit note with document charge',
    meta: { type: 'debit_note', subtype: 'simplified', ...DEBIT },
    document: {
      ...SA,
      lines: [pens],
      allowances_charges: [
        { is_charge: true, amount: '15', reason: 'Delivery', reason_code: 'FC', vat_category: 'S' },
      ],
    },
  },
  {
    name: 'standard payable rounding',
    meta: { type: 'invoice', subtype: 'standard', buyer: BUYER_SA, ...STD_SUPPLY },
    document: {
      ...SA,
      lines: [{ description: 'Laptop', quantity: '1', unit_price: '869.57' }],
      rounding_amount: '-0.01',
    },
  },
];

/** Builds the chain: ICV 1.., each PIH = previous hash (supplied by the caller after signing). */
export function scenarioInput(s: Scenario, index: number, previousHash: string): ZatcaInvoiceInput {
  const totals = computeTotals(s.document);
  if (totals.errors.length > 0) throw new Error(`${s.name}: totals errors ${JSON.stringify(totals.errors)}`);
  const hex = index.toString(16).padStart(12, '0');
  return {
    number: `INV-${String(index + 1).padStart(4, '0')}`,
    uuid: `6f1c2b9e-3d4a-4b5c-8d7e-${hex}`,
    issue_date: '2025-01-15',
    issue_time: `10:${String(index % 60).padStart(2, '0')}:00`,
    counter: index + 1,
    previous_hash: previousHash,
    seller: SELLER,
    totals,
    lines: lineTextsFromDocument(s.document),
    ...s.meta,
  };
}
