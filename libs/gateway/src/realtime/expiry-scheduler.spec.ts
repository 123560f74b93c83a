import { ExpiryScheduler } from './expiry-scheduler';

describe('ExpiryScheduler', () => {
  let due: string[];
  let scheduler: ExpiryScheduler<string>;

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    due = [];
    scheduler = new ExpiryScheduler<string>((item) => due.push(item));
  });
  afterEach(() => jest.useRealTimers());

  it('calls each item back at its deadline, not a millisecond before, with a single timer', () => {
    scheduler.add('b', 1_002_000);
    scheduler.add('a', 1_001_000);
    scheduler.add('a2', 1_001_000);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(999);
    expect(due).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(due).toEqual(['a', 'a2']);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(999);
    expect(due).toEqual(['a', 'a2']);
    jest.advanceTimersByTime(1);
    expect(due).toEqual(['a', 'a2', 'b']);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('calls back at once when the deadline has already passed', () => {
    scheduler.add('late', 999_000);
    jest.advanceTimersByTime(0);
    expect(due).toEqual(['late']);
  });

  it('knows which items are still waiting, and never calls back a removed one', () => {
    scheduler.add('kept', 1_001_000);
    scheduler.add('gone', 1_001_000);
    expect(scheduler.remove('gone', 1_001_000)).toBe(true);
    expect(scheduler.remove('gone', 1_001_000)).toBe(false);
    expect(scheduler.remove('kept', 1_002_000)).toBe(false); // another deadline: not that item
    expect(scheduler.has('kept', 1_001_000)).toBe(true);
    expect(scheduler.has('gone', 1_001_000)).toBe(false);
    jest.advanceTimersByTime(1000);
    expect(due).toEqual(['kept']);
    expect(scheduler.has('kept', 1_001_000)).toBe(false);
  });

  it('re-arms for the next deadline when the earliest bucket was emptied', () => {
    scheduler.add('first', 1_001_000);
    scheduler.add('second', 1_003_000);
    scheduler.remove('first', 1_001_000);
    jest.advanceTimersByTime(1000);
    expect(due).toEqual([]);
    jest.advanceTimersByTime(2000);
    expect(due).toEqual(['second']);
  });

  it('waits past the longest setTimeout delay instead of overflowing', () => {
    const farAway = 1_000_000 + 30 * 24 * 3600 * 1000; // 30 days; setTimeout caps at ~24.8
    scheduler.add('far', farAway);
    jest.advanceTimersByTime(2 ** 31 - 1);
    expect(due).toEqual([]);
    jest.advanceTimersByTime(farAway - 1_000_000 - (2 ** 31 - 1));
    expect(due).toEqual(['far']);
  });

  it('calls back every due item even when one callback throws, then surfaces the error', () => {
    const called: string[] = [];
    const throwing = new ExpiryScheduler<string>((item) => {
      called.push(item);
      if (item === 'bad') throw new Error('boom');
    });
    throwing.add('bad', 1_001_000);
    throwing.add('good', 1_001_000);
    expect(() => jest.advanceTimersByTime(1000)).toThrow('boom');
    expect(called).toEqual(['bad', 'good']);
  });
});
