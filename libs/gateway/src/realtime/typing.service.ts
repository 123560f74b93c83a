import { Injectable } from '@nestjs/common';
import { TYPING_EXPIRES_MS } from '@chat/contracts';
import { SocketServerRef } from './socket-server.ref';
import { userRoom, userRooms } from './socket-rooms';

interface TypingEntry {
  timer: NodeJS.Timeout;
  memberIds: string[];
}

/**
 * Typing indicators: relayed to the chat's other members, never stored. A `start` without a `stop` ends by
 * itself after TYPING_EXPIRES_MS (a closed tab never sends its stop), and a disconnect stops them all.
 */
@Injectable()
export class TypingService {
  /** socket id → chat id → pending auto-stop. */
  private readonly active = new Map<string, Map<string, TypingEntry>>();

  constructor(private readonly ref: SocketServerRef) {}

  start(socketId: string, userId: string, chatId: string, memberIds: string[]): void {
    const chats = this.active.get(socketId) ?? new Map<string, TypingEntry>();
    this.active.set(socketId, chats);
    const previous = chats.get(chatId);
    if (previous) clearTimeout(previous.timer);
    const timer = setTimeout(() => this.stop(socketId, userId, chatId), TYPING_EXPIRES_MS);
    timer.unref();
    chats.set(chatId, { timer, memberIds });
    this.emit(userId, chatId, memberIds, 'start');
  }

  /** Stops one indicator; with no `memberIds` known (no start seen here), there is nothing to stop. */
  stop(socketId: string, userId: string, chatId: string): void {
    const chats = this.active.get(socketId);
    const entry = chats?.get(chatId);
    if (!chats || !entry) return;
    clearTimeout(entry.timer);
    chats.delete(chatId);
    if (chats.size === 0) this.active.delete(socketId);
    this.emit(userId, chatId, entry.memberIds, 'stop');
  }

  stopAll(socketId: string, userId: string): void {
    for (const chatId of [...(this.active.get(socketId)?.keys() ?? [])]) this.stop(socketId, userId, chatId);
  }

  private emit(userId: string, chatId: string, memberIds: string[], state: 'start' | 'stop'): void {
    const payload = state === 'start' ? { chatId, userId, state, expiresInMs: TYPING_EXPIRES_MS } : { chatId, userId, state };
    this.ref.server?.to(userRooms(memberIds)).except(userRoom(userId)).emit('typing', payload);
  }
}
