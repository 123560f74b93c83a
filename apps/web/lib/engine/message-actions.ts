import type { MessageDto, PinDto, ReactionsPayload } from '../contracts';
import { newClientMessageId } from '../ids';
import { messageDropped, messageUpserted, pinChanged, reactionsApplied } from '../state-updates';
import type { Link } from './link';
import type { ApiClient, Store } from './ports';

/** What the user does to messages already sent (REST, or the socket where it answers), and their reactions' frames. */
export interface MessageActions {
  editMessage(messageId: string, text: string): Promise<void>;
  deleteMessage(messageId: string): Promise<void>;
  deleteForMe(chatId: string, messageId: string): Promise<void>;
  forwardMessage(messageId: string, toChatId: string): Promise<MessageDto>;
  pinMessage(chatId: string, messageId: string): Promise<void>;
  unpinMessage(chatId: string, messageId: string): Promise<void>;
  reactToMessage(chatId: string, messageId: string, emoji: string, on: boolean): Promise<void>;
  onReactions(payload: ReactionsPayload): void;
}

export function createMessageActions({ store, api, link }: { store: Store; api: ApiClient; link: Link }): MessageActions {
  /** The newest version applied per message: frames from several gateways can come out of order. */
  const reactionVersions = new Map<string, number>();
  const upsert = (m: MessageDto) => store.setState(messageUpserted(m));
  return {
    async editMessage(messageId, text) {
      upsert(await api<MessageDto>(`/messages/${messageId}`, { method: 'PATCH', body: { text } }));
    },
    async deleteMessage(messageId) {
      const result = await api<MessageDto | undefined>(`/messages/${messageId}`, { method: 'DELETE' });
      if (result && result.id) upsert(result);
    },
    /** Delete for me: gone from this device now, and from every page the server gives me later. */
    async deleteForMe(chatId, messageId) {
      await api(`/messages/${messageId}/hide`, { method: 'POST' });
      store.setState(messageDropped(chatId, messageId));
    },
    /** A copy into another chat of mine, marked forwarded; it arrives there like any message (message:new). */
    async forwardMessage(messageId, toChatId) {
      const copy = await api<MessageDto>(`/messages/${messageId}/forward`, { method: 'POST', body: { chatId: toChatId, clientMessageId: newClientMessageId() } });
      upsert(copy);
      return copy;
    },
    async pinMessage(chatId, messageId) {
      store.setState(pinChanged(await api<PinDto>(`/chats/${chatId}/pins/${messageId}`, { method: 'PUT' }), true));
    },
    async unpinMessage(chatId, messageId) {
      await api(`/chats/${chatId}/pins/${messageId}`, { method: 'DELETE' });
      const pin = store.getState().pins[chatId]?.find((p) => p.messageId === messageId);
      if (pin) store.setState(pinChanged(pin, false));
    },
    /** Adds or removes my reaction; the answer (the message's reactions now) is applied at once, the frame follows. */
    async reactToMessage(chatId, messageId, emoji, on) {
      const versionBefore = reactionVersions.get(messageId);
      let message: MessageDto;
      if (link.connected()) {
        const ack = await link.request<MessageDto>('message:react', { messageId, emoji, on });
        if (!ack.ok) throw new Error(ack.error.message);
        message = ack.data;
      } else {
        const path = `/messages/${encodeURIComponent(messageId)}/reactions/${encodeURIComponent(emoji)}`;
        message = await api<MessageDto>(path, { method: on ? 'PUT' : 'DELETE' });
      }
      // A frame that came meanwhile is as new as this answer or newer (another member's reaction): it wins.
      if (reactionVersions.get(messageId) === versionBefore) store.setState(reactionsApplied(chatId, messageId, message.reactions ?? []));
    },
    onReactions({ chatId, messageId, reactions, version }) {
      if ((reactionVersions.get(messageId) ?? 0) >= version) return;
      reactionVersions.set(messageId, version);
      store.setState(reactionsApplied(chatId, messageId, reactions));
    },
  };
}
