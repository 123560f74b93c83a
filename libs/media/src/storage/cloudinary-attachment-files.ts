import { isFileKey } from '../media-names';
import { AttachmentFiles, StoredFileMeta } from './attachment-files.port';
import { CloudinaryAccount } from './cloudinary-account';
import { CloudinaryAssets } from './cloudinary-assets';

/**
 * Files and voice messages on Cloudinary, as raw resources (stored as they came, never transformed), under
 * `<folder>/files/<id>`: no extension, so Cloudinary infers no type from the uploader's name. The URL handed out
 * carries the `fl_attachment` flag, so Cloudinary delivers it as a download under the cleaned name (an `<audio>`
 * element plays it all the same), on Cloudinary's own origin, never ours.
 */
export class CloudinaryAttachmentFiles extends AttachmentFiles {
  private readonly assets: CloudinaryAssets;

  constructor(private readonly account: CloudinaryAccount) {
    super();
    this.assets = new CloudinaryAssets(account);
  }

  async put(key: string, body: Buffer, meta: StoredFileMeta): Promise<string> {
    const url = await this.assets.upload(this.publicIdOf(key), 'raw', body);
    return withAttachmentFlag(url, meta.name);
  }

  async remove(key: string): Promise<void> {
    if (!isFileKey(key)) return;
    await this.assets.destroy(this.publicIdOf(key), 'raw');
  }

  publicIdOf(key: string): string {
    if (!isFileKey(key)) throw new Error(`Not a file key: ${JSON.stringify(key)}`);
    return `${this.account.folder}/files/${key.replace(/\.bin$/, '')}`;
  }
}

/**
 * `…/raw/upload/v123/…` becomes `…/raw/upload/fl_attachment:<name>/v123/…`. The flag's name is a URL path
 * segment Cloudinary parses, so it keeps only letters, digits, `-` and `_` (the extension's dot and everything
 * else become `_`); Cloudinary adds the extension of the stored resource itself.
 */
export function withAttachmentFlag(url: string, name: string): string {
  const safe = name.replace(/\.[^.]*$/, '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 100);
  const flag = safe ? `fl_attachment:${safe}` : 'fl_attachment';
  return url.replace(/\/raw\/upload\//, `/raw/upload/${flag}/`);
}
