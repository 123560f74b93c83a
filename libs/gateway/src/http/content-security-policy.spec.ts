import { createHash } from 'node:crypto';
import { baseCspDirectives, inlineScriptHashes, pageCsp, serializeCsp } from './content-security-policy';

const sha = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const directive = (policy: string, name: string) => policy.split(';').find((d) => d.startsWith(`${name} `)) ?? '';

describe('content security policy', () => {
  it('allows no inline script and connects to this origin only', () => {
    const policy = serializeCsp(baseCspDirectives(false));
    expect(directive(policy, 'script-src')).toBe("script-src 'self'");
    expect(directive(policy, 'connect-src')).toBe("connect-src 'self'");
    expect(policy).not.toContain('upgrade-insecure-requests');
    expect(serializeCsp(baseCspDirectives(true))).toContain('upgrade-insecure-requests');
  });

  it('hashes the text of every inline script, and no script with a src', () => {
    const html = '<script src="/a.js" async=""></script><script>(self.x=self.x||[]).push([0])</script>'
      + '<script id="_R_">a &amp; b</script><SCRIPT type="module">\nlet y = "</p>";\n</SCRIPT><script>(self.x=self.x||[]).push([0])</script><script></script>';
    expect(inlineScriptHashes(html)).toEqual([sha('(self.x=self.x||[]).push([0])'), sha('a &amp; b'), sha('\nlet y = "</p>";\n'), sha('')]);
    expect(inlineScriptHashes('<p>no scripts</p>')).toEqual([]);
  });

  it("gives a page its scripts' hashes and its own socket address, nothing wider", () => {
    const policy = pageCsp(baseCspDirectives(false), ["'sha256-abc'"], '127.0.0.1:4100');
    expect(directive(policy, 'script-src')).toBe("script-src 'self' 'sha256-abc'");
    expect(directive(policy, 'connect-src')).toBe("connect-src 'self' ws://127.0.0.1:4100 wss://127.0.0.1:4100");
    expect(directive(policy, 'connect-src')).toBe(directive(pageCsp(baseCspDirectives(false), [], 'Chat.Example:4100'), 'connect-src').replace(/chat\.example/g, '127.0.0.1'));
  });

  it("falls back to 'self' alone for a Host that is not a plain name or IPv4 address", () => {
    for (const host of [undefined, '', 'evil.example/x', 'a b', '[::1]:4100', "x' 'unsafe-inline"]) {
      expect({ host, connect: directive(pageCsp(baseCspDirectives(false), [], host), 'connect-src') }).toEqual({ host, connect: "connect-src 'self'" });
    }
  });
});
