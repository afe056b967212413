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

// An invoice number: an optional letter series prefix, digit groups, each group followed by one separator.
const NUMBER_LIKE = /^(?:[a-z]{1,4}[-/. ]?)?(?:\d+[-/. ])*\d+$/i;
const TRAILING_GROUP = /[-/. ]\d{3,}$/;

/**
 * The part of a folded search text (foldSearchText) to look up in the trigram index, when it is selective
 * enough to be worth leaving the rest out; the full text is then rechecked on the candidate rows. Every number
 * of a series shares its prefix and year (`INV-2025-…`): their trigrams are in nearly every row, and reading
 * their posting lists is most of the cost of the search. For a number-like text the trailing digit group with
 * its separator (`-0004`) is a substring of the text, so its matches are a superset of the text's. Undefined
 * when the text is to be looked up whole.
 */
export function searchProbe(text: string): string | undefined {
  if (!NUMBER_LIKE.test(text)) return undefined;
  const probe = TRAILING_GROUP.exec(text)?.[0];
  return probe !== undefined && probe !== text ? probe : undefined;
}
