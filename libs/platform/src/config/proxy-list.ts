import { isIP } from 'node:net';

/** Express's names for address ranges, accepted in TRUSTED_PROXIES beside addresses and CIDR ranges. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

export const splitProxyList = (value: string): string[] => value.split(',').map((entry) => entry.trim()).filter(Boolean);

/**
 * Whether every entry is something Express's `trust proxy` understands. Checked at boot so a typo stops it with
 * one line instead of an exception from deep inside Express (or, worse, trusting nothing without saying so).
 */
export function isProxyList(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  return splitProxyList(value).every((entry) => {
    if (RANGE_NAMES.has(entry)) return true;
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    if (!family || rest.length) return false;
    if (prefix === undefined) return true;
    const bits = Number(prefix);
    return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
  });
}
