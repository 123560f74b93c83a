import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

@Schema({ collection: 'auth_sessions', versionKey: false })
export class SessionDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  userId: string;

  @Prop({ required: true })
  refreshTokenId: string;

  @Prop({ type: String, default: null })
  userAgent: string | null;

  @Prop({ type: String, default: null })
  ip: string | null;

  @Prop({ required: true })
  createdAt: Date;

  @Prop({ required: true })
  lastUsedAt: Date;

  @Prop({ required: true })
  expiresAt: Date;

  @Prop({ type: Date, default: null })
  revokedAt: Date | null;
}

export const SessionSchema = SchemaFactory.createForClass(SessionDocument);
// Mirrors the SQLite index: the device list of one user, newest use first.
SessionSchema.index({ userId: 1, lastUsedAt: -1 });
