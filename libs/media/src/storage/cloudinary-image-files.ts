import { CloudinaryAccount } from './cloudinary-account';
import { CloudinaryAssets } from './cloudinary-assets';
import { ImageFiles } from './image-files.port';

/** Images on Cloudinary, as image resources (signed upload and destroy). */
export class CloudinaryImageFiles extends ImageFiles {
  private readonly assets: CloudinaryAssets;

  constructor(private readonly account: CloudinaryAccount) {
    super();
    this.assets = new CloudinaryAssets(account);
  }

  put(name: string, body: Buffer): Promise<string> {
    return this.assets.upload(this.publicIdOf(name), 'image', body);
  }

  remove(name: string): Promise<void> {
    return this.assets.destroy(this.publicIdOf(name), 'image');
  }

  /** `<folder>/<id>` or `<folder>/<id>_thumb`: Cloudinary adds the format itself. */
  publicIdOf(name: string): string {
    return `${this.account.folder}/${name.replace(/\.webp$/, '')}`;
  }
}
