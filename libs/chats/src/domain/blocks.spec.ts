import { ChatsEvents } from '@chat/contracts';
import { blockChangedEvent, blockedEitherWay, nextBlock } from './blocks';

describe('blocks', () => {
  it('changes a pair’s block only when its state changes, with the next version', () => {
    expect(nextBlock(null, 'ada', 'bob', false)).toBeNull();
    const first = nextBlock(null, 'ada', 'bob', true);
    expect(first).toEqual({ blockerId: 'ada', blockedId: 'bob', blocked: true, version: 1 });
    expect(nextBlock(first, 'ada', 'bob', true)).toBeNull();
    const lifted = nextBlock(first, 'ada', 'bob', false);
    expect(lifted).toEqual({ blockerId: 'ada', blockedId: 'bob', blocked: false, version: 2 });
    expect(nextBlock(lifted, 'ada', 'bob', true)!.version).toBe(3);
  });

  it('announces the change with its version', () => {
    expect(blockChangedEvent({ blockerId: 'ada', blockedId: 'bob', blocked: true, version: 4 })).toEqual({
      pattern: ChatsEvents.blockChanged,
      payload: { blockerId: 'ada', blockedId: 'bob', blocked: true, version: 4 },
    });
  });

  it('finds blocks in either direction among the people asked about', () => {
    const blocks = [
      { blockerId: 'ada', blockedId: 'bob' },
      { blockerId: 'cyd', blockedId: 'ada' },
      { blockerId: 'dan', blockedId: 'eve' },
    ];
    expect([...blockedEitherWay('ada', ['bob', 'cyd', 'dan'], blocks)].sort()).toEqual(['bob', 'cyd']);
    expect([...blockedEitherWay('dan', ['ada', 'eve'], blocks)]).toEqual(['eve']);
    expect([...blockedEitherWay('ada', ['dan'], blocks)]).toEqual([]);
  });
});
