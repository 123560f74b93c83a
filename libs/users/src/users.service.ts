import { Injectable } from '@nestjs/common';
import { EnsureUserResult, ErrorCodes, Page, SearchUsers, UpdateProfile, UserDto, UsersEvents } from '@chat/contracts';
import { BusClient, DomainError } from '@chat/platform';
import { randomUUID } from 'node:crypto';
import { defaultDisplayName, normalizeEmail, User } from './domain/user';
import { UserRepository, UserSearchCursor } from './persistence/user.repository';

const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;

export const toUserDto = (user: User): UserDto => ({
  id: user.id,
  email: user.email,
  displayName: user.displayName,
  avatarUrl: user.avatarUrl,
  createdAt: user.createdAt.toISOString(),
});

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
    private readonly bus: BusClient,
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

  async search({ query, cursor, limit, excludeId }: SearchUsers): Promise<Page<UserDto>> {
    const size = Math.min(Math.max(limit ?? DEFAULT_PAGE, 1), MAX_PAGE);
    const page = await this.users.searchByPrefix(query.trim(), decodeCursor(cursor), size, excludeId);
    return { items: page.users.map(toUserDto), nextCursor: page.next ? encodeCursor(page.next) : null };
  }

  async updateProfile({ userId, displayName, avatarUrl }: UpdateProfile): Promise<UserDto> {
    const user = await this.users.updateProfile(userId, { displayName: displayName?.trim(), avatarUrl });
    if (!user) throw new DomainError(ErrorCodes.USER_NOT_FOUND, 'User not found');
    const dto = toUserDto(user);
    await this.bus.publish(UsersEvents.updated, dto);
    return dto;
  }
}
