import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ErrorCodes, revokedSessionKey } from '@chat/contracts';
import { AccessTokenClaims, AuthenticatedUser, DomainError, JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER, KeyValueStore } from '@chat/platform';

/**
 * Verifies an access token: signature with the one allowed algorithm, expiry, audience, issuer and type.
 * Shared by the HTTP guard and the WebSocket handshake. A revoked session (logout, revocation, refresh-token
 * reuse) is refused at once through a marker Auth keeps in the key-value store for an access token's lifetime:
 * one key lookup per check, no call to Auth.
 */
@Injectable()
export class AccessTokenVerifier {
  constructor(
    private readonly jwt: JwtService,
    private readonly kv: KeyValueStore,
  ) {}

  async verify(token: string): Promise<AuthenticatedUser> {
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, {
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
    if (await this.kv.get(revokedSessionKey(claims.sid))) {
      throw new DomainError(ErrorCodes.AUTH_SESSION_REVOKED, 'This session has ended; sign in again');
    }
    return { userId: claims.sub, sessionId: claims.sid };
  }
}
