import { Injectable } from '@nestjs/common';
import type { PresenceState } from '@chat/contracts';
import { KeyValueStore } from '@chat/platform';

const DEVICES_TTL_MS = 7 * 24 * 3600 * 1000;
const devicesKey = (userId: string) => `presence:devices:${userId}`;
const lastSeenKey = (userId: string) => `presence:last-seen:${userId}`;

/**
 * Presence in the KeyValueStore (Redis when scaled out), so every gateway sees every device: a counter of
 * connected sockets per user. Online while the count is above zero; lastSeen is written when it drops to zero.
 * A gateway that dies without its disconnect handlers leaves its counts behind until the key expires.
 */
@Injectable()
export class PresenceService {
  constructor(private readonly store: KeyValueStore) {}

  /** Counts a new socket; true when it is the user's first device (the user just came online). */
  async connected(userId: string): Promise<boolean> {
    return (await this.store.increment(devicesKey(userId), DEVICES_TTL_MS, 1)) === 1;
  }

  /** Uncounts a socket; the new state when it was the user's last device (the user just went offline). */
  async disconnected(userId: string): Promise<PresenceState | null> {
    const remaining = await this.store.increment(devicesKey(userId), DEVICES_TTL_MS, -1);
    if (remaining > 0) return null;
    // Never delete the counter: a concurrent connect may have incremented it in between.
    if (remaining < 0) await this.store.increment(devicesKey(userId), DEVICES_TTL_MS, -remaining);
    const lastSeen = new Date().toISOString();
    await this.store.set(lastSeenKey(userId), lastSeen);
    return { userId, online: false, lastSeen };
  }

  async states(userIds: readonly string[]): Promise<PresenceState[]> {
    return Promise.all(
      userIds.map(async (userId) => {
        const devices = Number((await this.store.get(devicesKey(userId))) ?? '0');
        if (devices > 0) return { userId, online: true, lastSeen: null };
        return { userId, online: false, lastSeen: await this.store.get(lastSeenKey(userId)) };
      }),
    );
  }
}
