import { createHmac, randomBytes } from 'node:crypto';

/** The headers of every delivery (docs/webhooks.md explains how a receiver checks them). */
export const WEBHOOK_HEADERS = {
  event: 'invoiceflow-event',
  eventId: 'invoiceflow-event-id',
  deliveryId: 'invoiceflow-delivery-id',
  timestamp: 'invoiceflow-timestamp',
  signature: 'invoiceflow-signature',
} as const;

/** A new endpoint secret: 32 random bytes, shown once. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** HMAC-SHA256 of `timestamp.body` with the secret (its text, as shown), hex. */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * The signature header: `v1=<hex>` per secret in force (during a rotation the old secret signs too, so a
 * receiver may switch at its own pace).
 */
export function signatureHeader(secrets: string[], timestamp: number, body: string): string {
  return secrets.map((secret) => `v1=${signPayload(secret, timestamp, body)}`).join(',');
}
