import { Injectable } from '@nestjs/common';
import { ChatsClient, MessageDto, MessagesClient, SyncedChat, SyncPayload, SyncResult } from '@chat/contracts';
import { DomainError } from '@chat/platform';

const PAGE_SIZE = 100;
/** A socket ack carrying more than this per chat gets too big; the client asks again from where it stopped. */
const MAX_MESSAGES_PER_CHAT = 1000;
const CHATS_IN_PARALLEL = 8;

/**
 * Catch-up by per-chat sequence number: whatever connection state recovery could not replay (long absence,
 * another gateway, a restart), the client gets from history, each message once and in seq order.
 */
@Injectable()
export class SyncService {
  constructor(
    private readonly chats: ChatsClient,
    private readonly messages: MessagesClient,
  ) {}

  async sync(userId: string, request: SyncPayload): Promise<SyncResult> {
    const synced: SyncedChat[] = [];
    const notFoundChatIds: string[] = [];
    const wanted = dedupe(request.chats);
    for (let i = 0; i < wanted.length; i += CHATS_IN_PARALLEL) {
      const batch = wanted.slice(i, i + CHATS_IN_PARALLEL);
      const results = await Promise.all(batch.map((chat) => this.catchUp(userId, chat.chatId, chat.lastSeq)));
      results.forEach((result, j) => (result ? synced.push(result) : notFoundChatIds.push(batch[j].chatId)));
    }
    const known = new Set(wanted.map((chat) => chat.chatId));
    const allChatIds = await this.chats.chatIdsOf({ userId });
    return { chats: synced, unknownChatIds: allChatIds.filter((id) => !known.has(id)), notFoundChatIds };
  }

  /** Pages forward from `lastSeq`; null when the user may not see the chat (same answer as "no such chat"). */
  private async catchUp(userId: string, chatId: string, lastSeq: number): Promise<SyncedChat | null> {
    const messages: MessageDto[] = [];
    let after = lastSeq;
    for (;;) {
      let page;
      try {
        page = await this.messages.history({ userId, chatId, after, limit: PAGE_SIZE });
      } catch (error) {
        if (error instanceof DomainError && error.code.endsWith('NOT_FOUND')) return null;
        throw error;
      }
      const fresh = page.items.filter((m) => m.seq > after).sort((a, b) => a.seq - b.seq);
      messages.push(...fresh);
      if (fresh.length === 0 || !page.hasNewer) return { chatId, messages, complete: true };
      after = fresh[fresh.length - 1].seq;
      if (messages.length >= MAX_MESSAGES_PER_CHAT) return { chatId, messages, complete: false };
    }
  }
}

function dedupe(chats: SyncPayload['chats']): SyncPayload['chats'] {
  const byId = new Map<string, number>();
  for (const chat of chats) byId.set(chat.chatId, Math.min(chat.lastSeq, byId.get(chat.chatId) ?? Infinity));
  return [...byId].map(([chatId, lastSeq]) => ({ chatId, lastSeq }));
}
