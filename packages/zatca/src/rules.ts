// Business rules a user can break through data, checked before building (rule ids from the ZATCA XML
// Implementation Standard §9 and the SDK schematron: rules-ksa.tsv, rules-en.tsv). Paths name the field to fix.
import {
  BUYER_ID_SCHEMES as BUYER_SCHEMES,
  nationalAddressIssue,
  SELLER_ID_SCHEMES as SELLER_SCHEMES,
  ZATCA_COUNTRY,
} from '@invoiceflow/jurisdictions';
import {
  CHARGE_REASON_CODES,
  isOfficialExemptionText,
  isSaudiStandardRate,
  SAUDI_EXEMPTION_CODES,
  SAUDI_EXEMPTION_TEXTS,
  SAUDI_STANDARD_RATES,
} from '@invoiceflow/totals';
import type { ZatcaAddress, ZatcaInvoiceInput, ZatcaPartyIdScheme } from './types';
import { renderLocalized } from './types';

export interface Issue {
  path: string;
  code: string;
  message: string;
  /** The message in Arabic, when it says more than the rule's own (rule-table.ts). */
  message_ar?: string;
}

const VAT_NUMBER = /^3\d{13}3$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}:\d{2}Z?$/;

/** §11.2.4: exemption (or exception) reason codes per category (the totals engine's table). */
export const EXEMPTION_REASON_CODES = SAUDI_EXEMPTION_CODES as Record<'E' | 'Z' | 'O', readonly string[]>;

const SELLER_ID_SCHEMES: readonly ZatcaPartyIdScheme[] = SELLER_SCHEMES;
const BUYER_ID_SCHEMES: readonly ZatcaPartyIdScheme[] = BUYER_SCHEMES;

