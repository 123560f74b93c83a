import { Injectable } from '@nestjs/common';
import { ErrorCodes, ErrorPayload } from '@chat/contracts';
import { AppConfig, DomainError } from '@chat/platform';
import { JwtService } from '@nestjs/jwt';
import { AccessTokenVerifier } from '../auth/access-token.verifier';
import { forgetHandshakeCredentials, isOriginAllowed, readHandshakeToken } from './handshake-auth';
import type { RealtimeSocket } from './socket-server.ref';

/** A refused handshake: the client gets `connect_error` with `data` = `{ code, message }`. */
export function connectError(payload: ErrorPayload): Error & { data: ErrorPayload } {
  return Object.assign(new Error(payload.message), { data: payload });
}

/**
 * The handshake middleware: Origin first (WebSockets skip CORS), then the access token, verified exactly as
 * REST verifies it. The user id comes from the token only, whatever the client puts in `auth` or the query.
 */
@Injectable()
export class SocketAuthenticator {
  constructor(
    private readonly config: AppConfig,
    private readonly verifier: AccessTokenVerifier,
    private readonly jwt: JwtService,
  ) {}

  async authenticate(socket: RealtimeSocket): Promise<void> {
    const { headers, auth } = socket.handshake;
    const found = readHandshakeToken(auth, headers);
    const origin = typeof headers.origin === 'string' ? headers.origin : undefined;
    if (!isOriginAllowed(origin, this.config.corsOrigins, found?.source ?? 'cookie')) {
      throw connectError({ code: ErrorCodes.AUTH_FORBIDDEN, message: 'Origin not allowed' });
    }
    if (!found) throw connectError({ code: ErrorCodes.AUTH_UNAUTHENTICATED, message: 'Missing access token' });
    try {
      const user = await this.verifier.verify(found.token, { remember: false });
      const { exp } = this.jwt.decode<{ exp: number }>(found.token);
      socket.data = { userId: user.userId, sessionId: user.sessionId, exp };
      forgetHandshakeCredentials(socket.handshake);
    } catch (error) {
      const payload = error instanceof DomainError ? error.toPayload() : { code: ErrorCodes.AUTH_UNAUTHENTICATED, message: 'Invalid access token' };
      throw connectError(payload);
    }
  }
}
