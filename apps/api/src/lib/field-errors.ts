import type { z } from 'zod';
import { type FieldError, validationError } from './errors';

/** Zod issues of a schema run inside a service (merged PATCH bodies, draft contents) as field errors. */
export function fieldErrorsFromZod(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const custom = (issue as { params?: { code?: string } }).params?.code;
    const isMissing = issue.code === 'invalid_type' && /received undefined$/.test(issue.message);
    return {
      path,
      code: custom ?? (isMissing ? 'REQUIRED' : issue.code.toUpperCase()),
      message: isMissing ? 'Required.' : issue.message,
    };
  });
}

/** Parses with a schema or throws VALIDATION_FAILED with the issues' paths. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, prefix = ''): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(fieldErrorsFromZod(result.error, prefix));
  return result.data;
}
