import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ErrorCodes, revokedSessionKey } from '@chat/contracts';
import { AccessTokenClaims, AuthenticatedUser, DomainError, JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER, KeyValueStore } from '@chat/platform';

/** Bound of the verified-token cache: when full it is emptied (a burst of new tokens costs re-verification, never memory). */
const MAX_CACHED_TOKENS = 10_000;

/**
 * Verifies an access token: signature with the one allowed algorithm, expiry, audience, issuer and type.
 * Shared by the HTTP guard and the WebSocket handshake. A revoked session (logout, revocation, refresh-token
 * reuse) is refused at once through a marker Auth keeps in the key-value store for an access token's lifetime:
 * one key lookup per check, no call to Auth.
 */
@Injectable()
export class AccessTokenVerifier {
  /**
   * Tokens whose signature, algorithm, audience, issuer and type were verified, with their claims. A token's
   * validity depends only on its bytes, this process's key and the clock, so a token seen before needs only the
   * clock checked again (the same rule as jsonwebtoken: valid while now in whole seconds is before `exp`). The
   * revocation marker is still looked up on every call. Saves the HMAC and two JSON parses per request.
   */
  private readonly verified = new Map<string, AccessTokenClaims & { exp?: number }>();

  constructor(
    private readonly jwt: JwtService,
    private readonly kv: KeyValueStore,
  ) {}

  /**
   * `remember: false` (socket handshakes): a socket checks its token once per connection, so caching it would
   * mostly keep every idle socket's claims in memory (about 0.5 KB each) for nothing. A cached token still counts.
   */
  async verify(token: string, { remember = true }: { remember?: boolean } = {}): Promise<AuthenticatedUser> {
    const claims = this.cachedClaims(token) ?? (await this.verifySignature(token, remember));
    if (await this.kv.get(revokedSessionKey(claims.sid))) {
      throw new DomainError(ErrorCodes.AUTH_SESSION_REVOKED, 'This session has ended; sign in again');
    }
    return { userId: claims.sub, sessionId: claims.sid };
  }

  private cachedClaims(token: string): AccessTokenClaims | null {
    const claims = this.verified.get(token);
    if (!claims) return null;
    if (claims.exp === undefined || Math.floor(Date.now() / 1000) < claims.exp) return claims;
    this.verified.delete(token);
    return null;
  }

  private async verifySignature(token: string, remember: boolean): Promise<AccessTokenClaims> {
    let claims: AccessTokenClaims & { exp?: number; nbf?: number };
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims & { exp?: number; nbf?: number }>(token, {
        algorithms: [JWT_ALGORITHM],
        audience: JWT_AUDIENCE,
        issuer: JWT_ISSUER,
      });
    } catch {
      throw new DomainError(ErrorCodes.AUTH_UNAUTHENTICATED, 'Invalid or expired access token');
    }
    if (claims.typ !== 'access' || typeof claims.sub !== 'string' || typeof claims.sid !== 'string') {
      throw new DomainError(ErrorCodes.AUTH_UNAUTHENTICATED, 'Not an access token');
    }
    // Only plain tokens are remembered: a not-before time or a non-numeric expiry is checked in full every time.
    if (remember && claims.nbf === undefined && (claims.exp === undefined || typeof claims.exp === 'number')) {
      if (this.verified.size >= MAX_CACHED_TOKENS) this.verified.clear();
      this.verified.set(token, claims);
    }
    return claims;
  }
}
