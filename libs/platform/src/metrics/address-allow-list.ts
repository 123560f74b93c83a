import { BlockList, isIP } from 'node:net';

/**
 * A set of client addresses from a comma-separated list of IPs and CIDR ranges (`127.0.0.0/8,::1,10.0.0.0/8`).
 * IPv4 clients reaching an IPv6 socket (`::ffff:10.1.2.3`) match their IPv4 entries. An empty list matches
 * nobody.
 */
export class AddressAllowList {
  private constructor(
    private readonly blocks: BlockList,
    readonly entries: readonly string[],
  ) {}

  /** Throws with a message naming the first bad entry (the config schema shows it). */
  static parse(list: string): AddressAllowList {
    const blocks = new BlockList();
    const entries = list.split(',').map((entry) => entry.trim()).filter(Boolean);
    for (const entry of entries) {
      const [address, prefix, extra] = entry.split('/');
      const family = isIP(address);
      if (family === 0 || extra !== undefined) throw new Error(`"${entry}" is not an IP address or CIDR range`);
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) {
        blocks.addAddress(address, type);
        continue;
      }
      const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
      if (!(bits >= 0 && bits <= (family === 4 ? 32 : 128))) throw new Error(`"${entry}" has a bad prefix length`);
      blocks.addSubnet(address, bits, type);
    }
    return new AddressAllowList(blocks, entries);
  }

  /** Whether the TCP peer's address (`socket.remoteAddress`, never a forwarded header) is in the list. */
  allows(address: string | undefined): boolean {
    if (!address) return false;
    const family = isIP(address);
    if (family === 0) return false;
    return this.blocks.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/** The address list is valid (for the config schema). */
export function isAddressList(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    AddressAllowList.parse(value);
    return true;
  } catch {
    return false;
  }
}
