import { MAX_FILE_NAME_LENGTH } from '@chat/contracts';

/** C0/C1 controls and the bidirectional overrides that make `exe.pdf` read as `fdp.exe`. */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The name shown in the bubble and offered as the download name: the uploader's own name, cleaned. Only its last
 * path segment, without controls or direction overrides, trimmed, at most MAX_FILE_NAME_LENGTH characters
 * (keeping the extension), and "file" when nothing is left. It is display text only: never a storage name or a path.
 */
export function cleanFileName(original: string | undefined | null): string {
  const lastSegment = String(original ?? '').split(/[\\/]/).pop() ?? '';
  let name = lastSegment.normalize('NFC').replace(UNSAFE_CHARACTERS, '').trim().replace(/^\.+/, '');
  if ([...name].length > MAX_FILE_NAME_LENGTH) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = [...name.slice(0, name.length - extension.length)].slice(0, MAX_FILE_NAME_LENGTH - extension.length).join('') + extension;
  }
  return name || 'file';
}

/**
 * `Content-Disposition: attachment` for a download name: a plain-ASCII `filename` for old clients (anything
 * else, quotes and backslashes included, becomes `_`), and the exact name as RFC 5987 `filename*` (UTF-8,
 * percent-encoded) whenever the two differ. Nothing of the name can end the header or add a parameter.
 */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  if (fallback === name) return `attachment; filename="${name}"`;
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
