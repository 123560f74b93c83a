import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface StoredAsset {
  publicId: string;
  resourceType: 'image' | 'raw';
  bytes: Buffer;
  version: number;
}

/**
 * A local stand-in for the two calls of Cloudinary's Upload API that the media adapter makes (signed `upload` and
 * `destroy`, multipart as the SDK sends them), plus delivery of what was uploaded. It checks the API key and the
 * request signature the way Cloudinary does (sorted params joined with `&`, plus the secret, SHA-1), so a
 * misconfigured SDK fails here as it would there.
 */
export class CloudinaryStandIn {
  readonly assets = new Map<string, StoredAsset>();
  readonly calls: { action: string; publicId: string }[] = [];
  /** Answer the next N calls with a 500, to test failures. */
  failNext = 0;
  private server!: Server;

  constructor(
    readonly cloudName = 'demo-cloud',
    readonly apiKey = '123456789012345',
    readonly apiSecret = 'stand-in-secret',
  ) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The CLOUDINARY_URL of this account. */
  get cloudinaryUrl(): string {
    return `cloudinary://${this.apiKey}:${this.apiSecret}@${this.cloudName}`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error) => reply(response, 500, { error: { message: String(error) } }));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', this.url).pathname;
    const api = path.match(/^\/v1_1\/([^/]+)\/(image|raw)\/(upload|destroy)$/);
    if (request.method === 'POST' && api) {
      if (api[1] !== this.cloudName) return reply(response, 404, { error: { message: 'Unknown cloud' } });
      const form = await readForm(request);
      if (this.failNext > 0) {
        this.failNext--;
        return reply(response, 500, { error: { message: 'Stand-in told to fail' } });
      }
      const denied = this.checkSignature(form);
      if (denied) return reply(response, 401, { error: { message: denied } });
      const publicId = String(form.get('public_id') ?? '');
      const resourceType = api[2] as StoredAsset['resourceType'];
      this.calls.push({ action: api[3], publicId });
      return api[3] === 'upload' ? this.upload(publicId, resourceType, form, response) : this.destroy(publicId, resourceType, response);
    }
    // Raw resources are delivered as they came; `fl_attachment[:name]` makes it a download, as Cloudinary does.
    const raw = path.match(/^\/([^/]+)\/raw\/upload\/(?:fl_attachment(?::([^/]+))?\/)?v\d+\/(.+)$/);
    const rawAsset = raw && this.assets.get(raw[3]);
    if (request.method === 'GET' && rawAsset?.resourceType === 'raw') {
      const flagged = path.includes('/fl_attachment');
      response.writeHead(200, {
        'content-type': 'application/octet-stream',
        ...(flagged ? { 'content-disposition': `attachment; filename="${raw![2] ?? raw![3].split('/').pop()}"` } : {}),
      });
      response.end(rawAsset.bytes);
      return;
    }
    const delivery = path.match(/^\/([^/]+)\/image\/upload\/v\d+\/(.+)\.webp$/);
    if (request.method === 'GET' && delivery && this.assets.get(delivery[2])?.resourceType === 'image') {
      response.writeHead(200, { 'content-type': 'image/webp' });
      response.end(this.assets.get(delivery[2])!.bytes);
      return;
    }
    reply(response, 404, { error: { message: 'Not found' } });
  }

  private async upload(publicId: string, resourceType: StoredAsset['resourceType'], form: FormData, response: ServerResponse): Promise<void> {
    const file = form.get('file');
    if (!publicId || !(file instanceof Blob)) return reply(response, 400, { error: { message: 'Missing file or public_id' } });
    if (this.assets.has(publicId) && form.get('overwrite') === 'false') {
      return reply(response, 400, { error: { message: 'Resource already exists' } });
    }
    const asset: StoredAsset = { publicId, resourceType, bytes: Buffer.from(await file.arrayBuffer()), version: Math.floor(Date.now() / 1000) };
    this.assets.set(publicId, asset);
    // Raw resources keep their public id as it is (no format added).
    const delivered = resourceType === 'raw' ? `raw/upload/v${asset.version}/${publicId}` : `image/upload/v${asset.version}/${publicId}.webp`;
    reply(response, 200, {
      public_id: publicId,
      version: asset.version,
      resource_type: resourceType,
      type: 'upload',
      ...(resourceType === 'image' ? { format: 'webp' } : {}),
      bytes: asset.bytes.length,
      url: `${this.url}/${this.cloudName}/${delivered}`,
      secure_url: `${this.url}/${this.cloudName}/${delivered}`,
    });
  }

  private destroy(publicId: string, resourceType: StoredAsset['resourceType'], response: ServerResponse): void {
    const existed = this.assets.get(publicId)?.resourceType === resourceType && this.assets.delete(publicId);
    reply(response, 200, { result: existed ? 'ok' : 'not found' });
  }

  private checkSignature(form: FormData): string | null {
    if (form.get('api_key') !== this.apiKey) return 'Invalid API key';
    const signed = [...form.entries()]
      .filter(([name, value]) => !['file', 'api_key', 'signature', 'resource_type', 'cloud_name'].includes(name) && typeof value === 'string' && value !== '')
      .map(([name, value]) => `${name}=${value as string}`)
      .sort();
    const expected = createHash('sha1').update(signed.join('&') + this.apiSecret).digest('hex');
    return form.get('signature') === expected ? null : 'Invalid Signature';
  }
}

async function readForm(request: IncomingMessage): Promise<FormData> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new Response(Buffer.concat(chunks), { headers: { 'content-type': request.headers['content-type'] ?? '' } }).formData();
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
