import { directBlock, isNewerBlock } from './blocks';

describe('blocks', () => {
  const block = (blockerId: string, blockedId: string, blocked = true) => ({ blockerId, blockedId, blocked });

  it('refuses a 1:1 message when either person blocked the other, naming the sender’s own block first', () => {
    expect(directBlock('ada', 'bob', [])).toBe('none');
    expect(directBlock('ada', 'bob', [block('bob', 'ada')])).toBe('by-other');
    expect(directBlock('bob', 'ada', [block('bob', 'ada')])).toBe('by-sender');
    expect(directBlock('ada', 'bob', [block('bob', 'ada'), block('ada', 'bob')])).toBe('by-sender');
  });

  it('ignores lifted blocks and blocks between other people', () => {
    expect(directBlock('ada', 'bob', [block('bob', 'ada', false)])).toBe('none');
    expect(directBlock('ada', 'bob', [block('cyd', 'ada'), block('bob', 'cyd')])).toBe('none');
  });

  it('takes only a newer version, so events in any order and repeated give the same state', () => {
    expect(isNewerBlock(null, { version: 1 })).toBe(true);
    expect(isNewerBlock({ version: 2 }, { version: 3 })).toBe(true);
    expect(isNewerBlock({ version: 3 }, { version: 3 })).toBe(false);
    expect(isNewerBlock({ version: 3 }, { version: 2 })).toBe(false);
  });
});
