import type { PostalAddress } from '@invoiceflow/db/schema';
import type { FieldError } from '../../lib/errors';
import { SA_BUILDING_NUMBER_PATTERN, SA_POSTAL_CODE_PATTERN, vatNumberProblem } from '../../lib/tax-ids';

export interface BuyerForRules {
  name_en?: string | null;
  vat_number?: string | null;
  /** Structured, or the seed's one-line text. */
  address?: PostalAddress | string | null;
}

/**
 * What the buyer must carry for the document to be issued, with request paths.
 * A standard (B2B) tax invoice in Saudi Arabia names the buyer (BR-KSA-42), gives the buyer's VAT number
 * (the brief: B2B means a VAT-registered buyer) and address; a Saudi address has a 4-digit building number
 * (BR-KSA-37) and a 5-digit postal code (BR-KSA-66). A simplified (B2C) invoice may leave the buyer out.
 */
export function buyerErrors(
  buyer: BuyerForRules,
  context: {
    sellerCountry: 'SA' | 'AE';
    subtype: 'standard' | 'simplified';
    paths: Record<'name' | 'vat_number' | 'address', string>;
  },
): FieldError[] {
  const errors: FieldError[] = [];
  const { paths } = context;
  const address = buyer.address;
  const country = typeof address === 'object' && address ? address.country : context.sellerCountry;
  if (buyer.vat_number) {
    const problem = vatNumberProblem(country, buyer.vat_number);
    if (problem) errors.push({ path: paths.vat_number, code: 'VAT_NUMBER_INVALID', message: problem });
  }
  if (context.subtype !== 'standard') return errors;
  if (!buyer.name_en?.trim()) {
    errors.push({ path: paths.name, code: 'BR-KSA-42', message: 'A standard tax invoice names the buyer.' });
  }
  if (context.sellerCountry === 'SA' && !buyer.vat_number) {
    errors.push({
      path: paths.vat_number,
      code: 'BUYER_VAT_NUMBER_REQUIRED',
      message:
        "A standard (B2B) tax invoice needs the buyer's VAT number; issue a simplified invoice to a consumer.",
    });
  }
  if (!address || (typeof address === 'string' && !address.trim())) {
    errors.push({
      path: paths.address,
      code: 'BUYER_ADDRESS_REQUIRED',
      message: "A standard tax invoice needs the buyer's address.",
    });
  } else if (typeof address === 'object' && address.country === 'SA') {
    for (const field of ['street', 'city'] as const) {
      if (!address[field]) {
        errors.push({
          path: `${paths.address}.${field}`,
          code: 'BR-KSA-63',
          message: 'Required for a Saudi buyer.',
        });
      }
    }
    if (!address.building_number || !SA_BUILDING_NUMBER_PATTERN.test(address.building_number)) {
      errors.push({
        path: `${paths.address}.building_number`,
        code: 'BR-KSA-37',
        message: 'A Saudi building number has 4 digits.',
      });
    }
    if (!address.postal_code || !SA_POSTAL_CODE_PATTERN.test(address.postal_code)) {
      errors.push({
        path: `${paths.address}.postal_code`,
        code: 'BR-KSA-66',
        message: 'A Saudi postal code has 5 digits.',
      });
    }
  }
  return errors;
}
