import { isProxyList, splitProxyList } from './proxy-list';

describe('TRUSTED_PROXIES', () => {
  it('accepts nothing, addresses, CIDR ranges and the named ranges', () => {
    for (const value of ['', '127.0.0.1', '10.0.0.0/8, ::1', 'loopback,uniquelocal', 'fd00::/8', ' 192.168.1.2 , linklocal ']) {
      expect({ value, ok: isProxyList(value) }).toEqual({ value, ok: true });
    }
    expect(splitProxyList(' 10.0.0.1 , loopback,')).toEqual(['10.0.0.1', 'loopback']);
  });

  it('refuses what Express would not understand', () => {
    for (const value of ['localhost', '10.0.0.0/33', '::1/129', '1.2.3', '10.0.0.0/8/1', '10.0.0.0/x', 'true']) {
      expect({ value, ok: isProxyList(value) }).toEqual({ value, ok: false });
    }
  });
});
