import { Agent as HttpAgent } from 'node:http';
import { v2 as cloudinary, UploadApiResponse } from 'cloudinary';
import { CloudinaryAccount } from './cloudinary-account';

export type CloudinaryResourceType = 'image' | 'raw';

/**
 * The two Upload API calls the media adapters make (signed upload and destroy), through the SDK. The account goes
 * with every call instead of the SDK's global config, so nothing else in the process is affected. The SDK picks
 * its HTTP module when it is loaded (https unless its own config says otherwise), so a plain-http stand-in gets an
 * http Agent, which Node accepts in place of the https one.
 */
export class CloudinaryAssets {
  private readonly agent?: HttpAgent;

  constructor(readonly account: CloudinaryAccount) {
    if (account.apiUrl?.startsWith('http:')) this.agent = new HttpAgent({ keepAlive: true });
  }

  /** Uploads under `publicId` (never overwriting) and returns the delivery URL. */
  async upload(publicId: string, resourceType: CloudinaryResourceType, body: Buffer): Promise<string> {
    const result = await new Promise<UploadApiResponse>((resolve, reject) => {
      const stream = cloudinary.uploader.upload_stream(
        { ...this.callOptions(), public_id: publicId, resource_type: resourceType, overwrite: false, unique_filename: false },
        (error, response) => (error || !response ? reject(toError(error, 'upload')) : resolve(response)),
      );
      stream.end(body);
    });
    return result.secure_url;
  }

  async destroy(publicId: string, resourceType: CloudinaryResourceType): Promise<void> {
    const result = (await cloudinary.uploader.destroy(publicId, { ...this.callOptions(), resource_type: resourceType, invalidate: true }).catch(
      (error: unknown) => Promise.reject(toError(error, 'destroy')),
    )) as { result?: string };
    // "not found" is the idempotent case: already gone.
    if (result?.result !== 'ok' && result?.result !== 'not found') throw new Error(`Cloudinary destroy answered ${JSON.stringify(result)}`);
  }

  private callOptions() {
    return {
      cloud_name: this.account.cloudName,
      api_key: this.account.apiKey,
      api_secret: this.account.apiSecret,
      timeout: this.account.timeoutMs ?? 30_000,
      ...(this.account.apiUrl ? { upload_prefix: this.account.apiUrl.replace(/\/+$/, '') } : {}),
      ...(this.agent ? { agent: this.agent } : {}),
    };
  }
}

function toError(error: unknown, action: string): Error {
  if (error instanceof Error) return error;
  const detail = (error as { message?: string; http_code?: number } | undefined) ?? {};
  return new Error(`Cloudinary ${action} failed${detail.http_code ? ` (${detail.http_code})` : ''}: ${detail.message ?? 'no response'}`);
}
