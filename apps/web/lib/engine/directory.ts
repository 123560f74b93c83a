import type { ChatSummaryDto, Page, PublicUserDto } from '../contracts';
import { chatsUpserted, chatUpserted, usersRemembered } from '../state-updates';
import type { Link } from './link';
import type { ApiClient, Store } from './ports';
import type { PresenceTyping } from './presence-typing';

/** Chats, the people in them, and the people I blocked: loaded over REST, kept in the store. */
export interface Directory {
  refreshChats(): Promise<void>;
  ensureUsers(ids: string[]): Promise<void>;
  rememberUsers(users: PublicUserDto[]): void;
  openDirectChat(userId: string): Promise<ChatSummaryDto>;
  createGroup(title: string, memberIds: string[]): Promise<ChatSummaryDto>;
  loadBlocked(): Promise<PublicUserDto[]>;
  blockUser(userId: string): Promise<void>;
  unblockUser(userId: string): Promise<void>;
}

const MAX_CHATS = 1000;

export function createDirectory({ store, api, link, presence }: { store: Store; api: ApiClient; link: Link; presence: PresenceTyping }): Directory {
  const rememberUsers = (users: PublicUserDto[]) => {
    if (users.length) store.setState(usersRemembered(users));
  };

  async function ensureUsers(ids: string[]): Promise<void> {
    const known = store.getState().users;
    const missing = [...new Set(ids)].filter((id) => !known[id]);
    for (let i = 0; i < missing.length; i += 100) {
      const users = await api<PublicUserDto[]>(`/users/batch?ids=${missing.slice(i, i + 100).join(',')}`).catch(() => []);
      rememberUsers(users);
    }
  }

  async function loadBlocked(): Promise<PublicUserDto[]> {
    const people = await api<PublicUserDto[]>('/users/me/blocks').catch(() => null);
    if (!people) return [];
    rememberUsers(people);
    store.setState(() => ({ blocked: people.map((p) => p.id) }));
    return people;
  }

  return {
    async refreshChats() {
      const chats: ChatSummaryDto[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<ChatSummaryDto> = await api(`/chats?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        chats.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && chats.length < MAX_CHATS);
      store.setState(chatsUpserted(chats));
      await ensureUsers(chats.flatMap((c) => c.members.map((m) => m.userId)));
      void presence.query();
      // Everything listed has reached this device.
      for (const c of chats) if (c.lastSeq > c.lastDeliveredSeq) link.fire('message:delivered', { chatId: c.id, seq: c.lastSeq });
    },
    ensureUsers,
    rememberUsers,
    async openDirectChat(userId) {
      const chat = await api<ChatSummaryDto>('/chats/direct', { method: 'POST', body: { userId } });
      store.setState(chatUpserted(chat));
      await ensureUsers(chat.members.map((m) => m.userId));
      void presence.query();
      return chat;
    },
    async createGroup(title, memberIds) {
      const chat = await api<ChatSummaryDto>('/chats/groups', { method: 'POST', body: { title, memberIds } });
      store.setState(chatUpserted(chat));
      await ensureUsers(chat.members.map((m) => m.userId));
      return chat;
    },
    loadBlocked,
    async blockUser(userId) {
      await api(`/users/${userId}/block`, { method: 'PUT' });
      store.setState((s) => ({ blocked: s.blocked.includes(userId) ? s.blocked : [userId, ...s.blocked] }));
    },
    async unblockUser(userId) {
      await api(`/users/${userId}/block`, { method: 'DELETE' });
      store.setState((s) => ({ blocked: s.blocked.filter((id) => id !== userId) }));
      void presence.query();
    },
  };
}
