// Bilingual labels. Arabic terms follow ZATCA's e-invoicing guidelines and the FTA's wording where they differ
// (UAE: "Tax Invoice" is also فاتورة ضريبية; TRN is رقم التسجيل الضريبي).
import type { InvoicePdfType } from './types';

export interface Bilingual {
  en: string;
  ar: string;
}

export const TITLES: Record<InvoicePdfType, Bilingual> = {
  invoice: { en: 'Invoice', ar: 'فاتورة' },
  tax_invoice: { en: 'Tax Invoice', ar: 'فاتورة ضريبية' },
  simplified_tax_invoice: { en: 'Simplified Tax Invoice', ar: 'فاتورة ضريبية مبسطة' },
  credit_note: { en: 'Credit Note', ar: 'إشعار دائن' },
  debit_note: { en: 'Debit Note', ar: 'إشعار مدين' },
  prepayment: { en: 'Prepayment Invoice', ar: 'فاتورة دفعة مقدمة' },
  quotation: { en: 'Quotation', ar: 'عرض سعر' },
  purchase_order: { en: 'Purchase Order', ar: 'أمر شراء' },
};

export const LABELS = {
  invoiceNumber: { en: 'Invoice number', ar: 'رقم الفاتورة' },
  noteNumber: { en: 'Note number', ar: 'رقم الإشعار' },
  quoteNumber: { en: 'Quotation number', ar: 'رقم عرض السعر' },
  validUntil: { en: 'Valid until', ar: 'صالح حتى' },
  orderNumber: { en: 'Order number', ar: 'رقم أمر الشراء' },
  expectedDate: { en: 'Expected delivery', ar: 'تاريخ التسليم المتوقع' },
  vendor: { en: 'Vendor', ar: 'المورد' },
  issueDate: { en: 'Issue date', ar: 'تاريخ الإصدار' },
  supplyDate: { en: 'Supply date', ar: 'تاريخ التوريد' },
  supplyEndDate: { en: 'Supply end date', ar: 'تاريخ انتهاء التوريد' },
  dueDate: { en: 'Due date', ar: 'تاريخ الاستحقاق' },
  currency: { en: 'Currency', ar: 'العملة' },
  originalInvoice: { en: 'Original invoice', ar: 'الفاتورة الأصلية' },
  reason: { en: 'Reason', ar: 'السبب' },
  seller: { en: 'Seller', ar: 'البائع' },
  buyer: { en: 'Buyer', ar: 'المشتري' },
  vatNumber: { en: 'VAT number', ar: 'الرقم الضريبي' },
  trn: { en: 'TRN', ar: 'رقم التسجيل الضريبي' },
  crn: { en: 'CR number', ar: 'السجل التجاري' },
  address: { en: 'Address', ar: 'العنوان' },
  lineNo: { en: '#', ar: 'م' },
  description: { en: 'Description', ar: 'الوصف' },
  quantity: { en: 'Qty', ar: 'الكمية' },
  unitPrice: { en: 'Unit price', ar: 'سعر الوحدة' },
  taxableAmount: { en: 'Taxable', ar: 'الخاضع للضريبة' },
  vatRate: { en: 'VAT %', ar: 'النسبة' },
  vatAmount: { en: 'VAT', ar: 'الضريبة' },
  lineTotal: { en: 'Total incl. VAT', ar: 'الإجمالي' },
  allowancesCharges: { en: 'Allowances and charges', ar: 'الخصومات والرسوم' },
  allowance: { en: 'Allowance', ar: 'خصم' },
  charge: { en: 'Charge', ar: 'رسوم' },
  vatCategory: { en: 'VAT category', ar: 'فئة الضريبة' },
  amount: { en: 'Amount', ar: 'المبلغ' },
  vatBreakdown: { en: 'VAT breakdown', ar: 'تفاصيل ضريبة القيمة المضافة' },
  category: { en: 'Category', ar: 'الفئة' },
  rate: { en: 'Rate', ar: 'النسبة' },
  taxable: { en: 'Taxable', ar: 'الخاضع للضريبة' },
  subtotal: { en: 'Subtotal', ar: 'المجموع الفرعي' },
  totalAllowances: { en: 'Allowances', ar: 'الخصومات' },
  totalCharges: { en: 'Charges', ar: 'الرسوم' },
  totalTaxable: { en: 'Total excl. VAT', ar: 'الإجمالي قبل الضريبة' },
  totalVat: { en: 'VAT total', ar: 'إجمالي ضريبة القيمة المضافة' },
  totalInclVat: { en: 'Total incl. VAT', ar: 'الإجمالي شامل الضريبة' },
  prepaid: { en: 'Prepaid', ar: 'المبلغ المدفوع مسبقاً' },
  rounding: { en: 'Rounding', ar: 'التقريب' },
  payable: { en: 'Amount due', ar: 'المبلغ المستحق' },
  vatInTaxCurrency: { en: 'VAT in', ar: 'الضريبة بعملة' },
  exchangeRate: { en: 'Exchange rate', ar: 'سعر الصرف' },
  notes: { en: 'Notes', ar: 'ملاحظات' },
  paymentTerms: { en: 'Payment terms', ar: 'شروط الدفع' },
  page: { en: 'Page', ar: 'صفحة' },
  of: { en: 'of', ar: 'من' },
  continued: { en: 'continued', ar: 'تابع' },
  payOnline: { en: 'Pay online', ar: 'ادفع عبر الإنترنت' },
} satisfies Record<string, Bilingual>;

/** UNCL 5305 category names as printed in the VAT breakdown. */
export const VAT_CATEGORY_NAMES: Record<string, Bilingual> = {
  S: { en: 'Standard rate', ar: 'النسبة الأساسية' },
  Z: { en: 'Zero rated', ar: 'نسبة صفرية' },
  E: { en: 'Exempt', ar: 'معفى' },
  O: { en: 'Out of scope', ar: 'خارج نطاق الضريبة' },
  AE: { en: 'Reverse charge', ar: 'احتساب عكسي' },
  K: { en: 'Intra-community supply', ar: 'توريد داخل المجموعة' },
  G: { en: 'Export outside the EU', ar: 'تصدير' },
  L: { en: 'Canary Islands tax', ar: 'ضريبة جزر الكناري' },
  M: { en: 'Ceuta and Melilla tax', ar: 'ضريبة سبتة ومليلية' },
  N: { en: 'Standard rate (N)', ar: 'النسبة الأساسية' },
};
