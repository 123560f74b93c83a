import { Injectable } from '@nestjs/common';
// Deep import: platform's index would pull contracts back in (platform imports only contracts' leaf files).
import { BusClient } from '@chat/platform/transport/bus-client';
import { Page } from './pagination';

/** Ids per users.get-many question. */
export const USERS_BATCH_MAX = 500;

export const UsersPatterns = {
  ensureByEmail: 'users.ensure-by-email',
  get: 'users.get',
  getMany: 'users.get-many',
  search: 'users.search',
  updateProfile: 'users.update-profile',
} as const;

export const UsersEvents = {
  updated: 'user.updated',
} as const;

/** A user as they see themselves (and as modules handle them): with their email. */
export interface UserDto {
  id: string;
  email: string;
  displayName: string;
  avatarUrl: string | null;
  createdAt: string;
}

/** A user as anyone else sees them: never their email. */
export type PublicUserDto = Omit<UserDto, 'email'>;

export interface EnsureUserByEmail {
  email: string;
}
export interface EnsureUserResult {
  user: UserDto;
  created: boolean;
}
export interface GetUser {
  id: string;
}
export interface GetUsers {
  ids: string[];
}
export interface SearchUsers {
  /**
   * An exact email (finds that one person), or the start of a display name (empty: everyone). Whom a name
   * finds depends on USER_DIRECTORY: everyone (`open`) or only people who share a chat with the searcher (`private`).
   */
  query: string;
  cursor?: string | null;
  limit?: number;
  /** Who searches: never found themselves, and in a private directory finds only their contacts by name. */
  searcherId: string;
}
export interface UpdateProfile {
  userId: string;
  displayName?: string;
  avatarUrl?: string | null;
}

/** The Users module, as other modules see it. */
@Injectable()
export class UsersClient {
  constructor(private readonly bus: BusClient) {}

  ensureByEmail(payload: EnsureUserByEmail): Promise<EnsureUserResult> {
    return this.bus.request(UsersPatterns.ensureByEmail, payload);
  }

  get(payload: GetUser): Promise<UserDto> {
    return this.bus.request(UsersPatterns.get, payload);
  }

  getMany(payload: GetUsers): Promise<UserDto[]> {
    return this.bus.request(UsersPatterns.getMany, payload);
  }

  search(payload: SearchUsers): Promise<Page<PublicUserDto>> {
    return this.bus.request(UsersPatterns.search, payload);
  }

  updateProfile(payload: UpdateProfile): Promise<UserDto> {
    return this.bus.request(UsersPatterns.updateProfile, payload);
  }
}
