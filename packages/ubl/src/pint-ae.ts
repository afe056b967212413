// PINT AE 1.0.4 (UAE e-invoicing, Peppol PINT with the AE jurisdiction rules): billing and self-billing invoices
// and credit notes, structured as the official examples are.
import { type LineResult, roundMoney, type TotalsResult, type VatCategory } from '@invoiceflow/totals';
import { buildDocument, type ProfileSpec, type TaxLevel } from './core';
import { multiplyDecimals } from './decimal-text';
import { PINT_AE_FLAGS, type UblDocumentInput, type UblLineText, type UblParty } from './types';
import { leaf, node } from './xml-writer';

export const PINT_AE_TAX_CURRENCY = 'AED';

export const PINT_AE_IDS = {
  billing: { customization: 'urn:peppol:pint:billing-1@ae-1', profile: 'urn:peppol:bis:billing' },
  selfBilling: { customization: 'urn:peppol:pint:selfbilling-1@ae-1', profile: 'urn:peppol:bis:selfbilling' },
} as const;

/**
 * IBT-003 codes: 380 tax invoice, 480 out of scope of VAT, 389 self-billed; 381 credit note, 81 for an
 * out-of-scope supply (PINT AE §1.5.4), 261 self-billed.
 */
export function pintAeTypeCode(
  input: Pick<UblDocumentInput, 'kind' | 'self_billing' | 'out_of_scope'>,
): string {
  if (input.kind === 'credit_note') return input.self_billing ? '261' : input.out_of_scope ? '81' : '381';
  if (input.self_billing) return '389';
  return input.out_of_scope ? '480' : '380';
}

/** EAS 0235: a UAE participant is addressed by its TIN. */
export const UAE_ENDPOINT_SCHEME = '0235';

/**
 * PINT AE §1.5.3: the predefined buyer endpoints, for documents only reported to the authority: a deemed supply,
 * an export to a buyer not on Peppol, a buyer outside UAE e-invoicing.
 */
export const PINT_AE_RESERVED_ENDPOINTS = {
  deemed_supply: '9900000097',
  export_off_network: '9900000099',
  outside_scheme: '9900000098',
} as const;

/** The TIN is the first 10 digits of the 15-digit TRN (ibr-132-ae, ibr-148-ae): stored once, as the TRN. */
export function uaeTinOf(trn: string): string {
  return trn.slice(0, 10);
}

/** BTAE-02: "1" or "0" per flag, in the code list's order (ibr-154-ae). */
export function transactionTypeCode(flags: UblDocumentInput['transaction_flags']): string {
  return PINT_AE_FLAGS.map((flag) => (flags?.[flag] ? '1' : '0')).join('');
}

/** BTAE-13 as CommodityCode. */
const ITEM_TYPE_CODES = { goods: 'G', services: 'S', both: 'B' } as const;

/**
 * Which categories carry cbc:Percent: not O anywhere (aligned-ibrp-o-05/06/07, aligned-ibrp-o-11-ae), not E on a
 * line or in the breakdown (aligned-ibrp-e-05, ibr-121-ae) though a document allowance under E states 0
 * (aligned-ibrp-e-06/07, as the official example does).
 */
function writesPercent(category: VatCategory, level: TaxLevel): boolean {
  if (category === 'O') return false;
  if (category === 'E') return level === 'document';
  return true;
}

function itemClassification(text: UblLineText): string {
  const code = text.item_type ? ITEM_TYPE_CODES[text.item_type] : undefined;
  const classification =
    text.rcm_type || code || text.hs_code
      ? node(
          'cac:CommodityClassification',
          (text.rcm_type ? leaf('cbc:NatureCode', text.rcm_type) : '') +
            (code ? leaf('cbc:CommodityCode', code) : '') +
            (text.hs_code ? leaf('cbc:ItemClassificationCode', text.hs_code, [['listID', 'HS']]) : ''),
        )
      : '';
  return (
    // BTAE-17 (ibr-189-ae): the service accounting code, scheme SAC.
    (text.service_code
      ? node('cac:AdditionalItemIdentification', leaf('cbc:ID', text.service_code, [['schemeID', 'SAC']]))
      : '') +
    (text.origin_country
      ? node('cac:OriginCountry', leaf('cbc:IdentificationCode', text.origin_country))
      : '') +
    classification
  );
}

/** BTAE-10 and BTAE-08: the line amount with VAT and the line VAT (ibr-104-ae; none for exempt, ibr-163-ae). */
function lineExtension(line: LineResult, currency: string): string {
  return node(
    'cac:ItemPriceExtension',
    leaf('cbc:Amount', line.amount_with_vat, [['currencyID', currency]]) +
      (line.vat_category === 'E'
        ? ''
        : node('cac:TaxTotal', leaf('cbc:TaxAmount', line.vat_amount, [['currencyID', currency]]))),
  );
}

/** The invoice total with VAT in AED, converted once at document level like the VAT total (ibr-175-ae). */
export function totalWithVatInAed(totals: TotalsResult): string | undefined {
  const t = totals.totals;
  if (t.currency === PINT_AE_TAX_CURRENCY || !t.exchange_rate) return undefined;
  return roundMoney(multiplyDecimals(t.tax_inclusive_amount, t.exchange_rate), PINT_AE_TAX_CURRENCY);
}

function legalRegistrationAttrs(party: UblParty) {
  const legal = party.legal_registration;
  if (!legal?.type) return undefined;
  // BTAE-11/12 (authority of a trade licence) or BTAE-18/19 (a passport's issuing country) in schemeAgencyName.
  const name = legal.type === 'PAS' ? legal.passport_country : legal.authority;
  return [['schemeAgencyID', legal.type], ...(name ? [['schemeAgencyName', name] as const] : [])] as const;
}

export const PINT_AE_SPEC: ProfileSpec = {
  customizationId: (input) =>
    input.self_billing ? PINT_AE_IDS.selfBilling.customization : PINT_AE_IDS.billing.customization,
  profileId: (input) => (input.self_billing ? PINT_AE_IDS.selfBilling.profile : PINT_AE_IDS.billing.profile),
  profileExecutionId: (input) => transactionTypeCode(input.transaction_flags),
  writesUuid: true,
  typeCode: pintAeTypeCode,
  writesPercent,
  additionalReferences: (input) => {
    const aed = totalWithVatInAed(input.totals);
    return aed
      ? node(
          'cac:AdditionalDocumentReference',
          leaf('cbc:ID', PINT_AE_TAX_CURRENCY) +
            leaf('cbc:DocumentTypeCode', 'aedtotal-incl-vat') +
            leaf('cbc:DocumentDescription', `${PINT_AE_TAX_CURRENCY} ${aed}`),
        )
      : '';
  },
  legalRegistrationAttrs,
  lineExtension,
  itemClassification,
  taxCurrency: (totals) => totals.totals.tax_currency ?? PINT_AE_TAX_CURRENCY,
  alwaysWritesGrossPrice: true,
  writesLineExemption: true,
  writesExchangeRate: true,
  writesTaxIncludedIndicator: false,
};

export function buildPintAeXml(input: UblDocumentInput): string {
  return buildDocument(PINT_AE_SPEC, input);
}
