// Text of an invoice is drawn in the order it was written. Unicode bidi controls in the data (embeddings,
// overrides, isolates, marks) would let a stored string display differently from what is signed in the XML:
// "Service \u202e0001\u202c units" would be drawn "Service 1000 units". Arabic is right to left by itself, so the
// renderer drops every such control from its input and places its own isolates (isolateLtr) where a layout
// needs them. The API refuses or removes them on the way in; this also covers documents stored before that.
import type { InvoicePdfInput } from './types';

const BIDI_CONTROLS = /\p{Bidi_Control}/gu;

function strip(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(BIDI_CONTROLS, '');
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = strip(item);
  return copy;
}

/** Any plain value (a receipt's or a report's input) with bidi controls removed from every text in it. */
export function stripBidiControls<T>(value: T): T {
  return strip(value) as T;
}

/** The input with bidi controls removed from every text; binary parts (logo, attachments, QR) as they are. */
export function withoutBidiControls(doc: InvoicePdfInput): InvoicePdfInput {
  const { logo, attachments, qr_payload, ...texts } = doc;
  return { ...(strip(texts) as typeof texts), logo, attachments, qr_payload };
}
