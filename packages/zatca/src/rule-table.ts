// Every ZATCA rule the product checks, with the severity ZATCA gives it (the SDK's rule tables: rules-ksa.tsv for
// BR-KSA-*, rules-en.tsv for ZATCA's EN 16931 rules; rule-table.test.ts holds this table to them) and its message
// in Arabic. An error blocks issuing; a warning is returned with the issued invoice and never blocks, as ZATCA
// accepts the document with it. The product's own codes (LINES_REQUIRED, QUANTITY_ZERO, …) are errors.

export type RuleSeverity = 'error' | 'warning';

interface RuleEntry {
  severity: RuleSeverity;
  /** What to fix, in Arabic. */
  ar: string;
}

const error = (ar: string): RuleEntry => ({ severity: 'error', ar });
const warning = (ar: string): RuleEntry => ({ severity: 'warning', ar });

export const ZATCA_RULES: Readonly<Record<string, RuleEntry>> = {
  'BR-05': error('عملة الفاتورة مطلوبة.'),
  'BR-06': warning('اسم البائع مطلوب.'),
  'BR-16': error('يجب أن تحتوي الفاتورة على سطر واحد على الأقل.'),
  'BR-22': error('الكمية مطلوبة.'),
  'BR-25': warning('اسم الصنف مطلوب.'),
  'BR-26': error('سعر الوحدة مطلوب.'),
  'BR-31': error('أدخل مبلغ الخصم أو نسبته.'),
  'BR-32': error('اختر فئة ضريبة القيمة المضافة التي ينتمي إليها هذا الخصم.'),
  'BR-36': warning('أدخل مبلغ الرسوم أو نسبتها.'),
  'BR-37': warning('اختر فئة ضريبة القيمة المضافة التي تنتمي إليها هذه الرسوم.'),
  'BR-41': error('أدخل مبلغ خصم السطر أو نسبته.'),
  'BR-43': warning('أدخل مبلغ رسوم السطر أو نسبتها.'),
  'BR-CL-KSA-14': error('اسم البائع أطول مما يتسع له رمز الاستجابة السريعة (255 بايت على الأكثر).'),
  'BR-CUSTOM-VALIDATION-01': error('لا يجوز أن يكون الرقم الضريبي للمشتري هو الرقم الضريبي للبائع.'),
  'BR-DEC-01': warning('عدد الخانات العشرية في مبلغ الخصم أكثر مما تسمح به العملة.'),
  'BR-DEC-05': warning('عدد الخانات العشرية في مبلغ الرسوم أكثر مما تسمح به العملة.'),
  'BR-DEC-16': warning('عدد الخانات العشرية في المبلغ المدفوع مسبقاً أكثر مما تسمح به العملة.'),
  'BR-DEC-17': warning('عدد الخانات العشرية في مبلغ التقريب أكثر مما تسمح به العملة.'),
  'BR-DEC-24': warning('عدد الخانات العشرية في مبلغ خصم السطر أكثر مما تسمح به العملة.'),
  'BR-DEC-27': warning('عدد الخانات العشرية في مبلغ رسوم السطر أكثر مما تسمح به العملة.'),
  'BR-E-05': error('نسبة الضريبة للتوريدات المعفاة صفر.'),
  'BR-E-06': error('نسبة الضريبة للخصم على التوريدات المعفاة صفر.'),
  'BR-E-07': error('نسبة الضريبة للرسوم على التوريدات المعفاة صفر.'),
  'BR-KSA-03': error('المعرّف الفريد (UUID) يحتوي على أحرف وأرقام وشرطات فقط.'),
  'BR-KSA-04': error('لا يجوز أن يكون تاريخ الإصدار في المستقبل.'),
  'BR-KSA-07': error('لا يجوز أن تكون فاتورة التصدير فاتورة فوترة ذاتية.'),
  'BR-KSA-08': warning('أدخل رقم السجل التجاري للبائع (أو معرّفاً آخر: MOM أو MLS أو SAG أو OTH أو 700).'),
  'BR-KSA-09': warning('عنوان البائع يحتاج إلى الشارع ورقم المبنى والحي والمدينة والرمز البريدي.'),
  'BR-KSA-10': warning('عنوان المشتري خارج المملكة يحتاج إلى الشارع والمدينة.'),
  'BR-KSA-11': error('نسبة الضريبة للتوريدات غير الخاضعة للضريبة صفر.'),
  'BR-KSA-12': warning('نسبة الضريبة للخصم على التوريدات غير الخاضعة للضريبة صفر.'),
  'BR-KSA-13': warning('نسبة الضريبة للرسوم على التوريدات غير الخاضعة للضريبة صفر.'),
  'BR-KSA-14': error(
    'نوع معرّف المشتري يجب أن يكون أحد: TIN أو CRN أو MOM أو MLS أو 700 أو SAG أو NAT أو GCC أو IQA أو PAS أو OTH.',
  ),
  'BR-KSA-15': warning('الفاتورة الضريبية تذكر تاريخ التوريد.'),
  'BR-KSA-17': error('أدخل سبب إصدار إشعار الدائن أو المدين.'),
  'BR-KSA-18': error('فئة ضريبة القيمة المضافة يجب أن تكون S أو Z أو E أو O.'),
  'BR-KSA-19': warning('الرسوم تحتاج إلى رمز السبب (UNTDID 7161).'),
  'BR-KSA-21': warning('الرسوم تحتاج إلى سبب.'),
  'BR-KSA-23': warning('التوريد المعفى يحتاج إلى رمز سبب الإعفاء.'),
  'BR-KSA-24': warning('التوريد غير الخاضع للضريبة يحتاج إلى رمز السبب.'),
  'BR-KSA-25': warning('فاتورة التعليم أو الرعاية الصحية للمواطن تذكر اسم المشتري.'),
  'BR-KSA-26': warning('تجزئة الفاتورة السابقة يجب أن تكون بترميز base64.'),
  'BR-KSA-31': error('لا يجوز أن تكون الفاتورة المبسطة فاتورة فوترة ذاتية.'),
  'BR-KSA-34': error('عدّاد الفاتورة عدد صحيح غير سالب.'),
  'BR-KSA-35': warning('تاريخ نهاية التوريد يحتاج إلى تاريخ بداية التوريد.'),
  'BR-KSA-36': warning('لا يجوز أن يسبق تاريخ نهاية التوريد تاريخ بدايته.'),
  'BR-KSA-37': warning('رقم المبنى 4 أرقام.'),
  'BR-KSA-39': error('الرقم الضريبي للبائع مطلوب.'),
  'BR-KSA-40': error('الرقم الضريبي للبائع 15 رقماً يبدأ بـ 3 وينتهي بـ 3.'),
  'BR-KSA-42': warning('الفاتورة الضريبية تذكر اسم المشتري.'),
  'BR-KSA-44': error('الرقم الضريبي للمشتري 15 رقماً يبدأ بـ 3 وينتهي بـ 3.'),
  'BR-KSA-49': error('التعليم والرعاية الصحية للمواطن يحتاجان إلى رقم الهوية الوطنية للمشتري (NAT).'),
  'BR-KSA-56': warning('إشعار الدائن أو المدين يشير إلى الفاتورة التي يصححها.'),
  'BR-KSA-63': warning(
    'عنوان المشتري في المملكة يحتاج إلى الشارع ورقم المبنى والحي والمدينة والرمز البريدي.',
  ),
  'BR-KSA-66': warning('الرمز البريدي للبائع 5 أرقام.'),
  'BR-KSA-67': warning('الرمز البريدي للمشتري 5 أرقام.'),
  'BR-KSA-69': warning('التوريد الخاضع لنسبة الصفر يحتاج إلى رمز السبب.'),
  'BR-KSA-70': error('وقت الإصدار بالصيغة hh:mm:ss.'),
  'BR-KSA-71': warning('الفاتورة المبسطة الملخصة تذكر اسم المشتري.'),
  'BR-KSA-72': error('الفاتورة المبسطة الملخصة تذكر تاريخ بداية التوريد ونهايته.'),
  'BR-KSA-73': warning('سطر الدفعة المقدمة يذكر رقم فاتورة الدفعة المقدمة ومعرّفها وتاريخها.'),
  'BR-KSA-75': warning('أدخل المبلغ الخاضع للضريبة المدفوع مسبقاً.'),
  'BR-KSA-76': warning('نسبة الضريبة للدفعة المقدمة الخاضعة لنسبة الصفر صفر.'),
  'BR-KSA-77': warning('نسبة الضريبة للدفعة المقدمة المعفاة صفر.'),
  'BR-KSA-78': warning('نسبة الضريبة للدفعة المقدمة غير الخاضعة للضريبة صفر.'),
  'BR-KSA-79': warning('ضريبة الدفعة المقدمة لا تساوي المبلغ الخاضع للضريبة مضروباً في النسبة.'),
  'BR-KSA-81': warning('المشتري بلا رقم ضريبي يحتاج إلى معرّف آخر (سجل تجاري أو هوية وطنية أو غيرهما).'),
  'BR-KSA-82': error('سطر الدفعة المقدمة سعره وخصوماته وصافي مبلغه صفر.'),
  'BR-KSA-83': warning('أدخل نص سبب الإعفاء كما ورد في الجدول الرسمي.'),
  'BR-KSA-84': error('نسبة الضريبة الأساسية 15 أو 5 بالمئة.'),
  'BR-KSA-90': error('سعر الصرف 14 رقماً على الأكثر.'),
  'BR-KSA-97': warning('الفاتورة بعملة أجنبية تذكر إجمالي الضريبة بالريال (سعر الصرف).'),
  'BR-KSA-CL-01': error('العملة رمز ISO 4217.'),
  'BR-KSA-CL-04': warning('رمز سبب الإعفاء ليس من الجدول الرسمي لهذه الفئة.'),
  'BR-KSA-CL-07': warning('رمز سبب الإعفاء للدفعة المقدمة ليس من الجدول الرسمي لهذه الفئة.'),
  'BR-KSA-CL-06': warning('رمز سبب الرسوم ليس من قائمة UNTDID 7161.'),
  'BR-KSA-DEC-01': error('النسبة المئوية بخانتين عشريتين على الأكثر.'),
  'BR-KSA-DEC-02': error('نسبة الضريبة من 0 إلى 100 بخانتين عشريتين على الأكثر.'),
  'BR-KSA-DEC-06': warning('مبالغ الدفعة المقدمة بخانتين عشريتين على الأكثر.'),
  'BR-KSA-EN16931-02': error('عملة المحاسبة الضريبية هي الريال السعودي.'),
  'BR-KSA-EN16931-03': warning('المبلغ لا يساوي المبلغ الأساسي مضروباً في النسبة.'),
  'BR-KSA-EN16931-12': error('كمية أساس السعر أكبر من صفر.'),
  'BR-KSA-F-01': error('التاريخ بالصيغة YYYY-MM-DD.'),
  'BR-KSA-F-04': error('لا يجوز أن تكون الكمية سالبة.'),
  'BR-S-05': warning('نسبة الضريبة الأساسية أكبر من صفر.'),
  'BR-S-10': warning('التوريد الخاضع للنسبة الأساسية لا يحمل سبب إعفاء.'),
  'BR-Z-05': error('نسبة الضريبة للتوريدات الخاضعة لنسبة الصفر صفر.'),
  'BR-Z-06': error('نسبة الضريبة للخصم على التوريدات الخاضعة لنسبة الصفر صفر.'),
  'BR-Z-07': error('نسبة الضريبة للرسوم على التوريدات الخاضعة لنسبة الصفر صفر.'),
};

