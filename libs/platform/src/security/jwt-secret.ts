import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';

/**
 * JWT_SECRET when set; otherwise a 256-bit secret generated on first boot and kept in DATA_DIR/jwt-secret,
 * so tokens survive restarts of the embedded default. Split deployments set JWT_SECRET on every process.
 */
export function resolveJwtSecret(config: AppConfig): string {
  if (config.env.JWT_SECRET) return config.env.JWT_SECRET;
  const file = join(config.dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secret;
}
