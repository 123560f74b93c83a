import { sniffFileType, voiceTypeOf } from './sniff-file-type';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('sniffFileType', () => {
  it('recognises documents, archives, images and recordings by their bytes', () => {
    expect(sniffFileType(bytes('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffFileType(bytes([0x50, 0x4b, 0x03, 0x04, 0, 0]))).toBe('application/zip');
    expect(sniffFileType(bytes([0x89], 'PNG\r\n', [0x1a, 0x0a]))).toBe('image/png');
    expect(sniffFileType(bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '))).toBe('audio/wav');
    expect(sniffFileType(bytes('OggS', [0, 2]))).toBe('audio/ogg');
    expect(sniffFileType(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f]))).toBe('video/webm');
    expect(sniffFileType(bytes([0, 0, 0, 0x20], 'ftypM4A '))).toBe('video/mp4');
  });

  it('never recognises what a browser would run, whatever it is called', () => {
    expect(sniffFileType(bytes('<!doctype html><script>alert(1)</script>'))).toBeNull();
    expect(sniffFileType(bytes('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'))).toBeNull();
    expect(sniffFileType(bytes('<?xml version="1.0"?>'))).toBeNull();
    expect(sniffFileType(Buffer.alloc(0))).toBeNull();
  });

  it('takes only recordings as voice, with an audio type', () => {
    expect(voiceTypeOf(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f]))).toBe('audio/webm');
    expect(voiceTypeOf(bytes('OggS', [0, 2]))).toBe('audio/ogg');
    expect(voiceTypeOf(bytes('%PDF-1.7'))).toBeNull();
    expect(voiceTypeOf(bytes('hello'))).toBeNull();
  });
});
