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
// pg_trgm's words are runs of letters and digits; anything else (spaces, punctuation, escaped wildcards)
// separates them. A word is taken with the separator before it when that is a plain one.
const WORD = /([-/. ])?([\p{L}\p{N}]+)/gu;
const DIGITS = /^\d+$/;
const TRIGRAM = /[\p{L}\p{N}]{3}/u;

/**
 * Whether the trigram index can narrow a search for a folded text: LIKE asks it for the trigrams inside the
 * text's words, and only a run of three letters or digits holds one. Without one (`x`, `ab`, `p-1`, `a b`) the
 * index offers every invoice of the company (`ab`: 600,000 rows rechecked, ≈ 2 s) or only the padded trigrams
 * of word starts and ends, shared by a large share of them (`p-1`: 164,000 candidates of 600,000, 180 ms).
 */
export function isIndexable(text: string): boolean {
  return TRIGRAM.test(text);
}

/**
 * The parts of a folded search text (foldSearchText) to look up in the trigram index, when leaving the rest
 * out makes the lookup cheaper; the full text is then rechecked on the candidate rows. Each part is a substring
 * of the text, so its matches are a superset of the text's. Empty when the text is to be looked up whole.
 *
 * Reading a trigram's posting list costs in proportion to how many rows hold it, and some trigrams are in
 * nearly every row while filtering out almost nothing:
 * - every number of a series shares its prefix and year (`INV-2025-…`): a number-like text asks for its
 *   trailing digit group with its separator (`-0004`);
 * - zero-padded counters and VAT numbers put digit trigrams with two or more zeros (`000`, `100`, `001`) in most
 *   rows: a run of digits is asked for by its stretches without them (`000123` → `0123`, `31000` → `310`); a run
 *   with nothing else keeps the separator before it (`-0004`: the padded trigrams of "a group starting 00");
 * - a word boundary inside a text of words (`oasis paper 3`) adds padded trigrams (`  p`, ` pa`, `  3`) shared by
 *   every word starting that way: each word is asked for on its own, and words under 3 characters not at all.
 */
export function searchProbes(text: string): string[] {
  let probes: string[];
  if (NUMBER_LIKE.test(text)) {
    const group = TRAILING_GROUP.exec(text)?.[0];
    if (group !== undefined) probes = [group];
    else if (DIGITS.test(text)) probes = digitProbes('', text);
    // A short last group (`INV-2025-12`) is the selective part, and only its padded trigrams say so.
    else return [];
  } else {
    probes = [...text.matchAll(WORD)].flatMap(([, separator = '', word = '']) =>
      DIGITS.test(word) ? digitProbes(separator, word) : [...word].length >= 3 ? [word] : [],
    );
  }
  return probes.length === 1 && probes[0] === text ? [] : [...new Set(probes)];
}

/** The stretches of a run of digits made of trigrams with at most one zero, else the run with its separator. */
function digitProbes(separator: string, digits: string): string[] {
  if (digits.length < 3) return [];
  const stretches: string[] = [];
  let start = -1;
  for (let i = 0; i + 3 <= digits.length; i++) {
    const isSelective = digits.slice(i, i + 3).split('0').length <= 2;
    if (isSelective && start < 0) start = i;
    if (!isSelective && start >= 0) {
      stretches.push(digits.slice(start, i + 2));
      start = -1;
    }
  }
  if (start >= 0) stretches.push(digits.slice(start));
  return stretches.length > 0 ? stretches : [separator + digits];
}
