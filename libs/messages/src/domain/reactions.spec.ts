import { MAX_REACTION_KINDS } from '@chat/contracts';
import { mayAddReaction, normalizeReactionEmoji, Reaction, reactionsBySeq, summarizeReactions } from './reactions';

describe('normalizeReactionEmoji', () => {
  it.each(['👍', '❤️', '🇫🇷', '👍🏽', '👨‍👩‍👧‍👦', '1️⃣', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '🧑🏽‍❤️‍💋‍🧑🏻'])('takes one emoji as it is: %s', (emoji) => {
    expect(normalizeReactionEmoji(emoji)).toBe(emoji);
  });

  it('takes a character with a text default in its emoji form, so both spellings are one reaction', () => {
    expect(normalizeReactionEmoji('❤')).toBe('❤️');
    expect(normalizeReactionEmoji('☺')).toBe('☺️');
  });

  it.each([
    ['empty', ''],
    ['a letter', 'a'],
    ['a digit alone', '1'],
    ['two emojis', '👍👍'],
    ['an emoji and text', '👍 yes'],
    ['markup', '<b>'],
    ['whitespace around', ' 👍'],
    ['a lone surrogate', '\uD83D'],
    ['a zero-width joiner alone', '\u200D'],
    ['far too long', '👍'.repeat(40)],
  ])('refuses %s', (_, input) => {
    expect(normalizeReactionEmoji(input)).toBeNull();
  });

  it('refuses what is not a string', () => {
    expect(normalizeReactionEmoji(undefined)).toBeNull();
    expect(normalizeReactionEmoji(42)).toBeNull();
    expect(normalizeReactionEmoji(['👍'])).toBeNull();
  });
});

describe('mayAddReaction', () => {
  const full = Array.from({ length: MAX_REACTION_KINDS }, (_, i) => String.fromCodePoint(0x1f600 + i));

  it('allows a new emoji while fewer than the limit are in use', () => {
    expect(mayAddReaction([], '👍')).toBe(true);
    expect(mayAddReaction(full.slice(1), '👍')).toBe(true);
  });

  it('refuses a new emoji at the limit, but still lets members join one already there', () => {
    expect(mayAddReaction(full, '👍')).toBe(false);
    expect(mayAddReaction(full, full[3])).toBe(true);
  });
});

describe('summarizeReactions', () => {
  const at = (ms: number) => new Date(1_700_000_000_000 + ms);
  const rows: Reaction[] = [
    { seq: 1, emoji: '🎉', userId: 'b', createdAt: at(30) },
    { seq: 1, emoji: '👍', userId: 'c', createdAt: at(20) },
    { seq: 1, emoji: '👍', userId: 'a', createdAt: at(10) },
  ];

  it('groups by emoji in the order each was first used, members in the order they reacted, with counts', () => {
    expect(summarizeReactions(rows)).toEqual([
      { emoji: '👍', count: 2, userIds: ['a', 'c'] },
      { emoji: '🎉', count: 1, userIds: ['b'] },
    ]);
  });

  it('gives the same summary whatever order the rows come in', () => {
    expect(summarizeReactions([...rows].reverse())).toEqual(summarizeReactions(rows));
  });

  it('is empty with no rows', () => {
    expect(summarizeReactions([])).toEqual([]);
  });

  it('groups a page of rows by message', () => {
    const page = reactionsBySeq([...rows, { seq: 2, emoji: '😂', userId: 'a', createdAt: at(5) }]);
    expect(page.get(1)).toEqual(summarizeReactions(rows));
    expect(page.get(2)).toEqual([{ emoji: '😂', count: 1, userIds: ['a'] }]);
    expect(page.get(3)).toBeUndefined();
  });
});
