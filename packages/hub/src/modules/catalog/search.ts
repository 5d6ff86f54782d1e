import type { CatalogResource } from '@minjiang/standards';

/**
 * Keyword search that works for Chinese terms of any length on SQLite and PostgreSQL alike,
 * without a full scan and without an engine's full-text extension (neither engine segments
 * Chinese words out of the box). Each resource is indexed by its distinct character unigrams and
 * bigrams, and by its lower-cased ASCII words, in `catalog_terms`:
 *
 * - a one-character query looks up its unigram;
 * - a longer query needs every one of its bigrams (GROUP BY code HAVING count = n), and the
 *   candidates are then confirmed against `search_text`, so a resource that has the bigrams
 *   but not the contiguous term is not returned;
 * - ASCII letters and digits are matched as whole words (`oracle` finds "Oracle 12c", `racle`
 *   does not), as users of Latin-script search expect.
 *
 * Indexing and querying go through the same normalisation (NFKC, lower case), so full-width
 * letters and case do not matter.
 */

/** Longest term kept; longer ASCII words are cut to it on both sides, and confirmation keeps results exact. */
export const MAX_TERM_LENGTH = 32;
/** At most this many whitespace-separated tokens in a query; all of them must match. */
export const MAX_QUERY_TOKENS = 8;

/** Text as indexed and as searched: compatibility-normalised and lower-cased. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

const ASCII_TERM_CHAR = /^[a-z0-9]$/;
const WIDE_TERM_CHAR = /^[\p{L}\p{N}]$/u;

type Run = { kind: 'ascii' | 'wide'; chars: string[] };

/** Splits normalised text into runs of ASCII word characters and of other letters or digits. */
function runsOf(text: string): Run[] {
  const runs: Run[] = [];
  let current: Run | undefined;
  for (const char of text) {
    const kind = ASCII_TERM_CHAR.test(char) ? 'ascii' : WIDE_TERM_CHAR.test(char) ? 'wide' : undefined;
    if (kind === undefined) {
      current = undefined;
      continue;
    }
    if (current?.kind !== kind) {
      current = { kind, chars: [] };
      runs.push(current);
    }
    current.chars.push(char);
  }
  return runs;
}

/** Every term of one field: words, unigrams and bigrams (bigrams never cross a separator). */
function addFieldTerms(text: string, into: Set<string>): void {
  for (const run of runsOf(text)) {
    if (run.kind === 'ascii') {
      into.add(run.chars.join('').slice(0, MAX_TERM_LENGTH));
      continue;
    }
    run.chars.forEach((char, index) => {
      into.add(char);
      const next = run.chars[index + 1];
      if (next !== undefined) into.add(char + next);
    });
  }
}

/**
 * The searchable text of a resource: name, keywords, provider name, item names and summary,
 * normalised, one field per line. A query token never holds a line break, so confirmation never
 * matches across two fields.
 */
export function searchTextOf(document: CatalogResource): string {
  const fields = [
    document.name,
    ...(document.keywords ?? []),
    document.provider.name,
    ...(document.items ?? []).map((item) => item.name),
    document.summary,
  ];
  return fields.map((field) => normaliseText(field).replace(/\s+/g, ' ')).join('\n');
}

/** The distinct terms of one or more search texts (a resource's live versions). */
export function termsOf(...searchTexts: string[]): Set<string> {
  const terms = new Set<string>();
  for (const text of searchTexts) for (const field of text.split('\n')) addFieldTerms(field, terms);
  return terms;
}

/** What a query needs: tokens to confirm by substring, and the terms that every candidate has. */
export interface SearchPlan {
  tokens: string[];
  terms: string[];
}

/** The terms a query token needs: its words, its unigram if it is one character, else its bigrams. */
function tokenTerms(token: string, into: Set<string>): void {
  for (const run of runsOf(token)) {
    if (run.kind === 'ascii') into.add(run.chars.join('').slice(0, MAX_TERM_LENGTH));
    else if (run.chars.length === 1) into.add(run.chars[0] as string);
    else for (let i = 0; i + 1 < run.chars.length; i += 1) into.add(`${run.chars[i]}${run.chars[i + 1]}`);
  }
}

/**
 * Plans a keyword query, or returns null when it has no letter or digit at all (such a query
 * could only be answered by a full scan, so it finds nothing).
 */
export function planSearch(query: string): SearchPlan | null {
  const tokens = normaliseText(query)
    .split(/\s+/)
    .filter((token) => token !== '')
    .slice(0, MAX_QUERY_TOKENS);
  const terms = new Set<string>();
  for (const token of tokens) tokenTerms(token, terms);
  return terms.size === 0 ? null : { tokens, terms: [...terms] };
}
