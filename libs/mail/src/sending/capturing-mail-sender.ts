import { Injectable, Logger } from '@nestjs/common';
import { CapturedMailDto } from '@chat/contracts';
import { CapturedMailbox } from '../capture/captured-mailbox';
import { MailSender, OutgoingMail } from './mail-sender';

const KEEP = 50;

/**
 * No SMTP configured: the mail reaches only the person running the server, in the server log and on the
 * loopback-only mailbox page. The mailbox is the mail module's own store, written before the job counts as done:
 * the log line is written asynchronously and a crash can lose it, the mailbox entry it cannot.
 */
@Injectable()
export class CapturingMailSender extends MailSender {
  private readonly logger = new Logger('Mail');

  constructor(private readonly mailbox: CapturedMailbox) {
    super();
  }

  async send(mail: OutgoingMail): Promise<void> {
    const captured: CapturedMailDto = { jobId: mail.jobId, to: mail.to, subject: mail.subject, text: mail.text, capturedAt: new Date().toISOString() };
    // A redelivered job (the process died before its ack) is already in the mailbox: neither shown nor logged twice.
    if (!(await this.mailbox.record(captured))) return;
    this.logger.log({ to: mail.to, jobId: mail.jobId }, `Captured mail (no SMTP_URL) to ${mail.to}: ${mail.subject}\n${mail.text}`);
  }

  list(limit = KEEP): Promise<CapturedMailDto[]> {
    return this.mailbox.latest(Math.min(limit, KEEP));
  }
}
