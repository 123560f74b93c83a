import { Injectable } from '@nestjs/common';
import { ChatsClient, MessageDto, MessagesClient, PublicUserDto, SyncChatPosition, SyncedChat, SyncPayload, SyncResult, UsersClient, USERS_BATCH_MAX } from '@chat/contracts';
import { DomainError } from '@chat/platform';

const PAGE_SIZE = 100;
/**
 * A socket ack carrying more than this per chat (new and changed messages together) gets too big; the client
 * asks again from where it stopped. Also bounds the changes read per chat, kept or not.
 */
const MAX_MESSAGES_PER_CHAT = 1000;
const CHATS_IN_PARALLEL = 8;

/** The user may not see the chat: the same answer as "no such chat". */
class ChatNotVisible extends Error {}

/**
 * Catch-up by per-chat sequence number and change cursor: whatever connection state recovery could not replay
 * (long absence, another gateway, a restart), the client gets from Messages: the messages after its last seq,
 * each once and in seq order, and the current state of those it held that were edited or deleted since.
 */
@Injectable()
export class SyncService {
  constructor(
    private readonly chats: ChatsClient,
    private readonly messages: MessagesClient,
    private readonly users: UsersClient,
  ) {}

  async sync(userId: string, request: SyncPayload): Promise<SyncResult> {
    const synced: SyncedChat[] = [];
    const notFoundChatIds: string[] = [];
    const wanted = dedupe(request.chats);
    for (let i = 0; i < wanted.length; i += CHATS_IN_PARALLEL) {
      const batch = wanted.slice(i, i + CHATS_IN_PARALLEL);
      const results = await Promise.all(batch.map((chat) => this.catchUp(userId, chat)));
      results.forEach((result, j) => (result ? synced.push(result) : notFoundChatIds.push(batch[j].chatId)));
    }
    const known = new Set(wanted.map((chat) => chat.chatId));
    const allChatIds = await this.chats.chatIdsOf({ userId });
    return { chats: synced, unknownChatIds: allChatIds.filter((id) => !known.has(id)), notFoundChatIds, users: await this.profiles(request.userIds ?? []) };
  }

  /** Names and photos changed while the client was away come back fresh (emails never: public profiles only). */
  private async profiles(userIds: string[]): Promise<PublicUserDto[]> {
    const ids = [...new Set(userIds)].slice(0, USERS_BATCH_MAX);
    if (!ids.length) return [];
    return (await this.users.getMany({ ids })).map(({ id, displayName, avatarUrl, createdAt }) => ({ id, displayName, avatarUrl, createdAt }));
  }

  /**
   * Changes first, then new messages. The new messages are read after the changes, so they already show every
   * change read here: a changed message past lastSeq is left to them (one copy, never an older one). Read the
   * other way round, an edit landing between the two reads would be skipped by the cursor and missing from
   * the copy. Null when the user may not see the chat.
   */
  private async catchUp(userId: string, position: SyncChatPosition): Promise<SyncedChat | null> {
    const { chatId, lastSeq } = position;
    try {
      const changes = await this.changesSince(userId, position);
      const fresh = await this.messagesAfter(userId, chatId, lastSeq, MAX_MESSAGES_PER_CHAT - changes.changed.length);
      // Pins changed while away: the whole (short) list, which the client puts in place of its own.
      const pins = await visible(this.messages.pins({ userId, chatId }));
      return { chatId, messages: fresh.messages, changed: changes.changed, changeCursor: changes.changeCursor, complete: changes.complete && fresh.complete, pins };
    } catch (error) {
      if (error instanceof ChatNotVisible) return null;
      throw error;
    }
  }

  private async changesSince(userId: string, { chatId, lastSeq, changeCursor }: SyncChatPosition) {
    const changed: MessageDto[] = [];
    let cursor = changeCursor;
    let read = 0;
    for (;;) {
      const page = await visible(this.messages.changes({ userId, chatId, after: cursor, limit: PAGE_SIZE }));
      cursor = page.changeCursor;
      read += page.items.length;
      changed.push(...page.items.filter((m) => m.seq <= lastSeq));
      if (!page.hasMore) return { changed, changeCursor: cursor, complete: true };
      if (read >= MAX_MESSAGES_PER_CHAT) return { changed, changeCursor: cursor, complete: false };
    }
  }

  /** Pages forward from `lastSeq`, up to `budget` messages. */
  private async messagesAfter(userId: string, chatId: string, lastSeq: number, budget: number) {
    const messages: MessageDto[] = [];
    let after = lastSeq;
    while (messages.length < budget) {
      const page = await visible(this.messages.history({ userId, chatId, after, limit: Math.min(PAGE_SIZE, budget - messages.length) }));
      const fresh = page.items.filter((m) => m.seq > after).sort((a, b) => a.seq - b.seq);
      messages.push(...fresh);
      if (fresh.length === 0 || !page.hasNewer) return { messages, complete: true };
      after = fresh[fresh.length - 1].seq;
    }
    return { messages, complete: false };
  }
}

async function visible<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof DomainError && error.code.endsWith('NOT_FOUND')) throw new ChatNotVisible();
    throw error;
  }
}

/** A chat listed twice is synced once, from the entry with the smaller lastSeq (and that entry's cursor). */
function dedupe(chats: SyncChatPosition[]): SyncChatPosition[] {
  const byId = new Map<string, SyncChatPosition>();
  for (const chat of chats) {
    const seen = byId.get(chat.chatId);
    if (!seen || chat.lastSeq < seen.lastSeq) byId.set(chat.chatId, chat);
  }
  return [...byId.values()];
}
