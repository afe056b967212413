// Peppol BIS Billing 3.0 (EN 16931 CIUS): invoices and credit notes for companies under the generic profile.
import type { VatCategory } from '@invoiceflow/totals';
import { buildDocument, type ProfileSpec, type TaxLevel } from './core';
import type { UblDocumentInput, UblLineText, UblParty } from './types';
import { leaf, node } from './xml-writer';

export const PEPPOL_BIS3_IDS = {
  customization: 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0',
  profile: 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0',
} as const;

/** BR-O-05/06/07 and BR-O-11..: "not subject to VAT" carries no rate; every other category states one. */
function writesPercent(category: VatCategory, _level: TaxLevel): boolean {
  return category !== 'O';
}

function itemClassification(text: UblLineText): string {
  return (
    (text.origin_country
      ? node('cac:OriginCountry', leaf('cbc:IdentificationCode', text.origin_country))
      : '') +
    // UNTDID 7143 "HS": the Harmonized System code.
    (text.hs_code
      ? node(
          'cac:CommodityClassification',
          leaf('cbc:ItemClassificationCode', text.hs_code, [['listID', 'HS']]),
        )
      : '')
  );
}

function legalRegistrationAttrs(party: UblParty) {
  const scheme = party.legal_registration?.scheme;
  return scheme ? ([['schemeID', scheme]] as const) : undefined;
}

export const PEPPOL_BIS3_SPEC: ProfileSpec = {
  customizationId: () => PEPPOL_BIS3_IDS.customization,
  profileId: () => PEPPOL_BIS3_IDS.profile,
  writesUuid: false,
  typeCode: (input) => (input.kind === 'credit_note' ? '381' : '380'),
  writesPercent,
  legalRegistrationAttrs,
  itemClassification,
  taxCurrency: (totals) => totals.totals.tax_currency,
  alwaysWritesGrossPrice: false,
  writesLineExemption: false,
  writesExchangeRate: false,
  writesTaxIncludedIndicator: false,
};

export function buildPeppolXml(input: UblDocumentInput): string {
  return buildDocument(PEPPOL_BIS3_SPEC, input);
}
