import { activeMentionQuery, decodeMentions, encodeMentions, filterCandidates, insertMention } from './mention-composer';

const ada = { userId: 'u-ada', name: 'Ada Lovelace' };
const al = { userId: 'u-al', name: 'Al' };
const bob = { userId: 'u-bob', name: 'Bob' };
const zoe = { userId: 'u-zoe', name: 'Zoë Alvarez' };

describe('composer mentions', () => {
  it('finds the @query being typed before the caret, only at the start or after a space', () => {
    expect(activeMentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(activeMentionQuery('hi @Ad', 6)).toEqual({ start: 3, query: 'Ad' });
    expect(activeMentionQuery('hi @Ada Lo', 10)).toEqual({ start: 3, query: 'Ada Lo' });
    expect(activeMentionQuery('mail ada@example', 16)).toBeNull();
    expect(activeMentionQuery('hi @Ad', 2)).toBeNull();
    expect(activeMentionQuery('@x\ny', 4)).toBeNull();
  });

  it('suggests members whose name or a word of it starts with the query, whole-name matches first, accents ignored', () => {
    expect(filterCandidates([bob, zoe, ada, al], 'al')).toEqual([al, zoe]);
    expect(filterCandidates([bob, zoe, ada, al], 'zoe')).toEqual([zoe]);
    expect(filterCandidates([bob, ada], '')).toEqual([ada, bob]);
    expect(filterCandidates([bob], 'x')).toEqual([]);
  });

  it('replaces the query with the chosen name and puts the caret after it', () => {
    expect(insertMention('hi @Ad!', { start: 3, query: 'Ad' }, 6, 'Ada Lovelace')).toEqual({ text: 'hi @Ada Lovelace !', caret: 17 });
  });

  it('sends chosen names as tokens (longest first, whole names only) and turns tokens back into names for editing', () => {
    const sent = encodeMentions('@Ada Lovelace and @Al, not @Alfred or @Bob', [al, ada]);
    expect(sent).toBe('@[u-ada] and @[u-al], not @Alfred or @Bob');
    const names: Record<string, string> = { 'u-ada': 'Ada Lovelace', 'u-al': 'Al' };
    const editable = decodeMentions(sent, (id) => names[id]!);
    expect(editable.text).toBe('@Ada Lovelace and @Al, not @Alfred or @Bob');
    expect(encodeMentions(editable.text, editable.chosen)).toBe(sent);
  });
});
