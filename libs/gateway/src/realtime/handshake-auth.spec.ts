import { forgetHandshakeCredentials, originRefusal, parseCookies, readHandshakeToken } from './handshake-auth';

describe('handshake auth helpers', () => {
  it('reads auth.token before the cookie, and either cookie name', () => {
    expect(readHandshakeToken({ token: 'a' }, { cookie: 'access=b' })).toEqual({ token: 'a', source: 'auth' });
    expect(readHandshakeToken({}, { cookie: 'x=1; __Host-access=c' })).toEqual({ token: 'c', source: 'cookie' });
    expect(readHandshakeToken(undefined, { cookie: 'access=d' })).toEqual({ token: 'd', source: 'cookie' });
    expect(readHandshakeToken({ token: 42 }, {})).toBeNull();
  });

  it('ignores malformed cookies', () => {
    expect(parseCookies('bad; =x; a=%E0%A4%A; b=ok')).toEqual({ b: 'ok' });
  });

  it('allows its own origin and listed ones, refuses a foreign Origin, and a missing one unless the token was explicit', () => {
    const allowed = ['http://localhost:3001'];
    const host = '127.0.0.1:4100';
    expect(originRefusal('http://127.0.0.1:4100', host, [], 'cookie')).toBeNull();
    expect(originRefusal('http://localhost:3001', host, allowed, 'cookie')).toBeNull();
    expect(originRefusal('http://localhost:3000', host, allowed, 'cookie')).toBe('foreign-origin');
    expect(originRefusal('https://evil.example', host, allowed, 'auth')).toBe('foreign-origin');
    expect(originRefusal(undefined, host, allowed, 'cookie')).toBe('missing-origin');
    expect(originRefusal(undefined, host, allowed, 'auth')).toBeNull();
  });

  it('forgets the credentials once verified, and nothing else', () => {
    const handshake = { auth: { token: 't', pid: 'p' }, headers: { cookie: 'access=t', origin: 'http://localhost:3000' } };
    forgetHandshakeCredentials(handshake);
    expect(handshake).toEqual({ auth: { pid: 'p' }, headers: { origin: 'http://localhost:3000' } });
    forgetHandshakeCredentials({ auth: undefined, headers: {} }); // nothing to forget: fine
  });
});