/**
 * Arabic for the product's own codes, and the other regimes' rule ids, that a person can meet while issuing (in the
 * API's answers and in the web editor, which reads this table).
 */
const PRODUCT_CODES_AR: Readonly<Record<string, string>> = {
  LINES_REQUIRED: 'أضف سطراً واحداً على الأقل.',
  INVALID_NUMBER: 'أدخل رقماً.',
  QUANTITY_ZERO: 'الكمية أكبر من صفر.',
  QUANTITY_TOO_MANY_DECIMALS: 'الكمية بست خانات عشرية على الأكثر.',
  PRICE_TOO_MANY_DECIMALS: 'السعر بست خانات عشرية على الأكثر.',
  AMOUNT_NEGATIVE: 'لا يجوز أن يكون المبلغ سالباً.',
  AMOUNT_TOO_MANY_DECIMALS: 'عدد الخانات العشرية أكثر مما تسمح به العملة.',
  ALLOWANCE_CHARGE_NEGATIVE: 'أدخل مبلغاً موجباً.',
  ALLOWANCE_EXCEEDS_BASE: 'الخصم أكبر من المبلغ الذي يخصم منه.',
  VAT_CATEGORY_UNKNOWN: 'فئة ضريبة غير معروفة.',
  VAT_CATEGORY_NOT_ALLOWED: 'هذه الفئة الضريبية غير مستخدمة هنا.',
  VAT_RATE_NOT_ALLOWED: 'هذه النسبة غير مسموح بها لهذه الفئة.',
  EXEMPTION_REASON_CONFLICT: 'لكل فئة ضريبية سبب إعفاء واحد في الفاتورة.',
  EXCHANGE_RATE_REQUIRED: 'أدخل سعر الصرف إلى الريال السعودي.',
  EXCHANGE_RATE_INVALID: 'سعر الصرف أكبر من صفر.',
  CURRENCY_INVALID: 'العملة رمز ISO 4217 مثل SAR.',
  CURRENCY_MISMATCH: 'الإشعار بعملة فاتورته.',
  SUBTYPE_MISMATCH: 'الإشعار من نوع فاتورته نفسه.',
  ORIGINAL_INVOICE_REQUIRED: 'اختر الفاتورة التي يصححها الإشعار.',
  ORIGINAL_NOT_FOUND: 'لا توجد فاتورة صادرة بهذا المعرّف.',
  NOT_ALLOWED: 'هذا الحقل غير مسموح به هنا.',
  CUSTOMER_NOT_FOUND: 'لا يوجد عميل بهذا المعرّف.',
  PRODUCT_NOT_FOUND: 'لا يوجد منتج بهذا المعرّف.',
  VAT_NUMBER_INVALID: 'الرقم الضريبي غير صالح.',
  BUYER_VAT_NUMBER_REQUIRED:
    'الفاتورة الضريبية (بين المنشآت) تحتاج إلى الرقم الضريبي للمشتري؛ أصدر فاتورة مبسطة للمستهلك.',
  BUYER_ADDRESS_REQUIRED: 'الفاتورة الضريبية تحتاج إلى عنوان المشتري.',
  DUE_BEFORE_ISSUE: 'لا يجوز أن يسبق تاريخ الاستحقاق تاريخ الإصدار.',
  NOTE_BEFORE_ORIGINAL: 'لا يجوز أن يسبق تاريخ الإشعار تاريخ فاتورته.',
  INVOICE_NUMBER_RESERVED: 'هذه الأرقام للتسلسل التلقائي؛ اترك الرقم فارغاً للحصول على رقم.',
  INVOICE_NUMBER_TAKEN: 'هذا الرقم مستخدم في فاتورة أخرى.',
  JURISDICTION_UNKNOWN: 'اختر SA أو AE أو GENERIC.',
  CREDIT_EXCEEDS_REMAINING: 'إشعار الدائن يتجاوز المتبقي من الفاتورة الأصلية.',
  EXPORT_BUYER_IN_SA: 'فاتورة التصدير لمشترٍ خارج المملكة.',
  QUANTITY_NEGATIVE: 'لا يجوز أن تكون الكمية سالبة.',
  VAT_RATE_REQUIRED: 'أدخل نسبة الضريبة.',
  VAT_RATE_OUT_OF_RANGE: 'النسبة من 0 إلى 100.',
  'BR-27': 'لا يجوز أن يكون السعر سالباً.',
  'ibr-190-ae': 'النسبة الأساسية في الإمارات 5 بالمئة.',
  'ibr-007': 'الفاتورة الضريبية تذكر اسم المشتري.',
  'BR-07': 'الفاتورة تذكر اسم المشتري.',
  // The request's own checks (lib/problem.ts names them from the schema's).
  REQUIRED: 'هذا الحقل مطلوب.',
  INVALID_TYPE: 'نوع القيمة غير صحيح لهذا الحقل.',
  TOO_SMALL: 'القيمة أقصر أو أصغر مما يجب.',
  TOO_BIG: 'القيمة أطول أو أكبر مما يجب.',
  INVALID_FORMAT: 'صيغة القيمة غير صحيحة.',
  INVALID_VALUE: 'القيمة ليست من القيم المسموح بها.',
  UNKNOWN_FIELD: 'حقل غير معروف.',
  INVALID: 'القيمة غير صالحة.',
  CONTROL_CHARACTER: 'احذف محرف التحكم؛ فواصل الأسطر مقبولة في الملاحظات والأوصاف والعناوين فقط.',
  BIDI_CONTROL: 'احذف محرف اتجاه النص من هذا الحقل.',
  INVALID_UNICODE: 'النص يحتوي على محارف غير صالحة.',
  NESTED_TOO_DEEP: 'بنية الطلب متداخلة أكثر مما يجب.',
  NUMBER_OUT_OF_RANGE: 'الرقم خارج النطاق المسموح به؛ أرسله نصاً.',
  NUMBER_TOO_PRECISE: 'الرقم بخانات أكثر مما يُحفظ؛ أرسله نصاً.',
  DRAFT_NOT_FOUND: 'لا توجد مسودة بهذا المعرّف.',
  EGS_UNIT_UNUSABLE: 'وحدة الفوترة المختارة لا يمكنها توقيع الفواتير.',
};

