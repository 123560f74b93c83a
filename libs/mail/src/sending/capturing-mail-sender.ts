import { Injectable, Logger } from '@nestjs/common';
import { CapturedMailDto } from '@chat/contracts';
import { MailSender, OutgoingMail } from './mail-sender';

const KEEP = 50;

/**
 * No SMTP configured: the mail reaches only the person running the server, in the server log and on the
 * loopback-only mailbox page. Kept in memory: the last few mails, lost on restart, which is fine for a dev box.
 */
@Injectable()
export class CapturingMailSender extends MailSender {
  private readonly logger = new Logger('Mail');
  private readonly captured: CapturedMailDto[] = [];

  async send(mail: OutgoingMail): Promise<void> {
    this.captured.unshift({ jobId: mail.jobId, to: mail.to, subject: mail.subject, text: mail.text, capturedAt: new Date().toISOString() });
    this.captured.length = Math.min(this.captured.length, KEEP);
    this.logger.log({ to: mail.to, jobId: mail.jobId }, `Captured mail (no SMTP_URL) to ${mail.to}: ${mail.subject}\n${mail.text}`);
  }

  list(limit = KEEP): CapturedMailDto[] {
    return this.captured.slice(0, limit);
  }
}
