import { safeHref, splitLinks } from './linkify';

const links = (text: string) => splitLinks(text).filter((p) => p.kind === 'link');

describe('splitLinks', () => {
  it('finds http, https and mailto links and keeps the rest as text, losing nothing', () => {
    const text = 'see https://example.com/a?b=1#c and http://x.org, or write to mailto:ann@example.com.';
    const pieces = splitLinks(text);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
    expect(links(text)).toEqual([
      { kind: 'link', text: 'https://example.com/a?b=1#c', href: 'https://example.com/a?b=1#c' },
      { kind: 'link', text: 'http://x.org', href: 'http://x.org/' },
      { kind: 'link', text: 'mailto:ann@example.com', href: 'mailto:ann@example.com' },
    ]);
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://example.com',
    'www.example.com',
    'https://',
    'mailto:',
    'mailto:nobody',
    'xhttps://example.com',
  ])('makes no link of anything else: %s', (text) => {
    expect(links(text)).toEqual([]);
    expect(splitLinks(text).map((p) => p.text).join('')).toBe(text);
  });

  it('links only the URL inside markup-looking text, never the markup', () => {
    expect(links('<a href="https://evil.example">click</a>')).toEqual([{ kind: 'link', text: 'https://evil.example', href: 'https://evil.example/' }]);
  });

  it('leaves sentence punctuation and unopened brackets outside, keeps balanced ones inside', () => {
    expect(links('(see https://example.com/page)')[0].text).toBe('https://example.com/page');
    expect(links('https://en.wikipedia.org/wiki/Foo_(bar) is good')[0].text).toBe('https://en.wikipedia.org/wiki/Foo_(bar)');
    expect(links('Go to https://example.com!?')[0].text).toBe('https://example.com');
    expect(links('"https://example.com/x"')[0].text).toBe('https://example.com/x');
  });

  it('finds several links and links glued to no word', () => {
    expect(links('a https://a.example b https://b.example').map((l) => l.href)).toEqual(['https://a.example/', 'https://b.example/']);
    expect(links('é https://a.example')).toHaveLength(1);
  });

  it('handles text with no link and an empty text', () => {
    expect(splitLinks('just words')).toEqual([{ kind: 'text', text: 'just words' }]);
    expect(splitLinks('')).toEqual([]);
  });

  it('keeps a 500-character URL whole', () => {
    const url = `https://example.com/${'a'.repeat(480)}`;
    expect(links(`${url} end`)[0].text).toBe(url);
  });
});

describe('safeHref', () => {
  it('allows http, https and mailto only', () => {
    expect(safeHref('HTTPS://Example.COM/x')).toBe('https://example.com/x');
    expect(safeHref('mailto:a@b.example')).toBe('mailto:a@b.example');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('not a url')).toBeNull();
  });
});
