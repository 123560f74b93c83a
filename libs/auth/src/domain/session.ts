/**
 * A signed-in device. The session is also the refresh-token family: each rotation replaces `refreshTokenId`,
 * and presenting any earlier token of the family revokes the session.
 */
export interface Session {
  id: string;
  userId: string;
  /** Id (jti) of the one refresh token of this family that may still be used. */
  refreshTokenId: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  /** Absolute end: rotation never extends it. */
  expiresAt: Date;
  revokedAt: Date | null;
}

export function isActive(session: Session, now: Date): boolean {
  return session.revokedAt === null && session.expiresAt.getTime() > now.getTime();
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
