import { AppError } from '../../lib/errors';

/**
 * A file name as the user's device named it, never a path: a name with a folder in it (`../x`, `C:\x`, `a/b`)
 * is refused rather than cut, so what is stored is what the user sees.
 */
export function checkedFileName(name: string | undefined): string {
  if (!name?.trim())
    throw new AppError('VALIDATION_FAILED', {
      errors: [{ path: 'query.file_name', code: 'REQUIRED', message: 'Name the file.' }],
    });
  const trimmed = name.trim();
  if (
    /[/\\]/.test(trimmed) ||
    trimmed === '.' ||
    trimmed === '..' ||
    /^[A-Za-z]:/.test(trimmed) ||
    trimmed === ''
  )
    throw new AppError('VALIDATION_FAILED', {
      errors: [
        {
          path: 'query.file_name',
          code: 'FILE_NAME_HAS_PATH',
          message: 'Send the file’s name without folders.',
        },
      ],
    });
  return trimmed;
}
