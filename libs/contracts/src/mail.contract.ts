import { Injectable } from '@nestjs/common';
// Deep import: platform's index would pull contracts back in (platform imports only contracts' leaf files).
import { BusClient } from '@chat/platform/transport/bus-client';

export const MailEvents = {
  /**
   * A mail to send. An event, so it waits in the mail role's own durable queue while Mail is down;
   * Mail sends each job id at most once.
   */
  requested: 'mail.requested',
} as const;

export const MailPatterns = {
  /** Mails captured instead of sent (no SMTP configured), newest first: the dev mailbox page. */
  capturedMails: 'mail.captured-mails',
} as const;

export interface SignInCodeMail {
  template: 'sign-in-code';
  data: { code: string; expiresInMinutes: number };
}

export type MailTemplateData = SignInCodeMail;

export type MailRequestedEvent = MailTemplateData & {
  /** Idempotency key: a redelivered job with a known id is not sent again. */
  jobId: string;
  to: string;
  requestedAt: string;
};

export interface CapturedMailDto {
  jobId: string;
  to: string;
  subject: string;
  text: string;
  capturedAt: string;
}

/** The Mail module, as other modules see it. */
@Injectable()
export class MailClient {
  constructor(private readonly bus: BusClient) {}

  request(job: MailRequestedEvent): Promise<void> { return this.bus.publish(MailEvents.requested, job); }
  capturedMails(p: { limit?: number } = {}): Promise<CapturedMailDto[]> { return this.bus.request(MailPatterns.capturedMails, p); }
}
