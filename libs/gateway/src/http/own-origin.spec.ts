import { isOwnOrigin } from './own-origin';

describe('isOwnOrigin', () => {
  it('accepts the origin of the page this host served, on any port', () => {
    expect(isOwnOrigin('http://127.0.0.1:4100', '127.0.0.1:4100')).toBe(true);
    expect(isOwnOrigin('http://localhost:4100', 'localhost:4100')).toBe(true);
    expect(isOwnOrigin('https://chat.example', 'chat.example')).toBe(true);
    expect(isOwnOrigin('http://[::1]:4100', '[::1]:4100')).toBe(true);
    expect(isOwnOrigin('http://Chat.Example:8080', 'chat.example:8080')).toBe(true);
  });

  it('treats default ports as equal', () => {
    expect(isOwnOrigin('https://chat.example', 'chat.example:443')).toBe(true);
    expect(isOwnOrigin('http://chat.example', 'chat.example:80')).toBe(true);
    expect(isOwnOrigin('http://chat.example', 'chat.example:443')).toBe(false);
  });

  it('refuses another host or another port of the same host', () => {
    expect(isOwnOrigin('https://evil.example', 'chat.example')).toBe(false);
    expect(isOwnOrigin('http://localhost:3000', 'localhost:4100')).toBe(false);
    expect(isOwnOrigin('http://localhost:4100', '127.0.0.1:4100')).toBe(false);
    expect(isOwnOrigin('http://chat.example.evil.example', 'chat.example')).toBe(false);
    expect(isOwnOrigin('http://evil.example', 'evil.example.chat.example')).toBe(false);
  });

  it('refuses anything that is not exactly scheme://host[:port]', () => {
    expect(isOwnOrigin('null', 'chat.example')).toBe(false);
    expect(isOwnOrigin('', 'chat.example')).toBe(false);
    expect(isOwnOrigin(undefined, 'chat.example')).toBe(false);
    expect(isOwnOrigin('file://chat.example', 'chat.example')).toBe(false);
    expect(isOwnOrigin('ws://chat.example', 'chat.example')).toBe(false);
    expect(isOwnOrigin('http://chat.example/', 'chat.example')).toBe(false);
    expect(isOwnOrigin('http://chat.example/path', 'chat.example')).toBe(false);
    expect(isOwnOrigin('http://user@chat.example', 'chat.example')).toBe(false);
    expect(isOwnOrigin('http://evil.example@chat.example', 'chat.example')).toBe(false);
    expect(isOwnOrigin('http://chat.example:80', 'chat.example')).toBe(false);
  });

  it('refuses a missing or malformed Host', () => {
    expect(isOwnOrigin('http://chat.example', undefined)).toBe(false);
    expect(isOwnOrigin('http://chat.example', '')).toBe(false);
    expect(isOwnOrigin('http://chat.example', 'evil.example@chat.example')).toBe(false);
    expect(isOwnOrigin('http://chat.example', 'chat.example/x')).toBe(false);
    expect(isOwnOrigin('http://chat.example', 'chat.example:99999')).toBe(false);
  });
});
