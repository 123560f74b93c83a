/**
 * Whether the server may POST a push to this subscription endpoint: the endpoint comes from a browser, so without
 * this check a client could make the server send requests anywhere (SSRF). The host must be one of `hosts` or a
 * subdomain of one, over https (push services are; a local stand-in is named like any other host).
 */
export function isAllowedPushEndpoint(endpoint: string, hosts: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  const listed = hosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
  if (!listed) return false;
  return url.protocol === 'https:';
}

export const parseHostList = (value: string): string[] =>
  value
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
