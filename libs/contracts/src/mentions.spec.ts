import { mentionedIds, mentionToken, splitMentions, withMentionNames } from './mentions';

describe('mentions in a text', () => {
  const ada = '0b6f1e4a-7c2d-4e8a-9f10-1a2b3c4d5e6f';
  const bob = 'b0b';

  it('finds each mentioned id once, in the order first mentioned', () => {
    expect(mentionedIds(`hi ${mentionToken(bob)} and ${mentionToken(ada)}, ${mentionToken(bob)}!`)).toEqual([bob, ada]);
    expect(mentionedIds('mail me @ home, @[not an id], @[] or [x]')).toEqual([]);
    expect(mentionedIds(null)).toEqual([]);
  });

  it('splits a text into plain pieces and mentions that join back into it', () => {
    const text = `@[${ada}] look, <b>@[${bob}]</b>`;
    const pieces = splitMentions(text);
    expect(pieces).toEqual([{ kind: 'mention', userId: ada }, { kind: 'text', text: ' look, <b>' }, { kind: 'mention', userId: bob }, { kind: 'text', text: '</b>' }]);
    expect(pieces.map((p) => (p.kind === 'text' ? p.text : mentionToken(p.userId))).join('')).toBe(text);
    expect(splitMentions('no mention')).toEqual([{ kind: 'text', text: 'no mention' }]);
  });

  it('words mentions with the current names for plain-text places, and never shows half a token', () => {
    const names: Record<string, string> = { [ada]: 'Ada', [bob]: 'Bob' };
    expect(withMentionNames(`@[${ada}] meet @[${bob}]`, (id) => names[id])).toBe('@Ada meet @Bob');
    expect(withMentionNames(`cut here @[${ada.slice(0, 10)}`, (id) => names[id])).toBe('cut here @');
  });
});
