import type { MessageDto, UserDto } from './contracts';

/** Whether the message, as it reads now, mentions me (someone else's, not deleted). */
export function mentionsMe(s: { me: Pick<UserDto, 'id'> | null }, message: Pick<MessageDto, 'senderId' | 'mentions' | 'deletedAt'>): boolean {
  const me = s.me?.id;
  return !!me && message.senderId !== me && !message.deletedAt && (message.mentions ?? []).includes(me);
}
