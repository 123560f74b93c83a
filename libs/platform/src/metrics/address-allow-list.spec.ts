import { AddressAllowList, isAddressList } from './address-allow-list';

describe('AddressAllowList', () => {
  it('matches loopback by default-style entries, IPv4 clients on an IPv6 socket included', () => {
    const loopback = AddressAllowList.parse('127.0.0.0/8,::1');
    expect(loopback.allows('127.0.0.1')).toBe(true);
    expect(loopback.allows('127.1.2.3')).toBe(true);
    expect(loopback.allows('::1')).toBe(true);
    expect(loopback.allows('::ffff:127.0.0.1')).toBe(true);
    expect(loopback.allows('10.0.0.1')).toBe(false);
    expect(loopback.allows('::ffff:10.0.0.1')).toBe(false);
    expect(loopback.allows('::2')).toBe(false);
    expect(loopback.allows('128.0.0.1')).toBe(false);
  });

  it('takes single addresses and ranges of both families', () => {
    const list = AddressAllowList.parse(' 10.1.0.0/16 , 192.0.2.7, fd00::/8 ');
    expect(list.entries).toEqual(['10.1.0.0/16', '192.0.2.7', 'fd00::/8']);
    expect(list.allows('10.1.255.3')).toBe(true);
    expect(list.allows('10.2.0.1')).toBe(false);
    expect(list.allows('192.0.2.7')).toBe(true);
    expect(list.allows('192.0.2.8')).toBe(false);
    expect(list.allows('fd12::1')).toBe(true);
    expect(list.allows('fe80::1')).toBe(false);
    expect(list.allows('127.0.0.1')).toBe(false);
  });

  it('matches nobody when empty, and no junk address', () => {
    expect(AddressAllowList.parse('').allows('127.0.0.1')).toBe(false);
    const list = AddressAllowList.parse('0.0.0.0/0');
    expect(list.allows('203.0.113.9')).toBe(true);
    expect(list.allows(undefined)).toBe(false);
    expect(list.allows('')).toBe(false);
    expect(list.allows('localhost')).toBe(false);
    expect(list.allows('127.0.0.1, 10.0.0.1')).toBe(false);
  });

  it('refuses entries that are not addresses or ranges', () => {
    for (const bad of ['localhost', '10.0.0.0/33', '::1/129', '10.0.0.0/8/8', '10.0.0.0/', '10.0.0.0/x', '1.2.3']) {
      expect({ bad, valid: isAddressList(bad) }).toEqual({ bad, valid: false });
    }
    expect(isAddressList('127.0.0.0/8,::1')).toBe(true);
    expect(isAddressList('')).toBe(true);
  });
});
