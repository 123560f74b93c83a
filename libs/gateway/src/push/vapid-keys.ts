import { AppConfig } from '@chat/platform';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/**
 * The gateways' VAPID key pair (RFC 8292): from WEB_PUSH_VAPID_* when set; otherwise generated on first boot and
 * kept in DATA_DIR/vapid-keys.json, so browsers' subscriptions (made for this public key) survive restarts of the
 * embedded default. Several gateways set the pair on each (or share DATA_DIR).
 */
export function resolveVapidKeys(config: AppConfig): VapidKeys {
  const { WEB_PUSH_VAPID_PUBLIC_KEY: publicKey, WEB_PUSH_VAPID_PRIVATE_KEY: privateKey } = config.env;
  if (publicKey && privateKey) return { publicKey, privateKey };
  const file = join(config.dataDir, 'vapid-keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as VapidKeys;
  mkdirSync(config.dataDir, { recursive: true });
  // web-push only here: once the pair is kept in DATA_DIR, a boot reads it without loading the package.
  const keys = (require('web-push') as typeof import('web-push')).generateVAPIDKeys();
  try {
    writeFileSync(file, JSON.stringify(keys), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    return keys;
  } catch {
    // Another process of this deployment wrote it first: theirs is the pair.
    return JSON.parse(readFileSync(file, 'utf8')) as VapidKeys;
  }
}
