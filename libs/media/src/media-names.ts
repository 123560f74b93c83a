import { randomBytes } from 'node:crypto';

/**
 * Names the server makes for stored images. A key is 128 random bits in hex plus the extension of the format we
 * encode to; its thumbnail shares the id. Nothing from the client (name, extension, type) ever reaches a name,
 * and a name is only accepted back (to serve or delete) when it matches these patterns, so no path can be smuggled.
 */
export const MEDIA_KEY_PATTERN = /^[0-9a-f]{32}\.webp$/;
export const MEDIA_FILE_NAME_PATTERN = /^[0-9a-f]{32}(?:_thumb)?\.webp$/;

/** The one format we produce (re-encoded, metadata stripped). */
export const STORED_IMAGE_EXTENSION = 'webp';
export const STORED_IMAGE_MIME_TYPE = 'image/webp';

export function newMediaKey(): string {
  return `${randomBytes(16).toString('hex')}.${STORED_IMAGE_EXTENSION}`;
}

export function isMediaKey(value: unknown): value is string {
  return typeof value === 'string' && MEDIA_KEY_PATTERN.test(value);
}

export function isMediaFileName(value: unknown): value is string {
  return typeof value === 'string' && MEDIA_FILE_NAME_PATTERN.test(value);
}

/** The thumbnail's name for an image key: `<id>_thumb.webp`. */
export function thumbnailNameOf(key: string): string {
  return key.replace(/\.webp$/, `_thumb.${STORED_IMAGE_EXTENSION}`);
}

/** The id part of a key or file name (without `_thumb` and extension). */
export function mediaIdOf(name: string): string {
  return name.slice(0, 32);
}

/**
 * Files (any type, voice messages included) are stored as `<128 random bits in hex>.bin`: the uploader's name and
 * type never reach a storage name or a path, and only names of this pattern are served or deleted.
 */
export const FILE_KEY_PATTERN = /^[0-9a-f]{32}\.bin$/;

export function newFileKey(): string {
  return `${randomBytes(16).toString('hex')}.bin`;
}

export function isFileKey(value: unknown): value is string {
  return typeof value === 'string' && FILE_KEY_PATTERN.test(value);
}
