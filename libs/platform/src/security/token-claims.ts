/** Claims of the tokens Auth issues and the gateway verifies. Only HS256 is accepted. */
export const JWT_ALGORITHM = 'HS256' as const;
export const JWT_AUDIENCE = 'relay-chat';
export const JWT_ISSUER = 'relay-chat-auth';

export type TokenType = 'access' | 'refresh';

export interface AccessTokenClaims {
  sub: string;
  /** Session id: logout and session revocation end every token of the session. */
  sid: string;
  typ: 'access';
}

/** The authenticated caller, as the edge hands it to controllers and socket handlers. */
export interface AuthenticatedUser {
  userId: string;
  sessionId: string;
}
