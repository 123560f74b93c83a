import { Injectable } from '@nestjs/common';
// Deep import: platform's index would pull contracts back in (platform imports only contracts' leaf files).
import { BusClient } from '@chat/platform/transport/bus-client';
import { UserDto } from './users.contract';

export const AuthPatterns = {
  /** Emails a one-time code. Same answer whether or not the email has an account. */
  requestCode: 'auth.request-code',
  /** Checks a code; on success creates the user if new and opens a session. */
  verifyCode: 'auth.verify-code',
  /** Rotates a refresh token; a reused one revokes its whole session (the token family). */
  refresh: 'auth.refresh',
  logout: 'auth.logout',
  /** Logout when the access token has expired: the session is named by one of its refresh tokens. */
  logoutWithRefreshToken: 'auth.logout-with-refresh-token',
  listSessions: 'auth.list-sessions',
  revokeSession: 'auth.revoke-session',
  /** Web Push: the device's (session's) subscription, set or cleared; one per session. */
  setPushSubscription: 'auth.set-push-subscription',
  /** Web Push: the subscriptions of these users' live sessions. */
  pushSubscriptions: 'auth.push-subscriptions',
  /** Web Push: the push service said the endpoint is gone (404/410); no session keeps it. */
  forgetPushEndpoint: 'auth.forget-push-endpoint',
} as const;

export const AuthEvents = {
  /** A session ended (logout, revocation, refresh-token reuse); its access tokens stop working at once. */
  sessionRevoked: 'auth.session-revoked',
} as const;

/**
 * Key-value store key marking a revoked session, written by Auth and read by the gateway on every
 * access-token check. It lives as long as an access token can, so it outlives every token of the session.
 */
export const revokedSessionKey = (sessionId: string) => `auth:revoked-session:${sessionId}`;

/** Where the request came from; recorded on the session so people can recognise their devices. */
export interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}

export interface RequestCode {
  email: string;
  /** Who asks: the hourly cap on codes counts per email and address, so a stranger cannot spend someone's. */
  client: ClientInfo;
}
/** Identical for every email, known or not. */
export interface RequestCodeResult {
  status: 'sent';
  expiresInSeconds: number;
  resendAfterSeconds: number;
}

export interface VerifyCode {
  email: string;
  code: string;
  client: ClientInfo;
}

export interface TokenPair {
  accessToken: string;
  /** ISO time the access token expires. */
  accessTokenExpiresAt: string;
  refreshToken: string;
  /** ISO time the refresh token (and its session) ends; rotation does not extend it. */
  refreshTokenExpiresAt: string;
  sessionId: string;
}

export interface SignInResult extends TokenPair {
  user: UserDto;
  /** The first successful verify of an email creates its account. */
  created: boolean;
}

export interface RefreshTokens {
  refreshToken: string;
  client: ClientInfo;
}

export interface Logout {
  userId: string;
  sessionId: string;
}

export interface LogoutWithRefreshToken {
  refreshToken: string;
}

export interface ListSessions {
  userId: string;
  /** Marks the caller's own session in the list. */
  currentSessionId: string;
}

export interface SessionDto {
  id: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  current: boolean;
}

export interface RevokeSession {
  userId: string;
  sessionId: string;
}

export interface SessionRevokedEvent {
  userId: string;
  sessionId: string;
  reason: 'logout' | 'revoked' | 'refresh-reuse';
}

/** What a browser's PushSubscription holds: where to send, and the keys to encrypt for (RFC 8291). */
export interface PushSubscriptionDto {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}
export interface SetPushSubscription {
  userId: string;
  sessionId: string;
  /** Null clears the session's subscription. */
  subscription: PushSubscriptionDto | null;
}
export interface PushSubscriptionsQuery {
  userIds: string[];
}
export interface UserPushSubscription extends PushSubscriptionDto {
  userId: string;
  sessionId: string;
}
export interface ForgetPushEndpoint {
  endpoint: string;
}

/** The Auth module, as other modules see it. */
@Injectable()
export class AuthClient {
  constructor(private readonly bus: BusClient) {}

  requestCode(p: RequestCode): Promise<RequestCodeResult> { return this.bus.request(AuthPatterns.requestCode, p); }
  verifyCode(p: VerifyCode): Promise<SignInResult> { return this.bus.request(AuthPatterns.verifyCode, p); }
  refresh(p: RefreshTokens): Promise<TokenPair> { return this.bus.request(AuthPatterns.refresh, p); }
  logout(p: Logout): Promise<void> { return this.bus.request(AuthPatterns.logout, p); }
  logoutWithRefreshToken(p: LogoutWithRefreshToken): Promise<void> { return this.bus.request(AuthPatterns.logoutWithRefreshToken, p); }
  listSessions(p: ListSessions): Promise<SessionDto[]> { return this.bus.request(AuthPatterns.listSessions, p); }
  revokeSession(p: RevokeSession): Promise<void> { return this.bus.request(AuthPatterns.revokeSession, p); }
  setPushSubscription(p: SetPushSubscription): Promise<void> { return this.bus.request(AuthPatterns.setPushSubscription, p); }
  pushSubscriptions(p: PushSubscriptionsQuery): Promise<UserPushSubscription[]> { return this.bus.request(AuthPatterns.pushSubscriptions, p); }
  forgetPushEndpoint(p: ForgetPushEndpoint): Promise<void> { return this.bus.request(AuthPatterns.forgetPushEndpoint, p); }
}
