import { Injectable } from '@nestjs/common';
import type { PresenceState } from '@chat/contracts';
import { AppConfig, KeyValueStore } from '@chat/platform';
import { randomUUID } from 'node:crypto';

/** How long the bookkeeping sets live without a write: far longer than any gateway's heartbeat period. */
const REGISTRY_TTL_MS = 7 * 24 * 3600 * 1000;
const aliveKey = (gatewayId: string) => `presence:gateway:${gatewayId}:alive`;
const gatewayUsersKey = (gatewayId: string) => `presence:gateway:${gatewayId}:users`;
const reapKey = (gatewayId: string) => `presence:gateway:${gatewayId}:reaped`;
const GATEWAYS_KEY = 'presence:gateways';
const userGatewaysKey = (userId: string) => `presence:user:${userId}:gateways`;
const lastSeenKey = (userId: string) => `presence:last-seen:${userId}`;

/**
 * Presence in the KeyValueStore (Redis when scaled out), so every gateway sees every device, and a gateway
 * that dies without its disconnect handlers cannot leave its users online:
 * - each gateway counts its own sockets per user in memory (the truth for its users);
 * - the store keeps, per user, the set of gateways holding a socket of theirs, and per gateway the set of its
 *   users, while the gateway proves it is alive with a heartbeat key that expires after PRESENCE_TTL_MS;
 * - a user is online while any gateway in their set is alive. A dead gateway's users are offline as soon as
 *   its heartbeat expires; the first live gateway to notice removes it and says so to their watchers.
 * A restarted gateway is a new gateway (a new id), so nothing of its former life counts.
 */
