// From the frozen snapshot to the UBL profiles' input, and which profile an invoice is issued under:
// PINT AE for a company whose profile lists it (the UAE); Peppol BIS Billing 3.0 for a company of the generic
// profile when both it and the customer have a Peppol address (without one the document could reach nobody);
// none otherwise (Saudi companies issue ZATCA's document, modules/zatca).
import type { InvoiceSnapshot, PostalAddress, SnapshotLine } from '@invoiceflow/db/schema';
import { findProfile } from '@invoiceflow/jurisdictions';
import {
  type LegalRegistrationType,
  PINT_AE_RESERVED_ENDPOINTS,
  UAE_ENDPOINT_SCHEME,
  type UblAddress,
  type UblDocumentInput,
  type UblEndpoint,
  type UblLineText,
  type UblParty,
  type UblProfileName,
  uaeTinOf,
} from '@invoiceflow/ubl';

const GTIN_SCHEME = '0160';
const LEGAL_TYPES: readonly string[] = ['TL', 'EID', 'PAS', 'CD'] satisfies LegalRegistrationType[];

export function ublProfileOf(
  snapshot: Pick<InvoiceSnapshot, 'seller' | 'buyer'>,
): UblProfileName | undefined {
  const formats = findProfile(snapshot.seller.country)?.einvoiceFormats ?? [];
  if (formats.includes('pint-ae')) return 'pint-ae';
  if (formats.includes('peppol-bis-3') && snapshot.seller.peppol_endpoint && snapshot.buyer.peppol_endpoint) {
    return 'peppol-bis-3';
  }
  return undefined;
}

function addressOf(address: PostalAddress | string | null, fallbackCountry: string): UblAddress {
  if (address === null) return { country: fallbackCountry };
  // A one-line address (the seed's text) is its street line; the country is the seller's.
  if (typeof address === 'string') return { street: address, country: fallbackCountry };
  return {
    street: address.street,
    city: address.city,
    postal_code: address.postal_code,
    subdivision: address.emirate ?? address.region,
    country: address.country,
  };
}

/** 0235 and the TIN for a UAE party with a TRN; otherwise what the record says. */
function endpointOf(
  profile: UblProfileName,
  given: UblEndpoint | undefined,
  vatNumber: string | null,
): UblEndpoint | undefined {
  if (given) return given;
  if (profile === 'pint-ae' && vatNumber) return { scheme: UAE_ENDPOINT_SCHEME, id: uaeTinOf(vatNumber) };
  return undefined;
}

/** A snapshot line's item: its texts and classification (PINT AE BTAE-13, IBT-158, BTAE-17, BTAE-09, IBT-157). */
function lineTextOf(line: SnapshotLine, index: number): UblLineText {
  return {
    name: line.description ?? `Line ${index + 1}`,
    ...(line.item_type ? { item_type: line.item_type } : {}),
    ...(line.hs_code ? { hs_code: line.hs_code } : {}),
    ...(line.service_code ? { service_code: line.service_code } : {}),
    ...(line.rcm_type ? { rcm_type: line.rcm_type } : {}),
    // GS1's scheme in ISO 6523 (ibr-174-ae asks a reverse-charge item's GTIN).
    ...(line.gtin ? { standard_id: { id: line.gtin, scheme: GTIN_SCHEME } } : {}),
  };
}

/**
 * Whether the company bills itself on its supplier's behalf (PINT AE self-billing): the customer is then the
 * supplier of the document and the company its buyer.
 */
export function isSelfBilled(profile: UblProfileName, snapshot: Pick<InvoiceSnapshot, 'transaction_flags'>) {
  return profile === 'pint-ae' && snapshot.transaction_flags?.self_billed === true;
}

