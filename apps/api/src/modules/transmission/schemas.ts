import { TRANSMISSION_PROVIDERS } from '@invoiceflow/db/schema';
import { z } from 'zod';

export const settingsInputSchema = z.strictObject({
  provider: z.enum(TRANSMISSION_PROVIDERS),
  base_url: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .describe(
      'The provider API root, e.g. https://ap.example.com (a self-hosted access point may be private)',
    ),
  credentials: z
    .record(z.string().regex(/^[a-z_]{1,40}$/), z.string().min(1).max(2000))
    .describe(
      'phoss-ap: { api_token } (its X-Token); storecove: { api_key, legal_entity_id, webhook_secret? }; uae-asp: ' +
        '{ client_id, client_secret, webhook_secret, token_url? }; tradeshift: { consumer_key, consumer_secret, ' +
        'token, token_secret, tenant_id }; basware: { client_id, client_secret, webhook_secret?, scope? } ' +
        '(webhook_secret: the webhookAuthenticationToken of the subscription). Stored encrypted, never answered.',
    ),
});

export const settingsSchema = z.object({
  provider: z.enum(TRANSMISSION_PROVIDERS),
  base_url: z.string(),
  has_credentials: z.boolean(),
  updated_at: z.string(),
});

export const transmissionSchema = z.object({
  invoice_id: z.string(),
  provider: z.enum(TRANSMISSION_PROVIDERS),
  instance_id: z.string().describe('The idempotency key the provider keeps (SBDH instance id)'),
  generation: z.number().int().describe('1, and one more per resubmit'),
  exchange: z.object({
    status: z.enum(['queued', 'submitted', 'delivered', 'failed']),
    reason: z.string().nullable(),
  }),
  reporting: z.object({
    status: z.enum(['pending', 'reported', 'rejected', 'not_applicable']),
    reason: z.string().nullable(),
  }),
  acknowledged_at: z.string().nullable(),
  next_attempt_at: z.string().nullable(),
  attempts: z.array(
    z.object({
      generation: z.number().int(),
      attempt: z.number().int(),
      action: z.enum(['submit', 'status']),
      status_code: z.number().int().nullable(),
      outcome: z.string(),
      reason: z.string().nullable(),
      duration_ms: z.number().int(),
      at: z.string(),
    }),
  ),
});