function isValidDate(s: string | undefined): boolean {
  if (!s || !DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function blank(s: string | undefined): boolean {
  return s === undefined || s.trim() === '';
}

function checkAddress(
  issues: Issue[],
  path: string,
  a: ZatcaAddress | undefined,
  codes: { required: string; building: string; postal: string },
  party: 'buyer' | 'seller',
): void {
  if (!a) {
    issues.push({
      path,
      code: codes.required,
      message: `The ${party}'s national address is required: street, building number, district, city and postal code.`,
      message_ar: `العنوان الوطني ${party === 'buyer' ? 'للمشتري' : 'للمنشأة'} مطلوب: الشارع ورقم المبنى والحي والمدينة والرمز البريدي.`,
    });
    return;
  }
  // One issue for the address, naming every missing field (one root cause).
  const incomplete = nationalAddressIssue(a, path, codes.required, party);
  if (incomplete) issues.push(incomplete);
  else if (blank(a.country))
    issues.push({ path: `${path}.country`, code: codes.required, message: 'The country is required.' });
  // BR-KSA-37: building number is 4 digits.
  if (!blank(a.building_number) && !/^\d{4}$/.test(a.building_number ?? '')) {
    issues.push({
      path: `${path}.building_number`,
      code: codes.building,
      message: 'The building number must be 4 digits.',
    });
  }
  // BR-KSA-66 / BR-KSA-67: postal code is 5 digits.
  if (!blank(a.postal_code) && !/^\d{5}$/.test(a.postal_code ?? '')) {
    issues.push({
      path: `${path}.postal_code`,
      code: codes.postal,
      message: 'The postal code must be 5 digits.',
    });
  }
}

export function validateZatcaInvoice(input: ZatcaInvoiceInput, options: { now?: Date } = {}): Issue[] {
  const issues: Issue[] = [];
  const add = (path: string, code: string, message: string) => issues.push({ path, code, message });
  const flags = input.flags ?? {};
  const isStandard = input.subtype === 'standard';
  const isNote = input.type === 'credit_note' || input.type === 'debit_note';

  // Document metadata
  if (!/^[A-Za-z0-9-]+$/.test(input.uuid))
    add('uuid', 'BR-KSA-03', 'The UUID may contain only letters, digits and dashes.');
  if (!isValidDate(input.issue_date)) add('issue_date', 'BR-KSA-F-01', 'The issue date must be YYYY-MM-DD.');
  else if (input.issue_date > (options.now ?? new Date()).toISOString().slice(0, 10)) {
    add('issue_date', 'BR-KSA-04', 'The issue date cannot be in the future.');
  }
  if (!TIME.test(input.issue_time))
    add('issue_time', 'BR-KSA-70', 'The issue time must be hh:mm:ss or hh:mm:ssZ.');
  if (!Number.isInteger(input.counter) || input.counter < 0) {
    add('counter', 'BR-KSA-34', 'The invoice counter must be a non-negative integer.');
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(input.previous_hash)) {
    add('previous_hash', 'BR-KSA-26', 'The previous invoice hash must be base64.');
  }
  if (flags.self_billed && flags.export)
    add('flags.self_billed', 'BR-KSA-07', 'Export invoices cannot be self-billed.');
  if (flags.self_billed && !isStandard)
    add('flags.self_billed', 'BR-KSA-31', 'Simplified invoices cannot be self-billed.');

  // BR-KSA-17 / BR-KSA-56: credit and debit notes state the reason and the invoice they correct.
  if (isNote) {
    if (blank(input.note_reason))
      add('note_reason', 'BR-KSA-17', 'A credit or debit note needs the reason for issuing it.');
    if (!input.billing_references?.some((r) => !blank(r))) {
      add(
        'billing_references',
        'BR-KSA-56',
        'A credit or debit note must reference the invoice it corrects.',
      );
    }
  }

  // Dates of supply
  if (input.supply_date !== undefined && !isValidDate(input.supply_date))
    add('supply_date', 'BR-KSA-F-01', 'The supply date must be YYYY-MM-DD.');
  if (input.supply_end_date !== undefined) {
    if (!isValidDate(input.supply_end_date))
      add('supply_end_date', 'BR-KSA-F-01', 'The supply end date must be YYYY-MM-DD.');
    if (!input.supply_date) add('supply_date', 'BR-KSA-35', 'A supply end date needs a supply date.');
    else if (input.supply_end_date < input.supply_date) {
      add('supply_end_date', 'BR-KSA-36', 'The supply end date must not be before the supply date.');
    }
  }
  if (isStandard && input.type === 'invoice' && !input.supply_date) {
    add('supply_date', 'BR-KSA-15', 'A tax invoice must state the supply date.');
  }
  if (!isStandard && flags.summary) {
    if (!input.supply_date || !input.supply_end_date) {
      add(
        input.supply_date ? 'supply_end_date' : 'supply_date',
        'BR-KSA-72',
        'A simplified summary invoice needs the supply date and end date.',
      );
    }
    if (blank(renderLocalized(input.buyer?.name)))
      add('buyer.name', 'BR-KSA-71', 'A simplified summary invoice needs the buyer name.');
  }

  // Currency
  const t = input.totals.totals;
  if (!/^[A-Z]{3}$/.test(t.currency))
    add('currency', 'BR-KSA-CL-01', 'The currency must be an ISO 4217 code.');
  if ((t.tax_currency ?? 'SAR') !== 'SAR')
    add('tax_currency', 'BR-KSA-EN16931-02', 'The VAT accounting currency must be SAR.');
  if (t.currency !== 'SAR' && !t.tax_amount_in_tax_currency) {
    add(
      'exchange_rate',
      'BR-KSA-97',
      'A foreign-currency invoice needs the VAT total in SAR (exchange rate).',
    );
  }
  if (t.exchange_rate && t.exchange_rate.replace(/[^0-9]/g, '').length > 14) {
    add('exchange_rate', 'BR-KSA-90', 'The exchange rate has at most 14 digits.');
  }

  // Seller
  const s = input.seller;
  if (blank(renderLocalized(s.name))) add('seller.name', 'BR-06', 'The seller name is required.');
  // QR tag 1 carries the name with a one-byte length (Security Features standard §4).
  if (Buffer.byteLength(renderLocalized(s.name), 'utf8') > 255) {
    add('seller.name', 'BR-CL-KSA-14', 'The seller name must fit the QR code: at most 255 bytes in UTF-8.');
  }
  if (blank(s.vat_number)) add('seller.vat_number', 'BR-KSA-39', 'The seller VAT number is required.');
  else if (!VAT_NUMBER.test(s.vat_number)) {
    add(
      'seller.vat_number',
      'BR-KSA-40',
      'The seller VAT number must be 15 digits, starting and ending with 3.',
    );
  }
  if (s.other_id) {
    if (!SELLER_ID_SCHEMES.includes(s.other_id.scheme) || !/^[A-Za-z0-9]+$/.test(s.other_id.value)) {
      add(
        'seller.other_id',
        'BR-KSA-08',
        'The seller ID scheme must be CRN, MOM, MLS, SAG, OTH or 700, with an alphanumeric value.',
      );
    }
  }
  checkAddress(
    issues,
    'seller.address',
    s.address,
    {
      required: 'BR-KSA-09',
      building: 'BR-KSA-37',
      postal: 'BR-KSA-66',
    },
    'seller',
  );

  // Buyer
  const b = input.buyer;
  if (b?.vat_number !== undefined && !blank(b.vat_number)) {
    if (!VAT_NUMBER.test(b.vat_number)) {
      add(
        'buyer.vat_number',
        'BR-KSA-44',
        'The buyer VAT number must be 15 digits, starting and ending with 3.',
      );
    }
    if (b.vat_number === s.vat_number)
      add('buyer.vat_number', 'BR-CUSTOM-VALIDATION-01', 'The buyer VAT number cannot be the seller’s.');
    if (flags.export)
      add('buyer.vat_number', 'BR-KSA-46', 'An export invoice must not carry a buyer VAT number.');
  }
  if (b?.other_id && (!BUYER_ID_SCHEMES.includes(b.other_id.scheme) || blank(b.other_id.value))) {
    add(
      BUYER_ID_SCHEMES.includes(b.other_id.scheme) ? 'buyer.other_id.value' : 'buyer.other_id.scheme',
      'BR-KSA-14',
      'The buyer ID scheme must be one of TIN, CRN, MOM, MLS, 700, SAG, NAT, GCC, IQA, PAS, OTH.',
    );
  }
  // The product's own rule (no ZATCA rule id: the Implementation Standard §5.3 defines an export invoice as one
  // "issued to a foreign buyer"): an export invoice's buyer address is outside Saudi Arabia.
  if (flags.export && b?.address?.country === ZATCA_COUNTRY) {
    add(
      'buyer.address.country',
      'EXPORT_BUYER_IN_SA',
      'An export invoice is to a buyer outside Saudi Arabia.',
    );
  }
  if (isStandard) {
    if (blank(renderLocalized(b?.name)))
      add('buyer.name', 'BR-KSA-42', 'A tax invoice needs the buyer name.');
    if (blank(b?.vat_number) && !b?.other_id) {
      add(
        'buyer.other_id',
        'BR-KSA-81',
        'A buyer without a VAT number needs another identifier (CRN, NAT, …).',
      );
    }
    if (b?.address?.country === ZATCA_COUNTRY || (!b?.address && !flags.export)) {
      checkAddress(
        issues,
        'buyer.address',
        b?.address,
        {
          required: 'BR-KSA-63',
          building: 'BR-KSA-37',
          postal: 'BR-KSA-67',
        },
        'buyer',
      );
    } else if (b?.address) {
      for (const field of ['street', 'city'] as const) {
        if (blank(b.address[field]))
          add(`buyer.address.${field}`, 'BR-KSA-10', `${field} is required for a foreign buyer.`);
      }
    }
  }

  // Lines and VAT categories
  if (input.lines.length !== input.totals.lines.length) {
    add('lines', 'BR-16', 'Every computed line needs its item name.');
  }
  input.lines.forEach((text, i) => {
    if (blank(renderLocalized(text.name)))
      add(`lines.${i}.description`, 'BR-25', 'The item name is required.');
  });
  input.totals.lines.forEach((line, i) => {
    const cat = line.vat_category;
    if (!['S', 'Z', 'E', 'O'].includes(cat)) {
      add(`lines.${i}.vat_category`, 'BR-KSA-18', 'The VAT category must be S, Z, E or O.');
      return;
    }
    if (cat === 'S' && !isSaudiStandardRate(line.vat_rate))
      add(
        `lines.${i}.vat_rate`,
        'BR-KSA-84',
        `The standard VAT rate is ${SAUDI_STANDARD_RATES.join(' or ')} %.`,
      );
    if (cat !== 'S' && Number(line.vat_rate) !== 0)
      add(
        `lines.${i}.vat_rate`,
        cat === 'O' ? 'BR-KSA-11' : `BR-${cat}-05`,
        'This VAT category has a 0 rate.',
      );
    if (cat === 'Z' || cat === 'E' || cat === 'O') {
      const code = line.exemption_reason_code;
      const ruleId = cat === 'Z' ? 'BR-KSA-69' : cat === 'E' ? 'BR-KSA-23' : 'BR-KSA-24';
      if (blank(code))
        add(
          `lines.${i}.exemption_reason_code`,
          ruleId,
          'An exemption (or exception) reason code is required.',
        );
      else if (!EXEMPTION_REASON_CODES[cat].includes(code ?? '')) {
        add(
          `lines.${i}.exemption_reason_code`,
          'BR-KSA-CL-04',
          `Use one of ${EXEMPTION_REASON_CODES[cat].join(', ')}.`,
        );
      }
      // BR-KSA-83: the text is the code's own (§11.2.4); the engine writes it when only the code is given.
      if (!blank(code) && EXEMPTION_REASON_CODES[cat].includes(code ?? '')) {
        if (blank(line.exemption_reason))
          add(`lines.${i}.exemption_reason`, 'BR-KSA-83', 'The exemption reason text is required.');
        else if (!isOfficialExemptionText(code ?? '', line.exemption_reason ?? '')) {
          add(
            `lines.${i}.exemption_reason`,
            'BR-KSA-83',
            `The exemption reason of ${code} is its official text: "${SAUDI_EXEMPTION_TEXTS[code ?? '']}".`,
          );
        }
      }
      // BR-KSA-49 / BR-KSA-25: citizen education and healthcare need the buyer's national ID and name.
      if (code === 'VATEX-SA-EDU' || code === 'VATEX-SA-HEA') {
        if (b?.other_id?.scheme !== 'NAT')
          add('buyer.other_id.scheme', 'BR-KSA-49', 'The buyer national ID (NAT) is required.');
        // BR-KSA-42 asks a standard invoice for the name anyway.
        if (!isStandard && blank(renderLocalized(b?.name)))
          add('buyer.name', 'BR-KSA-25', 'The buyer name is required.');
      }
    }
    if (line.prepayment && !input.lines[i]?.prepayment) {
      add(
        `lines.${i}.prepayment`,
        'BR-KSA-73',
        'A prepayment line needs the prepayment invoice number, UUID and date.',
      );
    }
  });
  input.totals.allowances_charges.forEach((ac, i) => {
    if (ac.is_charge && blank(ac.reason_code))
      add(`allowances_charges.${i}.reason_code`, 'BR-KSA-19', 'A charge needs a reason code (UNTDID 7161).');
    else if (ac.is_charge && !Object.hasOwn(CHARGE_REASON_CODES, ac.reason_code ?? '')) {
      add(
        `allowances_charges.${i}.reason_code`,
        'BR-KSA-CL-06',
        'The charge reason code must be one of the UNTDID 7161 list.',
      );
    }
    // BR-KSA-21 asks a charge for its reason; ZATCA has no rule on an allowance's (EN 16931 BR-33 is not in its set).
    if (ac.is_charge && blank(ac.reason) && blank(ac.reason_code)) {
      add(`allowances_charges.${i}.reason`, 'BR-KSA-21', 'A reason or reason code is required.');
    }
  });
  // Problems the totals engine found carry their own paths.
  for (const e of input.totals.errors) issues.push(e);
  return issues;
}
