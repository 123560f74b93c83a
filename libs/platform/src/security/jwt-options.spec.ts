// jsonwebtoken takes createPublicKey from 'crypto' when it loads: wrap it before, to see whether it is called.
jest.mock('crypto', () => {
  const actual = jest.requireActual('crypto');
  return { ...actual, createPublicKey: jest.fn(actual.createPublicKey) };
});

import { JwtService } from '@nestjs/jwt';
import { createPublicKey, generateKeyPairSync } from 'crypto';
import { sign } from 'jsonwebtoken';
import { AppConfig } from '../config/app-config';
import { EnvironmentVariables } from '../config/env.schema';
import { jwtModuleOptions } from './jwt-options';
import { JWT_AUDIENCE, JWT_ISSUER } from './token-claims';

const SECRET = 'k'.repeat(64);
const config = new AppConfig(Object.assign(new EnvironmentVariables(), { JWT_SECRET: SECRET }));
const claims = { sub: 'u1', sid: 's1', typ: 'access' };
const checks = { audience: JWT_AUDIENCE, issuer: JWT_ISSUER };

describe('jwtModuleOptions', () => {
  const jwt = new JwtService(jwtModuleOptions(config));

  beforeEach(() => (createPublicKey as jest.Mock).mockClear());

  it('verifies without trying the secret as a public key first (the per-request cost of a string secret)', async () => {
    const token = sign(claims, SECRET, { algorithm: 'HS256', ...checks, expiresIn: 60 });
    await expect(jwt.verifyAsync(token, checks)).resolves.toMatchObject(claims);
    expect(createPublicKey).not.toHaveBeenCalled();
  });

  it('signs tokens that verify with the plain secret (same key bytes as before)', async () => {
    const token = await jwt.signAsync(claims, { ...checks, expiresIn: 60 });
    expect(() => sign(claims, SECRET, { algorithm: 'HS256' })).not.toThrow();
    await expect(new JwtService({ secret: SECRET }).verifyAsync(token, { algorithms: ['HS256'], ...checks })).resolves.toMatchObject(claims);
  });

  it('still refuses other algorithms and other keys', async () => {
    const none = sign(claims, '', { algorithm: 'none', ...checks });
    await expect(jwt.verifyAsync(none, checks)).rejects.toThrow();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await expect(jwt.verifyAsync(sign(claims, privateKey, { algorithm: 'RS256', ...checks }), checks)).rejects.toThrow();
    await expect(jwt.verifyAsync(sign(claims, 'x'.repeat(64), { algorithm: 'HS256', ...checks }), checks)).rejects.toThrow();
    await expect(jwt.verifyAsync(sign(claims, SECRET, { algorithm: 'HS512', ...checks }), checks)).rejects.toThrow();
  });
});