/** Arabic for the problems a person can meet while issuing (the answer's own code, beside its field errors). */
const PROBLEM_CODES_AR: Readonly<Record<string, string>> = {
  VALIDATION_FAILED: 'الطلب غير صالح؛ راجع الأخطاء.',
  MALFORMED_JSON: 'تعذرت قراءة الطلب.',
  INVOICE_INVALID: 'لا يمكن إصدار الفاتورة كما هي؛ راجع الأخطاء.',
  INVOICE_NOT_FOUND: 'الفاتورة غير موجودة.',
  INVOICE_ISSUED: 'لا تُعدَّل الفاتورة الصادرة ولا تُحذف؛ أصدر إشعاراً دائناً لتصحيحها أو إلغائها.',
  INVOICE_NUMBER_TAKEN: 'هذا الرقم مستخدم في فاتورة أخرى.',
  CREDIT_EXCEEDS_REMAINING: 'إشعار الدائن يتجاوز المتبقي من الفاتورة الأصلية.',
  IDEMPOTENCY_KEY_REUSED: 'مفتاح عدم التكرار هذا استُخدم لطلب آخر.',
  IDEMPOTENCY_KEY_IN_PROGRESS: 'طلب بهذا المفتاح ما زال قيد المعالجة؛ أعد المحاولة.',
  COMPANY_NOT_APPROVED: 'لم تُعتمد المنشأة بعد؛ لا يمكن الإصدار قبل اعتمادها.',
  EGS_UNIT_UNUSABLE: 'وحدة الفوترة المختارة لا يمكنها توقيع الفواتير؛ راجع الأخطاء.',
  TOO_MANY_REQUESTS: 'طلبات كثيرة؛ أعد المحاولة لاحقاً.',
  FORBIDDEN: 'دورك لا يسمح بهذا.',
};

/** The severity ZATCA gives a rule; the product's own codes block. */
export function severityOf(code: string): RuleSeverity {
  return ZATCA_RULES[code]?.severity ?? 'error';
}

/** Whether ZATCA only warns about this rule (the invoice is issued, with the warning). */
export function isWarning(code: string): boolean {
  return severityOf(code) === 'warning';
}

/** The Arabic message of a code, where the product has one: the rule's or the product code's. */
export function knownArabicMessage(code: string): string | undefined {
  return ZATCA_RULES[code]?.ar ?? PRODUCT_CODES_AR[code];
}

/** The Arabic message of a code: the rule's, the product code's, or a general one. */
export function arabicMessageOf(code: string): string {
  return knownArabicMessage(code) ?? 'راجع قيمة هذا الحقل.';
}

/** The Arabic of a problem's own code (INVOICE_INVALID, CREDIT_EXCEEDS_REMAINING, …), where it has one. */
export function arabicProblemMessage(code: string): string | undefined {
  return PROBLEM_CODES_AR[code];
}
