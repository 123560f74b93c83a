import { MAX_FILE_NAME_LENGTH } from '@chat/contracts';
import { cleanFileName } from './file-names';

describe('cleanFileName', () => {
  it('keeps an ordinary name, accents and all', () => {
    expect(cleanFileName('Rapport annuel – été.pdf')).toBe('Rapport annuel – été.pdf');
  });

  it('keeps only the last path segment, so no path can be smuggled', () => {
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('C:\\Users\\ada\\notes.txt')).toBe('notes.txt');
  });

  it('drops control characters and direction overrides, and leading dots', () => {
    expect(cleanFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(cleanFileName('a\r\nb\u0000.txt')).toBe('ab.txt');
    expect(cleanFileName('..htaccess')).toBe('htaccess');
  });

  it('falls back to "file" when nothing is left', () => {
    expect(cleanFileName('')).toBe('file');
    expect(cleanFileName(undefined)).toBe('file');
    expect(cleanFileName('/')).toBe('file');
    expect(cleanFileName('\u202E')).toBe('file');
  });

  it('shortens a long name and keeps its extension', () => {
    const cleaned = cleanFileName('x'.repeat(500) + '.pdf');
    expect([...cleaned]).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(cleaned.endsWith('.pdf')).toBe(true);
  });
});
