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

  /**
   * Binds the upload to one message (`use`), atomically, so two concurrent sends cannot both take it. True when
   * it is bound to `use` now, including a retry of the same message.
   */
  async bindToUse(key: string, use: string): Promise<boolean> {
    if (await this.store.setIfAbsent(this.useKeyOf(key), use, this.ttlMs)) return true;
    return (await this.store.get(this.useKeyOf(key))) === use;
  }

  /** Frees the upload for another message, if `use` still holds it. */
  async unbindUse(key: string, use: string): Promise<void> {
    if ((await this.store.get(this.useKeyOf(key))) === use) await this.store.delete(this.useKeyOf(key));
  }

  async forget(key: string): Promise<void> {
    await this.store.delete(this.keyOf(key));
    await this.store.delete(this.useKeyOf(key));
  }

  private useKeyOf(key: string): string {
    return `media:upload-use:${key}`;
  }

  private keyOf(key: string): string {
    return `media:upload:${key}`;
  }
}
