import { ErrorCodes, FileKind, MAX_VOICE_DURATION_MS } from '@chat/contracts';
import { DomainError } from '@chat/platform';
import { cleanFileName } from '../files/file-names';
import { IncomingFile } from '../media-store.port';
import { sniffFileType, voiceTypeOf } from './sniff-file-type';

export interface FileUploadOptions {
  kind: FileKind;
  /** Voice messages: the recording's length as the recorder measured it. Ignored for other files. */
  durationMs?: number | null;
}

/** A file after the checks: what is stored beside its bytes. */
export interface AcceptedFile {
  name: string;
  mimeType: string;
  durationMs: number | null;
}

export const UNKNOWN_FILE_TYPE = 'application/octet-stream';

/**
 * What the server accepts as a file attachment. Any file is welcome (it is delivered as a download, never shown
 * as a page), so the checks are its size and, for its type, its bytes alone: a known passive format gets its own
 * type, anything else application/octet-stream. A voice message must be a recording a browser makes.
 */
export class FilePolicy {
  constructor(private readonly maxBytes: number) {}

  check(file: IncomingFile, options: FileUploadOptions): AcceptedFile {
    const bytes = file.buffer;
    if (!bytes || bytes.length === 0) throw new DomainError(ErrorCodes.MEDIA_EMPTY, 'The file is empty');
    if (bytes.length > this.maxBytes) throw tooLarge(this.maxBytes);
    const name = cleanFileName(file.originalName);
    if (options.kind === 'voice') {
      const mimeType = voiceTypeOf(bytes);
      if (!mimeType) throw new DomainError(ErrorCodes.MEDIA_UNSUPPORTED_TYPE, 'A voice message must be a WebM, Ogg, MP4, MP3 or WAV recording');
      const durationMs = options.durationMs;
      if (!Number.isInteger(durationMs) || durationMs! < 1 || durationMs! > MAX_VOICE_DURATION_MS) {
        throw new DomainError(ErrorCodes.VALIDATION_FAILED, `A voice message needs its durationMs, from 1 to ${MAX_VOICE_DURATION_MS}`);
      }
      return { name, mimeType, durationMs: durationMs! };
    }
    return { name, mimeType: sniffFileType(bytes) ?? UNKNOWN_FILE_TYPE, durationMs: null };
  }
}

/** The one refusal of an upload over the limit (multer's and ours), with the limit for the client to show. */
export function tooLarge(maxBytes: number): DomainError {
  return new DomainError(ErrorCodes.MEDIA_TOO_LARGE, `The file is larger than the upload limit (${formatBytes(maxBytes)})`, { maxBytes });
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
