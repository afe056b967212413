import { z } from 'zod';
import { INT4_MAX } from '../../lib/schemas';

/** Auto-saved every two seconds from the editor: an invoice being typed, incomplete by nature. */
export const DRAFT_MAX_BYTES = 256 * 1024;

const draftData = z
  .record(z.string(), z.unknown())
  .describe('The editor state, same structure as an issue request; may be incomplete');

export const draftSaveSchema = z.strictObject({
  draft_data: draftData,
  name: z.string().trim().min(1).max(100).nullish(),
  is_auto_saved: z.boolean().default(true),
  /** The version this write was based on (or send If-Match: "v<version>"). */
  version: z.number().int().positive().max(INT4_MAX).optional(),
});
export type DraftSaveInput = z.infer<typeof draftSaveSchema>;

export const draftUpdateSchema = z.strictObject({
  draft_data: draftData,
  name: z.string().trim().min(1).max(100).nullish(),
  version: z.number().int().positive().max(INT4_MAX).optional(),
});
export type DraftUpdateInput = z.infer<typeof draftUpdateSchema>;

export const draftSchema = z.object({
  id: z.uuid(),
  draft_data: z.record(z.string(), z.unknown()),
  name: z.string().nullable(),
  is_auto_saved: z.boolean(),
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
