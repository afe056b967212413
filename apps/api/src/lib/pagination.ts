import { z } from 'zod';

export const MAX_PAGE_SIZE = 100;

export const paginationQuerySchema = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  page_size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
};

export const offsetOf = ({ page, page_size }: { page: number; page_size: number }) => (page - 1) * page_size;

/** Query-string booleans: `?include_archived=true`. */
export const booleanQuerySchema = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** LIKE wildcards in user text are literal. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
