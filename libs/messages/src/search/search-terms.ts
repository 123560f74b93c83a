import { ErrorCodes, MAX_SEARCH_QUERY_LENGTH, TextRange } from '@chat/contracts';
import { DomainError } from '@chat/platform';

/** More words than this narrow nothing down in a chat message; the rest are ignored rather than refused. */
export const MAX_SEARCH_TERMS = 8;

/**
 * Words as both engines index them (SQLite FTS5's unicode61, MongoDB's text index with language "none"): runs of
 * letters and digits (with combining marks), everything else separates them. So `"`, `*`, `-`, `:`, `(` and the
 * like are never syntax: they only split words.
 */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** The form two words are compared in: lower case, without diacritics (like remove_diacritics and MongoDB's v3 text index). */
export function foldWord(word: string): string {
  return word.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

/**
 * The words of a user's query, folded, each once, in the order typed: what a message must all contain to match.
 * An empty or too long query is a validation error; one with no word in it (only punctuation) matches nothing
 * and gives [] (an empty result, not an error: it is a query, just one without words).
 */
export function searchTerms(query: string): string[] {
  if (query.trim().length === 0) throw new DomainError(ErrorCodes.VALIDATION_FAILED, 'Type something to search for', [{ field: 'query', problems: ['must not be empty'] }]);
  if (query.length > MAX_SEARCH_QUERY_LENGTH) {
    throw new DomainError(ErrorCodes.VALIDATION_FAILED, `A search is limited to ${MAX_SEARCH_QUERY_LENGTH} characters`, [
      { field: 'query', problems: [`must be at most ${MAX_SEARCH_QUERY_LENGTH} characters`] },
    ]);
  }
  const terms: string[] = [];
  for (const [word] of query.matchAll(WORD)) {
    const folded = foldWord(word);
    if (folded && !terms.includes(folded)) terms.push(folded);
    if (terms.length === MAX_SEARCH_TERMS) break;
  }
  return terms;
}

/**
 * Where the query's words are in a message's text: every word of the text that equals a term (compared folded),
 * as ranges over the original text, in order. Computed here, once, for both engines, so the highlight is the
 * same whichever stored the message.
 */
export function matchRanges(text: string | null, terms: string[]): TextRange[] {
  if (!text || terms.length === 0) return [];
  const wanted = new Set(terms);
  const ranges: TextRange[] = [];
  for (const match of text.matchAll(WORD)) {
    if (wanted.has(foldWord(match[0]))) ranges.push({ start: match.index, end: match.index + match[0].length });
  }
  return ranges;
}
