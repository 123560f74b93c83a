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
