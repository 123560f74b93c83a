import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { FileRef, ImageRef, SystemEvent } from '@chat/contracts';

@Schema({ collection: 'messages', versionKey: false })
export class MessageDocument {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) chatId: string;
  @Prop({ required: true }) seq: number;
  @Prop({ required: true }) senderId: string;
  @Prop({ required: true }) clientMessageId: string;
  @Prop({ type: String, default: null }) text: string | null;
  @Prop({ type: Object, default: null }) image: ImageRef | null;
  @Prop({ type: Object, default: null }) file: FileRef | null;
  @Prop({ type: String, default: null }) replyToId: string | null;
  @Prop({ required: true }) createdAt: Date;
  @Prop({ type: Date, default: null }) editedAt: Date | null;
  @Prop({ type: Date, default: null }) deletedAt: Date | null;
  /** The chat's change number of the last edit or delete (absent or null while never changed). */
  @Prop({ type: Number, default: null }) changeSeq: number | null;
  /** A system line's change (SQLite's system column); absent or null for a message someone wrote. */
  @Prop({ type: Object, default: null }) system: SystemEvent | null;
  /** A forwarded copy (absent in messages stored before forwarding existed: false). */
  @Prop({ type: Boolean, default: false }) forwarded: boolean;
}
export const MessageSchema = SchemaFactory.createForClass(MessageDocument);
// Mirrors SQLite's (chat_id, seq) primary key: history pages are bounded range scans; unique keeps seqs single.
MessageSchema.index({ chatId: 1, seq: 1 }, { unique: true });
// Mirrors messages_by_client_id: idempotent sends.
MessageSchema.index({ chatId: 1, senderId: 1, clientMessageId: 1 }, { unique: true });
// Mirrors messages_by_change: only changed messages are in it (numbers start at 1, and a query for
// changeSeq > N with N >= 0 implies the filter, so the planner may use it); "changed after N" is a bounded
// range scan in change order. Unique: one number, one change.
MessageSchema.index({ chatId: 1, changeSeq: 1 }, { unique: true, partialFilterExpression: { changeSeq: { $gt: 0 } } });
// Mirrors messages_by_media_key: the other messages still showing a media file (forwarded copies share it).
MessageSchema.index({ 'image.key': 1 }, { partialFilterExpression: { 'image.key': { $exists: true } } });
MessageSchema.index({ 'file.key': 1 }, { partialFilterExpression: { 'file.key': { $exists: true } } });
// Mirrors SQLite's message_search: words of live text, folded for case and diacritics, not stemmed (language
// "none", like unicode61), so both engines match the same words. A tombstone's null text leaves the index by itself.
MessageSchema.index({ text: 'text' }, { default_language: 'none', name: 'messages_text' });

/**
 * The last seq and the last change number handed out per chat, each moved inside the same transaction as the
 * write it numbers. The document serializes a chat's writers, so numbers commit in order.
 */
@Schema({ collection: 'message_seqs', versionKey: false })
export class ChatSeqDocument {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) lastSeq: number;
  /** Absent until the chat's first edit or delete ($inc starts it at 1). No default: upserts must not set it. */
  @Prop({ type: Number }) lastChangeSeq?: number;
  /**
   * The newest membership version applied (see MessageChatMembershipDocument). Written by applyMembership so a
   * membership change conflicts with a concurrent send on this document: the two serialize like SQLite's writers,
   * and new members start exactly after the last message sent before them.
   */
  @Prop({ type: Number }) membersVersion?: number;
}
export const ChatSeqSchema = SchemaFactory.createForClass(ChatSeqDocument);

@Schema({ collection: 'message_hides', versionKey: false })
export class MessageHideDocument {
  /** `${userId}:${chatId}:${seq}`: SQLite's (user_id, chat_id, seq) primary key. */
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) userId: string;
  @Prop({ required: true }) chatId: string;
  @Prop({ required: true }) seq: number;
  @Prop({ required: true }) messageId: string;
  @Prop({ required: true }) hiddenAt: Date;
}
export const MessageHideSchema = SchemaFactory.createForClass(MessageHideDocument);
// A page's hidden seqs come from one range of this index.
MessageHideSchema.index({ userId: 1, chatId: 1, seq: 1 });

/** Mirrors SQLite's chat_memberships: the chat's membership as Chats announced it (newest version wins). */
@Schema({ collection: 'message_chat_memberships', versionKey: false })
export class MessageChatMembershipDocument {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ type: String, required: true }) kind: 'direct' | 'group';
  @Prop({ required: true }) version: number;
}
export const MessageChatMembershipSchema = SchemaFactory.createForClass(MessageChatMembershipDocument);

/** Mirrors SQLite's chat_members of Messages: each member's pointers, which Messages owns. */
@Schema({ collection: 'message_chat_members', versionKey: false })
export class MessageChatMemberDocument {
  @Prop({ required: true }) chatId: string;
  @Prop({ required: true }) userId: string;
  @Prop({ required: true }) lastReadSeq: number;
  @Prop({ type: Date, default: null }) lastReadAt: Date | null;
  @Prop({ required: true }) lastDeliveredSeq: number;
  @Prop({ type: Date, default: null }) lastDeliveredAt: Date | null;
  /** The first seq the member may see (SQLite's visible_from_seq); absent on members stored before floors: 0. */
  @Prop({ type: Number, default: 0 }) visibleFromSeq: number;
}
export const MessageChatMemberSchema = SchemaFactory.createForClass(MessageChatMemberDocument);
// Mirrors the (chat_id, user_id) primary key: a chat's members are one range of it, a member one point.
MessageChatMemberSchema.index({ chatId: 1, userId: 1 }, { unique: true });

/** Mirrors SQLite's message_reactions: one document per (message, emoji, member). */
@Schema({ collection: 'message_reactions', versionKey: false })
export class MessageReactionDocument {
  /** `${chatId}:${seq}:${userId}:${emoji}`: SQLite's primary key, so a member has each emoji once. */
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) chatId: string;
  @Prop({ required: true }) seq: number;
  @Prop({ required: true }) emoji: string;
  @Prop({ required: true }) userId: string;
  @Prop({ required: true }) createdAt: Date;
}
export const MessageReactionSchema = SchemaFactory.createForClass(MessageReactionDocument);
// A message's reactions are one range of it (a page's: one range per message).
MessageReactionSchema.index({ chatId: 1, seq: 1 });

/** Mirrors SQLite's message_pins: `${chatId}:${messageId}` is its primary key. */
@Schema({ collection: 'message_pins', versionKey: false })
export class MessagePinDocument {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) chatId: string;
  @Prop({ required: true }) messageId: string;
  @Prop({ required: true }) seq: number;
  @Prop({ required: true }) pinnedBy: string;
  @Prop({ required: true }) pinnedAt: Date;
}
export const MessagePinSchema = SchemaFactory.createForClass(MessagePinDocument);
// A chat's pins, newest first: one range.
MessagePinSchema.index({ chatId: 1, pinnedAt: -1 });

/** Mirrors SQLite's user_blocks: `${blockerId}:${blockedId}` is its primary key; the newest version wins. */
@Schema({ collection: 'message_user_blocks', versionKey: false })
export class MessageUserBlockDocument {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) blockerId: string;
  @Prop({ required: true }) blockedId: string;
  @Prop({ required: true }) blocked: boolean;
  @Prop({ required: true }) version: number;
}
export const MessageUserBlockSchema = SchemaFactory.createForClass(MessageUserBlockDocument);

// A member's chats, for a search over all of them (SQLite joins each match to its member row instead).
MessageChatMemberSchema.index({ userId: 1, chatId: 1 });
