// Sample documents for tests, the benchmark and render-sample.ts. Totals are written by hand (checked below in
// the comments) so these fixtures do not move when the totals engine changes.
import type { LineResult, TotalsResult, VatCategory } from '@invoiceflow/totals';
import type { InvoicePdfInput, PdfLineText } from '../types';

/** ZATCA phase-1 QR: TLV (tag, length, UTF-8 value) for seller, VAT number, timestamp, total, VAT; base64. */
export function zatcaQrPayload(fields: string[], extra: Uint8Array[] = []): string {
  const parts: Buffer[] = [];
  const all: Uint8Array[] = [...fields.map((f) => Buffer.from(f, 'utf8')), ...extra];
  for (const [i, value] of all.entries()) {
    parts.push(Buffer.from([i + 1, value.length]), Buffer.from(value));
  }
  return Buffer.concat(parts).toString('base64');
}

function line(
  index: number,
  quantity: string,
  unitPrice: string,
  net: string,
  vat: string,
  total: string,
  category: VatCategory = 'S',
  rate = '15.00',
  extra: Partial<LineResult> = {},
): LineResult {
  return {
    index,
    quantity,
    unit_code: 'PCE',
    unit_price: unitPrice,
    base_quantity: '1',
    gross_amount: net,
    allowance_total: '0.00',
    charge_total: '0.00',
    net_amount: net,
    vat_category: category,
    vat_rate: rate,
    vat_amount: vat,
    amount_with_vat: total,
    allowances_charges: [],
    ...extra,
  };
}

const SAMPLE_LINES: PdfLineText[] = [
  {
    description: 'Laptop stand, aluminium, adjustable height',
    description_ar: 'حامل حاسوب محمول من الألمنيوم قابل لتعديل الارتفاع',
  },
  {
    description: 'Wireless keyboard and mouse set (Arabic/English layout)',
    description_ar: 'طقم لوحة مفاتيح وفأرة لاسلكية (تخطيط عربي/إنجليزي)',
  },
  {
    description:
      'On-site installation and configuration services by a certified engineer, including cable management',
    description_ar:
      'خدمات التركيب والإعداد في الموقع من قبل مهندس معتمد، بما في ذلك تنظيم الكابلات وتوصيلها بالشبكة',
  },
  { description: 'Annual maintenance contract 2024', description_ar: 'عقد صيانة سنوي لعام 2024' },
  { description: 'Export shipping documentation', description_ar: 'وثائق شحن للتصدير' },
];

// Lines: 300.00 + 540.00 (600.00 less 10 %) + 600.00 + 1200.00 at S 15 %, 250.00 at Z.
// Document allowance 90.00 and charge 50.00 at S: S taxable 2600.00 → VAT 390.00; Z 250.00 → 0.00.
// Tax exclusive 2890.00 − 90.00 + 50.00 = 2850.00; VAT 390.00; inclusive 3240.00; payable 3240.00.
const SAMPLE_TOTALS: TotalsResult = {
  lines: [
    line(1, '2', '150.00', '300.00', '45.00', '345.00'),
    line(2, '5', '120.00', '540.00', '81.00', '621.00', 'S', '15.00', {
      gross_amount: '600.00',
      allowance_total: '60.00',
      allowances_charges: [
        {
          is_charge: false,
          amount: '60.00',
          percent: '10',
          base_amount: '600.00',
          reason: 'Volume discount',
        },
      ],
    }),
    line(3, '3', '200.00', '600.00', '90.00', '690.00', 'S', '15.00', { unit_code: 'HUR' }),
    line(4, '1', '1200.00', '1200.00', '180.00', '1380.00'),
    line(5, '1', '250.00', '250.00', '0.00', '250.00', 'Z', '0.00', {
      exemption_reason_code: 'VATEX-SA-32',
      exemption_reason: 'Export of goods',
    }),
  ],
  allowances_charges: [
    {
      is_charge: false,
      amount: '90.00',
      reason: 'Loyalty discount',
      reason_code: '95',
      vat_category: 'S',
      vat_rate: '15.00',
    },
    {
      is_charge: true,
      amount: '50.00',
      reason: 'Delivery',
      reason_code: 'FC',
      vat_category: 'S',
      vat_rate: '15.00',
    },
  ],
  vat_breakdown: [
    { category: 'S', rate: '15.00', taxable_amount: '2600.00', vat_amount: '390.00' },
    {
      category: 'Z',
      rate: '0.00',
      taxable_amount: '250.00',
      vat_amount: '0.00',
      exemption_reason_code: 'VATEX-SA-32',
      exemption_reason: 'Export of goods',
    },
  ],
  totals: {
    currency: 'SAR',
    line_extension_amount: '2890.00',
    allowance_total_amount: '90.00',
    charge_total_amount: '50.00',
    tax_exclusive_amount: '2850.00',
    tax_amount: '390.00',
    tax_inclusive_amount: '3240.00',
    prepaid_amount: '0.00',
    rounding_amount: '0.00',
    payable_amount: '3240.00',
  },
  errors: [],
};

