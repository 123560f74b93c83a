/** What a download needs besides the bytes: the name to offer and the type the server recognised. */
export interface StoredFileMeta {
  name: string;
  mimeType: string;
}

/**
 * Where files and voice messages live (also the DI token), stored as they came (no re-encoding) under a name the
 * server made (media-names.ts: `<id>.bin`); adapters may rely on that. Every adapter must deliver them as
 * downloads (`Content-Disposition: attachment`), never as a page.
 */
export abstract class AttachmentFiles {
  /** Stores the bytes under `key` and returns the URL clients download them from. */
  abstract put(key: string, body: Buffer, meta: StoredFileMeta): Promise<string>;
  /** Removes the file; an absent one is fine. */
  abstract remove(key: string): Promise<void>;
}
