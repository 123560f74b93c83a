import { isLoopbackAddress } from './loopback';

describe('isLoopbackAddress', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])('%s is this machine', (address) => {
    expect(isLoopbackAddress(address)).toBe(true);
  });
  it.each(['192.0.2.2', '::ffff:10.0.0.1', 'fd00::2', '', undefined, 'localhost', '127.0.0.1.evil'])('%s is not', (address) => {
    expect(isLoopbackAddress(address)).toBe(false);
  });
});
