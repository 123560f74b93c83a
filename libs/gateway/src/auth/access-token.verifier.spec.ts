import { JwtService } from '@nestjs/jwt';
import { revokedSessionKey } from '@chat/contracts';
import { JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER, MemoryKeyValueStore } from '@chat/platform';
import { AccessTokenVerifier } from './access-token.verifier';

const secret = 'a'.repeat(64);
const jwt = new JwtService({ secret, signOptions: { algorithm: JWT_ALGORITHM }, verifyOptions: { algorithms: [JWT_ALGORITHM] } });
const sign = (claims: object, expiresIn: number) => jwt.sign(claims, { audience: JWT_AUDIENCE, issuer: JWT_ISSUER, expiresIn });

describe('AccessTokenVerifier (with its verified-token cache)', () => {
  let kv: MemoryKeyValueStore;
  let verifier: AccessTokenVerifier;
  beforeEach(() => {
    kv = new MemoryKeyValueStore();
    verifier = new AccessTokenVerifier(jwt, kv);
  });
  afterEach(() => jest.useRealTimers());

  it('accepts a token again and again, and refuses it once its session is revoked, cached or not', async () => {
    const token = sign({ sub: 'u1', sid: 's1', typ: 'access' }, 60);
    await expect(verifier.verify(token)).resolves.toEqual({ userId: 'u1', sessionId: 's1' });
    await expect(verifier.verify(token)).resolves.toEqual({ userId: 'u1', sessionId: 's1' });
    await kv.set(revokedSessionKey('s1'), '1');
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'AUTH.SESSION_REVOKED' });
  });

  it('refuses a token verified before once it has expired', async () => {
    const token = sign({ sub: 'u1', sid: 's1', typ: 'access' }, 2);
    await expect(verifier.verify(token)).resolves.toEqual({ userId: 'u1', sessionId: 's1' });
    jest.useFakeTimers({ now: Date.now() + 3000, doNotFake: ['nextTick', 'setImmediate'] });
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'AUTH.UNAUTHENTICATED' });
  });

  it('never remembers a refused token: a bad signature or a refresh token stays refused', async () => {
    const token = sign({ sub: 'u1', sid: 's1', typ: 'access' }, 60);
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'AUTH.UNAUTHENTICATED' });
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'AUTH.UNAUTHENTICATED' });
    const refresh = sign({ sub: 'u1', sid: 's1', typ: 'refresh' }, 60);
    await expect(verifier.verify(refresh)).rejects.toMatchObject({ code: 'AUTH.UNAUTHENTICATED' });
    await expect(verifier.verify(refresh)).rejects.toMatchObject({ code: 'AUTH.UNAUTHENTICATED' });
  });
});

describe('AccessTokenVerifier without remembering (socket handshakes)', () => {
  it('verifies in full every time, and still uses what an HTTP request remembered', async () => {
    const kv = new MemoryKeyValueStore();
    const spy = jest.spyOn(jwt, 'verifyAsync');
    const verifier = new AccessTokenVerifier(jwt, kv);
    const token = sign({ sub: 'u1', sid: 's1', typ: 'access' }, 60);
    await expect(verifier.verify(token, { remember: false })).resolves.toEqual({ userId: 'u1', sessionId: 's1' });
    await expect(verifier.verify(token, { remember: false })).resolves.toEqual({ userId: 'u1', sessionId: 's1' });
    expect(spy).toHaveBeenCalledTimes(2);
    await verifier.verify(token);
    await verifier.verify(token, { remember: false });
    expect(spy).toHaveBeenCalledTimes(3);
    await kv.set(revokedSessionKey('s1'), '1');
    await expect(verifier.verify(token, { remember: false })).rejects.toMatchObject({ code: 'AUTH.SESSION_REVOKED' });
    spy.mockRestore();
  });
});
