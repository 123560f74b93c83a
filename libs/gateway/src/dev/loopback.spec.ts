import { isDirectLocalRequest, isLoopbackAddress } from './loopback';

describe('isLoopbackAddress', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])('%s is this machine', (address) => {
    expect(isLoopbackAddress(address)).toBe(true);
  });
  it.each(['192.0.2.2', '::ffff:10.0.0.1', 'fd00::2', '', undefined, 'localhost', '127.0.0.1.evil'])('%s is not', (address) => {
    expect(isLoopbackAddress(address)).toBe(false);
  });
});

describe('isDirectLocalRequest', () => {
  const request = (remoteAddress: string, headers: Record<string, string>) => ({ socket: { remoteAddress }, headers });

  it.each(['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'LOCALHOST', '127.0.0.1'])('answers a loopback peer asking for %s', (host) => {
    expect(isDirectLocalRequest(request('127.0.0.1', { host }))).toBe(true);
  });

  it.each([
    ['a remote peer', '192.0.2.2', { host: 'localhost:3000' }],
    ['X-Forwarded-For', '127.0.0.1', { host: 'localhost:3000', 'x-forwarded-for': '127.0.0.1' }],
    ['Forwarded', '127.0.0.1', { host: 'localhost:3000', forwarded: 'for=192.0.2.2' }],
    ['X-Real-IP', '::1', { host: 'localhost:3000', 'x-real-ip': '192.0.2.2' }],
    ['X-Forwarded-Host', '127.0.0.1', { host: 'localhost:3000', 'x-forwarded-host': 'chat.example.com' }],
    ['a public Host', '127.0.0.1', { host: 'chat.example.com' }],
    ['a look-alike Host', '127.0.0.1', { host: 'localhost.example.com' }],
    ['no Host', '127.0.0.1', {}],
  ])('refuses %s', (_what, peer, headers) => {
    expect(isDirectLocalRequest(request(peer as string, headers as Record<string, string>))).toBe(false);
  });
});
