import { randomBytes } from 'node:crypto';
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMediaFileName } from '../media-names';
import { ImageFiles } from './image-files.port';

/** URL path under which the gateway serves local media (outside the /api/v1 prefix, like any static asset). */
export const LOCAL_MEDIA_ROUTE = 'media';

export interface LocalImageFile {
  path: string;
  size: number;
  modifiedAt: Date;
}

/**
 * The embedded default: files under `DATA_DIR/media/<first two hex digits>/<name>`, served by the gateway
 * (LocalMediaHttpController). The two-digit fan-out keeps directories small.
 */
export class LocalDiskImageFiles extends ImageFiles {
  constructor(readonly root: string) {
    super();
  }

  async put(name: string, body: Buffer): Promise<string> {
    const target = this.pathOf(name);
    await mkdir(join(target, '..'), { recursive: true });
    // Written aside then renamed: a reader never sees half a file.
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, body, { flag: 'wx' });
    await rename(temporary, target);
    return `/${LOCAL_MEDIA_ROUTE}/${name}`;
  }

  async remove(name: string): Promise<void> {
    if (!isMediaFileName(name)) return;
    await unlink(this.pathOf(name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  /** The stored file behind a name from a URL, or null. Names outside our own pattern never touch the disk. */
  async find(name: string): Promise<LocalImageFile | null> {
    if (!isMediaFileName(name)) return null;
    const path = this.pathOf(name);
    try {
      const stats = await stat(path);
      return stats.isFile() ? { path, size: stats.size, modifiedAt: stats.mtime } : null;
    } catch {
      return null;
    }
  }

  private pathOf(name: string): string {
    if (!isMediaFileName(name)) throw new Error(`Not a media file name: ${JSON.stringify(name)}`);
    return join(this.root, name.slice(0, 2), name);
  }
}
