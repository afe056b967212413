/** The receipt types accepted, known by their first bytes (the name and the declared type can both lie). */
export const RECEIPT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type ReceiptType = (typeof RECEIPT_TYPES)[number];

const SIGNATURES: readonly [ReceiptType, readonly number[]][] = [
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // "%PDF-"
];

export function sniffReceiptType(bytes: Buffer): ReceiptType | undefined {
  for (const [type, signature] of SIGNATURES)
    if (bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte)) return type;
  return undefined;
}