export const SELLER_NAME_AR = 'شركة نماذج فاتورة المحدودة';
export const BUYER_NAME_AR = 'مؤسسة الأمل التجارية';

export const SAMPLE_XML = `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">
  <cbc:ID xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">SME00010</cbc:ID>
  <!-- Arabic survives byte for byte: ${SELLER_NAME_AR} -->
</Invoice>
`;

export function sampleInvoice(overrides: Partial<InvoicePdfInput> = {}): InvoicePdfInput {
  return {
    type: 'tax_invoice',
    number: 'SME00010',
    issue_date: '2024-03-15',
    issue_time: '10:30:00',
    supply_date: '2024-03-14',
    due_date: '2024-04-14',
    currency: 'SAR',
    seller: {
      name_en: 'Namathij Invoice Company Ltd',
      name_ar: SELLER_NAME_AR,
      vat_number: '399999999900003',
      crn: '1010010000',
      address: {
        street: 'King Fahd Road',
        building_number: '2322',
        district: 'Al Olaya',
        city: 'Riyadh',
        postal_code: '12211',
        country: 'SA',
      },
    },
    buyer: {
      name_en: 'Al Amal Trading Est.',
      name_ar: BUYER_NAME_AR,
      vat_number: '300000000000003',
      crn: '1010020000',
      address: {
        street: 'Prince Sultan Street',
        building_number: '1234',
        district: 'Al Rawdah',
        city: 'Jeddah',
        postal_code: '23434',
        country: 'SA',
      },
    },
    lines: SAMPLE_LINES,
    totals: SAMPLE_TOTALS,
    payment_terms: 'Bank transfer within 30 days to IBAN SA03 8000 0000 6080 1016 7519.',
    payment_terms_ar: 'تحويل بنكي خلال 30 يوماً إلى الحساب SA03 8000 0000 6080 1016 7519.',
    notes: 'Thank you for your business. Goods remain our property until paid in full.',
    notes_ar: 'شكراً لتعاملكم معنا. تبقى البضائع ملكاً لنا حتى السداد الكامل.',
    qr_payload: zatcaQrPayload([
      'Namathij Invoice Company Ltd',
      '399999999900003',
      '2024-03-15T10:30:00Z',
      '3240.00',
      '390.00',
    ]),
    attachments: [
      { name: 'SME00010.xml', content: Buffer.from(SAMPLE_XML, 'utf8'), mime: 'application/xml' },
    ],
    pdfa3: true,
    ...overrides,
  };
}

/** n identical one-line items at 10.00 + 15 % VAT; totals written out from n. */
export function longInvoice(n: number): InvoicePdfInput {
  const lines: PdfLineText[] = [];
  const results: LineResult[] = [];
  for (let i = 1; i <= n; i++) {
    lines.push({ description: `Spare part item ${i} EN`, description_ar: `قطعة غيار رقم ${i}` });
    results.push(line(i, '1', '10.00', '10.00', '1.50', '11.50'));
  }
  // Integer halala, printed as decimal strings.
  const money = (halala: number) => `${Math.floor(halala / 100)}.${String(halala % 100).padStart(2, '0')}`;
  const net = money(n * 1000);
  const vat = money(n * 150);
  const gross = money(n * 1150);
  return sampleInvoice({
    number: 'LONG-0200',
    lines,
    totals: {
      lines: results,
      allowances_charges: [],
      vat_breakdown: [{ category: 'S', rate: '15.00', taxable_amount: net, vat_amount: vat }],
      totals: {
        currency: 'SAR',
        line_extension_amount: net,
        allowance_total_amount: '0.00',
        charge_total_amount: '0.00',
        tax_exclusive_amount: net,
        tax_amount: vat,
        tax_inclusive_amount: gross,
        prepaid_amount: '0.00',
        rounding_amount: '0.00',
        payable_amount: gross,
      },
      errors: [],
    },
  });
}
