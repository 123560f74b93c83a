import type { SystemEvent } from './contracts';
import type { People } from './store';

/** A list of names as a sentence says it: "Bob", "Bob and Cy", "Bob, Cy and Dee". */
function listOf(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? 'nobody') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * A system line of the timeline (or the chat list's preview of one) in words, with the names this client knows:
 * "Ada added Bob", "You renamed the group to “Hike”". The server sends the change, never the sentence, so the
 * names are always the current ones.
 */
export function systemText(s: People, event: SystemEvent): string {
  const me = s.me?.id;
  const name = (id: string, start = false) => (id === me ? (start ? 'You' : 'you') : (s.users[id]?.displayName ?? 'someone'));
  const actor = event.actorId ? name(event.actorId, true) : null;
  const by = actor ?? 'Someone';
  switch (event.type) {
    case 'created':
      return `${by} created the group “${event.title}”`;
    case 'renamed':
      return `${by} renamed the group to “${event.title}”`;
    case 'photo-changed':
      return event.removed ? `${by} removed the group photo` : `${by} changed the group photo`;
    case 'members-added':
      return `${by} added ${listOf(event.userIds.map((id) => name(id)))}`;
    case 'member-removed':
      return `${by} removed ${name(event.userId)}`;
    case 'member-left':
      return `${name(event.userId, true)} left`;
    case 'admin-made':
      return actor ? `${actor} made ${name(event.userId)} an admin` : `${name(event.userId, true)} ${event.userId === me ? 'are' : 'is'} now an admin`;
    case 'admin-removed':
      return `${by} removed ${name(event.userId)} as admin`;
    case 'history-visibility-changed':
      return event.visible ? `${by} let new members see earlier messages` : `${by} hid earlier messages from new members`;
  }
}

/** Everyone a system line names (to fetch their names). */
export function peopleIn(event: SystemEvent | null | undefined): string[] {
  if (!event) return [];
  const named = 'userIds' in event ? event.userIds : 'userId' in event ? [event.userId] : [];
  return event.actorId ? [event.actorId, ...named] : named;
}

/** A group's header: its members by name, me last ("Ada, Bob, you"), the rest counted past a handful. */
export function memberNames(s: People, memberIds: string[], shown = 6): string {
  const me = s.me?.id;
  const others = memberIds.filter((id) => id !== me).map((id) => s.users[id]?.displayName ?? 'someone');
  const named = others.slice(0, shown);
  const rest = others.length - named.length;
  const parts = [...named, ...(rest > 0 ? [`${rest} more`] : []), ...(me && memberIds.includes(me) ? ['you'] : [])];
  return parts.join(', ');
}
