import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PresenceService } from './presence.service';
import { presenceRoom } from './socket-rooms';
import { SocketServerRef } from './socket-server.ref';

/**
 * Beats for this gateway's presence (see PresenceService) every third of PRESENCE_TTL_MS, from boot (before
 * the first socket) to shutdown, and tells the watchers of users whose gateway died that they went offline.
 * A missed beat (the store is away) is retried on the next one.
 */
@Injectable()
export class PresenceHeartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PresenceHeartbeat');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly presence: PresenceService,
    private readonly ref: SocketServerRef,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.beatOnce();
    this.timer = setInterval(() => {
      // One beat at a time: a slow store never piles them up.
      if (!this.running) this.running = this.beatOnce().finally(() => (this.running = null));
    }, this.presence.heartbeatEveryMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async beatOnce(): Promise<void> {
    try {
      for (const state of await this.presence.beat()) this.ref.server?.to(presenceRoom(state.userId)).emit('presence', state);
    } catch (error) {
      this.logger.warn({ err: error }, 'Presence heartbeat failed; retrying on the next one');
    }
  }
}
