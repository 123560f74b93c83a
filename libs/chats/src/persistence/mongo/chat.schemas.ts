import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { LastMessagePreview } from '@chat/contracts';

@Schema({ collection: 'chats', versionKey: false })
export class ChatDocument {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) kind: 'direct' | 'group';
  @Prop({ type: String, default: null }) pairKey: string | null;
  @Prop({ type: String, default: null }) title: string | null;
  @Prop({ type: String, default: null }) avatarUrl: string | null;
  @Prop({ required: true }) createdBy: string;
  @Prop({ required: true }) createdAt: Date;
  @Prop({ required: true, default: 0 }) lastSeq: number;
  @Prop({ required: true }) lastActivityAt: Date;
  @Prop({ type: Object, default: null }) lastMessage: LastMessagePreview | null;
  /** The version of the chat's membership, moved with every membership change and its event (SQLite's members_version). */
  @Prop({ required: true, default: 1 }) membersVersion: number;
  /** Groups: new members see the messages sent before they joined (SQLite's history_visible). Absent: false. */
  @Prop({ type: Boolean, default: false }) historyVisible: boolean;
}
export const ChatSchema = SchemaFactory.createForClass(ChatDocument);
// Mirrors SQLite's UNIQUE pair_key: one 1:1 chat per pair (partial, so groups without a key never collide).
ChatSchema.index({ pairKey: 1 }, { unique: true, partialFilterExpression: { pairKey: { $type: 'string' } } });

@Schema({ collection: 'chat_members', versionKey: false })
export class ChatMemberDocument {
  /** `${chatId}:${userId}`: the (chat_id, user_id) primary key of SQLite. */
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) chatId: string;
  @Prop({ required: true }) userId: string;
  @Prop({ required: true }) role: 'admin' | 'member';
  @Prop({ required: true }) joinedAt: Date;
  @Prop({ required: true, default: 0 }) lastDeliveredSeq: number;
  @Prop({ type: Date, default: null }) lastDeliveredAt: Date | null;
  @Prop({ required: true, default: 0 }) lastReadSeq: number;
  @Prop({ type: Date, default: null }) lastReadAt: Date | null;
  /** When the member hid the chat: only a message created after it brings the chat back (isListed). */
  @Prop({ type: Date, default: null }) hiddenAt: Date | null;
  @Prop({ required: true, default: false }) muted: boolean;
}
export const ChatMemberSchema = SchemaFactory.createForClass(ChatMemberDocument);
// Mirrors the primary key's chat_id prefix: a chat's members, in join order.
ChatMemberSchema.index({ chatId: 1, joinedAt: 1, userId: 1 });
// Mirrors chat_members_by_user: a user's chats are one range of it.
ChatMemberSchema.index({ userId: 1, chatId: 1 });

/** Mirrors SQLite's user_blocks: `${blockerId}:${blockedId}` is its primary key; kept when lifted (blocked false). */
@Schema({ collection: 'chat_user_blocks', versionKey: false })
export class UserBlockDocument {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) blockerId: string;
  @Prop({ required: true }) blockedId: string;
  @Prop({ required: true }) blocked: boolean;
  @Prop({ required: true }) version: number;
  @Prop({ required: true }) changedAt: Date;
}
export const UserBlockSchema = SchemaFactory.createForClass(UserBlockDocument);
// Mirrors the primary key's blocker prefix (whom a user blocks) and user_blocks_by_blocked (who blocks a user).
UserBlockSchema.index({ blockerId: 1, changedAt: -1 });
UserBlockSchema.index({ blockedId: 1, blockerId: 1 });

/**
 * Mirrors SQLite's mention_states and unread_mentions in one document per message with mentions: `${chatId}:${seq}`
 * is its key, `state` the state its mentions were last set from, `userIds` the mentioned members who have not read
 * it yet (a read pulls the reader out).
 */
@Schema({ collection: 'chat_mentions', versionKey: false })
export class MentionDocument {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) chatId: string;
  @Prop({ required: true }) seq: number;
  @Prop({ required: true }) state: string;
  @Prop({ type: [String], default: [] }) userIds: string[];
}
export const MentionSchema = SchemaFactory.createForClass(MentionDocument);
// Mirrors unread_mentions' primary key: a user's mentions per chat (multikey on userIds).
MentionSchema.index({ userIds: 1, chatId: 1, seq: 1 });
