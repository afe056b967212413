// The official rules a user can fix, checked before a document is issued: PINT AE 1.0.4 (ibr-…-ae), EN 16931
// (BR-…) and Peppol BIS 3 (PEPPOL-EN16931-…, and the national NL-R / DE-R rules it carries), each under the rule
// id of the official schematron, at the path of the input field to change. Rules on the amounts are the totals
// engine's (computeTotals reports them); rules the builder always satisfies (structure, code lists it writes
// itself) are held by the official validator in the tests, not repeated here.
import {
  EMIRATES,
  PINT_AE_BILLING_FREQUENCIES,
  PINT_AE_COUNTRY,
  UAE_REGISTRATION_TYPES,
} from '@invoiceflow/jurisdictions';
import { isVatCategory, REVERSE_CHARGE, type VatCategory } from '@invoiceflow/totals';
import { UAE_ENDPOINT_SCHEME } from './pint-ae';
import {
  type LegalRegistrationType,
  PINT_AE_CREDIT_REASONS,
  PINT_AE_RCM_TYPES,
  type UblAddress,
  type UblDocumentInput,
  type UblParty,
  type UblProfileName,
} from './types';

export interface UblIssue {
  /** The input field to change, e.g. "seller.address.subdivision", "lines.2.hs_code". */
  path: string;
  /** The official rule id. */
  code: string;
  message: string;
  severity: 'error' | 'warning';
}

/** ibr-128-ae: the emirates' codes. */
/** ibr-005-ae: the frequency of billing of a continuous supply (the UAE profile's table). */
export { PINT_AE_BILLING_FREQUENCIES };

const LEGAL_TYPES: readonly LegalRegistrationType[] = UAE_REGISTRATION_TYPES;
/** ibr-192-ae / BR-61: payment means that are credit transfers, which name the account. */
const CREDIT_TRANSFERS = new Set(['30', '58']);

const NL_LEGAL_SCHEMES = ['0106', '0190'];
const TRN = /^1\d{12}03$/;
const TIN = /^1\d{9}$/;
const blank = (v: string | undefined) => v === undefined || v.trim() === '';

class Issues {
  readonly list: UblIssue[] = [];
  error(path: string, code: string, message: string): void {
    this.list.push({ path, code, message, severity: 'error' });
  }
}

function categoriesOf(input: UblDocumentInput): VatCategory[] {
  const t = input.totals;
  return [
    ...t.lines.map((l) => l.vat_category),
    ...t.allowances_charges.map((ac) => ac.vat_category).filter((c): c is VatCategory => isVatCategory(c)),
  ];
}

function isPositive(amount: string): boolean {
  return /^\+?0*[1-9]|^\+?0*\.\d*[1-9]/.test(amount.trim());
}

function pintAeAddress(
  out: Issues,
  path: string,
  a: UblAddress | undefined,
  code: string,
  whose: string,
): void {
  if (!a) {
    out.error(path, code, `The ${whose} address needs a street, a city and an emirate or region.`);
    return;
  }
  if (blank(a.street)) out.error(`${path}.street`, code, `The ${whose} address needs a street.`);
  if (blank(a.city)) out.error(`${path}.city`, code, `The ${whose} address needs a city.`);
  if (blank(a.subdivision)) {
    out.error(`${path}.subdivision`, code, `The ${whose} address needs its emirate (or region abroad).`);
  } else if (
    a.country === PINT_AE_COUNTRY &&
    !(EMIRATES as readonly string[]).includes(a.subdivision ?? '')
  ) {
    out.error(
      `${path}.subdivision`,
      'ibr-128-ae',
      `A UAE address names its emirate as one of ${EMIRATES.join(', ')}.`,
    );
  }
}

