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

export interface UserDto {
  id: string;
  email: string;
  displayName: string;
  avatarUrl: string | null;
  createdAt: string;
}

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
  /** Prefix of a display name or an email; empty lists everyone. */
  query: string;
  cursor?: string | null;
  limit?: number;
  /** Usually the searcher, who should not find themselves. */
  excludeId?: string;
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

  search(payload: SearchUsers): Promise<Page<UserDto>> {
    return this.bus.request(UsersPatterns.search, payload);
  }

  updateProfile(payload: UpdateProfile): Promise<UserDto> {
    return this.bus.request(UsersPatterns.updateProfile, payload);
  }
}
