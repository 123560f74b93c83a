import { SocketRateLimits } from './socket-rate-limits';

const budgets = { sends: { burst: 3, perSecond: 1 }, typing: { burst: 1, perSecond: 1 }, queries: { burst: 2, perSecond: 1 } };

describe('SocketRateLimits', () => {
  it('gives a socket seen for the first time its full burst, however long it was connected', () => {
    let now = 0;
    const limits = new SocketRateLimits(budgets, () => now);
    now = 3_600_000;
    expect([1, 2, 3, 4].map(() => limits.tryTake('s1', 'sends'))).toEqual([true, true, true, false]);
    now += 1000; // 1/s
    expect([limits.tryTake('s1', 'sends'), limits.tryTake('s1', 'sends')]).toEqual([true, false]);
  });

  it('keeps a separate budget per action and per socket', () => {
    const limits = new SocketRateLimits(budgets, () => 0);
    expect([limits.tryTake('s1', 'typing'), limits.tryTake('s1', 'typing')]).toEqual([true, false]);
    expect(limits.tryTake('s1', 'queries')).toBe(true);
    expect(limits.tryTake('s2', 'typing')).toBe(true);
  });

  it('forgets a closed socket', () => {
    const limits = new SocketRateLimits(budgets, () => 0);
    limits.tryTake('s1', 'typing');
    limits.forget('s1');
    expect(limits.tryTake('s1', 'typing')).toBe(true); // a new socket with that id would start full
  });
});
