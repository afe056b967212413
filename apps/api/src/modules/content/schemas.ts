import { CONTENT_KEY_FORM, CONTENT_LANGUAGES } from '@invoiceflow/db/schema';
import { z } from 'zod';

/** A block's key: dotted lower-case words, the page first (`home.title`). */
export const contentKeySchema = z.string().max(64).regex(CONTENT_KEY_FORM, 'A key like home.title');
export const contentLangSchema = z.enum(CONTENT_LANGUAGES);

export const blockParamsSchema = z.strictObject({ key: contentKeySchema, lang: contentLangSchema });

export const contentBlockSchema = z.object({
  key: z.string(),
  lang: contentLangSchema,
  body: z.string(),
  version: z.number().int(),
  updated_at: z.string(),
});

export const contentVersionSchema = z.object({
  version: z.number().int(),
  body: z.string(),
  created_by: z.string().nullable(),
  restored_from: z.number().int().nullable(),
  created_at: z.string(),
});

export const editBlockBodySchema = z.strictObject({ body: z.string().max(20_000) });
export const restoreBodySchema = z.strictObject({ version: z.number().int().min(1) });