/** The document's UBL input: every amount from the snapshot's totals, every text from the frozen records. */
export function ublInputOf(
  profile: UblProfileName,
  snapshot: InvoiceSnapshot,
  invoiceId: string,
): UblDocumentInput {
  const { seller, buyer } = snapshot;
  const flags = snapshot.transaction_flags ?? {};
  const isExport = flags.export === true;
  const selfBilled = isSelfBilled(profile, snapshot);
  const buyerEndpoint =
    // PINT AE §1.5.3: a deemed supply is reported under its predefined endpoint, whoever the buyer is.
    (profile === 'pint-ae' && flags.deemed_supply
      ? { scheme: UAE_ENDPOINT_SCHEME, id: PINT_AE_RESERVED_ENDPOINTS.deemed_supply }
      : undefined) ??
    endpointOf(profile, buyer.peppol_endpoint, buyer.vat_number) ??
    (profile === 'pint-ae'
      ? {
          // PINT AE §1.5.3: a buyer off the network is reported under a predefined endpoint.
          scheme: UAE_ENDPOINT_SCHEME,
          id: isExport
            ? PINT_AE_RESERVED_ENDPOINTS.export_off_network
            : PINT_AE_RESERVED_ENDPOINTS.outside_scheme,
        }
      : undefined);
  const buyerLegalType =
    buyer.id_scheme && LEGAL_TYPES.includes(buyer.id_scheme) ? buyer.id_scheme : undefined;
  const sellerLegalType =
    seller.registration_scheme && LEGAL_TYPES.includes(seller.registration_scheme)
      ? (seller.registration_scheme as LegalRegistrationType)
      : undefined;
  const isCredit = snapshot.type === 'credit_note';
  const companyParty: UblParty = {
    name: seller.legal_name_en,
    address: addressOf(seller.address, seller.country),
    ...(seller.vat_number ? { vat_number: seller.vat_number } : {}),
    ...(() => {
      const endpoint = endpointOf(profile, seller.peppol_endpoint, seller.vat_number);
      return endpoint ? { endpoint } : {};
    })(),
    ...(seller.registration_number
      ? {
          legal_registration: {
            id: seller.registration_number,
            ...(profile === 'pint-ae' && sellerLegalType ? { type: sellerLegalType } : {}),
            ...(profile === 'peppol-bis-3' && seller.registration_scheme
              ? { scheme: seller.registration_scheme }
              : {}),
            ...(seller.registration_authority ? { authority: seller.registration_authority } : {}),
          },
        }
      : {}),
  };
  const customerParty: UblParty = {
    name: buyer.name_en,
    address: addressOf(buyer.address, seller.country),
    ...(buyer.vat_number ? { vat_number: buyer.vat_number } : {}),
    ...(buyerEndpoint ? { endpoint: buyerEndpoint } : {}),
    ...(buyerLegalType && buyer.id_number
      ? {
          legal_registration: {
            id: buyer.id_number,
            type: buyerLegalType as LegalRegistrationType,
            ...(buyer.registration_authority ? { authority: buyer.registration_authority } : {}),
          },
        }
      : buyer.id_number
        ? { identifier: { id: buyer.id_number } }
        : {}),
  };
  const period = snapshot.invoice_period;
  const delivery = snapshot.delivery;
  return {
    kind: isCredit ? 'credit_note' : 'invoice',
    ...(selfBilled ? { self_billing: true } : {}),
    number: snapshot.number,
    uuid: invoiceId,
    issue_date: snapshot.issue_date,
    // hh:mm:ss with its offset (ibr-119): the instant of issue, in UTC.
    issue_time: `${snapshot.issued_at.slice(11, 19)}Z`,
    ...(snapshot.due_date && !isCredit && !flags.deemed_supply ? { due_date: snapshot.due_date } : {}),
    ...(snapshot.notes ? { note: snapshot.notes } : {}),
    // PINT AE ibr-055-ae: a volume discount credits a period's purchases, not one invoice; the product still
    // counts it against the invoice it names.
    ...(snapshot.original_invoice && !(profile === 'pint-ae' && isCredit && snapshot.reason_code === 'VD')
      ? {
          billing_references: [
            { number: snapshot.original_invoice.number, issue_date: snapshot.original_invoice.issue_date },
          ],
        }
      : {}),
    ...(snapshot.buyer_reference ? { buyer_reference: snapshot.buyer_reference } : {}),
    ...(snapshot.order_reference ? { order_reference: snapshot.order_reference } : {}),
    ...(isCredit
      ? {
          credit_reason: {
            ...(snapshot.reason_code ? { code: snapshot.reason_code } : {}),
            ...(snapshot.reason ? { text: snapshot.reason } : {}),
          },
        }
      : {}),
    ...(period
      ? {
          invoice_period: {
            start: period.start_date,
            end: period.end_date,
            ...(period.frequency ? { frequency: period.frequency } : {}),
          },
        }
      : {}),
    ...(profile === 'pint-ae'
      ? {
          transaction_flags: {
            free_zone: flags.free_zone,
            deemed_supply: flags.deemed_supply,
            margin_scheme: flags.margin_scheme,
            summary: flags.summary,
            continuous_supply: flags.continuous_supply,
            disclosed_agent: flags.disclosed_agent,
            ecommerce: flags.ecommerce,
            export: flags.export,
          },
          ...(snapshot.out_of_scope ? { out_of_scope: true } : {}),
          ...(snapshot.beneficiary_id ? { beneficiary_id: snapshot.beneficiary_id } : {}),
          ...(snapshot.principal_id ? { principal_id: snapshot.principal_id } : {}),
        }
      : {}),
    ...(delivery
      ? {
          delivery: {
            ...(delivery.date ? { date: delivery.date } : {}),
            ...(delivery.address ? { address: addressOf(delivery.address, seller.country) } : {}),
          },
        }
      : {}),
    // The invoice's own or the company's default account (invoices/service.ts paymentMeansOf); none otherwise,
    // which PINT AE refuses on an invoice with an amount due (ibr-191-ae) and Peppol BIS 3 allows.
    ...(snapshot.payment_means ? { payment_means: snapshot.payment_means } : {}),
    ...(snapshot.payment_terms ? { payment_terms: snapshot.payment_terms } : {}),
    seller: selfBilled ? customerParty : companyParty,
    buyer: selfBilled ? companyParty : customerParty,
    lines: snapshot.lines.map(lineTextOf),
    totals: snapshot.totals,
  };
}

