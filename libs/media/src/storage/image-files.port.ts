/**
 * Where re-encoded images live (also the DI token). The name is always one the server made (media-names.ts);
 * adapters may rely on that.
 */
export abstract class ImageFiles {
  /** Stores the bytes under `name` and returns the URL clients load them from. */
  abstract put(name: string, body: Buffer, contentType: string): Promise<string>;
  /** Removes the file; an absent one is fine. */
  abstract remove(name: string): Promise<void>;
}
