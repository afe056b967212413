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
    .record(z.string().regex(/^[a-z_]{1,40}$/), z.string().min(1).max(2000).nullable())
    .default({})
    .describe(
      'The fields GET /api/v1/transmission/providers lists for the provider. Stored encrypted, never answered. ' +
        'Saving to the provider already configured, a field left out keeps its stored value and null removes an ' +
        'optional one; switching provider needs every required field.',
    ),
});

export const credentialFieldSchema = z.object({
  name: z.string(),
  is_required: z.boolean(),
  is_secret: z.boolean().describe('Typed as a password; every credential is write-only all the same'),
});

export const providerSchema = z.object({
  provider: z.enum(TRANSMISSION_PROVIDERS),
  label: z.string(),
  credentials: z.array(credentialFieldSchema),
  inbound: z
    .enum(['webhook', 'forward', 'pull'])
    .describe(
      'webhook: the provider calls webhook_url; forward: it posts received documents to webhook_url with the ' +
        'inbound_token; pull: received documents are fetched from it, there is no URL to give',
    ),
});

export const providerListSchema = z.object({ items: z.array(providerSchema) });

export const settingsSchema = z.object({
  provider: z.enum(TRANSMISSION_PROVIDERS),
  base_url: z.string(),
  has_credentials: z.boolean(),
  credentials_set: z.array(z.string()).describe('The names of the stored credentials (never their values)'),
  webhook_url: z
    .string()
    .nullable()
    .describe(
      'Give this URL to the provider for its webhooks or forwarded documents; null when it is pulled',
    ),
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
