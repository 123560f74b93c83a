// The account settings apart from the SDK (cloudinary-assets.ts), so that reading CLOUDINARY_URL loads no SDK.

export interface CloudinaryAccount {
  cloudName: string;
  apiKey: string;
  apiSecret: string;
  /** Base URL of the upload API (the SDK's `upload_prefix`); a local stand-in in tests. */
  apiUrl?: string;
  /** Folder of this deployment's assets. */
  folder: string;
  timeoutMs?: number;
}

/** `cloudinary://key:secret@cloud` as the SDK documents it. */
export function parseCloudinaryUrl(url: string): Pick<CloudinaryAccount, 'cloudName' | 'apiKey' | 'apiSecret'> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'cloudinary:' || !parsed.hostname || !parsed.username || !parsed.password) {
    throw new Error('CLOUDINARY_URL must look like cloudinary://<api key>:<api secret>@<cloud name>');
  }
  return { cloudName: parsed.hostname, apiKey: decodeURIComponent(parsed.username), apiSecret: decodeURIComponent(parsed.password) };
}
