import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { CAPTURED_MAIL_RETENTION_MS } from '../captured-mailbox';

@Schema({ collection: 'captured_mails', versionKey: false })
export class CapturedMailDocument {
  /** The job id: a redelivered job cannot be recorded twice. */
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  to: string;

  @Prop({ required: true })
  subject: string;

  @Prop({ required: true })
  text: string;

  @Prop({ required: true })
  capturedAt: Date;
}

export const CapturedMailSchema = SchemaFactory.createForClass(CapturedMailDocument);
// Newest first for the mailbox page; MongoDB drops what is past the retention by itself.
CapturedMailSchema.index({ capturedAt: -1 }, { expireAfterSeconds: CAPTURED_MAIL_RETENTION_MS / 1000 });
