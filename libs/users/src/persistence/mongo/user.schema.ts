import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

@Schema({ collection: 'users', versionKey: false })
export class UserDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true, unique: true })
  email: string;

  @Prop({ required: true })
  displayName: string;

  @Prop({ required: true })
  nameKey: string;

  @Prop({ type: String, default: null })
  avatarUrl: string | null;

  @Prop({ required: true })
  createdAt: Date;
}

export const UserSchema = SchemaFactory.createForClass(UserDocument);
// Mirrors the SQLite index: search walks (nameKey, _id) from the cursor.
UserSchema.index({ nameKey: 1, _id: 1 });
