import { Injectable } from '@nestjs/common';
import { MessageDto, MessageReadStateChangedEvent, previewOf, readOnArrival } from '@chat/contracts';
import { mentionStateOf } from './domain/mentions';
import { ChatRepository } from './persistence/chat.repository';

/**
 * Keeps previews, order and pointers in step with Messages' events. Every event merges by maximum (mergeMessage,
 * mergePointers), so any order and any number of deliveries leave the same chat: no ordering, no applied-event
 * bookkeeping. Nothing is published per message: the members' frames come from Messages' own event.
 */
@Injectable()
export class ChatActivityService {
  constructor(private readonly chats: ChatRepository) {}

  /**
   * Created, edited or deleted: each is a state of the message, merged the same way. Its sender has read it, and so
   * have the members a system line brings in (readOnArrival), as in Messages. The members it mentions get a row
   * each (only they: nothing per other member), which their chat list counts while past their read pointer.
   */
  async onMessage({ message, memberIds }: { message: MessageDto; memberIds: string[] }): Promise<void> {
    await this.chats.applyMessage(message.chatId, message.senderId, previewOf(message), readOnArrival(message, memberIds), mentionStateOf(message));
  }

  async onReadState(event: MessageReadStateChangedEvent): Promise<void> {
    await this.chats.mergePointers(event.chatId, event.userId, {
      lastReadSeq: event.lastReadSeq,
      lastReadAt: event.lastReadAt ? new Date(event.lastReadAt) : null,
      lastDeliveredSeq: event.lastDeliveredSeq,
      lastDeliveredAt: event.lastDeliveredAt ? new Date(event.lastDeliveredAt) : null,
    });
  }
}
