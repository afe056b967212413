// The VAT return each country files, as boxes: which box a sale or purchase of a VAT category (and exemption reason,
// and emirate) falls in. The API sums the amounts; the boxes, their names and what goes where live only here.

/** One summed slice of the period: sales (output) or purchases (input) of one VAT category and rate. */
export interface VatReturnSource {
  side: 'output' | 'input';
  /** UNCL 5305: S, Z, E, O, AE, K, G … */
  category: string;
  /** Percent, as a decimal string ("15", "5", "0"). */
  rate: string;
  /** BT-121 of the breakdown (VATEX-…), when the category has one. */
  exemptionReasonCode?: string;
  /** The seller's country subdivision (a UAE company's emirate code), when the form splits by it. */
  subdivision?: string;
}

export interface VatReturnBox {
  box: string;
  side: 'output' | 'input';
  label_en: string;
  label_ar: string;
}

export interface VatReturnForm {
  /** The form, as its authority names it. */
  id: 'zatca-vat-return' | 'fta-vat-201' | 'vat-by-rate';
  name_en: string;
  name_ar: string;
  /** The boxes the form always shows, in its order (a by-rate return has none fixed: it lists what it finds). */
  boxes: readonly VatReturnBox[];
  /** The boxes a slice counts in (none: not part of the return, e.g. out of scope). */
  boxesOf(source: VatReturnSource): readonly VatReturnBox[];
  /** The box that totals the sales and the purchases, where the form has them. */
  totalBoxes?: { output: string; input: string };
}

const box = (b: string, side: 'output' | 'input', label_en: string, label_ar: string): VatReturnBox => ({
  box: b,
  side,
  label_en,
  label_ar,
});

// ZATCA's VAT return (form of the General Authority of Zakat, Tax and Customs), boxes 1–12; 13–16 are the
// computed VAT due, the corrections and credit carried forward (entered by the filer) and the net.
const ZATCA_BOXES = [
  box('1', 'output', 'Standard rated sales', 'المبيعات الخاضعة للنسبة الأساسية'),
  box(
    '2',
    'output',
    'Private healthcare / private education sales to citizens',
    'المبيعات للمواطنين (خدمات صحية خاصة / تعليم أهلي)',
  ),
  box('3', 'output', 'Zero rated domestic sales', 'المبيعات المحلية الخاضعة للنسبة الصفرية'),
  box('4', 'output', 'Exports', 'الصادرات'),
  box('5', 'output', 'Exempt sales', 'المبيعات المعفاة'),
  box('6', 'output', 'Total sales', 'إجمالي المبيعات'),
  box('7', 'input', 'Standard rated domestic purchases', 'المشتريات المحلية الخاضعة للنسبة الأساسية'),
  box(
    '8',
    'input',
    'Imports subject to VAT paid at customs',
    'الاستيرادات الخاضعة للضريبة التي تدفع في الجمارك',
  ),
  box(
    '9',
    'input',
    'Imports subject to VAT accounted for through the reverse charge mechanism',
    'الاستيرادات الخاضعة للضريبة التي تطبق عليها آلية الاحتساب العكسي',
  ),
  box('10', 'input', 'Zero rated purchases', 'المشتريات الخاضعة للنسبة الصفرية'),
  box('11', 'input', 'Exempt purchases', 'المشتريات المعفاة'),
  box('12', 'input', 'Total purchases', 'إجمالي المشتريات'),
] as const;
const zatcaBox = (id: string) => ZATCA_BOXES.find((b) => b.box === id) as VatReturnBox;

/** Zero-rated reasons the return reports apart: private healthcare and education to citizens, exports. */
const ZATCA_CITIZEN_REASONS = new Set(['VATEX-SA-HEA', 'VATEX-SA-EDU']);
const ZATCA_EXPORT_REASONS = new Set(['VATEX-SA-32', 'VATEX-SA-33']);

export const ZATCA_VAT_RETURN: VatReturnForm = {
  id: 'zatca-vat-return',
  name_en: 'VAT return (ZATCA)',
  name_ar: 'إقرار ضريبة القيمة المضافة (هيئة الزكاة والضريبة والجمارك)',
  boxes: ZATCA_BOXES,
  totalBoxes: { output: '6', input: '12' },
  boxesOf({ side, category, exemptionReasonCode = '' }) {
    if (side === 'output') {
      const id =
        category === 'S'
          ? '1'
          : category === 'Z'
            ? ZATCA_CITIZEN_REASONS.has(exemptionReasonCode)
              ? '2'
              : ZATCA_EXPORT_REASONS.has(exemptionReasonCode)
                ? '4'
                : '3'
            : category === 'E'
              ? '5'
              : undefined;
      return id ? [zatcaBox(id), zatcaBox('6')] : [];
    }
    const id =
      category === 'S'
        ? '7'
        : category === 'AE'
          ? '9'
          : category === 'Z'
            ? '10'
            : category === 'E'
              ? '11'
              : undefined;
    return id ? [zatcaBox(id), zatcaBox('12')] : [];
  },
};

