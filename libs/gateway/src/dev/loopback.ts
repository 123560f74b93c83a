import { isIP } from 'node:net';

/**
 * Whether the TCP peer is this machine. Uses the socket's own address, never X-Forwarded-For or Host,
 * which a remote client controls.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIP(plain) === 4) return plain.startsWith('127.');
  return plain === '::1';
}
