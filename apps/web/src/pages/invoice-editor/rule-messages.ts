import type { TotalsIssue } from '@invoiceflow/totals';
import type { Locale } from '../../i18n/catalogs';

// Arabic wording of the engine's most common issues; the engine's own (English) message otherwise. The code
// (official rule id where one exists) is always shown beside it, so a user can look the rule up.
const ARABIC: Record<string, string> = {
  'BR-22': 'أدخل الكمية.',
  'BR-26': 'أدخل سعر الوحدة.',
  'BR-27': 'لا يكون السعر سالبًا.',
  INVALID_NUMBER: 'أدخل رقمًا.',
  QUANTITY_ZERO: 'لا تكون الكمية صفرًا.',
  QUANTITY_NEGATIVE: 'لا تكون الكمية سالبة.',
  'BR-KSA-F-04': 'لا تكون الكمية سالبة.',
  'BR-KSA-84': 'النسبة الأساسية في المملكة ١٥٪.',
  'ibr-190-ae': 'النسبة الأساسية في الإمارات ٥٪.',
  'BR-KSA-69': 'الفئة الصفرية تحتاج رمز سبب الإعفاء من هيئة الزكاة.',
  'BR-KSA-23': 'الفئة المعفاة تحتاج رمز سبب الإعفاء.',
  'BR-KSA-24': 'فئة خارج النطاق تحتاج رمز السبب.',
  'BR-KSA-DEC-01': 'النسبة بين ٠ و١٠٠.',
  ALLOWANCE_EXCEEDS_BASE: 'الخصم أكبر من المبلغ.',
  LINES_REQUIRED: 'أضف بندًا واحدًا على الأقل.',
  VAT_RATE_REQUIRED: 'أدخل نسبة الضريبة.',
  VAT_RATE_OUT_OF_RANGE: 'النسبة بين ٠ و١٠٠.',
  PRICE_TOO_MANY_DECIMALS: 'ست خانات عشرية على الأكثر.',
  QUANTITY_TOO_MANY_DECIMALS: 'ست خانات عشرية على الأكثر.',
  'BR-31': 'أدخل مبلغ الخصم.',
  'BR-36': 'أدخل مبلغ الرسوم.',
};

export function issueMessage(issue: Pick<TotalsIssue, 'code' | 'message'>, locale: Locale): string {
  return (locale === 'ar' && ARABIC[issue.code]) || issue.message;
}
