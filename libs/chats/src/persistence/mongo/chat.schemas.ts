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
  /** Seqs up to this one count as applied (chats stored before per-seq tracking); later ones are tracked one by one. */
  @Prop({ type: Number }) appliedFloor?: number;
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
  @Prop({ required: true, default: 0 }) unreadCount: number;
  @Prop({ required: true, default: false }) hidden: boolean;
  /** When the member hid the chat: only a message created after it brings the chat back (see SQLite's hidden_at). */
  @Prop({ type: Date, default: null }) hiddenAt: Date | null;
  @Prop({ required: true, default: false }) muted: boolean;
  @Prop({ required: true }) activityAt: Date;
  /** A read beyond lastSeq (its message's event not applied yet) and when it was made; see SQLite's read_ahead_seq. */
  @Prop({ type: Number, default: 0 }) readAheadSeq: number;
  @Prop({ type: Date, default: null }) readAheadAt: Date | null;
  /** No longer read (message events are tracked per seq in chat_applied_messages); kept for stored documents. */
  @Prop({ required: true, default: 0 }) appliedSeq: number;
}
export const ChatMemberSchema = SchemaFactory.createForClass(ChatMemberDocument);
// Mirrors the primary key's chat_id prefix: a chat's members.
ChatMemberSchema.index({ chatId: 1, joinedAt: 1, userId: 1 });
// Mirrors chat_members_by_user_activity: the chat list is a bounded range scan from the cursor.
ChatMemberSchema.index({ userId: 1, hidden: 1, activityAt: -1, chatId: -1 });
