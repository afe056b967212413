import { z } from 'zod';
import { paginationQuerySchema } from '../../lib/pagination';
import { WEBHOOK_EVENTS } from './events';

const urlSchema = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/ }))
  .refine((value) => {
    const url = new URL(value);
    return url.username === '' && url.password === '';
  }, 'No credentials in the URL: the signature authenticates the sender.')
  .describe('http or https; a host that resolves to a private, loopback or link-local address is refused');

const eventsSchema = z
  .array(z.enum(WEBHOOK_EVENTS))
  .min(1)
  .max(WEBHOOK_EVENTS.length)
  .transform((events) => [...new Set(events)]);

export const endpointCreateSchema = z.strictObject({
  url: urlSchema,
  events: eventsSchema,
  description: z.string().trim().max(500).optional(),
  is_enabled: z.boolean().default(true),
});
export type EndpointCreate = z.infer<typeof endpointCreateSchema>;

export const endpointUpdateSchema = z.strictObject({
  url: urlSchema.optional(),
  events: eventsSchema.optional(),
  description: z.string().trim().max(500).nullish(),
  is_enabled: z.boolean().optional(),
});
export type EndpointUpdate = z.infer<typeof endpointUpdateSchema>;

export const endpointSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.string()),
  is_enabled: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});

/** The secret appears in this answer only (creation and rotation); it is stored sealed. */
export const endpointWithSecretSchema = endpointSchema.extend({
  secret: z.string().describe('Signs every delivery (docs/webhooks.md); shown once'),
});

export const endpointListSchema = z.object({ endpoints: z.array(endpointSchema) });

export const eventTypesSchema = z.object({ events: z.array(z.string()) });

export const attemptSchema = z.object({
  attempt: z.number().int(),
  status_code: z.number().int().nullable(),
  response_excerpt: z.string().nullable(),
  error: z.string().nullable(),
  duration_ms: z.number().int(),
  created_at: z.string(),
});

export const deliverySchema = z.object({
  id: z.uuid(),
  endpoint_id: z.uuid(),
  event_id: z.uuid(),
  event_type: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  attempts: z.number().int(),
  next_attempt_at: z.string().nullable(),
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  replay_of: z.uuid().nullable(),
  delivered_at: z.string().nullable(),
  created_at: z.string(),
});

export const deliveryDetailSchema = deliverySchema.extend({
  payload: z.record(z.string(), z.unknown()).describe('The body sent (the event)'),
  attempt_log: z.array(attemptSchema),
});

export const deliveryListQuerySchema = z.strictObject({
  ...paginationQuerySchema,
  status: z.enum(['pending', 'succeeded', 'failed']).optional(),
});

export const deliveryListSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
  deliveries: z.array(deliverySchema),
});
