import { sign } from 'jsonwebtoken';

/** An access token as Auth would issue it, for suites that test something other than sign-in. */
export function mintAccessToken(secret: string, userId: string, sessionId = 'test-session', expiresInSeconds = 600): string {
  return sign({ sub: userId, sid: sessionId, typ: 'access' }, secret, {
    algorithm: 'HS256',
    audience: 'relay-chat',
    issuer: 'relay-chat-auth',
    expiresIn: expiresInSeconds,
  });
}