@Injectable()
export class PresenceService {
  readonly gatewayId = randomUUID();
  private readonly sockets = new Map<string, number>();
  /** Users whose registration or removal failed (the store was away): the next heartbeat writes them again. */
  private readonly unsynced = new Set<string>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly config: AppConfig,
  ) {}

  get heartbeatEveryMs(): number {
    return Math.floor(this.config.env.PRESENCE_TTL_MS / 3);
  }

  /** Whether the user has a socket on this gateway (so is online), without asking the store. */
  isConnectedHere(userId: string): boolean {
    return this.sockets.has(userId);
  }

  /** Counts a new socket; true when it is the user's first device anywhere (the user just came online). */
  async connected(userId: string): Promise<boolean> {
    const count = this.sockets.get(userId) ?? 0;
    this.sockets.set(userId, count + 1);
    if (count > 0) return false;
    const wasOnline = (await this.liveGatewaysOf(userId)).some((id) => id !== this.gatewayId);
    await this.register([userId]);
    // A disconnect that ran while these writes were in flight may have unregistered before we registered.
    if (!this.sockets.has(userId)) await this.unregister(userId);
    return !wasOnline;
  }

  /** Uncounts a socket; the new state when it was the user's last device anywhere (the user just went offline). */
  async disconnected(userId: string): Promise<PresenceState | null> {
    const count = this.sockets.get(userId) ?? 0;
    if (count === 0) return null; // never counted here
    if (count > 1) {
      this.sockets.set(userId, count - 1);
      return null;
    }
    this.sockets.delete(userId);
    await this.unregister(userId);
    // A connect that ran while these writes were in flight: the user is here again.
    if (this.sockets.has(userId)) {
      await this.register([userId]);
      return null;
    }
    if ((await this.liveGatewaysOf(userId)).length > 0) return null;
    return this.wentOffline(userId);
  }

  async states(userIds: readonly string[]): Promise<PresenceState[]> {
    const alive = new Map<string, Promise<boolean>>();
    return Promise.all(
      userIds.map(async (userId) => {
        if ((await this.liveGatewaysOf(userId, alive)).length > 0) return { userId, online: true, lastSeen: null };
        return { userId, online: false, lastSeen: await this.store.get(lastSeenKey(userId)) };
      }),
    );
  }

  /**
   * One heartbeat: renews this gateway's liveness and removes gateways whose heartbeat expired. Returns the
   * users who went offline with them (to tell their watchers). Called every `heartbeatEveryMs`.
   */
  async beat(): Promise<PresenceState[]> {
    const ttlMs = this.config.env.PRESENCE_TTL_MS;
    const fresh = await this.store.setIfAbsent(aliveKey(this.gatewayId), '1', ttlMs);
    const unsynced = [...this.unsynced];
    if (fresh) {
      // First beat, or this gateway lost touch with the store long enough to be taken for dead (and maybe
      // removed by another): register every user it holds again.
      await this.store.addToSet(GATEWAYS_KEY, [this.gatewayId], REGISTRY_TTL_MS);
      await this.register([...this.sockets.keys()]);
    } else {
      await this.store.set(aliveKey(this.gatewayId), '1', ttlMs);
      await this.store.addToSet(GATEWAYS_KEY, [this.gatewayId], REGISTRY_TTL_MS);
      await this.store.addToSet(gatewayUsersKey(this.gatewayId), [], REGISTRY_TTL_MS);
      for (const userId of unsynced) if (this.sockets.has(userId)) await this.register([userId]);
    }
    const offline: PresenceState[] = [];
    for (const userId of unsynced) {
      if (this.sockets.has(userId)) continue;
      await this.unregister(userId);
      // Their disconnect could not say it: the last device went while the store was away.
      if ((await this.liveGatewaysOf(userId)).length === 0) offline.push(await this.wentOffline(userId));
    }
    for (const userId of unsynced) this.unsynced.delete(userId);
    for (const gatewayId of await this.store.setMembers(GATEWAYS_KEY)) {
      if (gatewayId === this.gatewayId || (await this.store.get(aliveKey(gatewayId))) !== null) continue;
      // One live gateway removes a dead one, and says so once.
      if (!(await this.store.setIfAbsent(reapKey(gatewayId), this.gatewayId, ttlMs))) continue;
      offline.push(...(await this.removeGateway(gatewayId)));
    }
    return offline;
  }

  private async removeGateway(gatewayId: string): Promise<PresenceState[]> {
    const offline: PresenceState[] = [];
    for (const userId of await this.store.setMembers(gatewayUsersKey(gatewayId))) {
      await this.store.removeFromSet(userGatewaysKey(userId), [gatewayId]);
      if ((await this.liveGatewaysOf(userId)).length === 0) offline.push(await this.wentOffline(userId));
    }
    await this.store.delete(gatewayUsersKey(gatewayId));
    await this.store.removeFromSet(GATEWAYS_KEY, [gatewayId]);
    return offline;
  }

  private async register(userIds: readonly string[]): Promise<void> {
    if (userIds.length === 0) return;
    try {
      for (const userId of userIds) await this.store.addToSet(userGatewaysKey(userId), [this.gatewayId], REGISTRY_TTL_MS);
      await this.store.addToSet(gatewayUsersKey(this.gatewayId), userIds, REGISTRY_TTL_MS);
    } catch (error) {
      for (const userId of userIds) this.unsynced.add(userId);
      throw error;
    }
  }

  private async unregister(userId: string): Promise<void> {
    try {
      await this.store.removeFromSet(userGatewaysKey(userId), [this.gatewayId]);
      await this.store.removeFromSet(gatewayUsersKey(this.gatewayId), [userId]);
    } catch (error) {
      this.unsynced.add(userId);
      throw error;
    }
  }

  /** Gateways holding a socket of the user that are alive: this one by its own count, others by their heartbeat. */
  private async liveGatewaysOf(userId: string, alive = new Map<string, Promise<boolean>>()): Promise<string[]> {
    const live: string[] = [];
    for (const gatewayId of await this.store.setMembers(userGatewaysKey(userId))) {
      if (gatewayId === this.gatewayId) {
        if (this.sockets.has(userId)) live.push(gatewayId);
        continue;
      }
      if (!alive.has(gatewayId)) alive.set(gatewayId, this.store.get(aliveKey(gatewayId)).then((value) => value !== null));
      if (await alive.get(gatewayId)) live.push(gatewayId);
    }
    // Not registered yet (its first write still in flight) but connected here: online all the same.
    if (!live.includes(this.gatewayId) && this.sockets.has(userId)) live.push(this.gatewayId);
    return live;
  }

  private async wentOffline(userId: string): Promise<PresenceState> {
    const lastSeen = new Date().toISOString();
    await this.store.set(lastSeenKey(userId), lastSeen);
    return { userId, online: false, lastSeen };
  }
}
