import { Injectable } from '@nestjs/common';
import { ChatsEvents, ChatUpdatedEvent, LastMessagePreview, MessageCreatedEvent, MessageDto, MessageEditedEvent } from '@chat/contracts';
import { BusClient } from '@chat/platform';
import { toChatSnapshot } from './chat-summaries';
import { PREVIEW_LENGTH } from './domain/chat';
import { ChatRepository, ChatState } from './persistence/chat.repository';

export function toPreview(message: MessageDto): LastMessagePreview {
  const deleted = message.deletedAt !== null;
  return {
    messageId: message.id,
    seq: message.seq,
    senderId: message.senderId,
    text: deleted || !message.text ? null : message.text.slice(0, PREVIEW_LENGTH),
    hasImage: !deleted && message.image !== null,
    deleted,
    createdAt: message.createdAt,
    editedAt: message.editedAt,
  };
}

/** Keeps previews, order and unread counters in step with Messages' events. */
@Injectable()
export class ChatActivityService {
  constructor(
    private readonly chats: ChatRepository,
    private readonly bus: BusClient,
  ) {}

  /** Applied once per seq, in whatever order the events come: a redelivered event changes nothing. */
  onMessageCreated({ message }: MessageCreatedEvent): Promise<void> {
    return this.inChatOrder(message.chatId, () =>
      this.chats.applyNewMessage({ chatId: message.chatId, senderId: message.senderId, preview: toPreview(message) }),
    );
  }

  /** An edit or delete changes the list only when it touches the message the preview shows. */
  onMessageChanged({ message }: MessageEditedEvent): Promise<void> {
    return this.inChatOrder(message.chatId, async () => ((await this.chats.refreshPreview(message.chatId, toPreview(message))) ? this.stateOf(message.chatId) : null));
  }

  /** Per chat, the tail of its chain of changes: each waits for the one before. */
  private readonly pending = new Map<string, Promise<void>>();

  /**
   * Runs one change of a chat after the previous one has been applied and published, then publishes the state it
   * left (null: nothing changed, nothing to say). The gateway pushes every member's summary from that snapshot
   * instead of one chats.get per member per message, and snapshots leave in the order of the states they show,
   * even when the writes are real I/O (MongoDB) and two events of one chat arrive together.
   */
  private inChatOrder(chatId: string, change: () => Promise<ChatState | null>): Promise<void> {
    const previous = this.pending.get(chatId) ?? Promise.resolve();
    const mine = previous.then(async () => {
      const state = await change();
      if (state) await this.publish(state);
    });
    const tail = mine.catch(() => undefined);
    this.pending.set(chatId, tail);
    void tail.then(() => {
      if (this.pending.get(chatId) === tail) this.pending.delete(chatId);
    });
    return mine;
  }

  private async stateOf(chatId: string): Promise<ChatState | null> {
    const [chat, members] = await Promise.all([this.chats.findById(chatId), this.chats.listMembers(chatId)]);
    return chat ? { chat, members } : null;
  }

  private async publish({ chat, members }: ChatState): Promise<void> {
    await this.bus.publish<ChatUpdatedEvent>(ChatsEvents.updated, {
      chatId: chat.id,
      userIds: members.map((m) => m.userId),
      reason: 'message',
      snapshot: toChatSnapshot(chat, members),
    });
  }
}