// The FTA's VAT 201: standard-rated supplies per emirate of the establishment that makes them (1a–1g), the
// reverse charge reported on both sides (3 and 10), zero-rated and exempt supplies, standard-rated expenses.
const EMIRATE_BOXES: readonly [string, string, string, string][] = [
  ['AUH', '1a', 'Standard rated supplies in Abu Dhabi', 'التوريدات الخاضعة للنسبة الأساسية في أبوظبي'],
  ['DXB', '1b', 'Standard rated supplies in Dubai', 'التوريدات الخاضعة للنسبة الأساسية في دبي'],
  ['SHJ', '1c', 'Standard rated supplies in Sharjah', 'التوريدات الخاضعة للنسبة الأساسية في الشارقة'],
  ['AJM', '1d', 'Standard rated supplies in Ajman', 'التوريدات الخاضعة للنسبة الأساسية في عجمان'],
  [
    'UAQ',
    '1e',
    'Standard rated supplies in Umm Al Quwain',
    'التوريدات الخاضعة للنسبة الأساسية في أم القيوين',
  ],
  [
    'RAK',
    '1f',
    'Standard rated supplies in Ras Al Khaimah',
    'التوريدات الخاضعة للنسبة الأساسية في رأس الخيمة',
  ],
  ['FUJ', '1g', 'Standard rated supplies in Fujairah', 'التوريدات الخاضعة للنسبة الأساسية في الفجيرة'],
];
const FTA_BOXES: readonly VatReturnBox[] = [
  ...EMIRATE_BOXES.map(([, id, en, ar]) => box(id, 'output', en, ar)),
  box(
    '2',
    'output',
    'Tax refunds provided to tourists under the tax refunds for tourists scheme',
    'المبالغ المستردة للسياح بموجب نظام استرداد الضريبة للسياح',
  ),
  box(
    '3',
    'output',
    'Supplies subject to the reverse charge provisions',
    'التوريدات الخاضعة لآلية الاحتساب العكسي',
  ),
  box('4', 'output', 'Zero rated supplies', 'التوريدات الخاضعة للنسبة الصفرية'),
  box('5', 'output', 'Exempt supplies', 'التوريدات المعفاة'),
  box('6', 'output', 'Goods imported into the UAE', 'السلع المستوردة إلى الدولة'),
  box(
    '7',
    'output',
    'Adjustments to goods imported into the UAE',
    'التعديلات على السلع المستوردة إلى الدولة',
  ),
  box('8', 'output', 'Totals (supplies)', 'المجموع (التوريدات)'),
  box('9', 'input', 'Standard rated expenses', 'النفقات الخاضعة للنسبة الأساسية'),
  box(
    '10',
    'input',
    'Supplies subject to the reverse charge provisions',
    'التوريدات الخاضعة لآلية الاحتساب العكسي',
  ),
  box('11', 'input', 'Totals (expenses)', 'المجموع (النفقات)'),
];
const ftaBox = (id: string) => FTA_BOXES.find((b) => b.box === id) as VatReturnBox;

export const FTA_VAT_201: VatReturnForm = {
  id: 'fta-vat-201',
  name_en: 'VAT return (FTA VAT 201)',
  name_ar: 'إقرار ضريبة القيمة المضافة (نموذج 201 للهيئة الاتحادية للضرائب)',
  boxes: FTA_BOXES,
  totalBoxes: { output: '8', input: '11' },
  boxesOf({ side, category, subdivision }) {
    if (side === 'output') {
      // A company without an emirate on file reports its standard-rated supplies in the first box (Abu Dhabi) —
      // never happens for a UAE company, whose address requires one.
      const emirate = EMIRATE_BOXES.find(([code]) => code === subdivision) ?? EMIRATE_BOXES[0];
      const id =
        category === 'S' ? emirate?.[1] : category === 'Z' ? '4' : category === 'E' ? '5' : undefined;
      return id ? [ftaBox(id), ftaBox('8')] : [];
    }
    if (category === 'S') return [ftaBox('9'), ftaBox('11')];
    // A reverse-charged purchase: its VAT is due (box 3, counted in the supplies' total) and recoverable (box 10).
    if (category === 'AE') return [ftaBox('3'), ftaBox('8'), ftaBox('10'), ftaBox('11')];
    return [];
  },
};

/** Elsewhere: output and input VAT per category and rate, the figures any national form is filled from. */
export const VAT_BY_RATE: VatReturnForm = {
  id: 'vat-by-rate',
  name_en: 'VAT by rate',
  name_ar: 'ضريبة القيمة المضافة حسب النسبة',
  boxes: [],
  boxesOf({ side, category, rate }) {
    if (category === 'O') return [];
    const what = side === 'output' ? ['Sales', 'المبيعات'] : ['Purchases', 'المشتريات'];
    return [
      box(
        `${side}-${category}-${rate}`,
        side,
        `${what[0]}, VAT category ${category} at ${rate} %`,
        `${what[1]}، فئة الضريبة ${category} بنسبة ${rate}٪`,
      ),
    ];
  },
};
