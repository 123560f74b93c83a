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

  /** Web Push: the device's subscription lives on its session (one per device, gone with the session). */
  @Prop({ type: Object, default: null })
  push: { endpoint: string; p256dh: string; auth: string } | null;
}

export const SessionSchema = SchemaFactory.createForClass(SessionDocument);
// Mirrors the SQLite index: the device list of one user, newest use first.
SessionSchema.index({ userId: 1, lastUsedAt: -1 });
// Mirrors sessions_by_push_endpoint: the push service's "gone" names an endpoint.
SessionSchema.index({ 'push.endpoint': 1 }, { partialFilterExpression: { 'push.endpoint': { $exists: true } } });
