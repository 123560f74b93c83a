import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { UsersPatterns } from '@chat/contracts';
import { RoleMessagePattern } from '@chat/platform';
import { UsersService } from '../users.service';
import { EnsureUserByEmailDto, GetUserDto, GetUsersDto, SearchUsersDto, UpdateProfileDto } from './users.rpc.dto';

@Controller()
export class UsersRpcController {
  constructor(private readonly users: UsersService) {}

  @RoleMessagePattern('users', UsersPatterns.ensureByEmail)
  ensureByEmail(@Payload() { email }: EnsureUserByEmailDto) {
    return this.users.ensureByEmail(email);
  }

  @RoleMessagePattern('users', UsersPatterns.get)
  get(@Payload() { id }: GetUserDto) {
    return this.users.get(id);
  }

  @RoleMessagePattern('users', UsersPatterns.getMany)
  getMany(@Payload() { ids }: GetUsersDto) {
    return this.users.getMany(ids);
  }

  @RoleMessagePattern('users', UsersPatterns.search)
  search(@Payload() payload: SearchUsersDto) {
    return this.users.search(payload);
  }

  @RoleMessagePattern('users', UsersPatterns.updateProfile)
  updateProfile(@Payload() payload: UpdateProfileDto) {
    return this.users.updateProfile(payload);
  }
}
