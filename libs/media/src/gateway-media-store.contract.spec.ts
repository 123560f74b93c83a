import { ErrorCodes, FileRef, ImageRef } from '@chat/contracts';
import { DomainError, MemoryKeyValueStore } from '@chat/platform';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { CloudinaryStandIn } from '../../../test/support/cloudinary-stand-in';
import * as corpus from '../../../test/support/image-corpus';
import { GatewayMediaStore } from './gateway-media-store';
import { IncomingImage, MediaStore } from './media-store.port';
import { ImagePipeline } from './processing/image-pipeline';
import { FilePolicy } from './processing/file-policy';
import { UploadRegistry } from './registry/upload-registry';
import { CloudinaryAttachmentFiles } from './storage/cloudinary-attachment-files';
import { CloudinaryImageFiles } from './storage/cloudinary-image-files';
import { LocalDiskAttachmentFiles } from './storage/local-disk-attachment-files';
import { LocalDiskImageFiles } from './storage/local-disk-image-files';

const LIMITS = { maxBytes: 2 * 1024 * 1024, maxPixels: 50_000_000 };
const FILE_MAX_BYTES = 64 * 1024;
/** The orphan time of these tests: the sweep is driven by the `now` given to it, so no test waits for it. */
const ORPHAN_TTL_MS = 60_000;

/** One MediaStore adapter under test, with a way to read back what it stored, as a client would. */
interface Subject {
  store: MediaStore;
  /** The bytes behind a URL the store handed out, or null when nothing is there. */
  fetch(url: string): Promise<Buffer | null>;
  /** How many files the backend holds. */
  storedCount(): number;
  close(): Promise<void>;
}

