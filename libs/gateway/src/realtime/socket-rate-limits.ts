import { TokenBucket } from './token-bucket';

/** What a socket may do only so often. `queries`: sync and presence:query, cheap to ask, not to answer. */
export type RateLimitedAction = 'sends' | 'typing' | 'queries';

export type RateLimitBudgets = Record<RateLimitedAction, { burst: number; perSecond: number }>;

/**
 * Each socket's token buckets, made on the socket's first event of that kind: an idle socket holds none. A
 * bucket starts full and never holds more than its burst, so one made late has exactly the tokens it would have
 * had if made at connect time.
 */
export class SocketRateLimits {
  private readonly buckets = new Map<string, Partial<Record<RateLimitedAction, TokenBucket>>>();

  constructor(
    private readonly budgets: RateLimitBudgets,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token; false when the socket used up its budget for that action. */
  tryTake(socketId: string, action: RateLimitedAction): boolean {
    let buckets = this.buckets.get(socketId);
    if (!buckets) this.buckets.set(socketId, (buckets = {}));
    const { burst, perSecond } = this.budgets[action];
    return (buckets[action] ??= new TokenBucket(burst, perSecond, this.now)).tryTake();
  }

  /** The socket closed: its budgets go with it. */
  forget(socketId: string): void {
    this.buckets.delete(socketId);
  }
}
