import { CapturedMailDto } from '@chat/contracts';
import { Model } from 'mongoose';
import { CapturedMailbox } from '../captured-mailbox';
import { CapturedMailDocument } from './captured-mail.schema';

const DUPLICATE_KEY = 11000;

export class MongoCapturedMailbox extends CapturedMailbox {
  constructor(private readonly mails: Model<CapturedMailDocument>) {
    super();
  }

  async record(mail: CapturedMailDto): Promise<boolean> {
    try {
      // Acknowledged by the server (the driver's default write concern) before the job is marked done.
      await this.mails.create({ _id: mail.jobId, to: mail.to, subject: mail.subject, text: mail.text, capturedAt: new Date(mail.capturedAt) });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  async latest(limit: number): Promise<CapturedMailDto[]> {
    const docs = await this.mails.find().sort({ capturedAt: -1 }).limit(limit).lean<CapturedMailDocument[]>();
    return docs.map((doc) => ({ jobId: doc._id, to: doc.to, subject: doc.subject, text: doc.text, capturedAt: new Date(doc.capturedAt).toISOString() }));
  }
}