async function localDisk(): Promise<Subject> {
  const root = mkdtempSync(join(tmpdir(), 'media-local-'));
  const files = new LocalDiskImageFiles(root);
  const attachments = new LocalDiskAttachmentFiles(join(root, 'files'));
  const kv = new MemoryKeyValueStore();
  return {
    store: new GatewayMediaStore(new ImagePipeline(LIMITS), files, new UploadRegistry(kv, ORPHAN_TTL_MS), new FilePolicy(FILE_MAX_BYTES), attachments),
    async fetch(url) {
      const { readFile } = await import('node:fs/promises');
      if (url.startsWith('/media/files/')) {
        const file = await attachments.find(url.replace(/^\/media\/files\//, ''));
        return file ? readFile(file.path) : null;
      }
      const found = await files.find(url.replace(/^\/media\//, ''));
      return found ? readFile(found.path) : null;
    },
    storedCount: () => readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length,
    async close() {
      await kv.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function cloudinary(): Promise<Subject & { standIn: CloudinaryStandIn }> {
  const standIn = await new CloudinaryStandIn().start();
  const kv = new MemoryKeyValueStore();
  const account = { cloudName: standIn.cloudName, apiKey: standIn.apiKey, apiSecret: standIn.apiSecret, apiUrl: standIn.url, folder: 'test/media' };
  const files = new CloudinaryImageFiles(account);
  return {
    standIn,
    store: new GatewayMediaStore(new ImagePipeline(LIMITS), files, new UploadRegistry(kv, ORPHAN_TTL_MS), new FilePolicy(FILE_MAX_BYTES), new CloudinaryAttachmentFiles(account)),
    async fetch(url) {
      const response = await fetch(url);
      return response.ok ? Buffer.from(await response.arrayBuffer()) : null;
    },
    storedCount: () => standIn.assets.size,
    async close() {
      await kv.close();
      await standIn.stop();
    },
  };
}

const incoming = (buffer: Buffer, originalName = 'photo.jpg', declaredMimeType = 'image/jpeg'): IncomingImage => ({
  buffer,
  originalName,
  declaredMimeType,
  size: buffer.length,
});

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).code;
  }
  throw new Error('Expected a refusal');
}

describe.each([
  ['local disk', localDisk],
  ['Cloudinary (local stand-in of its upload API)', cloudinary],
])('MediaStore contract: %s', (_name, makeSubject) => {
  let subject: Subject;

  beforeEach(async () => {
    subject = await makeSubject();
  });
  afterEach(async () => {
    await subject.close();
  });

  it('re-encodes a JPEG as WebP, upright, without its EXIF, with a thumbnail, under a server-made name', async () => {
    const original = await corpus.jpegWithExif();
    expect((await sharp(original).metadata()).exif).toBeDefined();

    const ref = await subject.store.storeImage(incoming(original, '../../evil.html', 'text/html'), 'alice');

    expect(ref.key).toMatch(/^[0-9a-f]{32}\.webp$/);
    expect(ref.url).not.toContain('evil');
    // Orientation 6 means "display rotated": 300×200 stored, 200×300 shown.
    expect(ref).toMatchObject({ width: 200, height: 300, mimeType: 'image/webp' });
    const stored = await subject.fetch(ref.url);
    expect(stored).not.toBeNull();
    expect(ref.bytes).toBe(stored!.length);
    const meta = await sharp(stored!).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 200, height: 300 });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(stored!.includes(Buffer.from('Secret Location'))).toBe(false);

    const thumbnail = await subject.fetch(ref.thumbnailUrl);
    const thumbMeta = await sharp(thumbnail!).metadata();
    expect(thumbMeta).toMatchObject({ format: 'webp', width: 200 });
    expect(thumbMeta.exif).toBeUndefined();
  });

  it('accepts PNG, WebP and animated GIF, and shrinks thumbnails to 320 px wide', async () => {
    const fromPng = await subject.store.storeImage(incoming(await corpus.png(64, 48), 'a.png', 'image/png'), 'alice');
    expect(fromPng).toMatchObject({ width: 64, height: 48 });

    const fromWebp = await subject.store.storeImage(incoming(await corpus.webp(800, 600), 'a.webp', 'image/webp'), 'alice');
    expect(fromWebp).toMatchObject({ width: 800, height: 600 });
    expect(await sharp((await subject.fetch(fromWebp.thumbnailUrl))!).metadata()).toMatchObject({ width: 320, height: 240 });

    const fromGif = await subject.store.storeImage(incoming(await corpus.animatedGif(), 'a.gif', 'image/gif'), 'alice');
    expect(fromGif).toMatchObject({ width: 40, height: 30 });
    expect((await sharp((await subject.fetch(fromGif.url))!).metadata()).pages).toBe(3);
  });

  it('refuses the hostile corpus with clear codes and stores nothing', async () => {
    const cases: [Buffer, string][] = [
      [Buffer.alloc(0), ErrorCodes.MEDIA_EMPTY],
      [corpus.svgWithScript(), ErrorCodes.MEDIA_UNSUPPORTED_TYPE],
      [corpus.htmlRenamedPng(), ErrorCodes.MEDIA_UNSUPPORTED_TYPE],
      [await corpus.truncatedJpeg(), ErrorCodes.MEDIA_CORRUPT],
      [corpus.pngClaiming(20_000, 20_000), ErrorCodes.MEDIA_TOO_MANY_PIXELS],
      // Within the pixel limit, so it gets decoded, and the missing pixel data is found out.
      [corpus.pngClaiming(2_000, 2_000), ErrorCodes.MEDIA_CORRUPT],
      [corpus.oversized(LIMITS.maxBytes + 1), ErrorCodes.MEDIA_TOO_LARGE],
      // JPEG magic bytes over garbage: the header cannot be read.
      [Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]), ErrorCodes.MEDIA_CORRUPT],
    ];
    for (const [bytes, code] of cases) {
      expect(await refusal(subject.store.storeImage(incoming(bytes, 'innocent.png', 'image/png'), 'alice'))).toBe(code);
    }
    expect(subject.storedCount()).toBe(0);
  });

  it('lets only the uploader claim an image; others see the same answer as for no image at all', async () => {
    const ref = await subject.store.storeImage(incoming(await corpus.png()), 'alice');
    expect(await subject.store.claimImage(ref.key, 'alice', 'm1')).toEqual(ref);
    // A retried send claims again and gets the same answer.
    expect(await subject.store.claimImage(ref.key, 'alice', 'm1')).toEqual(ref);

    expect(await refusal(subject.store.claimImage(ref.key, 'mallory', 'm1'))).toBe(ErrorCodes.MEDIA_NOT_FOUND);
    expect(await refusal(subject.store.claimImage('0123456789abcdef0123456789abcdef.webp', 'alice', 'm1'))).toBe(ErrorCodes.MEDIA_NOT_FOUND);
    expect(await refusal(subject.store.claimImage('../../users.sqlite', 'alice', 'm1'))).toBe(ErrorCodes.MEDIA_NOT_FOUND);
  });

  it('puts one upload on one message: a second message is refused until the first claim is released', async () => {
    const ref = await subject.store.storeImage(incoming(await corpus.png()), 'alice');
    const claims = await Promise.allSettled([subject.store.claimImage(ref.key, 'alice', 'm1'), subject.store.claimImage(ref.key, 'alice', 'm2')]);
    expect(claims.filter((c) => c.status === 'fulfilled')).toHaveLength(1);
    const winner = claims[0].status === 'fulfilled' ? 'm1' : 'm2';
    const loser = winner === 'm1' ? 'm2' : 'm1';
    expect(await subject.store.claimImage(ref.key, 'alice', winner)).toEqual(ref);
    expect(await refusal(subject.store.claimImage(ref.key, 'alice', loser))).toBe(ErrorCodes.MEDIA_NOT_FOUND);

    await subject.store.releaseImage(ref.key, 'mallory', winner);
    expect(await refusal(subject.store.claimImage(ref.key, 'alice', loser))).toBe(ErrorCodes.MEDIA_NOT_FOUND);
    await subject.store.releaseImage(ref.key, 'alice', winner);
    expect(await subject.store.claimImage(ref.key, 'alice', loser)).toEqual(ref);
  });

  it('deletes the image and its thumbnail, idempotently, and the key can no longer be claimed', async () => {
    const kept = await subject.store.storeImage(incoming(await corpus.png()), 'alice');
    const ref = await subject.store.storeImage(incoming(await corpus.png()), 'alice');
    expect(subject.storedCount()).toBe(4);

    await subject.store.deleteImage(ref.key);
    expect(await subject.fetch(ref.url)).toBeNull();
    expect(await subject.fetch(ref.thumbnailUrl)).toBeNull();
    expect(await refusal(subject.store.claimImage(ref.key, 'alice', 'm1'))).toBe(ErrorCodes.MEDIA_NOT_FOUND);
    await subject.store.deleteImage(ref.key);
    // Not one of our keys: ignored, nothing else touched.
    await subject.store.deleteImage('../' + kept.key);

    expect(subject.storedCount()).toBe(2);
    expect(await subject.fetch(kept.url)).not.toBeNull();
  });

  it('stores any file as it came, under a server-made name, with its cleaned name and the type its bytes show', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4000, 7)]);
    const ref: FileRef = await subject.store.storeFile(incoming(pdf, '../../Quarterly\u202Ereport.pdf', 'text/html'), 'alice', { kind: 'file' });
    expect(ref).toMatchObject({ name: 'Quarterlyreport.pdf', mimeType: 'application/pdf', bytes: pdf.length, kind: 'file', durationMs: null });
    expect(ref.key).toMatch(/^[0-9a-f]{32}\.bin$/);
    // Stored under the key (the name is at most a download hint, never the storage name).
    expect(ref.url.endsWith(ref.key) || ref.url.endsWith(ref.key.replace('.bin', ''))).toBe(true);
    expect(await subject.fetch(ref.url)).toEqual(pdf);

    const html = await subject.store.storeFile(incoming(Buffer.from('<html><script>alert(1)</script>'), 'page.html', 'text/html'), 'alice', { kind: 'file' });
    expect(html.mimeType).toBe('application/octet-stream');
  });

  it('takes a voice recording with its duration, and refuses one that is not a recording or has no duration', async () => {
    const webm = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(500, 1)]);
    const voice = await subject.store.storeFile(incoming(webm, 'voice.webm', 'audio/webm'), 'alice', { kind: 'voice', durationMs: 5200 });
    expect(voice).toMatchObject({ kind: 'voice', mimeType: 'audio/webm', durationMs: 5200 });
    expect(await refusal(subject.store.storeFile(incoming(Buffer.from('%PDF-1.7'), 'v.webm'), 'alice', { kind: 'voice', durationMs: 1000 }))).toBe(
      ErrorCodes.MEDIA_UNSUPPORTED_TYPE,
    );
    expect(await refusal(subject.store.storeFile(incoming(webm, 'v.webm'), 'alice', { kind: 'voice', durationMs: null }))).toBe(ErrorCodes.VALIDATION_FAILED);
  });

  it('refuses an empty file and one over the limit, and stores nothing', async () => {
    const before = subject.storedCount();
    expect(await refusal(subject.store.storeFile(incoming(Buffer.alloc(0), 'a.txt'), 'alice', { kind: 'file' }))).toBe(ErrorCodes.MEDIA_EMPTY);
    expect(await refusal(subject.store.storeFile(incoming(Buffer.alloc(FILE_MAX_BYTES + 1), 'a.bin'), 'alice', { kind: 'file' }))).toBe(ErrorCodes.MEDIA_TOO_LARGE);
    expect(subject.storedCount()).toBe(before);
    // Exactly at the limit is fine.
    await subject.store.storeFile(incoming(Buffer.alloc(FILE_MAX_BYTES, 1), 'a.bin'), 'alice', { kind: 'file' });
  });

  it('claims, releases and deletes files like images; image and file keys never cross', async () => {
    const ref = await subject.store.storeFile(incoming(Buffer.from('hello'), 'a.txt'), 'alice', { kind: 'file' });
    const image = await subject.store.storeImage(incoming(await corpus.png()), 'alice');
    expect(await refusal(subject.store.claimFile(ref.key, 'mallory', 'm1'))).toBe(ErrorCodes.MEDIA_NOT_FOUND);
    expect(await refusal(subject.store.claimFile(image.key, 'alice', 'm1'))).toBe(ErrorCodes.MEDIA_NOT_FOUND);
    expect(await refusal(subject.store.claimImage(ref.key, 'alice', 'm1'))).toBe(ErrorCodes.MEDIA_NOT_FOUND);
    expect(await subject.store.claimFile(ref.key, 'alice', 'm1')).toEqual(ref);
    expect(await refusal(subject.store.claimFile(ref.key, 'alice', 'm2'))).toBe(ErrorCodes.MEDIA_NOT_FOUND);
    await subject.store.releaseFile(ref.key, 'alice', 'm1');
    expect(await subject.store.claimFile(ref.key, 'alice', 'm2')).toEqual(ref);

    await subject.store.deleteFile(ref.key);
    await subject.store.deleteFile(ref.key);
    await subject.store.deleteFile('../' + image.key);
    expect(await subject.fetch(ref.url)).toBeNull();
    expect(await subject.fetch(image.url)).not.toBeNull();
  });

  it('sweeps uploads never attached once the orphan time has passed, and keeps the attached ones', async () => {
    const t0 = Date.now();
    const attachedFile = await subject.store.storeFile(incoming(Buffer.from('kept'), 'kept.txt'), 'alice', { kind: 'file' });
    const attachedImage = await subject.store.storeImage(incoming(await corpus.png()), 'alice');
    const claimedOnly = await subject.store.storeFile(incoming(Buffer.from('claimed'), 'c.txt'), 'alice', { kind: 'file' });
    const orphanFile = await subject.store.storeFile(incoming(Buffer.from('orphan'), 'o.txt'), 'alice', { kind: 'file' });
    const orphanImage = await subject.store.storeImage(incoming(await corpus.png()), 'alice');
    const released = await subject.store.storeFile(incoming(Buffer.from('released'), 'r.txt'), 'alice', { kind: 'file' });
    await subject.store.claimFile(attachedFile.key, 'alice', 'm1');
    await subject.store.markAttached(attachedFile.key);
    await subject.store.claimImage(attachedImage.key, 'alice', 'm2');
    await subject.store.markAttached(attachedImage.key);
    // A send whose outcome is unknown: bound, never confirmed. Kept (the message may exist).
    await subject.store.claimFile(claimedOnly.key, 'alice', 'm3');
    // A refused send: released, so an orphan again.
    await subject.store.claimFile(released.key, 'alice', 'm4');
    await subject.store.releaseFile(released.key, 'alice', 'm4');

    expect(await subject.store.sweepOrphans(t0 + ORPHAN_TTL_MS / 2)).toBe(0);
    expect(await subject.store.sweepOrphans(t0 + ORPHAN_TTL_MS + 5_000)).toBe(3);
    for (const gone of [orphanFile, orphanImage, released]) {
      expect(await subject.fetch(gone.url)).toBeNull();
    }
    expect(await subject.fetch(orphanImage.thumbnailUrl)).toBeNull();
    for (const kept of [attachedFile, attachedImage, claimedOnly]) {
      expect(await subject.fetch(kept.url)).not.toBeNull();
    }
    // A swept upload can no longer be claimed, and a second sweep finds nothing.
    expect(await refusal(subject.store.claimFile(orphanFile.key, 'alice', 'm5'))).toBe(ErrorCodes.MEDIA_NOT_FOUND);
    expect(await subject.store.sweepOrphans(t0 + ORPHAN_TTL_MS * 3)).toBe(0);
  });
});

