import type { JwtModuleOptions } from '@nestjs/jwt';
import { createSecretKey, KeyObject } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { resolveJwtSecret } from './jwt-secret';
import { JWT_ALGORITHM } from './token-claims';

/**
 * The HMAC key as a KeyObject, made once. jsonwebtoken turns a string secret into a key on every call, and first
 * tries to read it as a PEM public key (which throws and is caught): a measurable share of the gateway's CPU on
 * every authenticated request. A secret KeyObject also keeps the HS-only rule: jsonwebtoken refuses an
 * asymmetric algorithm with it. Same bytes as the string (UTF-8), so tokens made with the string still verify.
 */
export function jwtSigningKey(config: AppConfig): KeyObject {
  return createSecretKey(Buffer.from(resolveJwtSecret(config), 'utf8'));
}

/** One JwtModule setup for every module that signs or verifies (Auth, the gateway): HS256 only, the key above. */
export function jwtModuleOptions(config: AppConfig): JwtModuleOptions {
  return {
    secret: jwtSigningKey(config),
    signOptions: { algorithm: JWT_ALGORITHM },
    verifyOptions: { algorithms: [JWT_ALGORITHM] },
  };
}
