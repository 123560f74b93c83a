import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ErrorCodes } from '@chat/contracts';
import { AccessTokenClaims, AppConfig, DomainError, JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER } from '@chat/platform';
import { Session } from '../domain/session';

export interface RefreshTokenClaims {
  sub: string;
  sid: string;
  jti: string;
  typ: 'refresh';
}

/** Signs and checks Auth's JWTs: HS256 only, with audience, issuer and type on every token. */
@Injectable()
export class TokenIssuer {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  async accessToken(session: Session, now: Date): Promise<{ token: string; expiresAt: Date }> {
    const ttl = this.config.env.ACCESS_TOKEN_TTL_SECONDS;
    const claims: AccessTokenClaims = { sub: session.userId, sid: session.id, typ: 'access' };
    const token = await this.jwt.signAsync(claims, { algorithm: JWT_ALGORITHM, audience: JWT_AUDIENCE, issuer: JWT_ISSUER, expiresIn: ttl });
    return { token, expiresAt: new Date(Math.floor(now.getTime() / 1000) * 1000 + ttl * 1000) };
  }

  /** Expires with its session (absolute expiry): rotation hands out a new token, never a longer life. */
  async refreshToken(session: Session): Promise<string> {
    const claims = { sub: session.userId, sid: session.id, typ: 'refresh', exp: Math.floor(session.expiresAt.getTime() / 1000) };
    return this.jwt.signAsync(claims, { algorithm: JWT_ALGORITHM, audience: JWT_AUDIENCE, issuer: JWT_ISSUER, jwtid: session.refreshTokenId });
  }

  async verifyRefreshToken(token: string): Promise<RefreshTokenClaims> {
    let claims: Partial<RefreshTokenClaims>;
    try {
      claims = await this.jwt.verifyAsync(token, { algorithms: [JWT_ALGORITHM], audience: JWT_AUDIENCE, issuer: JWT_ISSUER });
    } catch {
      throw new DomainError(ErrorCodes.AUTH_UNAUTHENTICATED, 'Invalid or expired refresh token');
    }
    if (claims.typ !== 'refresh' || typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || typeof claims.jti !== 'string') {
      throw new DomainError(ErrorCodes.AUTH_UNAUTHENTICATED, 'Not a refresh token');
    }
    return claims as RefreshTokenClaims;
  }
}
