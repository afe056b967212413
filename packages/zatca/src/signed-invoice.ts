// Build + hash + sign + QR in one pass for invoices built here. The builder's output is canonical, so the hash is
// SHA-256 of a string and no DOM is parsed (the generic signInvoice parses; both give the same bytes).
import { sha256Base64 } from './invoice-hash';
import { prepareSigner, type SigningKeys } from './keys';
import { buildQrPayload } from './qr';
import {
  buildUblExtensions,
  formatSigningTime,
  qrReferenceXml,
  type SignedInvoice,
  type SignOptions,
  signInvoiceHash,
} from './signature';
import type { ZatcaInvoiceInput } from './types';
import { renderLocalized } from './types';
import { buildInvoiceParts, canonicalHashInput, XML_DECLARATION } from './xml-builder';

export function buildSignedInvoice(
  input: ZatcaInvoiceInput,
  keys: SigningKeys,
  options: SignOptions = {},
): SignedInvoice {
  const signer = prepareSigner(keys);
  const parts = buildInvoiceParts(input);
  const hash = sha256Base64(canonicalHashInput(parts));
  const signatureValue = signInvoiceHash(hash, signer);
  const t = input.totals.totals;
  const qr = buildQrPayload({
    sellerName: renderLocalized(input.seller.name).trim(),
    vatNumber: input.seller.vat_number,
    timestamp: `${input.issue_date}T${input.issue_time}`,
    totalWithVat: t.tax_inclusive_amount,
    vatTotal: t.tax_amount,
    invoiceHash: hash,
    signature: signatureValue,
    publicKey: signer.publicKeyDer,
    // Tag 9 only for simplified invoices (Security Features standard, Table 3).
    certificateSignature: input.subtype === 'simplified' ? signer.certificateSignature : undefined,
  });
  const xml =
    XML_DECLARATION +
    parts.rootOpen +
    buildUblExtensions(hash, signatureValue, formatSigningTime(options.signingTime), signer) +
    parts.head +
    qrReferenceXml(qr) +
    parts.signature +
    parts.body +
    parts.rootClose;
  return { xml, hash, signatureValue, qr };
}
