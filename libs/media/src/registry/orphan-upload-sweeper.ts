import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { MediaStore } from '../media-store.port';

/** How often the sweep runs: a quarter of the orphan time, between 1 s and 1 min. */
export function sweepIntervalMs(orphanTtlMs: number): number {
  return Math.min(60_000, Math.max(1_000, Math.floor(orphanTtlMs / 4)));
}

/**
 * Deletes uploads never attached to a message once the orphan time (UPLOAD_ORPHAN_TTL_SECONDS) has passed: each
 * gateway runs it, and the registry hands each upload to one of them. A failed round is logged and the next
 * one tries again (the uploads stay due).
 */
export class OrphanUploadSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Media');
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;

  constructor(
    private readonly media: MediaStore,
    private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweepOnce(), this.intervalMs);
    // Never keeps the process alive on its own.
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One round; a round still running is not started twice. */
  sweepOnce(): Promise<void> {
    this.running ??= this.media
      .sweepOrphans()
      .then((deleted) => {
        if (deleted > 0) this.logger.debug(`Deleted ${deleted} upload(s) never attached to a message`);
      })
      .catch((error: unknown) => this.logger.warn(`Sweeping unattached uploads failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (this.running = null));
    return this.running;
  }
}
