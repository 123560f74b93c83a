import { Injectable, Logger } from '@nestjs/common';
import { ErrorCodes, ErrorPayload } from '@chat/contracts';
import { AppConfig, DomainError } from '@chat/platform';
import { JwtService } from '@nestjs/jwt';
import { AccessTokenVerifier } from '../auth/access-token.verifier';
import { forgetHandshakeCredentials, OriginRefusal, originRefusal, readHandshakeToken } from './handshake-auth';
import type { RealtimeSocket } from './socket-server.ref';

/** Origins already warned about: enough for any real misconfiguration, too few for junk Origins to grow the heap. */
const WARNED_ORIGINS_MAX = 1000;

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
  private readonly logger = new Logger('SocketAuthenticator');
  private readonly warnedOrigins = new Set<string>();

  constructor(
    private readonly config: AppConfig,
    private readonly verifier: AccessTokenVerifier,
    private readonly jwt: JwtService,
  ) {}

  async authenticate(socket: RealtimeSocket): Promise<void> {
    const { headers, auth } = socket.handshake;
    const found = readHandshakeToken(auth, headers);
    const origin = typeof headers.origin === 'string' ? headers.origin : undefined;
    const host = typeof headers.host === 'string' ? headers.host : undefined;
    const refusal = originRefusal(origin, host, this.config.corsOrigins, found?.source ?? 'cookie');
    if (refusal) {
      this.warnOnce(refusal, origin, host);
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

  /**
   * An operator whose page "reconnects forever" learns why from the log; once per Origin, so a page retrying
   * every few seconds (or a scanner) does not flood it.
   */
  private warnOnce(refusal: OriginRefusal, origin: string | undefined, host: string | undefined): void {
    // Header values are the client's: bounded before they reach the log.
    const key = (origin ?? '').slice(0, 200);
    const shownHost = (host ?? '').slice(0, 200);
    if (this.warnedOrigins.has(key) || this.warnedOrigins.size >= WARNED_ORIGINS_MAX) return;
    this.warnedOrigins.add(key);
    const reason =
      refusal === 'missing-origin'
        ? 'no Origin header and no token in auth.token (a client that is not a browser must send its token there)'
        : `Origin ${JSON.stringify(key)} is neither this server's own origin (Host ${JSON.stringify(shownHost)}) nor listed in CORS_ORIGINS`;
    this.logger.warn({ origin: key, host: shownHost }, `Refused a socket handshake: ${reason}`);
  }
}
