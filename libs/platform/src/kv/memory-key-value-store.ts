import { KeyValueStore } from './key-value-store';

interface Entry {
  value: string;
  expiresAt: number | null;
}

interface SetEntry {
  members: Set<string>;
  expiresAt: number;
}

/** The embedded default: one process, nothing to install. Expired keys are dropped on read and by a sweep. */
export class MemoryKeyValueStore extends KeyValueStore {
  private readonly entries = new Map<string, Entry>();
  private readonly sets = new Map<string, SetEntry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(sweepEveryMs = 60_000) {
    super();
    this.sweeper = setInterval(() => this.sweep(), sweepEveryMs);
    this.sweeper.unref();
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: ttlMs ? Date.now() + ttlMs : null });
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    await this.set(key, value, ttlMs);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async increment(key: string, ttlMs: number, by = 1): Promise<number> {
    const entry = this.live(key);
    if (!entry) {
      // Written at once, not awaited: every increment then takes the same number of turns, so increments that
      // callers await one after another (a user's sends, counted before they go on) finish in the order begun.
      this.entries.set(key, { value: String(by), expiresAt: Date.now() + ttlMs });
      return by;
    }
    const next = Number(entry.value) + by;
    entry.value = String(next);
    return next;
  }

  async ttlMs(key: string): Promise<number | null> {
    const entry = this.live(key);
    return entry?.expiresAt ? Math.max(0, entry.expiresAt - Date.now()) : null;
  }

  async take(key: string): Promise<string | null> {
    const entry = this.live(key);
    this.entries.delete(key);
    return entry?.value ?? null;
  }

  async addToSet(key: string, members: readonly string[], ttlMs: number): Promise<void> {
    const entry = this.liveSet(key) ?? { members: new Set<string>(), expiresAt: 0 };
    for (const member of members) entry.members.add(member);
    entry.expiresAt = Date.now() + ttlMs;
    // Like Redis: an empty set does not exist, so only an expiry refresh never creates one.
    if (entry.members.size > 0) this.sets.set(key, entry);
  }

  async removeFromSet(key: string, members: readonly string[]): Promise<void> {
    const entry = this.liveSet(key);
    if (!entry) return;
    for (const member of members) entry.members.delete(member);
    if (entry.members.size === 0) this.sets.delete(key);
  }

  async setMembers(key: string): Promise<string[]> {
    return [...(this.liveSet(key)?.members ?? [])];
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry?.expiresAt !== null && entry !== undefined && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private liveSet(key: string): SetEntry | undefined {
    const entry = this.sets.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      this.sets.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt !== null && entry.expiresAt <= now) this.entries.delete(key);
    }
    for (const [key, entry] of this.sets) {
      if (entry.expiresAt <= now) this.sets.delete(key);
    }
  }
}
