/**
 * The type of a file from its magic bytes, among the passive formats people send (documents, archives, audio,
 * video, images); null for anything else, which is then served as application/octet-stream. The declared type
 * and the name are never consulted, and nothing that a browser would run (HTML, SVG, XML, scripts) is ever
 * recognised here, so no stored file can come back with an active type.
 */
const startsWith = (bytes: Buffer, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte);

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

const SIGNATURES: { type: string; test: (bytes: Buffer) => boolean }[] = [
  { type: 'application/pdf', test: (b) => startsWith(b, ascii('%PDF-')) },
  { type: 'application/zip', test: (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06]) },
  { type: 'application/gzip', test: (b) => startsWith(b, [0x1f, 0x8b]) },
  { type: 'image/jpeg', test: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { type: 'image/png', test: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: 'image/gif', test: (b) => startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a')) },
  { type: 'image/webp', test: (b) => startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8) },
  { type: 'audio/wav', test: (b) => startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WAVE'), 8) },
  { type: 'audio/ogg', test: (b) => startsWith(b, ascii('OggS')) },
  // Matroska/WebM (EBML header): what MediaRecorder writes in Chromium and Firefox.
  { type: 'video/webm', test: (b) => startsWith(b, [0x1a, 0x45, 0xdf, 0xa3]) },
  { type: 'audio/mpeg', test: (b) => startsWith(b, ascii('ID3')) || (b.length > 1 && b[0] === 0xff && (b[1] & 0xe0) === 0xe0) },
  // ISO base media (MP4, M4A, MOV): "ftyp" at byte 4; Safari's MediaRecorder writes audio/mp4.
  { type: 'video/mp4', test: (b) => startsWith(b, ascii('ftyp'), 4) },
];

export function sniffFileType(bytes: Buffer): string | null {
  return SIGNATURES.find((signature) => signature.test(bytes))?.type ?? null;
}

/** Containers a browser records voice in, and the audio type each is served as. */
const VOICE_TYPES: Record<string, string> = {
  'video/webm': 'audio/webm',
  'audio/ogg': 'audio/ogg',
  'video/mp4': 'audio/mp4',
  'audio/mpeg': 'audio/mpeg',
  'audio/wav': 'audio/wav',
};

/** The audio type of a voice recording, or null when the bytes are not a recording a browser makes. */
export function voiceTypeOf(bytes: Buffer): string | null {
  const sniffed = sniffFileType(bytes);
  return sniffed ? (VOICE_TYPES[sniffed] ?? null) : null;
}
