import { Injectable } from '@nestjs/common';
import { ChatsEvents, ChatUpdatedEvent, LastMessagePreview, MessageCreatedEvent, MessageDto, MessageEditedEvent } from '@chat/contracts';
import { BusClient } from '@chat/platform';
import { toChatSnapshot } from './chat-summaries';
import { PREVIEW_LENGTH } from './domain/chat';
import { ChatRepository } from './persistence/chat.repository';

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
  async onMessageCreated({ message }: MessageCreatedEvent): Promise<void> {
    const applied = await this.chats.applyNewMessage({ chatId: message.chatId, senderId: message.senderId, preview: toPreview(message) });
    if (applied) await this.publishUpdated(message.chatId);
  }

  /** An edit or delete changes the list only when it touches the message the preview shows. */
  async onMessageChanged({ message }: MessageEditedEvent): Promise<void> {
    const changed = await this.chats.refreshPreview(message.chatId, toPreview(message));
    if (changed) await this.publishUpdated(message.chatId);
  }

  /** Per chat, the tail of its snapshot publications: each waits for the one before. */
  private readonly publishing = new Map<string, Promise<void>>();

  /**
   * With the chat's state after the change: the gateway pushes every member's summary from it instead of one
   * chats.get per member per message. Publications of one chat are chained, so snapshots leave in the order
   * of the states they show even when the reads are real I/O (MongoDB) and two events of a chat overlap.
   */
  private publishUpdated(chatId: string): Promise<void> {
    const previous = this.publishing.get(chatId) ?? Promise.resolve();
    const mine = previous.then(() => this.publishSnapshot(chatId));
    const tail = mine.catch(() => undefined);
    this.publishing.set(chatId, tail);
    void tail.then(() => {
      if (this.publishing.get(chatId) === tail) this.publishing.delete(chatId);
    });
    return mine;
  }

  private async publishSnapshot(chatId: string): Promise<void> {
    const [members, chat] = await Promise.all([this.chats.listMembers(chatId), this.chats.findById(chatId)]);
    const snapshot = chat ? toChatSnapshot(chat, members) : undefined;
    await this.bus.publish<ChatUpdatedEvent>(ChatsEvents.updated, { chatId, userIds: members.map((m) => m.userId), reason: 'message', snapshot });
  }
}
