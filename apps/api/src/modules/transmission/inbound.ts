// Documents the company's access point forwards to us (phoss-ap's HTTP forwarding of what it received over
// Peppol): the body is the UBL document, or the Standard Business Document wrapping it. It is read by the same
// hardened reader as an upload and becomes a supplier invoice; the same document forwarded twice is recorded once.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { TransmissionProvider } from '@invoiceflow/db/schema';
import type { AppContext } from '../../context';
import type { Actor } from '../../lib/actor';
import { decrypt } from '../../lib/crypto';
import { AppError, defineErrors } from '../../lib/errors';
import { lockOwners } from '../companies/queries';
import { uploadInvoice } from '../supplier-invoices/service';
import * as q from './queries';

defineErrors({
  INBOUND_NOT_ENABLED: [404, 'This company receives no documents from an access point.'],
  INBOUND_TOKEN_INVALID: [401, 'The inbound token is missing or wrong.'],
});

const DOCTYPE = /<!DOCTYPE/i;
const SBD_ROOT = /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<([\w.-]+:)?StandardBusinessDocument[\s>]/;

/**
 * The business document inside a Standard Business Document: what follows the header, up to the root's closing
 * tag. A DOCTYPE anywhere is refused before anything is read (the reader refuses one in the payload too).
 */
export function payloadOf(bytes: Buffer): Buffer {
  const text = bytes.toString('utf8');
  if (DOCTYPE.test(text)) {
    throw new AppError('XML_DOCTYPE_REFUSED', {
      message: 'A DOCTYPE is not accepted in a received document.',
    });
  }
  const root = SBD_ROOT.exec(text);
  if (!root) return bytes;
  const prefix = root[1] ?? '';
  const headerEnd = text.indexOf(`</${prefix}StandardBusinessDocumentHeader>`);
  const rootEnd = text.lastIndexOf(`</${prefix}StandardBusinessDocument>`);
  if (headerEnd < 0 || rootEnd < headerEnd) {
    throw new AppError('XML_MALFORMED', {
      message: 'The Standard Business Document has no header or no end.',
    });
  }
  const start = headerEnd + `</${prefix}StandardBusinessDocumentHeader>`.length;
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>${text.slice(start, rootEnd).trim()}`, 'utf8');
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export async function receiveInbound(
  ctx: AppContext,
  provider: TransmissionProvider,
  companyId: string,
  token: string | undefined,
  bytes: Buffer | undefined,
): Promise<{ received: true; duplicate: boolean; supplier_invoice_id: string | null }> {
  const settings = await q.getSettings(ctx.db, { companyId });
  if (!settings || settings.provider !== provider) throw new AppError('INBOUND_NOT_ENABLED');
  const credentials = JSON.parse(decrypt(ctx.secrets.dataKey, settings.credentialsSealed)) as Record<
    string,
    string
  >;
  const expected = credentials.inbound_token;
  if (!expected) throw new AppError('INBOUND_NOT_ENABLED');
  if (!token || !timingSafeEqual(digest(token), digest(expected)))
    throw new AppError('INBOUND_TOKEN_INVALID');
  if (!bytes || bytes.length === 0) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
      message: 'Send the received document as the body (XML).',
    });
  }
  const payload = payloadOf(bytes);
  // Recorded in the name of the company's first owner; the audit entry's request id says it came in over Peppol.
  const [owner] = await ctx.db.transaction((tx) => lockOwners(tx, { companyId }));
  if (!owner) throw new AppError('INBOUND_NOT_ENABLED');
  const actor: Actor = { userId: owner.userId, requestId: `inbound:${provider}` };
  try {
    const invoice = await uploadInvoice(ctx, companyId, actor, {
      bytes: payload,
      fileName: undefined,
      source: 'peppol',
    });
    return { received: true, duplicate: false, supplier_invoice_id: invoice.id };
  } catch (error) {
    // The access point forwards again when it is unsure we have it: a document we have is acknowledged, not refused.
    if (error instanceof AppError && error.code === 'DUPLICATE_SUPPLIER_INVOICE') {
      return { received: true, duplicate: true, supplier_invoice_id: null };
    }
    throw error;
  }
}
