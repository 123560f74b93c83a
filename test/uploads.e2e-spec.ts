import * as amqp from 'amqplib';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { Cluster, DEPLOYMENT_MODES } from './harness/cluster';
import { seedUsers } from './harness/seed';
import { RABBITMQ_URL } from './harness/services';
import { mintAccessToken } from './harness/tokens';
import { CloudinaryStandIn } from './support/cloudinary-stand-in';
import * as corpus from './support/image-corpus';
import type { ImageRef } from '../libs/contracts/src/messages.contract';

const MAX_BYTES = 2 * 1024 * 1024;

type ImageRefBody = ImageRef;

describe.each(DEPLOYMENT_MODES)('Image uploads over real HTTP (%s)', (mode) => {
  let cluster: Cluster;
  let token: string;

  const upload = (bytes: Buffer, filename: string, type: string, bearer: string | null = token, field = 'file') => {
    const form = new FormData();
    form.append(field, blobOf(bytes, type), filename);
    return fetch(`${cluster.url}/api/v1/uploads`, {
      method: 'POST',
      body: form,
      headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
    });
  };
  const uploadOk = async (bytes: Buffer, filename = 'photo.png', type = 'image/png'): Promise<ImageRefBody> => {
    const response = await upload(bytes, filename, type);
    expect(response.status).toBe(201);
    return (await response.json()) as ImageRefBody;
  };
  const mediaFile = (name: string) => join(cluster.dataDir, 'media', name.slice(0, 2), name);

  beforeAll(async () => {
    cluster = await Cluster.start(mode, { env: { UPLOAD_MAX_BYTES: String(MAX_BYTES), UPLOAD_MAX_PIXELS: '50000000' } });
    const [ada] = seedUsers(cluster.dataDir, [{ email: 'ada@example.com', displayName: 'Ada Lovelace' }]);
    token = mintAccessToken(cluster.jwtSecret, ada.id);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('refuses anonymous uploads before reading them', async () => {
    const response = await upload(await corpus.png(), 'a.png', 'image/png', null);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'AUTH.UNAUTHENTICATED' });
  });

  it('re-encodes a JPEG without its EXIF and serves it with nosniff and safe headers', async () => {
    const ref = await uploadOk(await corpus.jpegWithExif(), '<script>.html', 'text/html');
    expect(ref).toMatchObject({ width: 200, height: 300, mimeType: 'image/webp' });
    expect(ref.key).toMatch(/^[0-9a-f]{32}\.webp$/);
    expect(ref.url).toBe(`/media/${ref.key}`);

    const served = await fetch(`${cluster.url}${ref.url}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/webp');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-disposition')).toBe(`inline; filename="${ref.key}"`);
    expect(served.headers.get('cache-control')).toContain('immutable');
    expect(served.headers.get('content-security-policy')).toContain("default-src 'none'");
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(bytes.length).toBe(ref.bytes);
    const meta = await sharp(bytes).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 200, height: 300 });
    expect(meta.exif).toBeUndefined();
    expect(bytes.includes(Buffer.from('Secret Location'))).toBe(false);

    const thumbnail = await fetch(`${cluster.url}${ref.thumbnailUrl}`);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata()).exif).toBeUndefined();

    const revalidated = await fetch(`${cluster.url}${ref.url}`, { headers: { 'if-none-match': served.headers.get('etag')! } });
    expect(revalidated.status).toBe(304);
  });

  it('refuses the hostile corpus with clear codes, stores nothing, and stays healthy', async () => {
    const cases: { name: string; bytes: Buffer; filename: string; type: string; status: number; code: string }[] = [
      { name: 'SVG with script', bytes: corpus.svgWithScript(), filename: 'cat.svg', type: 'image/svg+xml', status: 415, code: 'MEDIA.UNSUPPORTED_TYPE' },
      { name: 'HTML renamed .png', bytes: corpus.htmlRenamedPng(), filename: 'cat.png', type: 'image/png', status: 415, code: 'MEDIA.UNSUPPORTED_TYPE' },
      { name: 'truncated JPEG', bytes: await corpus.truncatedJpeg(), filename: 'cut.jpg', type: 'image/jpeg', status: 422, code: 'MEDIA.CORRUPT' },
      { name: '20,000×20,000 PNG', bytes: corpus.pngClaiming(20_000, 20_000), filename: 'bomb.png', type: 'image/png', status: 422, code: 'MEDIA.TOO_MANY_PIXELS' },
      { name: 'oversized file', bytes: corpus.oversized(MAX_BYTES + 1), filename: 'big.jpg', type: 'image/jpeg', status: 413, code: 'MEDIA.TOO_LARGE' },
      { name: '0-byte file', bytes: Buffer.alloc(0), filename: 'empty.png', type: 'image/png', status: 400, code: 'MEDIA.EMPTY' },
    ];
    const filesBefore = mediaFileCount(cluster.dataDir);
    for (const c of cases) {
      const response = await upload(c.bytes, c.filename, c.type);
      const body = await response.json();
      expect({ case: c.name, status: response.status, code: body.code }).toEqual({ case: c.name, status: c.status, code: c.code });
      expect(typeof body.message).toBe('string');
    }
    expect(mediaFileCount(cluster.dataDir)).toBe(filesBefore);

    expect((await fetch(`${cluster.url}/health/ready`)).status).toBe(200);
    await uploadOk(await corpus.png());
  });

  it('accepts PNG, WebP and GIF, whatever their names and declared types', async () => {
    expect(await uploadOk(await corpus.png(64, 48), 'x.exe', 'application/octet-stream')).toMatchObject({ width: 64, height: 48 });
    expect(await uploadOk(await corpus.webp(640, 480), 'x.webp', 'image/webp')).toMatchObject({ width: 640, height: 480 });
    expect(await uploadOk(await corpus.animatedGif(), 'x.gif', 'image/gif')).toMatchObject({ width: 40, height: 30 });
  });

  it('answers malformed multipart requests with VALIDATION.FAILED', async () => {
    const noFile = await fetch(`${cluster.url}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(noFile.status).toBe(400);
    expect(await noFile.json()).toMatchObject({ code: 'VALIDATION.FAILED' });

    const wrongField = await upload(await corpus.png(), 'a.png', 'image/png', token, 'image');
    expect(wrongField.status).toBe(400);
    expect(await wrongField.json()).toMatchObject({ code: 'VALIDATION.FAILED' });

    const two = new FormData();
    two.append('file', blobOf(await corpus.png()), 'a.png');
    two.append('file', blobOf(await corpus.png()), 'b.png');
    const twoFiles = await fetch(`${cluster.url}/api/v1/uploads`, { method: 'POST', body: two, headers: { authorization: `Bearer ${token}` } });
    expect(twoFiles.status).toBe(400);

    const cut = await fetch(`${cluster.url}/api/v1/uploads`, {
      method: 'POST',
      body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=xyz' },
    });
    expect(cut.status).toBe(400);
    expect(await cut.json()).toMatchObject({ code: 'VALIDATION.FAILED' });
  });

  it('serves only names the server made: anything else is a 404, no path traversal', async () => {
    const ref = await uploadOk(await corpus.png());
    for (const path of [
      '/media/0123456789abcdef0123456789abcdef.webp',
      `/media/${ref.key.replace('.webp', '.svg')}`,
      '/media/..%2F..%2Fusers.sqlite',
      '/media/..%2Fjwt-secret',
      `/media/${ref.key.slice(0, 2)}%2F${ref.key}`,
      '/media/%2e%2e',
    ]) {
      const response = await fetch(`${cluster.url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
    const unknown = await fetch(`${cluster.url}/media/0123456789abcdef0123456789abcdef.webp`);
    expect(await unknown.json()).toMatchObject({ code: 'MEDIA.NOT_FOUND' });
  });

  it('documents the upload route in Swagger as multipart with its error codes', async () => {
    const document = await (await fetch(`${cluster.url}/docs-json`)).json();
    const route = document.paths['/api/v1/uploads'].post;
    expect(Object.keys(route.requestBody.content)).toEqual(['multipart/form-data']);
    expect(route.requestBody.content['multipart/form-data'].schema.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(Object.keys(route.responses).sort()).toEqual(['201', '400', '401', '413', '415', '422']);
    expect(route.responses['415'].description).toContain('MEDIA.UNSUPPORTED_TYPE');
  });

  if (mode === 'split') {
    it('removes the image when Messages announces a message deleted for everyone (over RabbitMQ)', async () => {
      const doomed = await uploadOk(await corpus.png());
      const kept = await uploadOk(await corpus.png());
      expect(existsSync(mediaFile(doomed.key))).toBe(true);

      // Published as the Messages process publishes it: Nest's packet on the deployment's exchange.
      const connection = await amqp.connect(RABBITMQ_URL);
      const channel = await connection.createConfirmChannel();
      const event = {
        message: { id: 'm1', chatId: 'c1', seq: 1, senderId: 'x', clientMessageId: 'c', text: null, image: null, replyTo: null, createdAt: new Date().toISOString(), editedAt: null, deletedAt: new Date().toISOString() },
        memberIds: ['x'],
        removedImageKey: doomed.key,
      };
      channel.publish(`${cluster.namespace}.bus`, 'message.deleted', Buffer.from(JSON.stringify({ pattern: 'message.deleted', data: event })), { persistent: true });
      await channel.waitForConfirms();
      await connection.close();

      const deadline = Date.now() + 10_000;
      while (existsSync(mediaFile(doomed.key)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(existsSync(mediaFile(doomed.key))).toBe(false);
      expect((await fetch(`${cluster.url}${doomed.url}`)).status).toBe(404);
      expect((await fetch(`${cluster.url}${doomed.thumbnailUrl}`)).status).toBe(404);
      expect((await fetch(`${cluster.url}${kept.url}`)).status).toBe(200);
    });
  }
});

/** Node's Buffer is a Uint8Array over a possibly shared buffer; Blob wants a plain one. */
function blobOf(bytes: Buffer, type = 'application/octet-stream'): Blob {
  return new Blob([new Uint8Array(bytes)], { type });
}

function mediaFileCount(dataDir: string): number {
  const root = join(dataDir, 'media');
  return existsSync(root) ? readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length : 0;
}

describe('Image uploads stored on Cloudinary (single process, local stand-in of its API)', () => {
  let standIn: CloudinaryStandIn;
  let cluster: Cluster;
  let token: string;

  beforeAll(async () => {
    standIn = await new CloudinaryStandIn().start();
    cluster = await Cluster.start('single', { env: { CLOUDINARY_URL: standIn.cloudinaryUrl, CLOUDINARY_API_URL: standIn.url } });
    const [ada] = seedUsers(cluster.dataDir, [{ email: 'ada@example.com', displayName: 'Ada Lovelace' }]);
    token = mintAccessToken(cluster.jwtSecret, ada.id);
  });

  afterAll(async () => {
    await cluster?.stop();
    await standIn?.stop();
  });

  const upload = (bytes: Buffer, filename: string) => {
    const form = new FormData();
    form.append('file', blobOf(bytes), filename);
    return fetch(`${cluster.url}/api/v1/uploads`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
  };

  it('uploads the re-encoded image and its thumbnail through the SDK, and serves nothing locally', async () => {
    const response = await upload(await corpus.jpegWithExif(), 'me.jpg');
    expect(response.status).toBe(201);
    const ref = (await response.json()) as ImageRefBody;
    const id = ref.key.replace('.webp', '');
    expect([...standIn.assets.keys()].sort()).toEqual([`${cluster.namespace}/media/${id}`, `${cluster.namespace}/media/${id}_thumb`]);
    expect(ref.url.startsWith(standIn.url)).toBe(true);

    const stored = Buffer.from(await (await fetch(ref.url)).arrayBuffer());
    const meta = await sharp(stored).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 200, height: 300 });
    expect(meta.exif).toBeUndefined();

    expect((await fetch(`${cluster.url}/media/${ref.key}`)).status).toBe(404);
    expect(existsSync(join(cluster.dataDir, 'media'))).toBe(false);
  });

  it('refuses bad files before anything reaches Cloudinary', async () => {
    const before = standIn.calls.length;
    const svg = await upload(corpus.svgWithScript(), 'x.svg');
    expect(svg.status).toBe(415);
    const bomb = await upload(corpus.pngClaiming(20_000, 20_000), 'x.png');
    expect(bomb.status).toBe(422);
    expect(standIn.calls.length).toBe(before);
  });
});
