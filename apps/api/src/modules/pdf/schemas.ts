import { z } from 'zod';

export const pdfQuerySchema = z.strictObject({
  disposition: z
    .enum(['inline', 'attachment'])
    .default('attachment')
    .describe('attachment: download it (default); inline: open it in the browser'),
});
