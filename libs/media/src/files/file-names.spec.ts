import { MAX_FILE_NAME_LENGTH } from '@chat/contracts';
import { attachmentDisposition, cleanFileName } from './file-names';

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

describe('attachmentDisposition', () => {
  it('names a plain ASCII file directly', () => {
    expect(attachmentDisposition('report.pdf')).toBe('attachment; filename="report.pdf"');
  });

  it('gives any other name an ASCII fallback and the exact name in UTF-8', () => {
    expect(attachmentDisposition('Q3 "report" été.pdf')).toBe(`attachment; filename="Q3 _report_ _t_.pdf"; filename*=UTF-8''Q3%20%22report%22%20%C3%A9t%C3%A9.pdf`);
    expect(attachmentDisposition("it's (1).txt")).toBe(`attachment; filename="it's (1).txt"`);
    expect(attachmentDisposition('50%.txt')).toBe(`attachment; filename="50_.txt"; filename*=UTF-8''50%25.txt`);
  });

  it('never lets a name end the header or add a parameter', () => {
    const header = attachmentDisposition('a";\r\nSet-Cookie: x=1; filename="evil.html');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header.match(/"/g)).toHaveLength(2);
  });
});
