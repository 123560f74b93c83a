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
export abstract class UserRepository {
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
  abstract updateProfile(id: string, changes: { displayName?: string; avatarUrl?: string | null }): Promise<User | null>;
}
