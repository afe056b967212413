// From an issued invoice's frozen snapshot (and the TotalsResult inside it) to the ZATCA builder's input. Amounts
// are never recomputed here: the XML carries exactly the totals the invoice was issued with.
import type { PostalAddress, TransactionFlags } from '@invoiceflow/db/schema';
import type { LineInput, TotalsResult } from '@invoiceflow/totals';
import {
  type Issue,
  type LocalizedText,
  lineTextsFromDocument,
  sellerLegalName,
  type ZatcaAddress,
  type ZatcaInvoiceInput,
  type ZatcaPartyId,
  type ZatcaPartyIdScheme,
} from '@invoiceflow/zatca';
import type { FieldError } from '../../lib/errors';

/** What the ZATCA output needs of an invoice snapshot (InvoiceSnapshot in @invoiceflow/db/schema has the full shape). */
export interface ZatcaSourceDocument {
  number: string;
  type: 'invoice' | 'credit_note' | 'debit_note';
  subtype: 'standard' | 'simplified';
  issue_date: string;
  issued_at: string;
  notes: string | null;
  original_invoice: { id: string; number: string; issue_date: string } | null;
  reason: string | null;
  seller: {
    legal_name_en: string;
    legal_name_ar: string | null;
    vat_number: string | null;
    registration_number: string | null;
    registration_scheme?: string | null;
    address: PostalAddress;
  };
  buyer: {
    customer_id: string | null;
    name_en: string;
    name_ar: string | null;
    vat_number: string | null;
    registration_number: string | null;
    id_scheme?: string | null;
    id_number?: string | null;
    address: PostalAddress | string | null;
  };
  transaction_flags?: TransactionFlags;
  lines: LineInput[];
  totals: TotalsResult;
}

export interface ChainPosition {
  uuid: string;
  counter: number;
  previousHash: string;
}

/** KSA-25 is local time in Riyadh (UTC+3, no daylight saving), as the issue date is the Riyadh calendar day. */
export function riyadhTime(instant: Date): string {
  return new Date(instant.getTime() + 3 * 3_600_000).toISOString().slice(11, 19);
}

/** "Now" shifted to Riyadh, for the rule that the issue date is not in the future (BR-KSA-04). */
export function riyadhNow(instant: Date = new Date()): Date {
  return new Date(instant.getTime() + 3 * 3_600_000);
}

const localized = (en: string, ar: string | null | undefined): LocalizedText => (ar ? { ar, en } : en);

function zatcaAddress(address: PostalAddress): ZatcaAddress {
  return {
    street: address.street,
    building_number: address.building_number,
    additional_number: address.additional_number,
    district: address.district,
    city: address.city,
    postal_code: address.postal_code,
    country: address.country,
  };
}

export function zatcaInput(doc: ZatcaSourceDocument, chain: ChainPosition): ZatcaInvoiceInput {
  const isNote = doc.type !== 'invoice';
  const buyer = doc.buyer;
  const buyerId = buyerIdOf(buyer);
  const hasBuyer = buyer.name_en.trim() !== '' || buyer.vat_number !== null || buyerId !== undefined;
  return {
    type: doc.type,
    subtype: doc.subtype,
    ...(doc.transaction_flags ? { flags: doc.transaction_flags } : {}),
    number: doc.number,
    uuid: chain.uuid,
    issue_date: doc.issue_date,
    issue_time: riyadhTime(new Date(doc.issued_at)),
    counter: chain.counter,
    previous_hash: chain.previousHash,
    // KSA-5: the goods or services are supplied on the day of the invoice unless the invoice says otherwise.
    ...(doc.subtype === 'standard' && doc.type === 'invoice' ? { supply_date: doc.issue_date } : {}),
    ...(isNote && doc.original_invoice ? { billing_references: [doc.original_invoice.number] } : {}),
    ...(isNote && doc.reason ? { note_reason: doc.reason } : {}),
    ...(doc.notes ? { notes: [{ text: doc.notes }] } : {}),
    seller: {
      name: sellerLegalName(doc.seller.legal_name_en, doc.seller.legal_name_ar),
      vat_number: doc.seller.vat_number ?? '',
      ...(doc.seller.registration_number
        ? {
            other_id: {
              scheme: (doc.seller.registration_scheme ?? 'CRN') as ZatcaPartyIdScheme,
              value: doc.seller.registration_number,
            },
          }
        : {}),
      address: zatcaAddress(doc.seller.address),
    },
    ...(hasBuyer
      ? {
          buyer: {
            ...(buyer.name_en.trim() !== '' ? { name: localized(buyer.name_en, buyer.name_ar) } : {}),
            ...(buyer.vat_number ? { vat_number: buyer.vat_number } : {}),
            ...(buyerId ? { other_id: buyerId } : {}),
            // A one-line text address (seed 000's shape) is not a national address: left out, and a standard
            // invoice then reports BR-KSA-63 on customer_address.
            ...(buyer.address && typeof buyer.address === 'object'
              ? { address: zatcaAddress(buyer.address) }
              : {}),
          },
        }
      : {}),
    totals: doc.totals,
    lines: lineTextsFromDocument({ lines: doc.lines }),
  };
}

