import { ErrorCodes, MAX_SEARCH_QUERY_LENGTH } from '@chat/contracts';
import { DomainError } from '@chat/platform';
import { matchRanges, MAX_SEARCH_TERMS, searchTerms } from './search-terms';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a DomainError';
  }
};

describe('searchTerms', () => {
  it('folds case and diacritics and keeps each word once, in the order typed', () => {
    expect(searchTerms('Café  LUNCH café Straße')).toEqual(['cafe', 'lunch', 'straße']);
  });

  it('refuses an empty, blank or too long query with a validation error', () => {
    expect(codeOf(() => searchTerms(''))).toBe(ErrorCodes.VALIDATION_FAILED);
    expect(codeOf(() => searchTerms(' \t\n '))).toBe(ErrorCodes.VALIDATION_FAILED);
    expect(codeOf(() => searchTerms('a'.repeat(MAX_SEARCH_QUERY_LENGTH + 1)))).toBe(ErrorCodes.VALIDATION_FAILED);
    expect(searchTerms('a'.repeat(MAX_SEARCH_QUERY_LENGTH))).toEqual(['a'.repeat(MAX_SEARCH_QUERY_LENGTH)]);
  });

  it('gives no terms for a query of punctuation only (an empty result, not an error)', () => {
    expect(searchTerms('"*-:()^{}')).toEqual([]);
    expect(searchTerms('!!! ???')).toEqual([]);
  });

  it('treats search syntax as separators, never as operators', () => {
    expect(searchTerms('"lunch" AND -pizza* NEAR(a b)')).toEqual(['lunch', 'and', 'pizza', 'near', 'a', 'b']);
    expect(searchTerms('col:umn ^start {x}')).toEqual(['col', 'umn', 'start', 'x']);
    expect(searchTerms('"; DROP TABLE messages; --')).toEqual(['drop', 'table', 'messages']);
  });

  it('takes letters and digits of any script and stops at the term limit', () => {
    expect(searchTerms('Привет 東京 42')).toEqual(['привет', '東京', '42']);
    const many = Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ');
    expect(searchTerms(many)).toHaveLength(MAX_SEARCH_TERMS);
  });
});

describe('matchRanges', () => {
  it('marks every whole word equal to a term, compared folded, as ranges over the original text', () => {
    const text = 'Lunch at the Café? café-lunch, lunches';
    const ranges = matchRanges(text, ['lunch', 'cafe']);
    expect(ranges.map((r) => text.slice(r.start, r.end))).toEqual(['Lunch', 'Café', 'café', 'lunch']);
  });

  it('counts UTF-16 units, so slices of text with emoji are right', () => {
    const text = '😀 pizza 😀 PIZZA';
    expect(matchRanges(text, ['pizza']).map((r) => text.slice(r.start, r.end))).toEqual(['pizza', 'PIZZA']);
  });

  it('marks nothing without text or terms', () => {
    expect(matchRanges(null, ['a'])).toEqual([]);
    expect(matchRanges('a b', [])).toEqual([]);
  });
});
