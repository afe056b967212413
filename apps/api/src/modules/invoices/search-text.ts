import { ARABIC_FOLD_FROM, ARABIC_FOLD_TO } from '@invoiceflow/db/schema';

const FOLD = new Map<string, string>();
[...ARABIC_FOLD_FROM].forEach((from, index) => {
  FOLD.set(from, ARABIC_FOLD_TO[index] ?? '');
});

/**
 * The query folded as the stored search_text is (hamza forms, alef maqsura, ta marbuta, harakat), Arabic-Indic
 * digits read as ASCII, and LIKE wildcards made literal.
 */
export function foldSearchText(text: string): string {
  let folded = '';
  for (const char of text.normalize('NFC')) {
    const code = char.charCodeAt(0);
    if (code >= 0x0660 && code <= 0x0669) folded += String(code - 0x0660);
    else if (code >= 0x06f0 && code <= 0x06f9) folded += String(code - 0x06f0);
    else folded += FOLD.has(char) ? FOLD.get(char) : char;
  }
  return folded.replace(/[\\%_]/g, (c) => `\\${c}`);
}