/**
 * BT-46: the buyer's id under its scheme; a buyer without one but with a commercial registration and no VAT
 * number is identified by the CRN (as before buyers had ids of their own).
 */
function buyerIdOf(buyer: ZatcaSourceDocument['buyer']): ZatcaPartyId | undefined {
  if (buyer.id_scheme && buyer.id_number)
    return { scheme: buyer.id_scheme as ZatcaPartyIdScheme, value: buyer.id_number };
  if (buyer.registration_number && !buyer.vat_number)
    return { scheme: 'CRN', value: buyer.registration_number };
  return undefined;
}

/** A ZATCA rule problem as a field error the user can fix: the path names the request field or company setting. */
export function fieldErrorOf(issue: Issue, doc: Pick<ZatcaSourceDocument, 'buyer'>): FieldError {
  const path = requestPath(issue.path, doc);
  if (issue.code === 'BR-KSA-63' && issue.path === 'buyer.address' && typeof doc.buyer.address === 'string') {
    // The request sent an address, as one line of text: say why it does not count.
    return {
      path,
      code: issue.code,
      message:
        'A one-line address cannot be used for a standard invoice to a Saudi buyer: give the national address as street, building number, district, city and postal code.',
      message_ar:
        'لا يصلح عنوان من سطر واحد لفاتورة ضريبية لمشترٍ في المملكة: أدخل العنوان الوطني بالشارع ورقم المبنى والحي والمدينة والرمز البريدي.',
    };
  }
  return {
    path,
    code: issue.code,
    message: issue.message,
    ...(issue.message_ar ? { message_ar: issue.message_ar } : {}),
  };
}

function requestPath(path: string, doc: Pick<ZatcaSourceDocument, 'buyer'>): string {
  const [head, ...rest] = path.split('.');
  const tail = rest.join('.');
  const byCustomer = doc.buyer.customer_id !== null;
  switch (head) {
    case 'seller':
      if (tail === 'name') return 'company.legal_name_en';
      if (tail === 'other_id') return 'company.registration_number';
      return `company.${tail}`;
    case 'buyer':
      if (byCustomer) return `customer_id${tail ? `.${tail}` : ''}`;
      if (tail === 'name') return 'customer_name';
      if (tail === 'vat_number') return 'customer_vat_number';
      if (tail === 'other_id.scheme') return 'customer_id_scheme';
      if (tail === 'other_id' || tail === 'other_id.value') return 'customer_id_number';
      if (tail.startsWith('address')) return `customer_${tail}`;
      return `customer_${tail}`;
    case 'flags':
      return `transaction_flags${tail ? `.${tail}` : ''}`;
    case 'note_reason':
      return 'reason';
    case 'billing_references':
      return 'original_invoice_id';
    case 'supply_date':
    case 'supply_end_date':
      return 'issue_date';
    default:
      return path;
  }
}
