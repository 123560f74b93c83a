import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isFileKey } from '../media-names';
import { AttachmentFiles, StoredFileMeta } from './attachment-files.port';
import { LOCAL_MEDIA_ROUTE } from './local-disk-image-files';

/** URL path of downloads, under the local media route: `/media/files/<key>`. */
export const LOCAL_FILES_ROUTE = `${LOCAL_MEDIA_ROUTE}/files`;

export interface LocalStoredFile {
  path: string;
  size: number;
  modifiedAt: Date;
  meta: StoredFileMeta;
}

/**
 * The embedded default for files: `DATA_DIR/media/files/<first two hex digits>/<id>.bin`, with the download name
 * and recognised type beside it in `<id>.json` (the name never becomes a path). Served by the gateway
 * (LocalMediaHttpController) as attachments.
 */
export class LocalDiskAttachmentFiles extends AttachmentFiles {
  constructor(readonly root: string) {
    super();
  }

  async put(key: string, body: Buffer, meta: StoredFileMeta): Promise<string> {
    const target = this.pathOf(key);
    await mkdir(join(target, '..'), { recursive: true });
    // The description first, then the bytes, each written aside and renamed: a file that can be found (find()
    // looks at the bytes) always has its description, and a reader never sees half of either.
    await this.writeAtomically(this.metaPathOf(key), Buffer.from(JSON.stringify(meta)));
    await this.writeAtomically(target, body);
    return `/${LOCAL_FILES_ROUTE}/${key}`;
  }

  async remove(key: string): Promise<void> {
    if (!isFileKey(key)) return;
    await Promise.all([unlinkIfPresent(this.pathOf(key)), unlinkIfPresent(this.metaPathOf(key))]);
  }

  /** The stored file behind a key from a URL, or null. Keys outside our own pattern never touch the disk. */
  async find(key: string): Promise<LocalStoredFile | null> {
    if (!isFileKey(key)) return null;
    const path = this.pathOf(key);
    try {
      const [stats, meta] = await Promise.all([stat(path), readFile(this.metaPathOf(key), 'utf8')]);
      return stats.isFile() ? { path, size: stats.size, modifiedAt: stats.mtime, meta: JSON.parse(meta) as StoredFileMeta } : null;
    } catch {
      return null;
    }
  }

  private async writeAtomically(target: string, body: Buffer): Promise<void> {
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, body, { flag: 'wx' });
    await rename(temporary, target);
  }

  private pathOf(key: string): string {
    if (!isFileKey(key)) throw new Error(`Not a file key: ${JSON.stringify(key)}`);
    return join(this.root, key.slice(0, 2), key);
  }

  private metaPathOf(key: string): string {
    return this.pathOf(key).replace(/\.bin$/, '.json');
  }
}

async function unlinkIfPresent(path: string): Promise<void> {
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}
