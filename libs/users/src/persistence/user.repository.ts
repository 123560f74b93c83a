import { OutboxEvent, OutboxStore, WithOutbox } from '@chat/platform';
import { User } from '../domain/user';

export interface UserSearchCursor {
  name: string;
  id: string;
}

export interface UserSearchPage {
  users: User[];
  next: UserSearchCursor | null;
}

/** The Users module's persistence port (also its DI token), bound per driver by UsersPersistenceModule. */
export abstract class UserRepository implements WithOutbox {
  /** Events recorded with the change they report (`user.updated`), relayed after the commit. */
  abstract readonly outbox: OutboxStore;
  /** Inserts the user unless the email is taken; returns the stored one and whether it is new. */
  abstract insertIfEmailFree(user: User): Promise<{ user: User; created: boolean }>;
  abstract findById(id: string): Promise<User | null>;
  abstract findByIds(ids: string[]): Promise<User[]>;
  abstract findByEmail(email: string): Promise<User | null>;
  /**
   * People whose display name starts with `prefix` (case-insensitive), ordered by display name then id,
   * strictly after `after`. Never by email: a prefix search over emails would spell them out letter by letter.
   */
  abstract searchByNamePrefix(prefix: string, after: UserSearchCursor | null, limit: number, excludeId?: string): Promise<UserSearchPage>;
  /**
   * Changes the profile and records the events `announce` gives for the user as changed, in one transaction.
   * Null (nothing recorded) for an unknown user; nothing recorded either when nothing was asked to change.
   */
  abstract updateProfile(id: string, changes: { displayName?: string; avatarUrl?: string | null }, announce?: (user: User) => OutboxEvent[]): Promise<User | null>;
}
