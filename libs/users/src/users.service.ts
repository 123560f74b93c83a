import { Injectable } from '@nestjs/common';
import { ChatsClient, CONTACTS_QUERY_MAX_USERS, EnsureUserResult, ErrorCodes, Page, PublicUserDto, SearchUsers, UpdateProfile, UserDto, UsersEvents } from '@chat/contracts';
import { AppConfig, DomainError, OutboxRelay } from '@chat/platform';
import { randomUUID } from 'node:crypto';
import { defaultDisplayName, normalizeEmail, User } from './domain/user';
import { UserRepository, UserSearchCursor } from './persistence/user.repository';

const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;
/** A private directory filters names by contacts: at most this many batches of candidates per page asked. */
const MAX_CONTACT_SCANS = 5;

export const toUserDto = (user: User): UserDto => ({
  id: user.id,
  email: user.email,
  displayName: user.displayName,
  avatarUrl: user.avatarUrl,
  createdAt: user.createdAt.toISOString(),
});

export const toPublicUserDto = (user: User): PublicUserDto => ({
  id: user.id,
  displayName: user.displayName,
  avatarUrl: user.avatarUrl,
  createdAt: user.createdAt.toISOString(),
});

/** Where a page of name search stopped (the repository's order: lower-cased name, then id). */
const positionOf = (user: User): UserSearchCursor => ({ name: user.displayName.toLowerCase(), id: user.id });

const encodeCursor = (cursor: UserSearchCursor) => Buffer.from(JSON.stringify([cursor.name, cursor.id])).toString('base64url');
function decodeCursor(cursor: string | null | undefined): UserSearchCursor | null {
  if (!cursor) return null;
  try {
    const [name, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof name === 'string' && typeof id === 'string') return { name, id };
  } catch {
    // fall through to the error below
  }
  throw new DomainError(ErrorCodes.VALIDATION_FAILED, 'Invalid cursor');
}

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserRepository,
    private readonly relay: OutboxRelay,
    private readonly chats: ChatsClient,
    private readonly config: AppConfig,
  ) {}

  async ensureByEmail(email: string): Promise<EnsureUserResult> {
    const normalized = normalizeEmail(email);
    const existing = await this.users.findByEmail(normalized);
    if (existing) return { user: toUserDto(existing), created: false };
    const { user, created } = await this.users.insertIfEmailFree({
      id: randomUUID(),
      email: normalized,
      displayName: defaultDisplayName(normalized),
      avatarUrl: null,
      createdAt: new Date(),
    });
    return { user: toUserDto(user), created };
  }

  async get(id: string): Promise<UserDto> {
    const user = await this.users.findById(id);
    if (!user) throw new DomainError(ErrorCodes.USER_NOT_FOUND, 'User not found');
    return toUserDto(user);
  }

  /** Unknown ids are left out rather than failing the whole batch. */
  async getMany(ids: string[]): Promise<UserDto[]> {
    const users = await this.users.findByIds([...new Set(ids)]);
    return users.map(toUserDto);
  }

  /**
   * People search, never showing an email. An exact email finds that one person (whatever the directory), and
   * is not echoed back. A name finds everyone in an open directory, and only the searcher's contacts (people
   * who share a chat with them) in a private one.
   */
  async search({ query, cursor, limit, searcherId }: SearchUsers): Promise<Page<PublicUserDto>> {
    const size = Math.min(Math.max(limit ?? DEFAULT_PAGE, 1), MAX_PAGE);
    const text = query.trim();
    if (text.includes('@')) {
      const user = await this.users.findByEmail(normalizeEmail(text));
      return { items: user && user.id !== searcherId ? [toPublicUserDto(user)] : [], nextCursor: null };
    }
    const after = decodeCursor(cursor);
    if (this.config.env.USER_DIRECTORY === 'open') {
      const page = await this.users.searchByNamePrefix(text, after, size, searcherId);
      return { items: page.users.map(toPublicUserDto), nextCursor: page.next ? encodeCursor(page.next) : null };
    }
    return this.searchContacts(text, after, size, searcherId);
  }

  /**
   * Name search among the searcher's contacts: walks the name index in batches and keeps those the Chats module
   * says share a chat with the searcher. A page may come back short (or empty) with a cursor when the batches
   * ran out before it filled; the cursor goes on from where the walk stopped.
   */
  private async searchContacts(prefix: string, after: UserSearchCursor | null, size: number, searcherId: string): Promise<Page<PublicUserDto>> {
    const found: User[] = [];
    let position = after;
    for (let scan = 0; scan < MAX_CONTACT_SCANS; scan++) {
      const batch = await this.users.searchByNamePrefix(prefix, position, CONTACTS_QUERY_MAX_USERS, searcherId);
      const contacts = new Set(batch.users.length ? await this.chats.contactsAmong({ userId: searcherId, candidateIds: batch.users.map((u) => u.id) }) : []);
      for (const user of batch.users) {
        if (!contacts.has(user.id)) continue;
        found.push(user);
        if (found.length === size) {
          const more = user !== batch.users[batch.users.length - 1] || batch.next !== null;
          return { items: found.map(toPublicUserDto), nextCursor: more ? encodeCursor(positionOf(user)) : null };
        }
      }
      if (!batch.next) return { items: found.map(toPublicUserDto), nextCursor: null };
      position = batch.next;
    }
    return { items: found.map(toPublicUserDto), nextCursor: position ? encodeCursor(position) : null };
  }

  async updateProfile({ userId, displayName, avatarUrl }: UpdateProfile): Promise<UserDto> {
    // user.updated is recorded with the change (the gateway tells everyone who shares a chat with the user).
    const user = await this.users.updateProfile(userId, { displayName: displayName?.trim(), avatarUrl }, (changed) => [
      { pattern: UsersEvents.updated, payload: toUserDto(changed) },
    ]);
    if (!user) throw new DomainError(ErrorCodes.USER_NOT_FOUND, 'User not found');
    this.relay.kick();
    return toUserDto(user);
  }
}