describe('Cloudinary adapter specifics', () => {
  let subject: Awaited<ReturnType<typeof cloudinary>>;
  beforeEach(async () => {
    subject = await cloudinary();
  });
  afterEach(async () => {
    await subject.close();
  });

  it('signs its calls, stores under the deployment folder and leaves nothing behind when an upload fails', async () => {
    const ref: ImageRef = await subject.store.storeImage(incoming(await corpus.png()), 'alice');
    const id = ref.key.replace('.webp', '');
    expect([...subject.standIn.assets.keys()].sort()).toEqual([`test/media/${id}`, `test/media/${id}_thumb`]);

    subject.standIn.failNext = 1;
    await expect(subject.store.storeImage(incoming(await corpus.png()), 'alice')).rejects.toThrow(/Cloudinary upload failed/);
    expect(subject.standIn.assets.size).toBe(2);
  });

  it('stores files as raw resources under the files folder and hands out a download URL (fl_attachment)', async () => {
    const ref = await subject.store.storeFile(incoming(Buffer.from('%PDF-1.4 x'), 'Été report.pdf', 'application/pdf'), 'alice', { kind: 'file' });
    const id = ref.key.replace('.bin', '');
    expect(subject.standIn.assets.get(`test/media/files/${id}`)?.resourceType).toBe('raw');
    expect(ref.url).toContain('/raw/upload/fl_attachment:Ete_report/');
    const response = await fetch(ref.url);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment/);
    await subject.store.deleteFile(ref.key);
    expect(subject.standIn.assets.has(`test/media/files/${id}`)).toBe(false);
  });

  it('is refused by Cloudinary with the wrong secret', async () => {
    const files = new CloudinaryImageFiles({
      cloudName: subject.standIn.cloudName,
      apiKey: subject.standIn.apiKey,
      apiSecret: 'wrong',
      apiUrl: subject.standIn.url,
      folder: 'test/media',
    });
    await expect(files.put('0123456789abcdef0123456789abcdef.webp', await corpus.png())).rejects.toThrow(/Invalid Signature/);
  });
});
