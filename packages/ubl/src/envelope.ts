// What a Peppol access point needs besides the document: sender, receiver, document type and process, written as
// the Peppol Policy for use of Identifiers 4.x spells them, read from the document itself.
import type { ReadDocument } from './read';

export interface PeppolEnvelope {
  sender: string;
  receiver: string;
  document_type: string;
  process: string;
}

const PARTICIPANT_SCHEME = 'iso6523-actorid-upis';
const DOCUMENT_TYPE_SCHEME = 'busdox-docid-qns';
const PROCESS_SCHEME = 'cenbii-procid-ubl';

/** Undefined when the document names no endpoint for a party or no customization/profile (it reaches nobody). */
export function peppolEnvelopeOf(document: ReadDocument): PeppolEnvelope | undefined {
  const isSelfBilled = document.customization_id?.includes('selfbilling') ?? false;
  // Self-billing: the buyer issues the document, so it is the sending corner.
  const from = isSelfBilled ? document.buyer.endpoint : document.seller.endpoint;
  const to = isSelfBilled ? document.seller.endpoint : document.buyer.endpoint;
  if (!from?.scheme || !to?.scheme || !document.customization_id || !document.profile_id) return undefined;
  const root =
    document.kind === 'credit_note'
      ? 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote'
      : 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice';
  return {
    sender: `${PARTICIPANT_SCHEME}::${from.scheme}:${from.id}`,
    receiver: `${PARTICIPANT_SCHEME}::${to.scheme}:${to.id}`,
    document_type: `${DOCUMENT_TYPE_SCHEME}::${root}##${document.customization_id}::2.1`,
    process: `${PROCESS_SCHEME}::${document.profile_id}`,
  };
}
