import type { Store } from '../store';

/**
 * What the engine's parts need from the world, passed in rather than imported, so each part runs in a unit test
 * against a fake socket, a fake API and a fresh store.
 */

/** The part of a socket.io client socket the engine uses. */
export interface SocketLike {
  readonly connected: boolean;
  /** Trying to (re)connect by itself. */
  readonly active: boolean;
  on(event: string, handler: (...args: any[]) => void): unknown;
  emit(event: string, ...args: any[]): unknown;
  timeout(ms: number): { emit(event: string, ...args: any[]): unknown };
  connect(): unknown;
  disconnect(): unknown;
  removeAllListeners(): unknown;
}

/** The REST client (api.ts): a path under /api/v1, JSON in and out, errors thrown. */
export type ApiClient = <T = unknown>(path: string, init?: { method?: string; body?: unknown }) => Promise<T>;

/** Timers, replaceable in tests. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
}

export const realClock: Clock = { now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms) };

export type { Store };
