import { Injectable } from '@nestjs/common';
import { ChatsEvents, ChatUpdatedEvent, LastMessagePreview, MessageCreatedEvent, MessageDto, MessageEditedEvent } from '@chat/contracts';
import { BusClient } from '@chat/platform';
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

  private async publishUpdated(chatId: string): Promise<void> {
    const userIds = (await this.chats.listMembers(chatId)).map((m) => m.userId);
    await this.bus.publish<ChatUpdatedEvent>(ChatsEvents.updated, { chatId, userIds, reason: 'message' });
  }
}
