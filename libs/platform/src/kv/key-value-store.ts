/**
 * Short-lived shared state: OTP hashes, rate-limit counters, presence. The port is also the DI token;
 * the in-memory adapter serves one process, the Redis adapter serves several.
 * Keys are given without the deployment namespace; adapters add it.
 */
export abstract class KeyValueStore {
  abstract get(key: string): Promise<string | null>;
  /** Sets the value; with `ttlMs` it expires after that long. */
  abstract set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets the value only if the key is absent; true when it was set. */
  abstract setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  abstract delete(key: string): Promise<void>;
  /** Atomically adds `by` (default 1) and returns the new value; a new key gets `ttlMs` (a fixed window). */
  abstract increment(key: string, ttlMs: number, by?: number): Promise<number>;
  /** Milliseconds until the key expires; null when it is absent or never expires. */
  abstract ttlMs(key: string): Promise<number | null>;
  /** Reads and deletes in one step (single-use values). */
  abstract take(key: string): Promise<string | null>;
  /** Adds members to the set at `key` (none: only the expiry) and sets its time-to-live to `ttlMs`. */
  abstract addToSet(key: string, members: readonly string[], ttlMs: number): Promise<void>;
  abstract removeFromSet(key: string, members: readonly string[]): Promise<void>;
  /** The set's members, in no particular order; empty when the key is absent. */
  abstract setMembers(key: string): Promise<string[]>;
  abstract close(): Promise<void>;
}
