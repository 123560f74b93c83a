import { FileRef, ImageRef } from '@chat/contracts';
import { KeyValueStore } from '@chat/platform';

/** Default of UPLOAD_ORPHAN_TTL_SECONDS: how long an upload waits to be attached to a message. */
export const UPLOAD_CLAIM_TTL_MS = 24 * 60 * 60 * 1000;

export type UploadRef = ImageRef | FileRef;

interface UploadRecord<T extends UploadRef = UploadRef> {
  ownerId: string;
  ref: T;
  /** When the upload is swept if no message took it (epoch ms); its pending entry is `<deadline>:<key>`. */
  deadline: number;
}

/** Holds an upload's binding once the sweep took it: no message can claim it any more. */
const SWEPT = '\u0000swept';
const PENDING_SET = 'media:pending-uploads';

/**
 * Who uploaded which image or file, so only the uploader can attach it to a message, and which uploads still
 * wait for a message, so the ones never attached are deleted after the orphan time. Kept in the KeyValueStore
 * (memory in one process, Redis when scaled out) because an upload on one gateway may be attached through another
 * and swept by a third. A record stays for the whole claim window rather than being taken by the first claim: a
 * retried send (same client message id) claims again and must get the same answer.
 *
 * Pending uploads are set members `<deadline ms>:<key>`; the sweep takes the due ones. An upload leaves the set
 * when its message is stored (markAttached) or when the sweep finds it bound to a message; a refused send
 * releases the binding and puts the upload back, so it is swept if nothing else takes it.
 */
export class UploadRegistry {
  constructor(
    private readonly store: KeyValueStore,
    /** The claim window, which is also the orphan time. */
    private readonly ttlMs = UPLOAD_CLAIM_TTL_MS,
  ) {}

  async remember(ref: UploadRef, ownerId: string, now = Date.now()): Promise<void> {
    const record: UploadRecord = { ownerId, ref, deadline: now + this.ttlMs };
    await this.store.set(this.keyOf(ref.key), JSON.stringify(record), this.ttlMs);
    await this.store.addToSet(PENDING_SET, [pendingEntry(record.deadline, ref.key)], this.pendingSetTtlMs());
  }

  async find<T extends UploadRef>(key: string): Promise<UploadRecord<T> | null> {
    const raw = await this.store.get(this.keyOf(key));
    return raw ? (JSON.parse(raw) as UploadRecord<T>) : null;
  }

  /**
   * Binds the upload to one message (`use`), atomically, so two concurrent sends cannot both take it (nor the
   * sweep). True when it is bound to `use` now, including a retry of the same message.
   */
  async bindToUse(key: string, use: string): Promise<boolean> {
    if (await this.store.setIfAbsent(this.useKeyOf(key), use, this.bindingTtlMs())) return true;
    return (await this.store.get(this.useKeyOf(key))) === use;
  }

  /** Frees the upload for another message, if `use` still holds it, and makes it a candidate for the sweep again. */
  async unbindUse(key: string, use: string, now = Date.now()): Promise<void> {
    if ((await this.store.get(this.useKeyOf(key))) !== use) return;
    await this.store.delete(this.useKeyOf(key));
    const record = await this.find(key);
    // Due when it was due anyway; its record gone (past the claim window), at once.
    await this.store.addToSet(PENDING_SET, [pendingEntry(record?.deadline ?? now, key)], this.pendingSetTtlMs());
  }

  /** The upload is on a stored message: it leaves the pending set. */
  async markAttached(key: string): Promise<void> {
    const record = await this.find(key);
    if (record) await this.store.removeFromSet(PENDING_SET, [pendingEntry(record.deadline, key)]);
  }

  /** Pending uploads whose deadline has passed. */
  async due(now = Date.now()): Promise<{ entry: string; key: string }[]> {
    const due: { entry: string; key: string }[] = [];
    for (const entry of await this.store.setMembers(PENDING_SET)) {
      const parsed = parsePendingEntry(entry);
      if (!parsed) await this.store.removeFromSet(PENDING_SET, [entry]);
      else if (parsed.deadline <= now) due.push({ entry, key: parsed.key });
    }
    return due;
  }

  /**
   * Takes a due upload for deletion: true when no message holds it, and from now on none can (atomic with
   * bindToUse). Either way it leaves the pending set; one bound to a message is kept.
   */
  async takeForSweep(entry: string, key: string): Promise<boolean> {
    const taken = await this.store.setIfAbsent(this.useKeyOf(key), SWEPT, this.bindingTtlMs());
    await this.store.removeFromSet(PENDING_SET, [entry]);
    return taken;
  }

  async forget(key: string): Promise<void> {
    await this.store.delete(this.keyOf(key));
    await this.store.delete(this.useKeyOf(key));
  }

  /**
   * A binding outlives the claim window by far: the sweep must always see that an upload it finds due went on a
   * message, even when it runs late.
   */
  private bindingTtlMs(): number {
    return this.ttlMs * 2 + 60 * 60 * 1000;
  }

  private pendingSetTtlMs(): number {
    return this.ttlMs * 4 + 24 * 60 * 60 * 1000;
  }

  private useKeyOf(key: string): string {
    return `media:upload-use:${key}`;
  }

  private keyOf(key: string): string {
    return `media:upload:${key}`;
  }
}

function pendingEntry(deadline: number, key: string): string {
  return `${deadline}:${key}`;
}

function parsePendingEntry(entry: string): { deadline: number; key: string } | null {
  const colon = entry.indexOf(':');
  const deadline = Number(entry.slice(0, colon));
  return colon > 0 && Number.isFinite(deadline) ? { deadline, key: entry.slice(colon + 1) } : null;
}
