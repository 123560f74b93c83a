import { openSqliteDatabase } from '@chat/platform';
import { searchTerms } from '../../search/search-terms';
import { MESSAGES_MIGRATIONS } from './messages.migrations';
import { chatToken, ftsMatch } from './fts-query';

describe('ftsMatch', () => {
  it('quotes every term and ANDs them, in the text column', () => {
    expect(ftsMatch(['lunch', 'near'], null)).toBe('text : ("lunch" AND "near")');
    expect(ftsMatch(['a"b'], null)).toBe('text : ("a""b")');
  });

  it('narrows to one chat by its token', () => {
    expect(chatToken('c1a2b3c4-d5e6-4f70')).toBe('cc1a2b3c4d5e64f70');
    expect(ftsMatch(['x'], 'ab-12')).toBe('chat : "cab12" AND text : ("x")');
  });

  it('is null without terms (nothing to look for)', () => {
    expect(ftsMatch([], null)).toBeNull();
  });

  it('never fails in FTS5 whatever the user typed', () => {
    const db = openSqliteDatabase(':memory:', MESSAGES_MIGRATIONS);
    const hostile = ['"', '*', 'NEAR', 'NEAR(a b, 2)', '-x', 'a OR b', 'text:x', 'chat : y', '^a', '(((', 'AND', 'a AND', '{text chat}: z', "'; --", 'x*y"z'];
    for (const query of hostile) {
      const match = ftsMatch(searchTerms(query), 'chat-1');
      if (match) expect(() => db.prepare('SELECT rowid FROM message_search WHERE message_search MATCH ?').all(match)).not.toThrow();
    }
    db.close();
  });
});
