import { ImageRef } from '@chat/contracts';
import { KeyValueStore } from '@chat/platform';

/** How long an upload waits to be attached to a message; past that it can no longer be claimed. */
export const UPLOAD_CLAIM_TTL_MS = 24 * 60 * 60 * 1000;

interface UploadRecord {
  ownerId: string;
  ref: ImageRef;
}

/**
 * Who uploaded which image, so only the uploader can attach it to a message. Kept in the KeyValueStore (memory
 * in one process, Redis when scaled out) because an upload on one gateway may be attached through another.
 * A record stays for the whole TTL rather than being taken by the first claim: a retried send (same client
 * message id) claims again and must get the same answer.
 */
export class UploadRegistry {
  constructor(
    private readonly store: KeyValueStore,
    private readonly ttlMs = UPLOAD_CLAIM_TTL_MS,
  ) {}

  async remember(ref: ImageRef, ownerId: string): Promise<void> {
    const record: UploadRecord = { ownerId, ref };
    await this.store.set(this.keyOf(ref.key), JSON.stringify(record), this.ttlMs);
  }

  async find(key: string): Promise<UploadRecord | null> {
    const raw = await this.store.get(this.keyOf(key));
    return raw ? (JSON.parse(raw) as UploadRecord) : null;
  }

  async forget(key: string): Promise<void> {
    await this.store.delete(this.keyOf(key));
  }

  private keyOf(key: string): string {
    return `media:upload:${key}`;
  }
}
