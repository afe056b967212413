// The rules on a party (company, customer, an invoice's buyer) that follow from countries: the party's own
// country for its tax id and address, the seller's for what a standard invoice must say about the buyer.
import {
  type AddressInput,
  findProfile,
  type InvoiceSubtype,
  type JurisdictionProfile,
  type PartyIssue,
  type PartyRole,
} from './profiles';

export interface PartyInput {
  country?: string | null;
  vat_number?: string | null;
  address?: AddressInput | null;
}

/** A company's or a customer's tax id and address, by its country's rules; issues in field order. */
export function partyIssues(
  party: PartyInput,
  role: PartyRole,
  options: { requireFullAddress: boolean },
): PartyIssue[] {
  const issues: PartyIssue[] = [];
  const country = party.country ?? party.address?.country;
  const profile = country ? findProfile(country) : undefined;
  if (party.vat_number && profile) {
    const problem = profile.taxIdProblem(party.vat_number);
    if (problem) issues.push({ path: 'vat_number', code: 'VAT_NUMBER_INVALID', message: problem });
  }
  const address = party.address;
  if (!address) return issues;
  if (profile) issues.push(...profile.addressIssues(role, address));
  const subdivision = profile?.subdivisions;
  if (subdivision && options.requireFullAddress && !address[subdivision.field]) {
    issues.push({
      path: `address.${subdivision.field}`,
      code: 'EMIRATE_REQUIRED',
      message: 'Choose the emirate.',
    });
  }
  if (options.requireFullAddress) {
    for (const field of ['street', 'city'] as const) {
      if (!address[field]) issues.push({ path: `address.${field}`, code: 'REQUIRED', message: 'Required.' });
    }
  }
  return issues;
}

export interface BuyerForRules {
  name_en?: string | null;
  vat_number?: string | null;
  /** BT-46: an id beside or instead of the VAT number (national ID, CRN, a foreign tax number…). */
  id_number?: string | null;
  /** Structured, or the seed's one-line text. */
  address?: AddressInput | string | null;
}

/**
 * What the buyer must carry for the document to be issued, with request paths. A standard (B2B) invoice names
 * the buyer (BR-KSA-42 / EN 16931 BR-7) and gives the buyer's address; a Saudi seller's also the buyer's VAT
 * number (B2B means a VAT-registered buyer); a buyer address in a country with address rules follows them
 * (Saudi Arabia: BR-KSA-63, BR-KSA-37, BR-KSA-67). A simplified (B2C) invoice may leave the buyer out.
 * A buyer who is not VAT-registered is identified by another id instead (BR-KSA-81), and an export invoice's
 * buyer abroad has no Saudi VAT number at all (BR-KSA-46): neither needs the VAT number.
 */
export function buyerIssues(
  buyer: BuyerForRules,
  context: {
    seller: JurisdictionProfile;
    subtype: InvoiceSubtype;
    paths: Record<'name' | 'vat_number' | 'address', string>;
    /** KSA-2 position 5: an export invoice. */
    isExport?: boolean;
  },
): PartyIssue[] {
  const issues: PartyIssue[] = [];
  const { paths, seller } = context;
  const address = buyer.address;
  const country = typeof address === 'object' && address ? address.country : seller.country;
  const buyerProfile = country ? findProfile(country) : undefined;
  if (buyer.vat_number && buyerProfile) {
    const problem = buyerProfile.taxIdProblem(buyer.vat_number);
    if (problem) issues.push({ path: paths.vat_number, code: 'VAT_NUMBER_INVALID', message: problem });
  }
  if (context.subtype !== 'standard') return issues;
  if (!buyer.name_en?.trim()) {
    issues.push({
      path: paths.name,
      code: seller.buyerNameRequiredCode,
      message: 'A standard tax invoice names the buyer.',
    });
  }
  if (seller.isBuyerTaxIdRequired && !buyer.vat_number && !buyer.id_number?.trim() && !context.isExport) {
    issues.push({
      path: paths.vat_number,
      code: 'BUYER_VAT_NUMBER_REQUIRED',
      message:
        "A standard (B2B) tax invoice needs the buyer's VAT number, or another buyer ID (scheme and number) " +
        'for a buyer who is not VAT-registered; issue a simplified invoice to a consumer.',
    });
  }
  if (!address || (typeof address === 'string' && !address.trim())) {
    issues.push({
      path: paths.address,
      code: 'BUYER_ADDRESS_REQUIRED',
      message: "A standard tax invoice needs the buyer's address.",
    });
  } else if (typeof address === 'object' && buyerProfile && address.country) {
    for (const issue of buyerProfile.standardBuyerAddressIssues(address)) {
      // The profile's paths start at the party ("address.street"); the request names the address its own way.
      issues.push({ ...issue, path: `${paths.address}${issue.path.slice('address'.length)}` });
    }
  }
  return issues;
}