function pintAeLegal(out: Issues, path: string, p: UblParty, role: 'seller' | 'buyer'): void {
  const legal = p.legal_registration;
  if (!legal) return;
  const [typeRule, authorityRule, passportRule] =
    role === 'seller'
      ? ['ibr-173-ae', 'ibr-172-ae', 'ibr-012-ae']
      : ['ibr-183-ae', 'ibr-101-ae', 'ibr-010-ae'];
  if (!legal.type || !LEGAL_TYPES.includes(legal.type)) {
    out.error(
      `${path}.legal_registration.type`,
      typeRule,
      'The legal registration is a trade licence (TL), Emirates ID (EID), passport (PAS) or cabinet decision (CD).',
    );
  } else if (legal.type === 'TL' && blank(legal.authority)) {
    out.error(
      `${path}.legal_registration.authority`,
      authorityRule,
      'A trade licence names its issuing authority.',
    );
  } else if (legal.type === 'PAS' && !/^[A-Z]{2}$/.test(legal.passport_country ?? '')) {
    out.error(
      `${path}.legal_registration.passport_country`,
      passportRule,
      'A passport names its issuing country (ISO 3166-1 alpha-2).',
    );
  }
}

function pintAeIssues(input: UblDocumentInput): UblIssue[] {
  const out = new Issues();
  const flags = input.transaction_flags ?? {};
  const credit = input.kind === 'credit_note';
  const outOfScope = input.out_of_scope === true;
  const { seller, buyer } = input;
  const categories = categoriesOf(input);

  // Seller.
  if (!blank(seller.vat_number) && !TRN.test(seller.vat_number ?? '')) {
    out.error('seller.vat_number', 'ibr-132-ae', 'A TRN is 15 digits, starting with 1 and ending with 03.');
  }
  if (blank(seller.vat_number) && !outOfScope) {
    out.error(
      'seller.vat_number',
      'ibr-134-ae',
      'The seller needs its TRN, except on an out-of-scope document.',
    );
  }
  if (blank(seller.vat_number) && !blank(seller.tax_number) && !TIN.test(seller.tax_number ?? '')) {
    out.error('seller.tax_number', 'ibr-148-ae', 'A TIN is 10 digits, starting with 1.');
  }
  if (seller.endpoint?.scheme === UAE_ENDPOINT_SCHEME && !seller.legal_registration) {
    out.error(
      'seller.legal_registration',
      'ibr-150-ae',
      'The seller needs its legal registration (trade licence, Emirates ID, passport or cabinet decision).',
    );
  }
  pintAeLegal(out, 'seller', seller, 'seller');
  pintAeAddress(out, 'seller.address', seller.address, 'ibr-143-ae', "seller's");

  // Buyer.
  if (
    buyer.address.country === PINT_AE_COUNTRY &&
    !blank(buyer.vat_number) &&
    !TRN.test(buyer.vat_number ?? '')
  ) {
    out.error('buyer.vat_number', 'ibr-132-ae', 'A TRN is 15 digits, starting with 1 and ending with 03.');
  }
  pintAeLegal(out, 'buyer', buyer, 'buyer');
  pintAeAddress(out, 'buyer.address', buyer.address, 'ibr-144-ae', "buyer's");
  const endpoint = buyer.endpoint;
  if (
    endpoint?.scheme === UAE_ENDPOINT_SCHEME &&
    !TIN.test(endpoint.id) &&
    !flags.export &&
    blank(buyer.vat_number) &&
    !buyer.identifier
  ) {
    out.error('buyer.vat_number', 'ibr-135-ae', 'The buyer needs its TRN (or an identifier).');
  }
  if (endpoint?.scheme === UAE_ENDPOINT_SCHEME && !/^[19]/.test(endpoint.id) && blank(buyer.vat_number)) {
    out.error('buyer.vat_number', 'ibr-149-ae', 'The buyer needs its TRN.');
  }
  if (outOfScope && !buyer.legal_registration) {
    out.error(
      'buyer.legal_registration',
      'ibr-136-ae',
      'An out-of-scope document names the buyer’s legal registration.',
    );
  }
  if (categories.includes(REVERSE_CHARGE) && blank(buyer.vat_number)) {
    out.error('buyer.vat_number', 'ibr-103-ae', 'Under the reverse charge the buyer’s TRN is required.');
  }

  // Transaction flags and what each calls for.
  if (flags.free_zone && blank(input.beneficiary_id)) {
    out.error('beneficiary_id', 'ibr-007-ae', 'A free zone supply names the beneficiary.');
  }
  if (flags.disclosed_agent) {
    if (blank(input.principal_id)) {
      out.error('principal_id', 'ibr-137-ae', 'A disclosed agent’s invoice names the principal’s TRN.');
    } else if (input.principal_id === seller.vat_number) {
      out.error('principal_id', 'ibr-176-ae', 'The principal is not the seller itself.');
    }
  }
  if (flags.summary && !input.invoice_period) {
    out.error('invoice_period', 'ibr-138-ae', 'A summary invoice states the period it covers.');
  }
  const deliveryAddress = input.delivery?.address;
  if (flags.ecommerce) {
    pintAeAddress(out, 'delivery.address', deliveryAddress, 'ibr-142-ae', 'delivery');
  }
  if (flags.export && deliveryAddress?.country !== PINT_AE_COUNTRY) {
    pintAeAddress(out, 'delivery.address', deliveryAddress, 'ibr-152-ae', 'delivery');
  }
  if (flags.margin_scheme && categories.some((c) => c !== 'N')) {
    input.totals.lines.forEach((l, i) => {
      if (l.vat_category !== 'N') {
        out.error(
          `lines.${i}.vat_category`,
          'ibr-116-ae',
          'Under the margin scheme every line is category N.',
        );
      }
    });
  }
  if (outOfScope && (flags.summary || flags.deemed_supply || flags.margin_scheme)) {
    out.error(
      'transaction_flags',
      'ibr-157-ae',
      'An out-of-scope document is not a summary invoice, a deemed supply or under the margin scheme.',
    );
  }
  const frequency = input.invoice_period?.frequency;
  if (frequency !== undefined && !(PINT_AE_BILLING_FREQUENCIES as readonly string[]).includes(frequency)) {
    out.error(
      'invoice_period.frequency',
      'ibr-005-ae',
      `The billing frequency is one of ${PINT_AE_BILLING_FREQUENCIES.join(', ')}.`,
    );
  } else if (frequency === 'OTH' && blank(input.note)) {
    out.error('note', 'ibr-160-ae', 'A billing frequency of “other” is described in the note.');
  }

  // Categories by document type.
  if (outOfScope) {
    input.totals.lines.forEach((l, i) => {
      if (!['E', 'O', 'Z'].includes(l.vat_category)) {
        out.error(
          `lines.${i}.vat_category`,
          'ibr-122-ae',
          'An out-of-scope document has only exempt, out-of-scope or zero-rated lines.',
        );
      }
    });
  } else if (categories.length > 0 && categories.every((c) => c === 'E' || c === 'O')) {
    out.error(
      'lines',
      'ibr-151-ae',
      'A tax invoice or credit note has at least one taxable line; use an out-of-scope document otherwise.',
    );
  }

  // Dates, payment.
  if (input.tax_point_date && credit) {
    out.error('tax_point_date', 'ibr-124-ae', 'A credit note has no date of supply.');
  } else if (input.tax_point_date && input.tax_point_date > input.issue_date) {
    out.error('tax_point_date', 'ibr-141-ae', 'The date of supply is not after the issue date.');
  }
  const exemptFromPayment = credit || flags.deemed_supply;
  if (!exemptFromPayment && isPositive(input.totals.totals.payable_amount) && blank(input.due_date)) {
    out.error('due_date', 'ibr-127-ae', 'An invoice with an amount due states its due date.');
  }
  if (!exemptFromPayment && !input.payment_means) {
    out.error('payment_means.code', 'ibr-191-ae', 'An invoice states how it is paid.');
  }
  if (
    input.payment_means &&
    CREDIT_TRANSFERS.has(input.payment_means.code) &&
    blank(input.payment_means.account_id)
  ) {
    out.error(
      'payment_means.account_id',
      'ibr-192-ae',
      'A credit transfer names the account (IBAN) to pay into.',
    );
  }

  // Credit notes.
  if (credit) {
    const code = input.credit_reason?.code;
    if (blank(code)) {
      out.error('credit_reason.code', 'ibr-158-ae', 'A credit note states its reason (DL8.61.1.A–E or VD).');
    } else if (!(PINT_AE_CREDIT_REASONS as readonly string[]).includes(code ?? '')) {
      out.error(
        'credit_reason.code',
        'ibr-001-ae',
        `The reason is one of ${PINT_AE_CREDIT_REASONS.join(', ')}.`,
      );
    }
    const references = input.billing_references ?? [];
    if (code === 'VD' && references.length > 0) {
      out.error(
        'billing_references',
        'ibr-055-ae',
        'A volume discount credit note refers to no single invoice.',
      );
    } else if (code !== 'VD' && references.length === 0) {
      out.error('billing_references', 'ibr-055-ae', 'A credit note names the invoice it corrects.');
    }
  }

  // Items.
  input.lines.forEach((text, i) => {
    const line = input.totals.lines[i];
    const type = text.item_type;
    if ((type === 'goods' || type === 'both') && blank(text.hs_code)) {
      out.error(
        `lines.${i}.hs_code`,
        type === 'goods' ? 'ibr-184-ae' : 'ibr-186-ae',
        'Goods carry their HS code.',
      );
    }
    if ((type === 'services' || type === 'both') && blank(text.service_code)) {
      out.error(
        `lines.${i}.service_code`,
        type === 'services' ? 'ibr-185-ae' : 'ibr-186-ae',
        'Services carry their service accounting code.',
      );
    }
    if (line?.vat_category === REVERSE_CHARGE) {
      if (blank(text.rcm_type)) {
        out.error(
          `lines.${i}.rcm_type`,
          'ibr-166-ae',
          'A reverse-charge line names the type of goods or services under the reverse charge.',
        );
      } else if (!(PINT_AE_RCM_TYPES as readonly string[]).includes(text.rcm_type ?? '')) {
        out.error(`lines.${i}.rcm_type`, 'ibr-006-ae', `The type is one of ${PINT_AE_RCM_TYPES.join(', ')}.`);
      }
      if (text.standard_id?.scheme !== '0160' || blank(text.standard_id.id)) {
        out.error(
          `lines.${i}.standard_id`,
          'ibr-174-ae',
          'A reverse-charge item carries its GTIN (scheme 0160).',
        );
      }
    }
  });
  return out.list;
}

