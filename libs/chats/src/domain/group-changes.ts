import { GroupChange } from '@chat/contracts';
import { Chat, ChatMember } from './chat';

/** What an admin asked to change in a group's details and settings (absent: unchanged). */
export interface GroupDetailsChange {
  title?: string;
  avatarUrl?: string | null;
  historyVisible?: boolean;
}

/**
 * The changes a details update really makes, each its own line in the timeline (and its own version): asking for
 * the title the group already has changes nothing and says nothing.
 */
export function detailChanges(chat: Pick<Chat, 'title' | 'avatarUrl' | 'historyVisible'>, asked: GroupDetailsChange): GroupChange[] {
  const changes: GroupChange[] = [];
  if (asked.title !== undefined && asked.title !== chat.title) changes.push({ type: 'renamed', title: asked.title });
  if (asked.avatarUrl !== undefined && asked.avatarUrl !== chat.avatarUrl) changes.push({ type: 'photo-changed', removed: asked.avatarUrl === null });
  if (asked.historyVisible !== undefined && asked.historyVisible !== chat.historyVisible) {
    changes.push({ type: 'history-visibility-changed', visible: asked.historyVisible });
  }
  return changes;
}

/** The member leaving or removed, as the timeline says it: leaving is removing oneself. */
export function departure(memberId: string, actorId: string): GroupChange {
  return memberId === actorId ? { type: 'member-left', userId: memberId } : { type: 'member-removed', userId: memberId };
}

/** A role change as the timeline says it; null when the member already has that role. */
export function roleChange(member: Pick<ChatMember, 'userId' | 'role'>, admin: boolean): GroupChange | null {
  if ((member.role === 'admin') === admin) return null;
  return admin ? { type: 'admin-made', userId: member.userId } : { type: 'admin-removed', userId: member.userId };
}

/**
 * A group whose last admin left gets its longest-standing member as admin. `members` in join order, after the
 * departure; null when an admin remains or nobody does.
 */
export function successorAdmin(members: Pick<ChatMember, 'userId' | 'role'>[]): string | null {
  if (members.length === 0 || members.some((m) => m.role === 'admin')) return null;
  return members[0].userId;
}
