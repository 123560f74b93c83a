import { Session } from '../domain/session';

/** The Auth module's persistence port (also its DI token), bound per driver by SessionsPersistenceModule. */
export abstract class SessionRepository {
  abstract create(session: Session): Promise<void>;
  abstract findById(id: string): Promise<Session | null>;
  /**
   * Compare-and-swap of the family's current refresh token: succeeds only if `expectedTokenId` is still the
   * current one and the session is not revoked, so two concurrent uses of one token cannot both rotate.
   */
  abstract rotateRefreshToken(id: string, expectedTokenId: string, nextTokenId: string, usedAt: Date, client: { userAgent: string | null; ip: string | null }): Promise<boolean>;
  /** Marks the session revoked; false when it was already revoked or does not exist. */
  abstract revoke(id: string, at: Date): Promise<boolean>;
  /** The user's sessions that are neither revoked nor expired, most recently used first. */
  abstract listActiveByUser(userId: string, now: Date): Promise<Session[]>;
}