function peppolIssues(input: UblDocumentInput): UblIssue[] {
  const out = new Issues();
  const { seller, buyer } = input;
  const categories = categoriesOf(input);
  const credit = input.kind === 'credit_note';
  if (blank(input.buyer_reference) && blank(input.order_reference)) {
    out.error('buyer_reference', 'PEPPOL-EN16931-R003', 'Give the buyer reference or the order reference.');
  }
  if (!seller.endpoint)
    out.error('seller.endpoint', 'PEPPOL-EN16931-R020', 'The seller needs its Peppol address.');
  if (!buyer.endpoint)
    out.error('buyer.endpoint', 'PEPPOL-EN16931-R010', 'The buyer needs its Peppol address.');
  if (categories.includes('S') && blank(seller.vat_number)) {
    out.error('seller.vat_number', 'BR-S-02', 'A standard-rated invoice names the seller’s VAT number.');
  }
  if (categories.includes(REVERSE_CHARGE)) {
    if (blank(seller.vat_number))
      out.error(
        'seller.vat_number',
        'BR-AE-02',
        'Under the reverse charge the seller’s VAT number is required.',
      );
    if (blank(buyer.vat_number))
      out.error(
        'buyer.vat_number',
        'BR-AE-02',
        'Under the reverse charge the buyer’s VAT number is required.',
      );
  }
  if (categories.includes('K')) {
    if (blank(seller.vat_number))
      out.error('seller.vat_number', 'BR-IC-02', 'An intra-community supply names the seller’s VAT number.');
    if (blank(buyer.vat_number))
      out.error('buyer.vat_number', 'BR-IC-02', 'An intra-community supply names the buyer’s VAT number.');
    if (blank(input.delivery?.date) && !input.invoice_period) {
      out.error(
        'delivery.date',
        'BR-IC-11',
        'An intra-community supply states the delivery date or the invoicing period.',
      );
    }
    if (!input.delivery?.address) {
      out.error(
        'delivery.address',
        'BR-IC-12',
        'An intra-community supply states the country it is delivered to.',
      );
    }
  }
  if (
    input.payment_means &&
    CREDIT_TRANSFERS.has(input.payment_means.code) &&
    blank(input.payment_means.account_id)
  ) {
    out.error('payment_means.account_id', 'BR-61', 'A credit transfer names the account (IBAN) to pay into.');
  }
  // The Dutch and German rules Peppol BIS 3 applies to sellers there.
  if (seller.address.country === 'NL') {
    if (credit && (input.billing_references ?? []).length === 0) {
      out.error('billing_references', 'NL-R-001', 'A Dutch credit note names the invoice it corrects.');
    }
    for (const field of ['street', 'city', 'postal_code'] as const) {
      if (blank(seller.address[field])) {
        out.error(
          `seller.address.${field}`,
          'NL-R-002',
          'A Dutch seller’s address has a street, a city and a postcode.',
        );
      }
    }
    // NL-R-003 / NL-R-005: a legal registration, when given, is a KVK (0106) or OIN (0190) number.
    if (seller.legal_registration && !NL_LEGAL_SCHEMES.includes(seller.legal_registration.scheme ?? '')) {
      out.error(
        'seller.legal_registration.scheme',
        'NL-R-003',
        'A Dutch seller is identified by its KVK (0106) or OIN (0190) number.',
      );
    }
    if (buyer.address.country === 'NL') {
      for (const field of ['street', 'city', 'postal_code'] as const) {
        if (blank(buyer.address[field])) {
          out.error(
            `buyer.address.${field}`,
            'NL-R-004',
            'A Dutch buyer’s address has a street, a city and a postcode.',
          );
        }
      }
      if (buyer.legal_registration && !NL_LEGAL_SCHEMES.includes(buyer.legal_registration.scheme ?? '')) {
        out.error(
          'buyer.legal_registration.scheme',
          'NL-R-005',
          'A Dutch buyer is identified by its KVK (0106) or OIN (0190) number.',
        );
      }
    }
    if (!credit && !input.payment_means) {
      out.error('payment_means.code', 'NL-R-007', 'A Dutch seller states how it is paid.');
    }
  }
  if (seller.address.country === 'DE' && buyer.address.country === 'DE') {
    if (!input.payment_means)
      out.error(
        'payment_means.code',
        'DE-R-001',
        'Between German parties the invoice states how it is paid.',
      );
    if (!seller.contact)
      out.error('seller.contact', 'DE-R-002', 'Between German parties the seller names a contact.');
    if (blank(seller.address.city))
      out.error('seller.address.city', 'DE-R-003', 'Between German parties the seller’s city is required.');
    if (blank(seller.address.postal_code))
      out.error(
        'seller.address.postal_code',
        'DE-R-004',
        'Between German parties the seller’s postcode is required.',
      );
  }
  return out.list;
}

/** What the user must fix before the document can be issued under the profile (empty: none). */
export function ublIssues(profile: UblProfileName, input: UblDocumentInput): UblIssue[] {
  return profile === 'pint-ae' ? pintAeIssues(input) : peppolIssues(input);
}
