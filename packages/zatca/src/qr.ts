// QR code (Security Features Implementation Standard §4, KSA-14): TLV, one-byte tag, one-byte length, UTF-8 value,
// base64 of the whole. Tags 1–5 (Phase 1), 6 invoice hash (base64 text), 7 ECDSA signature (base64 text),
// 8 public key (DER SubjectPublicKeyInfo), 9 the CA's signature over the certificate (simplified invoices).
import QRCode from 'qrcode';

export interface QrFields {
  /** 1: seller name (BT-27) */
  sellerName: string;
  /** 2: seller VAT number (BT-31) */
  vatNumber: string;
  /** 3: IssueDate 'T' IssueTime */
  timestamp: string;
  /** 4: invoice total with VAT (BT-112) */
  totalWithVat: string;
  /** 5: VAT total (BT-110) */
  vatTotal: string;
  /** 6: invoice hash, base64 text */
  invoiceHash?: string;
  /** 7: ECDSA signature, base64 text */
  signature?: string;
  /** 8: public key, DER */
  publicKey?: Uint8Array;
  /** 9: certificate signature by the CA, DER (simplified invoices) */
  certificateSignature?: Uint8Array;
}

export type QrTag = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

/** KSA-14 maximum length (BR-CL-KSA-14). */
export const QR_MAX_CHARS = 1000;

/** Encodes TLV fields; values are UTF-8 text or raw bytes. The standard stores the length in one byte. */
export function buildQrTlv(fields: ReadonlyArray<readonly [QrTag, string | Uint8Array]>): Buffer {
  const chunks: Buffer[] = [];
  for (const [tag, value] of fields) {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
    if (bytes.length > 255)
      throw new Error(`QR tag ${tag}: ${bytes.length} bytes exceed the one-byte TLV length`);
    chunks.push(Buffer.from([tag, bytes.length]), bytes);
  }
  return Buffer.concat(chunks);
}

/** The base64 QR payload (KSA-14) from the invoice's fields; tags 6–9 only when given. */
export function buildQrPayload(fields: QrFields): string {
  const tlv: [QrTag, string | Uint8Array][] = [
    [1, fields.sellerName],
    [2, fields.vatNumber],
    [3, fields.timestamp],
    [4, fields.totalWithVat],
    [5, fields.vatTotal],
  ];
  if (fields.invoiceHash !== undefined) tlv.push([6, fields.invoiceHash]);
  if (fields.signature !== undefined) tlv.push([7, fields.signature]);
  if (fields.publicKey !== undefined) tlv.push([8, fields.publicKey]);
  if (fields.certificateSignature !== undefined) tlv.push([9, fields.certificateSignature]);
  return buildQrTlv(tlv).toString('base64');
}

export interface ParsedQr {
  /** Raw bytes per tag. */
  tags: Map<number, Buffer>;
  sellerName?: string;
  vatNumber?: string;
  timestamp?: string;
  totalWithVat?: string;
  vatTotal?: string;
  invoiceHash?: string;
  signature?: string;
  publicKey?: Buffer;
  certificateSignature?: Buffer;
}

export function parseQrPayload(base64: string): ParsedQr {
  const bytes = Buffer.from(base64.replace(/\s+/g, ''), 'base64');
  const tags = new Map<number, Buffer>();
  let p = 0;
  while (p < bytes.length) {
    const tag = bytes[p];
    const len = bytes[p + 1];
    if (tag === undefined || len === undefined || p + 2 + len > bytes.length) {
      throw new Error(`QR payload truncated at byte ${p}`);
    }
    tags.set(tag, bytes.subarray(p + 2, p + 2 + len));
    p += 2 + len;
  }
  const text = (t: number) => tags.get(t)?.toString('utf8');
  return {
    tags,
    sellerName: text(1),
    vatNumber: text(2),
    timestamp: text(3),
    totalWithVat: text(4),
    vatTotal: text(5),
    invoiceHash: text(6),
    signature: text(7),
    publicKey: tags.get(8),
    certificateSignature: tags.get(9),
  };
}

export function renderQrSvg(payload: string): Promise<string> {
  return QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

export function renderQrPng(payload: string): Promise<Buffer> {
  return QRCode.toBuffer(payload, { type: 'png', errorCorrectionLevel: 'M', margin: 2 });
}
