import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ErrorCodes } from '@chat/contracts';
import { AccessTokenClaims, AuthenticatedUser, DomainError, JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER } from '@chat/platform';

/**
 * Verifies an access token: signature with the one allowed algorithm, expiry, audience, issuer and type.
 * Shared by the HTTP guard and the WebSocket handshake.
 */
@Injectable()
export class AccessTokenVerifier {
  constructor(private readonly jwt: JwtService) {}

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
    return { userId: claims.sub, sessionId: claims.sid };
  }
}
