import { PublicUserDto, UserDto } from '@chat/contracts';

/** What anyone may see of another user: everything but the email (built field by field, so nothing new slips out). */
export const toPublicUser = ({ id, displayName, avatarUrl, createdAt }: UserDto): PublicUserDto => ({ id, displayName, avatarUrl, createdAt });