/** The document's fields the request names otherwise. */
const DOCUMENT_TO_REQUEST: Record<string, string> = {
  'credit_reason.code': 'reason_code',
  billing_references: 'original_invoice_id',
  note: 'notes',
};

/**
 * Where the user fixes what a rule names: the company record for the seller, the customer (or the fields given
 * for a one-off buyer) for the buyer, the request's own fields otherwise.
 */
export function requestPathOf(path: string, byCustomer: boolean, selfBilled = false): string {
  // Self-billing: the document's seller is the customer, its buyer the company.
  if (selfBilled && (path.startsWith('seller.') || path.startsWith('buyer.'))) {
    const swapped = path.startsWith('seller.') ? `buyer.${path.slice(7)}` : `seller.${path.slice(6)}`;
    return requestPathOf(swapped, byCustomer);
  }
  const own = DOCUMENT_TO_REQUEST[path];
  if (own) return own;
  const line = /^lines\.(\d+)\.standard_id$/.exec(path);
  if (line) return `lines.${line[1]}.gtin`;
  if (path.startsWith('invoice_period.')) {
    const field = path.slice('invoice_period.'.length);
    return field === 'start' || field === 'end' ? `invoice_period.${field}_date` : path;
  }
  if (path.startsWith('seller.')) {
    const field = path.slice('seller.'.length);
    if (field.startsWith('address.'))
      return `company.address.${field === 'address.subdivision' ? 'emirate' : field.slice(8)}`;
    if (field.startsWith('legal_registration')) return 'company.registration_number';
    return `company.${field}`;
  }
  if (path.startsWith('buyer.')) {
    if (byCustomer) return 'customer_id';
    const field = path.slice('buyer.'.length);
    if (field.startsWith('address')) return 'customer_address';
    if (field.startsWith('legal_registration')) return 'customer_id_number';
    return `customer_${field}`;
  }
  return path;
}
