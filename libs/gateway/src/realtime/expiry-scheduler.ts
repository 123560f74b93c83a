/** setTimeout's longest delay; a longer one overflows and fires at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Calls `onDue(item)` once the item's deadline (epoch ms) has passed, with one Timeout for every item instead of
 * one each: a Timeout and its closure per idle socket was about 0.4 KB. Items due at the same moment share a
 * bucket, and access tokens expire on whole seconds, so sockets share buckets. Never fires before a deadline:
 * a timer that wakes up early (or for a bucket emptied meanwhile) just re-arms for what is left.
 */
export class ExpiryScheduler<T> {
  private readonly buckets = new Map<number, Set<T>>();
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;

  constructor(private readonly onDue: (item: T) => void) {}

  add(item: T, deadline: number): void {
    let bucket = this.buckets.get(deadline);
    if (!bucket) this.buckets.set(deadline, (bucket = new Set()));
    bucket.add(item);
    if (deadline < this.timerAt) this.arm(deadline);
  }

  /** Still waiting for its deadline (false once due, removed, or never added). */
  has(item: T, deadline: number): boolean {
    return this.buckets.get(deadline)?.has(item) ?? false;
  }

  /** True when the item was still waiting; it will not be called back. */
  remove(item: T, deadline: number): boolean {
    const bucket = this.buckets.get(deadline);
    if (!bucket?.delete(item)) return false;
    if (bucket.size === 0) this.buckets.delete(deadline); // the timer, if armed for it, wakes up and re-arms
    return true;
  }

  private arm(deadline: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = deadline;
    this.timer = setTimeout(() => this.fire(), Math.min(Math.max(0, deadline - Date.now()), MAX_TIMEOUT_MS));
    this.timer.unref(); // like the per-socket timers it replaces: never what keeps the process alive
  }

  private fire(): void {
    this.timer = null;
    this.timerAt = Infinity;
    const now = Date.now();
    const due: T[] = [];
    let next = Infinity;
    for (const [deadline, bucket] of this.buckets) {
      if (deadline <= now) {
        this.buckets.delete(deadline);
        for (const item of bucket) due.push(item);
      } else if (deadline < next) {
        next = deadline;
      }
    }
    if (next < Infinity) this.arm(next);
    // Every due item is called back even if one callback throws; the first error then surfaces as before.
    let failure: { error: unknown } | null = null;
    for (const item of due) {
      try {
        this.onDue(item);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }
}
