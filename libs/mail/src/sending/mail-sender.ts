import { RenderedMail } from '../templates/rendered-mail';

export interface OutgoingMail extends RenderedMail {
  jobId: string;
  to: string;
}

/** Where mail goes: an SMTP server, or the capture of the embedded default. Also the DI token. */
export abstract class MailSender {
  abstract send(mail: OutgoingMail): Promise<void>;
}
